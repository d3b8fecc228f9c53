"""The "Also here" line of a console: its own line in the presence registry (presence.py), and
who else is looking at the same customer.

Each console keeps its own line in the shared registry fresh. A change (arrival, typing,
leaving) is announced to the customer's group so the others look at once, while the crowd is
small; in a crowd they see it at their next tick. Presence is a courtesy: when Redis is away (a
restart, a pooled connection that died with it), a console goes on without it, and the next tick
puts its line back.
"""

import logging

from django.conf import settings
from django.utils.html import format_html, format_html_join

from console.live import presence, publish
from console.live.presence import REDIS_DOWN

log = logging.getLogger(__name__)


def _people(found: list[tuple[str, dict]], *, me: int) -> list[dict]:
    """The other people on this customer, once each: a colleague with the picture open in two
    tabs (or a page that reconnected before its old connection expired) is one person, typing
    if they type in either; this agent's own other tabs are not "also here"."""
    people: dict = {}
    for _conn, info in found:
        who = info.get("user", info["name"])
        if who == me:
            continue
        if who in people:
            people[who] = people[who] | {"typing": people[who]["typing"] or info["typing"]}
        else:
            people[who] = info
    return list(people.values())


class PresenceMixin:
    """For ``ConsoleConsumer``: needs ``customer_id``, ``channel_name``, ``me``, ``typing`` and ``shown``."""

    def whoami(self) -> dict:
        return {k: self.me[k] for k in ("user", "name", "role", "channel")} | {"typing": self.typing}

    async def _presence_update(self):
        try:
            count = await presence.registry().touch(self.customer_id, self.channel_name, self.whoami())
            await self._presence_changed(count)
            await self._send_presence()
        except REDIS_DOWN:
            log.warning("%s: presence not updated, Redis unavailable; the next tick tries again", self.channel_name)

    async def _presence_leave(self):
        try:
            count = await presence.registry().leave(self.customer_id, self.channel_name)
            await self._presence_changed(count)
        except REDIS_DOWN:
            log.warning("%s: presence line left behind, Redis unavailable; it goes stale", self.channel_name)

    async def _presence_changed(self, count: int):
        if count <= settings.LIVE_PRESENCE_SHOWN:
            await publish.presence_changed(customer_id=self.customer_id, sender=self.channel_name)

    async def presence_changed(self, event):
        if event["sender"] != self.channel_name:
            try:
                await self._send_presence()
            except REDIS_DOWN:
                log.warning("%s: presence not read, Redis unavailable", self.channel_name)

    async def _send_presence(self, found: list[tuple[str, dict]] | None = None):
        if found is None:
            found = await presence.registry().viewers(
                self.customer_id, stale_after=3 * settings.LIVE_TICK_SECONDS, limit=2 * settings.LIVE_PRESENCE_SHOWN + 2
            )
        others = _people(found, me=self.me["user"])[: settings.LIVE_PRESENCE_SHOWN]
        if others == self.shown:
            return
        self.shown = others
        people = format_html_join(
            " ",
            '<span class="viewer{}">{} <small>{}</small>{}</span>',
            (
                (
                    " typing" if v["typing"] else "",
                    v["name"],
                    v["role"] if v["role"] == v["channel"] else f"{v['role']} · {v['channel']}",
                    " is typing…" if v["typing"] else "",
                )
                for v in others
            ),
        )
        inner = format_html("Also here: {}", people) if others else ""
        await self.send(
            format_html('<p id="presence" class="presence" aria-live="polite" hx-swap-oob="true">{}</p>', inner)
        )
