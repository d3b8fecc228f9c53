"""GET /api/v1/conversations: what a workforce-management system reads of the inbox
(console/picture/conversations_api.py, docs/api.md "Conversations")."""

import base64
import itertools
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from console.cases.services import case_open
from console.conversations.models import Conversation
from console.conversations.services import conversation_take
from console.ingest.models import ApiToken
from tests.conversations.conftest import at
from tests.factories import CustomerFactory
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db
URL = "/api/v1/conversations"
_threads = itertools.count(1)


@pytest.fixture
def sanne(db):
    return CustomerFactory(
        name="Sanne Jansen",
        customer_number="C-300001",
        email="sanne@example.nl",
        phone="06 23456789",
        handles=[("twitter", "@sjansen")],
    )


@pytest.fixture
def planner(api, issue_token):
    """The workforce-management system: it may read conversations, nothing else."""

    class Planner:
        token = issue_token(source="wfm", scopes=["conversations:read"])

        def __call__(self, path=URL, **params):
            return api.get(path, token=self.token, **params)

    return Planner()


def said(api, *, channel="twitter", minutes_ago=0, thread=None, customer="C-300001", at=None, **fields) -> Conversation:
    """The customer writes (through the event API, as the channel's system reports it) at ``at``,
    else ``minutes_ago``; the conversation it opened or joined."""
    thread = thread or f"t-{next(_threads)}"
    at = at or timezone.now() - timedelta(minutes=minutes_ago)
    response = api.post(
        interaction(
            channel=channel,
            thread=thread,
            occurred_at=at.isoformat(),
            customer={"customer_number": customer},
            summary="Waar blijft mijn bestelling?",
            **fields,
        )
    )
    assert response.status_code == 201, response.content
    return Conversation.objects.get(customer__customer_number=customer, channel=channel, thread=thread)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_it_lists_conversations_soonest_due_first_with_what_a_planner_needs(api, planner, sanne, make_user):
    # A Wednesday morning, in opening hours: in the evening the due times fall the next morning.
    with time_machine.travel(at("2026-12-02 11:00"), tick=False):
        lotte = make_user("webcare", username="lotte")
        case = case_open(customer_id=sanne.pk, title="Bestelling kwijt", team="webcare")
        overdue = said(api, minutes_ago=120, case_ref=case.reference)
        conversation_take(conversation_id=overdue.pk, user=lotte)
        fresh = said(api, channel="email")
        answered = said(api, channel="sms", minutes_ago=30)
        answer = {"channel": "sms", "direction": "outbound", "summary": "Komt morgen", "agent": "lotte"}
        api.post(interaction(**answer, customer={"phone": "06 23456789"}))

        body = planner().json()
        assert [row["id"] for row in body["results"]] == [overdue.pk, fresh.pk, answered.pk]
        first, second, third = body["results"]
        assert first["customer"] == {"id": sanne.pk, "customer_number": "C-300001"}
        assert (first["channel"], first["team"], first["status"]) == ("twitter", "webcare", "awaiting_reply")
        assert (first["assignee"], first["case_ref"], first["breaching"]) == ("lotte", case.reference, True)
        assert first["waiting_since"] == first["opened_at"] and first["first_response_at"] is None
        assert (second["team"], second["assignee"], second["case_ref"], second["breaching"]) == (
            "back_office",
            None,
            None,
            False,
        )
        # Answered: nothing is due, so it comes last; its first response is recorded.
        assert (third["status"], third["due_at"], third["waiting_since"]) == ("waiting_on_customer", None, None)
        assert third["first_response_at"] is not None and third["breaching"] is False
        assert (body["next"], body["next_cursor"]) == (None, None)


def test_it_filters_by_status_team_channel_and_breaching(api, planner, sanne, make_user):
    # A Wednesday morning, in opening hours: in the evening the due times fall the next morning.
    with time_machine.travel(at("2026-12-02 11:00"), tick=False):
        make_user("phone", username="lotte")
        overdue_tweet = said(api, minutes_ago=90)
        soon_chat = said(api, channel="chat", minutes_ago=50)  # due in 10 minutes: breaching soon
        fresh_email = said(api, channel="email")
        sms = said(api, channel="sms")
        answer = {"channel": "sms", "direction": "outbound", "summary": "Komt morgen", "agent": "lotte"}
        api.post(interaction(**answer, customer={"phone": "06 23456789"}))

        assert ids(planner(status="waiting_on_customer")) == [sms.pk]
        assert ids(planner(status=["awaiting_reply", "waiting_on_customer"], team="webcare")) == [
            overdue_tweet.pk,
            soon_chat.pk,
        ]
        assert ids(planner(team=["back_office", "phone"])) == [fresh_email.pk, sms.pk]
        assert ids(planner(channel=["chat", "email"])) == [soon_chat.pk, fresh_email.pk]
        assert ids(planner(breaching="true")) == [overdue_tweet.pk, soon_chat.pk]
        assert ids(planner(breaching="false")) == [fresh_email.pk, sms.pk]
        assert ids(planner(breaching="true", channel="email")) == []


def test_paging_reads_every_conversation_once_while_new_ones_arrive(api, planner, sanne, make_user):
    make_user("phone", username="lotte")
    # Due times spread out, some the same to the microsecond (the id decides), and answered
    # ones with nothing due at the end.
    now = timezone.now()
    present = [said(api, at=now - timedelta(minutes=m)).pk for m in (200, 150, 150, 100, 40, 10, 0)]
    for _ in range(3):
        conversation = said(api, channel="sms")
        api.post(
            interaction(
                channel="sms",
                direction="outbound",
                agent="lotte",
                thread=conversation.thread,
                summary="Komt morgen",
                customer={"phone": "06 23456789"},
            )
        )
        present.append(conversation.pk)
    same = Conversation.objects.filter(pk__in=present[1:3]).values_list("due_at", flat=True)
    assert len(set(same)) == 1

    seen, page, arrivals = [], planner(limit=2), iter((300, 120, 5, 0))
    while True:
        seen += ids(page)
        body = page.json()
        if body["next"] is None:
            break
        # A new message arrives between every two pages: one due before the reader's place,
        # one after it; neither shifts what the reader still has to read.
        minutes_ago = next(arrivals, None)
        if minutes_ago is not None:
            said(api, minutes_ago=minutes_ago)
        page = planner(body["next"])
    assert sorted(set(seen)) == sorted(seen), "read twice"
    assert set(present) <= set(seen), "skipped"
    assert [pk for pk in seen if pk in present] == present


def test_the_next_link_keeps_the_filters_and_the_limit(api, planner, sanne):
    for minutes_ago in (30, 20, 10):
        said(api, minutes_ago=minutes_ago)
    said(api, channel="email")
    body = planner(channel="twitter", limit=2).json()
    assert len(body["results"]) == 2
    assert body["next"].startswith("/api/v1/conversations?")
    assert "channel=twitter" in body["next"] and "limit=2" in body["next"]
    assert f"cursor={body['next_cursor']}" in body["next"]
    rest = planner(channel="twitter", limit=2, cursor=body["next_cursor"]).json()
    assert [row["channel"] for row in rest["results"]] == ["twitter"]
    assert rest["next"] is None


def test_a_token_without_conversations_read_is_refused(api, sanne):
    said(api)
    response = api.get(URL)  # events:write and customers:read: a source system's token
    assert response.status_code == 403
    assert "conversations:read" in response.json()["errors"]["token"][0]


def test_without_a_token_it_is_401(client):
    assert client.get(URL).status_code == 401


def test_conversations_read_gives_no_customer_records(planner, sanne):
    assert planner(f"/api/v1/customers/{sanne.pk}").status_code == 403


def _cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "open"}, "state"),
        ({"status": "open"}, "status"),
        ({"status": ["done", "closed"]}, "status"),
        ({"team": "Webcare"}, "team"),
        ({"channel": "fax"}, "channel"),
        ({"breaching": "yes"}, "breaching"),
        ({"breaching": "True"}, "breaching"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "not base64 at all!"}, "cursor"),
        ({"cursor": "é"}, "cursor"),
        ({"cursor": _cursor("[1, 2")}, "cursor"),
        ({"cursor": _cursor('{"due": 1, "id": 2}')}, "cursor"),
        ({"cursor": _cursor("[1, 2, 3]")}, "cursor"),
        ({"cursor": _cursor("[1, 0]")}, "cursor"),
        ({"cursor": _cursor("[1.5, 2]")}, "cursor"),
        ({"cursor": _cursor("[-1, 2]")}, "cursor"),
        ({"cursor": _cursor("[null, true]")}, "cursor"),
        ({"cursor": _cursor(f"[{10**20}, 2]")}, "cursor"),
        ({"cursor": _cursor("[1, 2]") * 40}, "cursor"),
    ],
)
def test_a_bad_parameter_is_422_naming_it(planner, sanne, params, field):
    response = planner(**params)
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]


def test_a_page_costs_the_same_queries_whatever_its_size(api, planner, make_user):
    lotte = make_user("webcare")
    for n in range(12):
        number = f"C-4000{n:02d}"
        customer = CustomerFactory(customer_number=number)
        case = case_open(customer_id=customer.pk, title="Vraag", team="webcare")
        conversation = said(api, customer=number, minutes_ago=n, case_ref=case.reference)
        conversation_take(conversation_id=conversation.pk, user=lotte)
    planner()  # the token's first use of the minute also notes when it was used
    counts = []
    for limit in (1, 12):
        with CaptureQueriesContext(connection) as queries:
            assert len(ids(planner(limit=limit))) == limit
        counts.append(len(queries))
    # The token, the page with its customers, assignees and cases, and the audit trail's row.
    assert counts == [3, 3]


def test_it_is_rate_limited_like_the_other_reading_endpoints(planner, sanne, settings):
    settings.API_RATE_LIMIT_PER_SECOND = 1
    assert 429 in [planner().status_code for _ in range(3)]


def test_the_schema_documents_what_the_endpoint_checks(client):
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"][URL]["get"]["parameters"]}
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 1000)
    assert parameters["status"]["items"]["enum"] == ["awaiting_reply", "waiting_on_customer", "done"]
    assert parameters["breaching"] == {"type": "boolean"}
    assert parameters["cursor"]["pattern"] == "^[A-Za-z0-9_-]+$" and parameters["cursor"]["maxLength"] == 200
    assert "ConversationPage" in schema["components"]["schemas"]


def test_issue_token_gives_conversations_read_only_when_named(db):
    call_command("issue_token", "--source", "webshop", stdout=StringIO(), stderr=StringIO())
    call_command(
        "issue_token", "--source", "wfm", "--scope", "conversations:read", stdout=StringIO(), stderr=StringIO()
    )
    scopes = dict(ApiToken.objects.values_list("source", "scopes"))
    assert scopes == {
        "webshop": ["events:write", "customers:read", "customers:create"],
        "wfm": ["conversations:read"],
    }
