"""Credit approvals: asked by an agent or an order system, decided once by a manager, with a
reason, on the timeline and in the audit log; the managers' page and the agent's panel."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from console.accounts.models import AuditEvent
from console.flags.approvals import AlreadyDecided, credit_approval_decide, credit_approval_request
from console.flags.models import CreditApproval
from console.timeline.models import TimelineEntry
from console.timeline.selectors import timeline_for_user
from tests.factories import CustomerFactory, add_invoice
from tests.flags.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_watch(customer):
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    return customer


def ask(customer, amount="900.00", **kwargs):
    kwargs.setdefault("source", "webshop")
    return credit_approval_request(customer_id=customer.pk, amount=Decimal(amount), **kwargs)


def approval_entries(customer):
    return list(TimelineEntry.objects.filter(customer=customer, kind="credit_approval").order_by("seq"))


def test_an_order_the_check_allows_needs_no_approval(customer):
    asked = ask(customer, "20.00")
    assert (asked.check.decision, asked.approval, asked.created) == ("allowed", None, False)
    assert not CreditApproval.objects.exists() and approval_entries(customer) == []


def test_a_request_waits_for_a_manager_and_is_on_the_timeline(on_watch):
    asked = ask(on_watch, order_reference="WS-2026-11873")
    approval = asked.approval
    assert asked.created and approval.status == "pending" and approval.check_decision == "needs_approval"
    assert approval.requested_by_source == "webshop"
    [entry] = approval_entries(on_watch)
    assert entry.summary == "Order WS-2026-11873 of EUR 900.00 waits for a manager's approval"
    assert entry.actor_display == "webshop"


def test_asking_again_for_the_same_order_gives_the_same_request(on_watch):
    first = ask(on_watch, order_reference="WS-1").approval
    again = ask(on_watch, order_reference="WS-1")
    assert (again.approval.pk, again.created) == (first.pk, False)
    assert len(approval_entries(on_watch)) == 1


def test_store_staff_see_the_request_on_the_timeline_without_amounts(on_watch, make_user):
    ask(on_watch)
    store = timeline_for_user(user=make_user("store"), customer_id=on_watch.pk).entries[0]
    assert store.summary == "Credit approval (details are for finance roles)" and store.body == ""
    webcare = timeline_for_user(user=make_user("webcare"), customer_id=on_watch.pk).entries[0]
    assert "EUR 900.00" in webcare.summary


def test_a_manager_approves_with_a_reason_on_the_timeline_and_in_the_audit_log(on_watch, make_user):
    manager = make_user("manager", first_name="Anna", last_name="Smit")
    approval = ask(on_watch).approval
    credit_approval_decide(approval_id=approval.pk, user=manager, approve=True, reason="Pays by direct debit")
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.decision_reason) == (
        "approved",
        manager,
        "Pays by direct debit",
    )
    assert approval.decided_at is not None
    entry = approval_entries(on_watch)[-1]
    assert (entry.summary, entry.body, entry.actor_display) == (
        "Order of EUR 900.00 approved by a manager",
        "Reason: Pays by direct debit",
        "Anna Smit",
    )
    audit = AuditEvent.objects.get(action=AuditEvent.Action.DECIDED_CREDIT)
    assert audit.actor == manager and audit.customer_id == on_watch.pk
    # Not the reason: free text about the customer, kept out of the audit trail (docs/privacy.md).
    assert audit.detail == f"Approved order of EUR 900.00 (request {approval.pk})"


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
def test_only_managers_decide(on_watch, make_user, role):
    approval = ask(on_watch).approval
    with pytest.raises(PermissionDenied):
        credit_approval_decide(approval_id=approval.pk, user=make_user(role), approve=True, reason="ok")
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_decision_needs_a_reason(on_watch, make_user):
    approval = ask(on_watch).approval
    with pytest.raises(ValidationError, match="Give a reason"):
        credit_approval_decide(approval_id=approval.pk, user=make_user("manager"), approve=False, reason="   ")


def test_a_second_decision_is_refused_with_who_decided_first(on_watch, make_user):
    first = make_user("manager", first_name="Anna", last_name="Smit")
    approval = ask(on_watch).approval
    credit_approval_decide(approval_id=approval.pk, user=first, approve=False, reason="Too much overdue")
    with pytest.raises(AlreadyDecided, match="This request was already refused by Anna Smit at "):
        credit_approval_decide(approval_id=approval.pk, user=make_user("admin"), approve=True, reason="Fine")
    approval.refresh_from_db()
    assert approval.status == "refused" and len(approval_entries(on_watch)) == 2


@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_make_one_decision(make_user):
    customer = CustomerFactory(name="Jeroen de Vries")
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    approval = ask(customer).approval
    managers = [make_user("manager"), make_user("admin")]
    start, outcomes = threading.Barrier(2), []

    def decide(user, approve):
        start.wait()
        try:
            credit_approval_decide(approval_id=approval.pk, user=user, approve=approve, reason="At the same moment")
            outcomes.append("decided")
        except AlreadyDecided:
            outcomes.append("already decided")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(m, n == 0)) for n, m in enumerate(managers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already decided", "decided"]
    assert len(approval_entries(customer)) == 2  # the request and one decision
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DECIDED_CREDIT).count() == 1


# The managers' page: /flags/approvals/


@pytest.mark.parametrize("role", ["webcare", "phone", "store"])
def test_non_managers_get_403_on_the_approvals_page_and_its_actions(client_as, on_watch, role):
    approval = ask(on_watch).approval
    client = client_as(role)
    assert client.get(reverse("flags:approvals")).status_code == 403
    assert client.get(reverse("flags:approval-notices")).status_code == 403
    reply = client.post(reverse("flags:approval-decide", args=[approval.pk]), {"decision": "approve", "reason": "x"})
    assert reply.status_code == 403
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_the_page_lists_what_waits_and_what_was_decided_in_few_queries(
    client_as, on_watch, make_user, django_assert_max_num_queries
):
    for n in range(5):
        ask(on_watch, f"{600 + n}.00", order_reference=f"WS-{n}")
    decided = ask(on_watch, "700.00", order_reference="WS-9").approval
    credit_approval_decide(approval_id=decided.pk, user=make_user("manager"), approve=True, reason="Known customer")
    client = client_as("manager")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("flags:approvals")).content.decode()
    assert html.count('class="approval card"') == 5
    assert "Known customer" in html and "Approved" in html
    assert f'href="{on_watch.get_absolute_url()}"' in html


def test_a_manager_decides_on_the_page(client_as, on_watch):
    approval = ask(on_watch).approval
    client = client_as("manager")
    url = reverse("flags:approval-decide", args=[approval.pk])
    reply = client.post(url, {"decision": "refuse", "reason": "Wait for the payment"}, headers={"HX-Request": "true"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "Refused: Jeroen de Vries, EUR 900.00." in html and "Wait for the payment" in html
    approval.refresh_from_db()
    assert approval.status == "refused" and approval.decided_by == client.user


def test_deciding_without_a_reason_keeps_the_request_open_and_says_why(client_as, on_watch):
    approval = ask(on_watch).approval
    client = client_as("manager")
    url = reverse("flags:approval-decide", args=[approval.pk])
    reply = client.post(url, {"decision": "approve", "reason": ""}, headers={"HX-Request": "true"})
    assert reply.status_code == 422 and "Give a reason" in reply.content.decode()
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_second_decision_on_the_page_says_it_was_already_decided(client_as, on_watch, make_user):
    approval = ask(on_watch).approval
    credit_approval_decide(approval_id=approval.pk, user=make_user("manager"), approve=True, reason="Fine")
    client = client_as("manager")
    url = reverse("flags:approval-decide", args=[approval.pk])
    reply = client.post(url, {"decision": "refuse", "reason": "No"}, headers={"HX-Request": "true"})
    assert reply.status_code == 422
    approval.refresh_from_db()
    assert approval.status == "approved"


def test_a_decision_reaches_the_askers_webhook(client_as, on_watch, django_capture_on_commit_callbacks):
    with WebhookReceiver() as receiver:
        approval = ask(on_watch, webhook_url=receiver.url, order_reference="WS-7").approval
        client = client_as("manager")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("flags:approval-decide", args=[approval.pk]), {"decision": "approve", "reason": "Fine"})
    approval.refresh_from_db()
    assert approval.webhook_delivered_at is not None and approval.webhook_attempts == 1
    assert receiver.received[-1] == {
        "id": approval.pk,
        "customer": {"id": on_watch.pk, "customer_number": "C-200001"},
        "status": "approved",
        "reason": "Fine",
        "decided_at": approval.decided_at.isoformat().replace("+00:00", "Z"),
        "amount": "900.00",
        "currency": "EUR",
        "order_reference": "WS-7",
    }


# The agent's side: the credit-check panel on the customer's picture.


def test_an_agent_asks_a_manager_from_the_picture(client_as, on_watch):
    client = client_as("phone")
    url = reverse("customers:credit-approval-ask", args=[on_watch.pk])
    reply = client.post(url, {"amount": "900.00", "order_reference": "T-55"}, headers={"HX-Request": "true"})
    assert reply.status_code == 200
    assert "A manager has been asked to approve this order" in reply.content.decode()
    approval = CreditApproval.objects.get()
    assert (approval.requested_by_user, approval.requested_by_source, approval.order_reference) == (
        client.user,
        "",
        "T-55",
    )
    assert approval_entries(on_watch)[0].actor_display == client.user.get_full_name()


def test_a_failing_webhook_keeps_its_error_and_the_decision_stands(
    make_user, on_watch, django_capture_on_commit_callbacks
):
    # In the embedded mode (and here) tasks run in-process: one attempt, no broker to retry with.
    with WebhookReceiver(statuses=[503]) as receiver:
        approval = ask(on_watch, webhook_url=receiver.url).approval
        with django_capture_on_commit_callbacks(execute=True):
            credit_approval_decide(approval_id=approval.pk, user=make_user("manager"), approve=False, reason="No")
    approval.refresh_from_db()
    assert (approval.status, approval.webhook_delivered_at, approval.webhook_attempts) == ("refused", None, 1)
    assert approval.webhook_error == "The webhook answered 503."


# Through the broker and a real worker (full stack): retries with back-off.


@pytest.fixture
def fast_retries(monkeypatch):
    from console.flags.tasks import credit_approval_webhook_task

    # Back-off from 1 s instead of 5 s, so the test waits seconds, not half a minute.
    monkeypatch.setattr(credit_approval_webhook_task, "retry_backoff", 1)


def wait_for(predicate, seconds=20):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_worker_tries_again_after_a_5xx_until_the_webhook_takes_it(worker, fast_retries, make_user):
    customer = CustomerFactory(name="Jeroen de Vries")
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    with WebhookReceiver(statuses=[503, 502, 200]) as receiver:
        approval = ask(customer, webhook_url=receiver.url).approval
        credit_approval_decide(approval_id=approval.pk, user=make_user("manager"), approve=True, reason="Fine")
        assert wait_for(lambda: CreditApproval.objects.get(pk=approval.pk).webhook_delivered_at is not None)
    approval.refresh_from_db()
    assert approval.webhook_attempts == 3 and approval.webhook_error == ""
    assert [body["status"] for body in receiver.received] == ["approved"] * 3


@pytest.mark.django_db(transaction=True)
def test_the_worker_does_not_send_again_what_the_webhook_refuses(worker, fast_retries, make_user):
    customer = CustomerFactory(name="Jeroen de Vries")
    add_invoice(customer, number="INV-2026-101", amount="100.00", days_overdue=3)
    with WebhookReceiver(statuses=[410]) as receiver:
        approval = ask(customer, webhook_url=receiver.url).approval
        credit_approval_decide(approval_id=approval.pk, user=make_user("manager"), approve=True, reason="Fine")
        assert wait_for(lambda: CreditApproval.objects.get(pk=approval.pk).webhook_error != "")
        import time

        time.sleep(2.5)  # longer than a retry would take
    approval.refresh_from_db()
    assert (approval.webhook_attempts, approval.webhook_error) == (1, "The webhook answered 410; not sent again.")
    assert len(receiver.received) == 1


def test_a_managers_notice_names_the_newest_request_and_how_many_more_wait(client_as, on_watch):
    for n in range(3):
        ask(on_watch, f"{700 + n}.00", order_reference=f"WS-{n}")
    html = client_as("manager").get(reverse("flags:approval-notices")).content.decode()
    assert "Approval needed:</b> Jeroen de Vries, EUR 702.00 (order WS-2)" in html
    assert "2 more waiting" in html


def test_only_managers_pages_have_the_notices_area(client_as, customer):
    assert 'id="approval-notices"' in client_as("manager").get(customer.get_absolute_url()).content.decode()
    assert 'id="approval-notices"' not in client_as("webcare").get(customer.get_absolute_url()).content.decode()
