"""A manager overrides a flag with a reason and an end date; it lapses by itself; all audited."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.flags.models import Flag, FlagChange
from console.flags.services import flags_overrides_lapse
from console.flags.tasks import flags_overrides_lapse_task
from console.timeline.models import TimelineEntry
from tests.factories import add_invoice

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def on_hold(customer):
    add_invoice(customer, number="F-1", amount="900.00", days_overdue=47)
    return customer


def url(customer, kind="credit"):
    return f"/flags/customers/{customer.pk}/flags/{kind}/"


def override(client, customer, *, level="ok", reason="Paid in store, receipt seen", until="2026-11-30"):
    return client.post(url(customer), {"action": "override", "level": level, "reason": reason, "until": until})


def credit(customer) -> Flag:
    return Flag.objects.select_related("override_by").get(customer=customer, kind="credit")


def test_a_manager_overrides_and_every_view_says_who_and_why(client_as, on_hold):
    manager = client_as("manager")
    response = override(manager, on_hold)
    assert response.status_code == 302
    flag = credit(on_hold)
    assert (flag.level, flag.effective_level, flag.override_by, flag.override_reason) == (
        "hold",
        "ok",
        manager.user,
        "Paid in store, receipt seen",
    )
    assert flag.override_until == datetime(2026, 12, 1, 0, 0, tzinfo=timezone.get_default_timezone())
    page = manager.get(f"/customers/{on_hold.pk}/").content.decode()
    badge = page[page.index('data-flag="credit"') :][:1200]
    assert "OK" in badge and "Paid in store, receipt seen" in badge
    assert f"Set by {manager.user.get_full_name()} until 01-12-2026 00:00" in badge


def test_the_override_is_audited_in_the_history_and_on_the_timeline(client_as, on_hold):
    manager = client_as("manager")
    override(manager, on_hold)
    audit = AuditEvent.objects.get(action="overrode_flag")
    assert (audit.actor, audit.customer_id) == (manager.user, on_hold.pk)
    change = FlagChange.objects.filter(customer=on_hold, kind="credit").first()
    assert (change.level_before, change.level, change.because, change.changed_by) == (
        "hold",
        "ok",
        "override",
        manager.user,
    )
    entry = TimelineEntry.objects.filter(customer=on_hold).order_by("-seq").first()
    assert entry.kind == "flag"
    assert entry.summary.startswith(f"Credit flag set to OK by {manager.user.get_full_name()} until 01-12-2026 00:00")


def test_the_override_lapses_by_itself(client_as, on_hold, frozen):
    override(client_as("manager"), on_hold, until="2026-11-25")
    frozen.move_to(datetime(2026, 11, 25, 23, 59, tzinfo=timezone.get_default_timezone()))
    assert credit(on_hold).effective_level == "ok"
    frozen.move_to(datetime(2026, 11, 26, 0, 0, 1, tzinfo=timezone.get_default_timezone()))
    # The badge shows the computed level the moment the end date passes, before any job runs ...
    assert credit(on_hold).effective_level == "hold"
    # ... and the job writes the lapse down, once.
    flags_overrides_lapse_task.delay()
    assert flags_overrides_lapse() == 0
    flag = credit(on_hold)
    assert (flag.override_level, flag.override_by) == ("", None)
    assert AuditEvent.objects.filter(action="override_lapsed", customer=on_hold).count() == 1
    lapse = FlagChange.objects.filter(customer=on_hold, kind="credit").first()
    assert (lapse.level_before, lapse.level, lapse.because) == ("ok", "hold", "override ended")
    assert "its end date passed; back to Hold" in TimelineEntry.objects.order_by("-seq").first().summary


def test_a_manager_ends_an_override_early(client_as, on_hold):
    manager = client_as("manager")
    override(manager, on_hold)
    manager.post(url(on_hold), {"action": "end"})
    assert credit(on_hold).effective_level == "hold"


def test_the_credit_check_follows_the_override(client_as, on_hold, api):
    token = api.token  # customers:read
    assert api.get(f"/api/v1/customers/{on_hold.pk}/credit-check", token=token, amount="50.00").json()["decision"] == (
        "refused"
    )
    override(client_as("manager"), on_hold)
    assert api.get(f"/api/v1/customers/{on_hold.pk}/credit-check", token=token, amount="50.00").json()["decision"] == (
        "allowed"
    )


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
def test_only_managers_override(client_as, on_hold, role):
    agent = client_as(role)
    assert agent.get(url(on_hold)).status_code == 200  # everyone may read why
    assert "Override this flag" not in agent.get(url(on_hold)).content.decode()
    assert override(agent, on_hold).status_code == 403
    assert credit(on_hold).override_level == ""


def test_an_override_needs_a_reason_a_level_of_the_flag_and_a_future_end(client_as, on_hold):
    manager = client_as("manager")
    assert override(manager, on_hold, reason="   ").status_code == 422
    assert override(manager, on_hold, level="gold").status_code == 422
    response = override(manager, on_hold, until="2026-11-23")
    assert response.status_code == 422
    assert "at least until the end of today" in response.content.decode()
    assert credit(on_hold).override_level == ""


def test_store_reads_the_level_and_history_without_amounts(client_as, on_hold):
    page = client_as("store").get(url(on_hold)).content.decode()
    assert "1 invoice overdue, oldest 47 days" in page
    assert "EUR" not in page
    assert "EUR 900" in client_as("webcare").get(url(on_hold)).content.decode()


def test_the_flag_page_shows_the_history_of_levels(client_as, on_hold, frozen):
    frozen.shift(timedelta(days=1))
    page = client_as("webcare").get(url(on_hold)).content.decode()
    assert "History" in page and "Hold" in page and "first computed" in page


def test_an_unknown_flag_kind_is_a_404(client_as, on_hold):
    assert client_as("webcare").get(url(on_hold, "shoe_size")).status_code == 404


def test_a_customer_from_before_flags_existed_gets_its_flags_worked_out_on_the_flag_page(client_as, on_hold):
    Flag.objects.filter(customer=on_hold).delete()
    page = client_as("webcare").get(url(on_hold)).content.decode()
    assert credit(on_hold).level == "hold"
    assert "Credit" in page
