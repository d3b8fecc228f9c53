"""The console's websocket: one per open page, subscribed to its agent's group and, on a
customer picture, to that customer's group. Protocol in docs/live.md.

Messages to the browser are HTML (htmx out-of-band swaps) or JSON control messages
(``seq``, ``screen_pop``, ``reload``). Messages from the browser are JSON (``resume``,
``typing``).
"""

import asyncio
import contextlib
import json
import logging
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

from console.accounts.roles import Capability, agent_channel, role_names, team_roles
from console.live.access import FORBIDDEN, NOT_LOGGED_IN, UNKNOWN_CUSTOMER, AccessMixin, session_expires_in
from console.live.groups import agent_group, customer_group, managers_group, team_agents_group, team_group
from console.live.layer import PubSubChannelLayer
from console.live.online import online
from console.live.presence import REDIS_DOWN
from console.live.replay import Replays
from console.live.sent import SentSeqs
from console.live.ticker import ticker
from console.live.viewers import PresenceMixin

log = logging.getLogger(__name__)

# Close codes a refused subscription ends with (4000-4999 are the application's own): 4401,
# 4403 and 4404 (UNKNOWN_CUSTOMER), in console/live/access.py.
# "Service restart": the page reconnects (htmx's ws extension does for this code) and catches up.
SERVICE_RESTART = 1012
# "Try again later": Redis is away, so this console could not hear pushes; the page reconnects
# with back-off, as for 1012.
TRY_AGAIN_LATER = 1013
RELOAD = json.dumps({"type": "reload"})


@database_sync_to_async
def _viewer(user, customer_id: int | None, customer_exists) -> dict | None:
    """What this user may see, or None when they may not subscribe at all."""
    if not user.has_perm(Capability.VIEW_CUSTOMERS):
        return None
    info = {
        "user": user.pk,
        "finance": user.has_perm(Capability.VIEW_INVOICES),
        "manager": user.has_perm(Capability.MANAGE_FLAGS),
        "name": user.get_full_name() or user.username,
        "role": ", ".join(role_names(user)) or "admin",
        "channel": agent_channel(user),
        "teams": team_roles(user),
        "exists": True,
    }
    if customer_id is not None:
        info["exists"] = customer_exists(customer_id, user)
    return info


async def _try_again_later(receive, send) -> None:
    """Complete the handshake and close at once with 1013, so that the page's socket reconnects
    with back-off rather than seeing a failed handshake."""
    if (await receive())["type"] == "websocket.connect":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})


class ConsoleConsumer(AccessMixin, PresenceMixin, AsyncWebsocketConsumer):
    """The console's socket, knowing no domain app: what it shows of a customer comes from the
    app that renders the customer picture, which subclasses it and gives the methods below
    (console/picture/consumers.py). They run in the thread for database work."""

    @staticmethod
    def customer_exists(customer_id: int, user) -> bool:
        """Whether the customer exists for this user (a restricted one does not, for non-members)."""
        raise NotImplementedError

    @staticmethod
    def team_exists(team: str) -> bool:
        raise NotImplementedError

    @staticmethod
    def panels_now(customer_id: int, *, finance: bool) -> tuple[str, int]:
        """The header and every panel as they are now, and the seq they are current as of."""
        raise NotImplementedError

    @staticmethod
    def missing_entries(customer_id: int, after: int, finance: bool, panels: bool) -> tuple[str, str, int, int, bool]:
        """What a page missed after ``after``: rendered entries (oldest first), the panels (or ""),
        the highest seq among the entries (or ``after``), the seq the panels are current as of
        (0: none), and whether too much was missed to replay (the page then reloads)."""
        raise NotImplementedError

    @staticmethod
    def latest_seqs(customer_ids: list[int]) -> dict[int, int]:
        """Each customer's latest seq (the ticker asks for all customers open in this process)."""
        raise NotImplementedError

    async def __call__(self, scope, receive, send):
        """Channels' consumer loop, lighter on the full stack's layer: the page's frames and the
        layer's messages arrive in one queue (``PubSubChannelLayer.new_inbox``), handled one at a
        time in the order they came, as Channels does. Any other layer (the in-memory one of the
        embedded mode) gets Channels' own loop."""
        layer = get_channel_layer(self.channel_layer_alias)
        if not isinstance(layer, PubSubChannelLayer):
            return await super().__call__(scope, receive, send)
        self.scope, self.channel_layer, self.base_send = scope, layer, send
        try:
            self.channel_name, inbox = await layer.new_inbox()
        except REDIS_DOWN:
            log.warning("console refused for now: no channel, Redis unavailable")
            return await _try_again_later(receive, send)
        # The page's next frame is read once its last one is handled, as Channels' loop does: a
        # page that floods its socket is held back by TCP, not queued here without limit.
        handled = asyncio.Event()
        handled.set()

        async def from_the_page():
            try:
                while True:
                    await handled.wait()
                    message = await receive()
                    handled.clear()
                    inbox.put_nowait(message)
                    if message["type"] == "websocket.disconnect":
                        return
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # noqa: BLE001 - raised below, where Channels' loop raises it
                inbox.put_nowait(exc)

        page = asyncio.ensure_future(from_the_page())
        try:
            while True:
                message = await inbox.get()
                if isinstance(message, BaseException):
                    raise message
                await self.dispatch(message)
                if message["type"].startswith("websocket."):
                    handled.set()
        except StopConsumer:
            pass
        finally:
            page.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await page
            await layer.close_inbox(self.channel_name)

    async def connect(self):
        self.user = self.scope.get("user")
        self.customer_id = self._customer_param()
        self.shown: list[dict] | None = None
        self.sent = SentSeqs()
        self.replays = Replays(self._replay)
        self.typing = False
        if self.user is None or not self.user.is_authenticated:
            return await self._refuse(NOT_LOGGED_IN)
        self.me = await _viewer(self.user, self.customer_id, self.customer_exists)
        if self.me is None:
            return await self._refuse(FORBIDDEN)
        if not self.me["exists"]:
            return await self._refuse(UNKNOWN_CUSTOMER)
        # A queue page (?team=phone). Any agent may watch any team's queue (docs/cases.md).
        team = self._team_param()
        if team is not None and not self.team_exists(team):
            return await self._refuse(UNKNOWN_CUSTOMER)
        if not await self._join(team):
            return await self._refuse(TRY_AGAIN_LATER)
        # Open only once subscribed: what a page does on open (resume, refetch its notices or
        # queue) and every push sent from then on reach it, even when the checks above were slow.
        await self.accept()
        log.debug("%s connected: user %s, groups %s", self.channel_name, self.user.pk, self.joined)
        # Idle sessions expire (SESSION_IDLE_HOURS): the console looks again when this one is due.
        self._expire_later(await session_expires_in(self._session_key()))
        if self.customer_id is not None:
            await self._presence_update()
            ticker().join(self)
        online().join(self.user.pk)

    async def _join(self, team: str | None) -> bool:
        """Join this console's groups; False when Redis is away (the page then tries again)."""
        self.joined = [agent_group(self.user.pk)]
        if self.me["manager"]:
            self.joined.append(managers_group())
        self.joined.extend(team_agents_group(team) for team in self.me["teams"])
        if self.customer_id is not None:
            self.joined.append(customer_group(self.customer_id))
        if team is not None:
            # A team's queue or inbox page, whoever's team it is (any agent may see any team's).
            self.joined.append(team_group(team))
            if team not in self.me["teams"]:
                self.joined.append(team_agents_group(team))
        try:
            for group in self.joined:
                await self.channel_layer.group_add(group, self.channel_name)
        except REDIS_DOWN:
            log.warning("%s: could not join its groups, Redis unavailable; the page tries again", self.channel_name)
            return False
        return True

    async def dispatch(self, message):
        """Channels' own dispatch, without its thread hop to close stale database connections
        before every message: that hop, for each console on each push, was a third of a
        worker's time in a broadcast to a thousand consoles (docs/performance.md). The handlers
        that read the database do it through ``database_sync_to_async``, which closes stale
        connections around every call itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def _refuse(self, code: int):
        # A close code reaches the page only on an accepted socket; a refused handshake is a bare 403.
        await self.accept()
        await self.close(code=code)

    def _customer_param(self) -> int | None:
        values = parse_qs(self.scope.get("query_string", b"").decode()).get("customer")
        try:
            return int(values[0]) if values else None
        except ValueError:
            return -1  # not a customer anyone has: refused as unknown

    def _team_param(self) -> str | None:
        values = parse_qs(self.scope.get("query_string", b"").decode()).get("team")
        return values[0] if values else None

    async def disconnect(self, code):
        log.debug("%s disconnected (%s)", self.channel_name, code)
        if hasattr(self, "replays"):
            self.replays.stop()
        self._stop_expiry()
        if getattr(self, "joined", None):
            online().leave(self.user.pk)
        if getattr(self, "joined", None) and self.customer_id is not None:
            ticker().leave(self)
        try:
            for group in getattr(self, "joined", []):
                await self.channel_layer.group_discard(group, self.channel_name)
        except REDIS_DOWN:
            log.warning("%s: groups not left, Redis unavailable (they go with the connection)", self.channel_name)
        if getattr(self, "joined", None) and self.customer_id is not None:
            await self._presence_leave()

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = json.loads(text_data or "{}")
        except ValueError:
            return
        if not isinstance(message, dict) or self.customer_id is None or not getattr(self, "joined", None):
            return  # nothing to answer on a refused or customer-less subscription
        if message.get("type") == "resume":
            after = message.get("after")
            # One replay in flight; resumes meanwhile are merged into the next (live/replay.py).
            self.replays.ask(after if isinstance(after, int) and after >= 0 else 0, message.get("panels") is True)
        elif message.get("type") == "typing":
            self.typing = bool(message.get("typing"))
            await self._presence_update()

    async def _replay(self, after: int, panels: bool = False) -> int:
        """Send what the page missed after ``after``; returns the bytes sent. Runs beside the
        consumer's other messages (``Replays``), so a push may have brought newer panels while the
        database was read: the replay's panels go out only if they are newer still."""
        entries, panels_html, upto, panels_seq, too_many = await database_sync_to_async(self.missing_entries)(
            self.customer_id, after, self.me["finance"], panels
        )
        log.debug(
            "%s resume after %s: up to %s, panels %s, reload %s", self.channel_name, after, upto, panels_seq, too_many
        )
        if too_many:
            await self.send(RELOAD)
            return len(RELOAD)
        if panels_seq <= self.sent.panels_seq:
            panels_html = ""
        html = entries + panels_html
        if html:
            await self.send(html)
        # The page has everything up to ``after`` (it says so) and now everything up to ``upto``.
        self.sent.all_upto(upto)
        self.sent.panels_upto(panels_seq)
        latest = json.dumps({"type": "seq", "latest": upto})
        await self.send(latest)
        return len(html) + len(latest)

    async def on_tick(self, latest: int | None, viewers: list[tuple[str, dict]]):
        """From the process's ticker: the latest seq, when this page may lack some of it (a push
        was dropped, so the page resumes), and who is here. A page that has everything up to the
        latest seq gets nothing: a thousand idle consoles cost no frames."""
        if latest is not None and latest > self.sent.floor:
            log.debug("%s tick: latest %s, all sent up to %s", self.channel_name, latest, self.sent.floor)
            await self.send(json.dumps({"type": "seq", "latest": latest}))
        await self._send_presence(viewers)

    # Pushes from publish.py.
    async def timeline_entry(self, event):
        """The entry and what it changed, in one frame; the entry only if this connection has
        not sent it yet (a replay may have brought it first), the panels only if the page has none
        newer."""
        audience = "finance" if self.me["finance"] else "store"
        entry = event["entry"][audience] if self.sent.first_time(event["seq"]) else ""
        # Panels rendered when this entry committed, unless the page has newer ones (from a later
        # push, a replay or a flag change): a late push must not turn them back.
        panels = event["panels"][audience] if self.sent.newer_panels(event["seq"], event["all_panels"]) else ""
        log.debug("%s entry %s: sent %s, panels %s", self.channel_name, event["seq"], bool(entry), bool(panels))
        if entry or panels:
            await self.send(entry + panels)

    async def customer_reload(self, event):
        await self.send(RELOAD)

    async def flags_changed(self, event):
        """Flags changed: this console renders the header and panels for its own audience."""
        html, panels_seq = await database_sync_to_async(self.panels_now)(self.customer_id, finance=self.me["finance"])
        log.debug("%s flags changed: panels as of %s", self.channel_name, panels_seq)
        await self.send(html)
        self.sent.panels_upto(panels_seq)

    async def layer_resync(self, event):
        """This process lost its connection to Redis and has it back (console/live/layer.py):
        pushes of the meantime are lost, not only entries. The page reconnects, as after a
        server restart, and catches up on everything: its entries and panels (a resume with
        ``panels``), and its queue, dashboard and notices, which refetch on reconnect. The layer
        sends it too to a console that fell ``queue_limit`` pushes behind."""
        log.debug("%s resync", self.channel_name)
        if not getattr(self, "resyncing", False):  # a second one (reconnect, and far behind) adds nothing
            self.resyncing = True
            await self.close(code=SERVICE_RESTART)

    async def dashboard_changed(self, event):
        await self.send(json.dumps({"type": "dashboard"}))

    async def screen_pop(self, event):
        log.debug("%s screen pop to %s", self.channel_name, event["url"])
        await self.send(
            json.dumps({"type": "screen_pop", **{k: event[k] for k in ("url", "name", "customer_number", "reason")}})
        )

    async def approval_notices(self, event):
        # Only managers join the managers' group; checked again, as every push to a role is.
        if self.me["manager"]:
            await self.send(event["html"])

    # Cases (docs/cases.md): a team's queue list, and notices for one agent or for managers.
    async def queue_changed(self, event):
        await self.send(event["html"])

    async def page_trigger(self, event):
        """Something a part of the page shows changed (an inbox count): the page's listeners
        fetch it again (static/console/live.js raises the event on <body>)."""
        await self.send(json.dumps({"type": "trigger", "name": event["name"]}))

    async def page_event(self, event):
        """Data for a part of the page that keeps itself up to date (an inbox row and the counts
        it changes), serialised once by whoever published it: static/console/live.js hands it on
        as a DOM event, ``live:<name>``."""
        await self.send(event["text"])

    async def agent_notice(self, event):
        await self.send(event["html"])

    async def manager_notice(self, event):
        if self.me["manager"]:
            await self.send(event["html"])
