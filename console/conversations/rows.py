"""The inbox's rows, rendered once per change of what they show and alike for every agent.

A list page of 50 rows spent most of its time in the template engine, rendering the same rows
for every agent again on every refresh. Now a row is rendered once for what it shows (the
conversation, its customer and flags, the assignee's name, whether the viewer owns it, the
language) and kept in the cache under a digest of exactly that: a change of any of it makes a
new key, so nothing is ever stale and nothing needs forgetting. What differs per agent or per
minute is left as slots filled in for each page: the CSRF field, colleagues looking at the
customer, the clocks ("in 12 min", "waiting 3 h 5 min"), an action's answer.

The same rendering is what a change pushes to open inboxes (fragments.py): once per change,
not once per agent (docs/inbox.md, Live)."""

import hashlib
from datetime import datetime, timedelta
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from console.accounts.selectors import display_name
from console.conversations.models import Conversation
from console.live.presence import REDIS_DOWN
from console.ui.templatetags.console_ui import icon

ROW = "conversations/row.html"
# Long enough for a list's rows to be reused all day long; a digest no row has any more simply
# expires.
ROW_SECONDS = 6 * 3600
# Comments no escaped text can contain ("<" is always "&lt;" in it), replaced before any answer.
SLOT_NAMES = ("overdue", "due", "waited", "lookers", "said", "csrf")
SLOTS = {name: mark_safe(f"<!--slot:{name}-->") for name in SLOT_NAMES}  # noqa: S308 - constant markup
NOBODY = 10**15 - 1  # sorts after every moment: nothing due comes last


def span_text(span: timedelta) -> str:
    """A waiting time as an agent reads it at a glance: "<1 min", "12 min", "3 h 5 min",
    "2 d 4 h" (static/console/inbox.js writes the same as the minutes pass)."""
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 1:
        return "<1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def due_text(due_at: datetime, now: datetime) -> str:
    return f"Overdue {span_text(now - due_at)}" if due_at < now else f"In {span_text(due_at - now)}"


def _ms(moment: datetime | None) -> int:
    return NOBODY if moment is None else int(moment.timestamp() * 1000)


def sort_key(conversation: Conversation) -> str:
    """The lists' order (soonest due, longest waiting, oldest, first) as one string that sorts
    the same way, for the page's script to place a pushed row."""
    c = conversation
    return f"{_ms(c.due_at):015d}.{_ms(c.waiting_since):015d}.{_ms(c.opened_at):015d}.{c.pk:012d}"


@lru_cache(maxsize=1)
def _template_digest() -> str:
    """A changed template, icon sprite or URL scheme makes new keys: rows rendered before a deploy
    are not served after it."""
    made_of = (get_template(ROW).template.source, static("console/icons.svg"), reverse("conversations:take", args=[1]))
    return hashlib.blake2b(repr(made_of).encode(), digest_size=8).hexdigest()


def version(conversation: Conversation) -> int:
    """Which of two states of a conversation is newer (its last change, in microseconds): the page
    keeps the newer when pushes and answers cross."""
    return int(conversation.updated_at.timestamp() * 1_000_000)


def _key(c: Conversation, *, mine: bool) -> str:
    shown = (
        _template_digest(),
        get_language(),
        c.pk,
        c.status,
        c.priority,
        c.due_at,
        c.waiting_since,
        c.opened_at,
        c.updated_at,
        c.channel,
        c.team,
        c.last_words,
        c.assignee_id,
        display_name(c.assignee) if c.assignee_id else "",
        c.customer_id,
        c.customer.name,
        c.customer.customer_number,
        c.customer.language,
        tuple((f.tone, f.effective_level) for f in c.badges),
        mine,
    )
    return "inbox-row:" + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def _render(c: Conversation, *, mine: bool) -> str:
    urls = {
        name: reverse(f"conversations:{name.replace('_', '-')}", args=[c.pk])
        for name in ("take", "hand_back", "reply", "done")
    }
    context = {
        "c": c,
        "mine": mine,
        "sort": sort_key(c),
        "version": version(c),
        "assignee_name": display_name(c.assignee) if c.assignee_id else "",
        "slot": SLOTS,
        "urls": urls,
    }
    return render_to_string(ROW, context)


def _rendered(rows: list[Conversation], *, viewer_id: int | None) -> list[str]:
    """Each row's HTML with its slots still open: from the cache, the missing ones rendered and
    kept. Without the cache for a moment, every row is rendered (the page still answers)."""
    keys = [_key(c, mine=c.assignee_id is not None and c.assignee_id == viewer_id) for c in rows]
    try:
        found = cache.get_many(keys)
    except REDIS_DOWN:
        found = {}
    missing = {}
    for c, key in zip(rows, keys, strict=True):
        if key not in found:
            found[key] = missing[key] = _render(c, mine=c.assignee_id is not None and c.assignee_id == viewer_id)
    if missing:
        try:
            cache.set_many(missing, ROW_SECONDS)
        except REDIS_DOWN:
            pass
    return [found[key] for key in keys]


def lookers_html(lookers: list[tuple[int, str]]) -> str:
    """Colleagues with the customer's picture open (user id, name); the page's script leaves out
    the agent themself in a pushed row."""
    if not lookers:
        return ""
    names = format_html_join(
        "", '<span class="inbox-looker" data-user="{}">{}</span>', ((user, name) for user, name in lookers)
    )
    return format_html(
        '<span class="inbox-lookers" title="Has the customer open now">{} {}</span>', icon("eye", "Looking now"), names
    )


def _filled(html: str, c: Conversation, *, now: datetime, csrf: str, said: str = "") -> SafeString:
    return mark_safe(  # noqa: S308 - the row was rendered with autoescape; every slot is escaped HTML
        html.replace(SLOTS["overdue"], " overdue" if c.due_at is not None and c.due_at < now else "")
        .replace(SLOTS["due"], due_text(c.due_at, now) if c.due_at else "")
        .replace(SLOTS["waited"], span_text(now - c.waiting_since) if c.waiting_since else "")
        .replace(SLOTS["lookers"], lookers_html(c.lookers))
        .replace(SLOTS["said"], said)
        .replace(SLOTS["csrf"], csrf)
    )


def csrf_input(token: str) -> str:
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token) if token else ""


def rows_html(rows: list[Conversation], *, viewer_id: int, csrf_token: str, now: datetime) -> list[SafeString]:
    """The rows of a list page as this agent sees them (``rows`` with ``badges`` and ``lookers``
    attached, as selectors.inbox_page gives them)."""
    csrf = csrf_input(csrf_token)
    rendered = _rendered(rows, viewer_id=viewer_id)
    return [_filled(html, c, now=now, csrf=csrf) for c, html in zip(rows, rendered, strict=True)]


def said_html(*, notice: str = "", error: str = "") -> str:
    """An action's answer on its row: what happened, or why not."""
    if error:
        return format_html('<p class="form-error" role="alert">{}</p>', error)
    return format_html('<p class="case-done" role="status">{}</p>', notice) if notice else ""


def row_answer(c: Conversation, *, viewer_id: int, csrf_token: str, now: datetime, said: str) -> SafeString:
    """One row as the answer to this agent's action on it."""
    (html,) = _rendered([c], viewer_id=viewer_id)
    return _filled(html, c, now=now, csrf=csrf_input(csrf_token), said=said)


def row_pushed(c: Conversation, *, now: datetime) -> dict[str, str]:
    """The row as every agent's inbox is sent it, and as its owner's is (with "Give back"):
    no CSRF field (a pushed form sends the page's token, from hx-headers on <body>)."""
    html = {"html": _filled(_rendered([c], viewer_id=None)[0], c, now=now, csrf="")}
    if c.assignee_id:
        html["html_mine"] = _filled(_rendered([c], viewer_id=c.assignee_id)[0], c, now=now, csrf="")
    return html
