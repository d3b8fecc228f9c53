"""Rights follow the user on open sockets, not only when a socket connects.

A console checks its user's rights again when told that they changed (``access.changed`` on the
user's agent group, sent after commit by ``publish.access_changed``: the user deactivated or
deleted, a role or permission added or removed, a password changed, a log-out) and when its
session is due to expire (``SESSION_IDLE_HOURS`` without a request). The check is the one every
page request makes: the session as stored now, read through Django's ``get_user``, which refuses a
session that ended, expired or belongs to an old password, and a user who is no longer active;
then the role. A console whose user may no longer see customers tells its page why and closes
with 4401 or 4403, which the page shows instead of reconnecting (static/console/live.js). One that
lost only a part (the manager role, invoice details) goes on with what is left.

When the push is lost (a Redis reconnect), every console of that process reconnects anyway
(1012), and the reconnect is checked as any new socket.
"""

import asyncio
import json
import logging
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from console.accounts.roles import Capability
from console.live.groups import managers_group
from console.live.presence import REDIS_DOWN

log = logging.getLogger(__name__)
NOT_LOGGED_IN, FORBIDDEN = 4401, 4403
# The customer is not there for this user: unknown, or restricted to a group they are not in.
UNKNOWN_CUSTOMER = 4404
# Why a console was closed, as the page says it.
ENDED = {
    "signed_out": (NOT_LOGGED_IN, "You were signed out. Sign in again to go on."),
    "deactivated": (NOT_LOGGED_IN, "Your account was deactivated. Ask an administrator if that is a mistake."),
    "session_expired": (NOT_LOGGED_IN, "Your session ended after a time without activity. Sign in again to go on."),
    "role_removed": (FORBIDDEN, "Your role was changed: you may no longer view customers here."),
    "customer_gone": (UNKNOWN_CUSTOMER, "This customer's picture is no longer available to you."),
}


class _ReadOnly:
    """The session as ``get_user`` reads it, minus its writes: on a page request a session from
    before a password change is flushed, but a console's check must not end the session of a
    request that is just now updating it (``update_session_auth_hash``)."""

    def __init__(self, store):
        self.store = store

    def __getitem__(self, key):
        return self.store[key]

    def get(self, key, default=None):
        return self.store.get(key, default)

    def cycle_key(self):
        pass

    def flush(self):
        pass


@database_sync_to_async
def _access_now(session_key: str | None, user_id: int) -> tuple[str | None, dict | None, float]:
    """Why this session may no longer hold a console (or None), what its user may see now, and
    the seconds until the session expires."""
    from django.contrib.auth import get_user

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(SimpleNamespace(session=_ReadOnly(store)))
    expires_in = _seconds_left(session_key)
    if not user.is_authenticated or user.pk != user_id:
        return _why_not(session_key, user_id, expires_in), None, 0.0
    if not user.has_perm(Capability.VIEW_CUSTOMERS):
        return "role_removed", None, 0.0
    rights = {"finance": user.has_perm(Capability.VIEW_INVOICES), "manager": user.has_perm(Capability.MANAGE_FLAGS)}
    return None, rights, expires_in


def _why_not(session_key, user_id, expires_in: float) -> str:
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return "deactivated"
    return "session_expired" if expires_in <= 0 and _stored(session_key) else "signed_out"


@database_sync_to_async
def session_expires_in(session_key: str | None) -> float:
    return _seconds_left(session_key)


def _session_model():
    engine = import_module(settings.SESSION_ENGINE)
    get_model = getattr(engine.SessionStore, "get_model_class", None)
    return get_model() if get_model is not None else None


def _stored(session_key) -> bool:
    model = _session_model()
    return model is not None and model.objects.filter(session_key=session_key).exists()


def _seconds_left(session_key) -> float:
    """Until the stored session expires; sessions not kept in the database are looked at again
    after ``SESSION_COOKIE_AGE``."""
    model = _session_model()
    if model is None:
        return float(settings.SESSION_COOKIE_AGE)
    expire = model.objects.filter(session_key=session_key).values_list("expire_date", flat=True).first()
    return (expire - timezone.now()).total_seconds() if expire else 0.0


class AccessMixin:
    """For ``ConsoleConsumer``: needs ``scope``, ``user``, ``me``, ``joined`` and ``channel_layer``."""

    def _session_key(self) -> str | None:
        session = self.scope.get("session")
        return session.session_key if session is not None else None

    def _expire_later(self, seconds: float) -> None:
        """Look again when the session is due to expire (a request meanwhile may have extended it)."""
        self._stop_expiry()
        self._expiry = asyncio.ensure_future(self._expire_after(max(seconds, 0) + 1))

    def _stop_expiry(self) -> None:
        if getattr(self, "_expiry", None) is not None and self._expiry is not asyncio.current_task():
            self._expiry.cancel()

    async def _expire_after(self, seconds: float):
        await asyncio.sleep(seconds)
        try:
            await self.access_changed({})
        except Exception:  # noqa: BLE001 - the database or Redis away: look again a little later
            log.warning("%s: session check failed; trying again in a minute", self.channel_name, exc_info=True)
            self._expire_later(60)

    async def access_changed(self, event):
        """The user's rights or sessions changed: look again, and close if they no longer hold."""
        if getattr(self, "ended", False):
            return
        if event.get("ended_session") and event["ended_session"] == self._session_key():
            return await self._access_ended("signed_out")
        reason, rights, expires_in = await _access_now(self._session_key(), self.user.pk)
        if reason is not None:
            return await self._access_ended(reason)
        # A customer restricted meanwhile, or the user taken out of its group: it is gone for them.
        if self.customer_id is not None and not await database_sync_to_async(self.customer_exists)(
            self.customer_id, self.user
        ):
            return await self._access_ended("customer_gone")
        if self.me["manager"] and not rights["manager"] and managers_group() in self.joined:
            self.joined.remove(managers_group())
            try:
                await self.channel_layer.group_discard(managers_group(), self.channel_name)
            except REDIS_DOWN:  # its pushes are checked against me["manager"] as well
                log.warning("%s: managers' group not left, Redis unavailable", self.channel_name)
        self.me.update(rights)
        self._expire_later(expires_in)

    async def _access_ended(self, reason: str):
        code, message = ENDED[reason]
        log.info("%s: access ended (%s) for user %s", self.channel_name, reason, self.user.pk)
        self.ended = True
        await self.send(json.dumps({"type": "access_ended", "reason": reason, "message": message}))
        await self.close(code=code)
