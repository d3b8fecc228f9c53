"""GET /api/v1/conversations: the inbox for workforce-management systems (docs/api.md).

A planning system reads every conversation (or the open ones of a team, a channel, those
breaching) soonest due first, a page at a time with an opaque cursor, and plans who answers
what. It needs the scope ``conversations:read``; ``customers:read`` alone does not give it."""

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from console.cases.models import Team
from console.conversations.listing import After, conversations_page, is_breaching
from console.conversations.models import Conversation
from console.conversations.selectors import BREACHING_SOON
from console.ingest.api import READ_ERRORS
from console.ingest.models import Scope
from console.picture.api import LIMIT_MAX, UnknownParameter, _int, _ReadEndpoint, hidden_from
from console.picture.credit_api import CustomerRef
from console.timeline.models import Channel

# Filters that take one value or several (?status=awaiting_reply&status=waiting_on_customer).
FILTERS = {"status": Conversation.Status.values, "team": Team.values, "channel": Channel.values}
CURSOR_MAX_LENGTH = 200
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A cursor's due time lies between the epoch and 2200 (a due time is minutes after a message).
DUE_MICROSECONDS_MAX = int((datetime(2200, 1, 1, tzinfo=UTC) - EPOCH) / timedelta(microseconds=1))
PK_MAX = 2**63 - 1
SOON = f"{BREACHING_SOON // timedelta(minutes=1)} minutes"
# Every reading endpoint's errors but 404: this one names no record.
ERRORS = {status: answer for status, answer in READ_ERRORS.items() if status != 404}
BAD_CURSOR = "Not a cursor this endpoint gave: send back the next_cursor of the last page, or start without one."


class ConversationOut(serializers.Serializer):
    id = serializers.IntegerField()
    customer = CustomerRef()
    channel = serializers.ChoiceField(choices=Channel.choices)
    team = serializers.ChoiceField(choices=Team.choices, help_text="The team whose inbox it is in.")
    status = serializers.ChoiceField(choices=Conversation.Status.choices)
    assignee = serializers.CharField(
        source="assignee.username", default=None, allow_null=True, help_text="The agent's username; null: unassigned."
    )
    opened_at = serializers.DateTimeField()
    waiting_since = serializers.DateTimeField(
        allow_null=True, help_text="Since when the customer waits for an answer; null while nobody owes one."
    )
    first_response_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="When the next answer is due; null: none is.")
    breaching = serializers.SerializerMethodField(
        help_text=f"Awaiting a reply and overdue, or due within {SOON} (the inbox's 'Breaching soon')."
    )
    case_ref = serializers.CharField(source="case.reference", default=None, allow_null=True)

    def get_breaching(self, conversation) -> bool:
        return is_breaching(conversation, self.context["now"])


class ConversationPage(serializers.Serializer):
    results = ConversationOut(many=True)
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Send it as ?cursor= for the next page; null on the last page."
    )
    next = serializers.CharField(
        allow_null=True, help_text="The next page's path and query (the same filters and limit); null on the last."
    )


def _enum_list(name: str, values: list[str], description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", "enum": values}},
        style="form",
        explode=True,
        description=description,
    )


class ConversationListView(_ReadEndpoint):
    required_scope = Scope.CONVERSATIONS_READ
    parameters = ("status", "team", "channel", "breaching", "cursor", "limit")

    @extend_schema(
        operation_id="conversations_list",
        summary="Conversations, soonest due first, a page at a time",
        parameters=[
            _enum_list("status", FILTERS["status"], "Only these statuses (repeat for several; any when absent)."),
            _enum_list("team", FILTERS["team"], "Only these teams' inboxes (repeat for several)."),
            _enum_list("channel", FILTERS["channel"], "Only these channels (repeat for several)."),
            OpenApiParameter(
                "breaching",
                {"type": "boolean"},
                description=f"true: only those awaiting a reply, overdue or due within {SOON}; false: all others.",
            ),
            OpenApiParameter(
                "cursor",
                {"type": "string", "minLength": 1, "maxLength": CURSOR_MAX_LENGTH, "pattern": "^[A-Za-z0-9_-]+$"},
                description="The next_cursor of the page before (none for the first page).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX},
                description="At most this many (100, at most 1000).",
            ),
        ],
        responses={200: ConversationPage, **ERRORS},
    )
    def get(self, request):
        now = timezone.now()
        limit = _int(request, "limit", 100, 1, LIMIT_MAX)
        rows = conversations_page(
            now=now,
            statuses=_choices(request, "status"),
            teams=_choices(request, "team"),
            channels=_choices(request, "channel"),
            breaching=_boolean(request, "breaching"),
            after=cursor_read(request.query_params.get("cursor")),
            hidden=hidden_from(request.auth),
            limit=limit + 1,  # one more than asked: is there a next page?
        )
        page, more = rows[:limit], len(rows) > limit
        next_cursor = cursor_for(page[-1]) if more else None
        self.read_detail = _read_detail(request, len(page))
        return Response(
            {
                "results": ConversationOut(page, many=True, context={"now": now}).data,
                "next_cursor": next_cursor,
                "next": _next_path(request, next_cursor) if next_cursor else None,
            }
        )


def _read_detail(request, count: int) -> str:
    """The filters as the audit trail keeps them (the cursor only as "a next page": it is opaque)."""
    filters = [f"{k}={','.join(v)}" for k, v in request.query_params.lists() if k != "cursor"]
    page = ", a next page" if "cursor" in request.query_params else ""
    return f"conversations {' '.join(filters) or 'all'}{page}: {count} listed"


def _choices(request, name: str) -> list[str]:
    given = request.query_params.getlist(name)
    unknown = [value for value in given if value not in FILTERS[name]]
    if unknown:
        known = ", ".join(FILTERS[name])
        raise UnknownParameter({name: [f"'{unknown[0][:40]}' is not one of: {known}."]})
    return given


def _boolean(request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise UnknownParameter({name: ["Must be true or false."]})
    return raw == "true"


def cursor_for(conversation: Conversation) -> str:
    """The opaque cursor after this conversation: its due time (microseconds since the epoch, or
    null) and id, as URL-safe base64 of JSON."""
    due = conversation.due_at
    micros = None if due is None else (due - EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(json.dumps([micros, conversation.pk]).encode()).decode().rstrip("=")


def cursor_read(raw: str | None) -> After | None:
    """The position a cursor names; anything this endpoint did not give is a 422, not a restart
    from the first page (a reader would read everything again without noticing)."""
    if raw is None:
        return None
    try:
        if len(raw) > CURSOR_MAX_LENGTH:
            raise ValueError(raw)
        micros, pk = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not _whole(pk, 1, PK_MAX) or not (micros is None or _whole(micros, 0, DUE_MICROSECONDS_MAX)):
            raise ValueError(raw)
    except (ValueError, TypeError, binascii.Error):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UnknownParameter({"cursor": [BAD_CURSOR]}) from None
    return After(due_at=None if micros is None else EPOCH + timedelta(microseconds=micros), pk=pk)


def _whole(value, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _next_path(request, cursor: str) -> str:
    query = [(k, v) for k, values in request.query_params.lists() if k != "cursor" for v in values]
    return f"{reverse('api:conversations')}?{urlencode([*query, ('cursor', cursor)])}"
