"""Every case action an agent takes is in the audit log (issue 7): who, what, on which case."""

import pytest

from console.accounts.models import AuditEvent
from console.cases.complaints import complaint_close
from console.cases.services import case_link_entry, case_note_add, case_open, case_update
from console.timeline.services import timeline_entry_record

pytestmark = pytest.mark.django_db

AUDIT_LOG = "/admin/accounts/auditevent/"


def audited(user) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(actor=user).order_by("id").values_list("action", "detail"))


def test_a_case_s_life_is_in_the_audit_log(customer, deadlines, make_user):
    agent = make_user("phone", first_name="Daan", last_name="Jansen")
    case = case_open(
        customer_id=customer.pk, title="Klacht over levering", kind="complaint", channel="email", actor_user=agent
    )
    ref = case.reference
    case_update(case_id=case.pk, user=agent, next_step="Koerier bellen", owner_id=agent.pk)
    tweet = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="twitter", summary="Nog niks?")
    case_link_entry(case_id=case.pk, entry_id=tweet.pk, user=agent)
    case_note_add(case_id=case.pk, user=agent, text="Koerier zegt: morgen.")
    complaint_close(case_id=case.pk, user=agent, resolution="De SIM komt morgen.", channel="phone")

    actions = [action for action, _ in audited(agent)]
    assert actions == [
        "opened_case",
        "updated_case",
        "linked_to_case",
        "added_case_note",
        "recorded_interaction",
        "closed_case",
    ]
    # The audit trail names the case, not what was written on it: titles, next steps and notes are
    # the customer's story, which the timeline holds and an erasure takes away (docs/privacy.md).
    assert {detail for _, detail in audited(agent) if _ != "recorded_interaction"} == {ref}
    assert set(AuditEvent.objects.filter(actor=agent).values_list("customer_id", flat=True)) == {customer.pk}


def test_what_a_source_system_or_the_deadline_does_is_not_an_agent_s_action(customer, make_user):
    case_open(customer_id=customer.pk, title="Adres controleren", actor_source="postroom")
    assert not AuditEvent.objects.exists()


def test_an_update_that_changes_nothing_is_not_audited(customer, make_user, open_case):
    agent = make_user("phone")
    case = open_case(customer, next_step="Bel terug")
    case_update(case_id=case.pk, user=agent, next_step="Bel terug")
    assert audited(agent) == []


def test_the_audit_log_shows_the_case_actions(client, customer, make_user, open_case):
    agent = make_user("webcare", username="lotte")
    case = open_case(customer)
    case_note_add(case_id=case.pk, user=agent, text="Klant belt morgen terug.")
    case_update(case_id=case.pk, user=agent, status="resolved", resolution="Uitgelegd hoe het werkt.")

    # The audit log is the admin's list of audit events (console/accounts/admin.py).
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    page = client.get(AUDIT_LOG).content.decode()
    assert "Added a case note" in page and "Changed a case" in page
    assert f'<td class="field-detail">{case.reference}</td>' in page
    assert "lotte" in page
