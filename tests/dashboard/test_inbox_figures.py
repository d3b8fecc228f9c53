"""The managers' inbox figures on the dashboard and the CSV export of conversations
(console/conversations/figures.py, console/dashboard/inbox_views.py)."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.conversations.figures import inbox_figures
from console.conversations.models import Conversation
from console.conversations.services import conversation_done, conversation_reply, conversation_take
from tests.conversations.conftest import at
from tests.factories import CustomerFactory
from tests.ingest.events import interaction

pytestmark = pytest.mark.django_db
MONDAY_10 = at("2026-11-30 10:00")


def _message(api, n: int, *, channel="twitter", minutes_ago=0):
    CustomerFactory(customer_number=f"C-60{n:04d}", handles=[("twitter", f"@f{n}")], email=f"f{n}@example.nl")
    who = {"handle": {"network": "twitter", "value": f"@f{n}"}}
    when = (MONDAY_10 - timedelta(minutes=minutes_ago)).isoformat()
    api.post(interaction(channel=channel, summary=f"Vraag {n}", customer=who, occurred_at=when))
    return Conversation.objects.get(customer__customer_number=f"C-60{n:04d}")


@pytest.fixture
def answered(api, make_user):
    """Three tweets answered after 10, 30 and 90 business minutes (the last one late: an hour
    is the target), one e-mail still open, all on Monday morning."""
    anna = make_user("webcare", first_name="Anna", last_name="de Wit")
    with time_machine.travel(MONDAY_10, tick=False):
        conversations = [_message(api, n, minutes_ago=m) for n, m in enumerate((10, 30, 90))]
        _message(api, 9, channel="email")
        for conversation in conversations:
            conversation_take(conversation_id=conversation.pk, user=anna)
            conversation_reply(conversation_id=conversation.pk, user=anna, text="We kijken ernaar")
    return anna


def test_first_responses_in_business_minutes_and_the_share_in_time(answered):
    figures = inbox_figures(now=MONDAY_10)
    assert figures.today.count == 3 and figures.week.count == 3
    assert figures.today.p50_seconds == 30 * 60
    assert 60 * 60 < figures.today.p90_seconds <= 90 * 60
    assert figures.today.in_time_percent == pytest.approx(66.7)
    assert figures.backlog_total == 4
    assert [(team, total) for team, _counts, total in figures.backlog] == [("Webcare", 3), ("Back office", 1)]
    assert figures.loads == [("Anna de Wit", 3, 0)]


def test_the_section_for_managers_costs_the_same_queries_for_few_or_many(client_as, api, answered):
    client = client_as("manager")
    url = reverse("dashboard:inbox")
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "4 open" in html and "Anna de Wit" in html and "30 min" in html and "66.7%" in html
    with time_machine.travel(MONDAY_10, tick=False):
        for n in range(10, 30):
            _message(api, n)
    with CaptureQueriesContext(connection) as many:
        assert "24 open" in client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_only_managers_see_the_figures_and_export(client_as):
    client = client_as("webcare")
    assert client.get(reverse("dashboard:inbox")).status_code == 403
    assert client.get(reverse("dashboard:inbox-export")).status_code == 403


def test_the_export_streams_a_period_as_csv_and_is_audited(client_as, api, answered):
    with time_machine.travel(MONDAY_10, tick=False):
        conversation = Conversation.objects.filter(channel="email").get()
        conversation_done(conversation_id=conversation.pk, user=answered, reason='=HYPERLINK("http://x")')
    client = client_as("manager")
    response = client.get(reverse("dashboard:inbox-export"), {"from": "2026-11-30", "to": "2026-11-30"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="conversations-2026-11-30-2026-11-30.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    answered_rows = [r for r in rows if r["first_response_in_time"]]
    assert sorted(r["first_response_business_minutes"] for r in answered_rows) == ["10.0", "30.0", "90.0"]
    assert [r["first_response_in_time"] for r in rows if r["first_response_business_minutes"] == "90.0"] == ["no"]
    done = next(r for r in rows if r["status"] == "done")
    assert done["done_reason"].startswith("'=")  # never a formula in a spreadsheet
    assert AuditEvent.objects.filter(action="exported_conversations", detail="2026-11-30..2026-11-30").exists()
    assert client.get(reverse("dashboard:inbox-export"), {"from": "2026-12-30", "to": "2026-12-01"}).status_code == 400
    assert client.get(reverse("dashboard:inbox-export"), {"from": "last week"}).status_code == 400
    assert client.get(reverse("dashboard:inbox-export"), {"from": "2024-01-01", "to": "2026-01-01"}).status_code == 400
