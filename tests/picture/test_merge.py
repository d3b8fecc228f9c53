from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.cases.services import case_open
from console.commerce.services import return_open, wishlist_update
from console.conversations.models import Conversation
from console.conversations.services import conversation_hear
from console.customers.models import Address, Customer
from console.customers.services import identifier_add
from console.picture.merge import customer_merge
from console.picture.search import customer_search
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record
from tests.conftest import shipped_data_ensure
from tests.factories import CustomerFactory, add_entries, add_invoice, add_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(db):
    """A second record for the same person, opened later by the web shop."""
    return CustomerFactory(
        name="J. de Vries",
        customer_number="C-300077",
        email="jeroen.dv@example.nl",
        phone="06 12345678",
        address={"street": "Dorpsstraat 4", "postal_code": "1234 AB", "city": "Utrecht"},
    )


def merge_url(customer, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("customers:merge", args=[customer.pk]) + (f"?{query}" if query else "")


def post_merge(client, page_of, other, survivor):
    return client.post(merge_url(page_of), {"other": other.pk, "survivor": survivor.pk})


def entries_of(customer):
    return list(TimelineEntry.objects.filter(customer=customer).order_by("seq"))


def interleaved_history(first, second):
    """Entries of both records on alternating days, so the merged timeline has to interleave them."""
    start = timezone.now() - timedelta(days=30)
    for day in range(6):
        owner = first if day % 2 == 0 else second
        timeline_entry_record(
            customer_id=owner.pk,
            kind="interaction",
            channel="email",
            summary=f"Day {day} for {owner.customer_number}",
            occurred_at=start + timedelta(days=day),
        )


def test_the_survivors_page_shows_both_records_entries_orders_and_invoices(client_as, customer, duplicate):
    add_entries(customer, 2, summary="Vraag van Jeroen")
    add_entries(duplicate, 2, channel="chat", summary="Chat van J.")
    add_order(customer, number="WS-1001")
    add_order(duplicate, number="WS-2002")
    add_invoice(customer, number="INV-1001", amount="25.00")
    add_invoice(duplicate, number="INV-2002", amount="75.00")
    client = client_as("phone")

    response = post_merge(client, customer, duplicate, survivor=customer)

    assert response.status_code == 302 and response["Location"] == customer.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "C-300077 (J. de Vries) was merged into this record." in page
    for text in (
        "Vraag van Jeroen 1",
        "Chat van J. 2",
        "WS-1001",
        "WS-2002",
        "INV-1001",
        "INV-2002",
        "Open balance <b>EUR 100.00</b>",
        "Merged C-300077 (J. de Vries) into this record",
    ):
        assert text in page, text


def test_no_entry_is_lost_or_duplicated(client_as, customer, duplicate):
    add_entries(customer, 3, summary="Eerste")
    add_entries(duplicate, 4, summary="Tweede")
    add_order(duplicate, number="WS-2002")  # writes a fifth entry on the duplicate
    before = {e.summary for e in entries_of(customer) + entries_of(duplicate)}

    post_merge(client_as("webcare"), customer, duplicate, survivor=customer)

    after = [e.summary for e in entries_of(customer)]
    assert len(after) == 3 + 5 + 1
    assert len(set(after)) == len(after)
    assert set(after) - before == {
        "Merged C-300077 (J. de Vries) into this record: 5 timeline entries, 1 order, 0 invoices moved"
    }
    assert entries_of(duplicate) == []


def test_seqs_run_from_1_without_gaps_in_the_order_things_happened(client_as, customer, duplicate):
    interleaved_history(customer, duplicate)

    post_merge(client_as("phone"), customer, duplicate, survivor=customer)

    entries = entries_of(customer)
    assert [e.seq for e in entries] == list(range(1, 8))
    assert [e.summary[:5] for e in entries[:6]] == [f"Day {d}" for d in range(6)]
    assert entries[-1].kind == TimelineEntry.Kind.MERGE
    occurred = [e.occurred_at for e in entries]
    assert occurred == sorted(occurred)
    # The next thing that happens follows on without a gap.
    note = timeline_entry_record(customer_id=customer.pk, kind="note", channel="phone", summary="Na de merge")
    assert note.seq == 8


def test_the_newer_record_can_be_kept_and_the_timeline_is_renumbered_on_it(client_as, customer, duplicate):
    interleaved_history(customer, duplicate)

    response = post_merge(client_as("phone"), customer, duplicate, survivor=duplicate)

    assert response["Location"] == duplicate.get_absolute_url()
    assert [e.seq for e in entries_of(duplicate)] == list(range(1, 8))
    assert entries_of(customer) == []


def test_identifiers_are_merged_without_duplicates(customer, duplicate, make_user):
    identifier_add(customer_id=duplicate.pk, kind="handle", value="@JeroenDV", namespace="twitter")

    customer_merge(user=make_user("phone"), survivor_id=customer.pk, merged_id=duplicate.pk)

    identifiers = sorted((i.kind, i.value) for i in customer.identifiers.all())
    assert identifiers == [
        ("email", "j.devries@example.nl"),
        ("email", "jeroen.dv@example.nl"),
        ("handle", "jeroendv"),
        ("phone", "+31612345678"),
    ]
    assert not duplicate.identifiers.exists()


def test_addresses_cases_returns_and_the_wish_list_move_too(customer, duplicate, make_user):
    Address.objects.create(customer=customer, street="Kerkweg 1", postal_code="3511 AA", city="Utrecht")
    user = make_user("store")
    order = add_order(duplicate, number="WS-2002")
    return_open(user=user, customer_id=duplicate.pk, order_line_id=order.lines.get().pk, reason="damaged")
    case_open(customer_id=duplicate.pk, title="Waar blijft mijn pakket?")
    wishlist_update(customer_id=customer.pk, items=[{"sku": "VH-01", "description": "Vogelhuisje Eiken"}])
    wishlist_update(customer_id=duplicate.pk, items=[{"sku": "ZD-02", "description": "Zaaddoos"}])

    customer_merge(user=user, survivor_id=customer.pk, merged_id=duplicate.pk)

    assert [(a.street, a.is_primary) for a in customer.addresses.all()] == [
        ("Kerkweg 1", True),
        ("Dorpsstraat 4", False),
    ]
    assert [c.title for c in customer.cases.all()] == ["Waar blijft mijn pakket?"]
    assert customer.returns.count() == 1
    assert sorted(i.description for i in customer.wishlist.items.all()) == ["Vogelhuisje Eiken", "Zaaddoos"]


def test_the_flags_are_worked_out_again_on_the_survivor(customer, duplicate, make_user):
    add_invoice(duplicate, number="INV-2002", amount="740.00", days_overdue=47)

    customer_merge(user=make_user("phone"), survivor_id=customer.pk, merged_id=duplicate.pk)

    assert customer.flags.get(kind="credit").level != "ok"
    assert not duplicate.flags.exists()


def test_the_old_number_finds_the_survivor_and_the_old_record_is_not_listed(client_as, customer, duplicate):
    client = client_as("phone")
    post_merge(client, customer, duplicate, survivor=customer)

    assert [c.customer_number for c in customer_search(query="c-300077", hidden=None)] == ["C-200001"]
    assert [c.customer_number for c in customer_search(query="vries", hidden=None)] == ["C-200001"]
    typed = client.get(reverse("customers:search"), {"q": "C-300077"}, headers={"HX-Request": "true"}).content.decode()
    assert customer.get_absolute_url() in typed and duplicate.get_absolute_url() not in typed
    sent = client.get(reverse("customers:search"), {"q": "C-300077"})
    assert sent["Location"] == customer.get_absolute_url()


def test_the_merged_records_page_leads_to_the_survivor(client_as, customer, duplicate):
    client = client_as("store")
    post_merge(client, customer, duplicate, survivor=customer)

    response = client.get(duplicate.get_absolute_url(), follow=True)

    assert response.redirect_chain == [(customer.get_absolute_url(), 302)]
    page = response.content.decode()
    assert f"C-300077 was merged into this record on {timezone.localdate():%d-%m-%Y}." in page
    assert "This record also holds C-300077 (J. de Vries)" in page


def test_the_merged_records_page_still_needs_a_role(client_as, customer, duplicate, make_user):
    customer_merge(user=make_user("phone"), survivor_id=customer.pk, merged_id=duplicate.pk)
    assert client_as(None).get(duplicate.get_absolute_url()).status_code == 403


def test_a_record_merged_before_follows_its_survivor_into_the_next_merge(customer, duplicate, make_user):
    user, third = make_user("phone"), CustomerFactory(customer_number="C-400001")
    customer_merge(user=user, survivor_id=duplicate.pk, merged_id=third.pk)
    customer_merge(user=user, survivor_id=customer.pk, merged_id=duplicate.pk)

    assert Customer.objects.get(pk=third.pk).merged_into == customer
    assert [c.customer_number for c in customer_search(query="C-400001", hidden=None)] == ["C-200001"]


def test_the_confirmation_page_compares_both_records_and_keeps_the_older_by_default(client_as, customer, duplicate):
    Customer.objects.filter(pk=duplicate.pk).update(customer_since=timezone.localdate() - timedelta(days=900))
    add_entries(duplicate, 3)
    add_order(duplicate, number="WS-2002")

    response = client_as("webcare").get(merge_url(customer, other="c-300077"))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Jeroen de Vries",
        "C-200001",
        "j.devries@example.nl",
        "J. de Vries",
        "C-300077",
        "Dorpsstraat 4, 1234 AB Utrecht",
        "<dt>Timeline entries</dt><dd>4</dd>",
        "<dt>Orders</dt><dd>1</dd>",
        "(1 also on the other)",
        'name="csrfmiddlewaretoken"',
        ">Merge</button>",
    ):
        assert text in page, text
    assert f'name="survivor" value="{duplicate.pk}" required checked' in page
    assert f'name="survivor" value="{customer.pk}" required>' in page


def test_search_text_that_matches_several_records_offers_a_choice(client_as, customer, duplicate):
    CustomerFactory(name="Anna de Vries", customer_number="C-300088")
    page = client_as("phone").get(merge_url(customer, other="vries")).content.decode()
    assert "Several records match" in page
    assert "?other=C-300077" in page and "?other=C-300088" in page
    assert "?other=C-200001" not in page


def test_an_unknown_number_shows_the_form_again_with_an_error(client_as, customer):
    response = client_as("phone").get(merge_url(customer, other="C-999999"))
    page = response.content.decode()
    assert "No other customer matches “C-999999”" in page
    assert 'name="other" value="C-999999"' in page
    assert ">Merge</button>" not in page


def test_a_user_without_a_role_gets_403_and_nothing_changes(client_as, customer, duplicate):
    client = client_as(None)
    assert client.get(merge_url(customer, other="C-300077")).status_code == 403
    assert post_merge(client, customer, duplicate, survivor=customer).status_code == 403
    with pytest.raises(PermissionDenied, match="does not allow"):
        customer_merge(user=client.user, survivor_id=customer.pk, merged_id=duplicate.pk)
    assert Customer.objects.get(pk=duplicate.pk).merged_into is None
    assert duplicate.identifiers.count() == 2
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.MERGED_CUSTOMERS).exists()


def test_merging_a_record_into_itself_is_refused_with_a_message(client_as, customer):
    client = client_as("phone")
    page = client.get(merge_url(customer, other="C-200001")).content.decode()
    assert "C-200001 is this record. Enter the number of the other record." in page
    response = post_merge(client, customer, customer, survivor=customer)
    assert response.status_code == 422
    assert "A record cannot be merged into itself." in response.content.decode()
    with pytest.raises(ValidationError):
        customer_merge(user=client.user, survivor_id=customer.pk, merged_id=customer.pk)


def test_an_already_merged_record_cannot_be_merged_again(client_as, customer, duplicate):
    third = CustomerFactory(customer_number="C-400001")
    client = client_as("phone")
    post_merge(client, customer, duplicate, survivor=customer)
    page = client.get(merge_url(third, other="C-300077")).content.decode()
    assert "C-300077 was already merged into C-200001 (Jeroen de Vries)" in page
    response = post_merge(client, third, duplicate, survivor=third)
    assert response.status_code == 422
    assert "C-300077 was already merged into another record" in response.content.decode()
    with pytest.raises(ValidationError, match="cannot be merged again"):
        customer_merge(user=client.user, survivor_id=third.pk, merged_id=duplicate.pk)
    assert third.timeline.count() == 0


def test_the_merge_is_in_the_audit_log(client_as, customer, duplicate):
    client = client_as("webcare")
    post_merge(client, customer, duplicate, survivor=customer)
    event = AuditEvent.objects.get(action=AuditEvent.Action.MERGED_CUSTOMERS)
    assert (event.actor, event.customer) == (client.user, customer)
    assert "C-300077 into C-200001" in event.detail


def test_a_callback_promised_on_the_absorbed_record_is_texted_on_the_survivors_mobile(
    customer, make_user, settings, tmp_path
):
    """The absorbed record loses its phone numbers in the merge: the beat job's "new time" SMS
    must go by the survivor, to its mobile, on the same case."""
    import time_machine

    from console.callbacks.about_to_be_missed import callbacks_warn_about_to_be_missed
    from console.callbacks.models import Callback
    from console.callbacks.selectors import open_callback_case_for_reply
    from console.callbacks.services import callback_promise
    from console.messaging.models import OutboundMessage
    from tests.callbacks.conftest import at

    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    absorbed = CustomerFactory(name="J. de Vries", customer_number="C-300077", email="jeroen.dv@example.nl")
    user = make_user("phone")
    with time_machine.travel(at(24, 13), tick=False):
        callback = callback_promise(
            customer_id=absorbed.pk, user=user, window_start=at(24, 14), window_end=at(24, 15), phone="020 5551234"
        )
        customer_merge(user=user, survivor_id=customer.pk, merged_id=absorbed.pk)
    with time_machine.travel(at(24, 14, 50), tick=False):
        assert callbacks_warn_about_to_be_missed() == 1

    assert Callback.objects.get(pk=callback.pk).customer == customer
    sms = OutboundMessage.objects.get(template_key="callback_new_time")
    assert (sms.customer, sms.case, sms.status, sms.to_address) == (customer, callback.case, "queued", "+31612345678")
    assert open_callback_case_for_reply(customer.pk) == callback.case


def test_the_merged_records_conversations_go_to_the_survivor_without_a_second_open_one_per_thread(db, make_user):
    shipped_data_ensure()
    survivor, merged = CustomerFactory(customer_number="C-700001"), CustomerFactory(customer_number="C-700002")
    for customer, summary in ((survivor, "Eerste sms"), (merged, "Zelfde nummer, ander record"), (merged, None)):
        with transaction.atomic():
            channel = "sms" if summary else "email"
            entry = timeline_entry_record(
                customer_id=customer.pk, kind="interaction", channel=channel, summary=summary or "Een e-mail"
            )
            conversation_hear(entry=entry)
    customer_merge(user=make_user("manager"), survivor_id=survivor.pk, merged_id=merged.pk)
    assert Conversation.objects.filter(customer=merged).count() == 0
    assert Conversation.objects.filter(customer=survivor).count() == 3
    open_sms = Conversation.objects.filter(customer=survivor, channel="sms", status__in=["awaiting_reply"])
    assert open_sms.count() == 1  # the merged one of the same number was closed, with the reason
    assert Conversation.objects.get(customer=survivor, channel="sms", status="done").done_reason.startswith(
        "records merged"
    )
