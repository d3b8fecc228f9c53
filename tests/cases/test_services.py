"""A case's life: opened, changed, contacts from any channel linked, notes with mentions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from console.cases.models import Case
from console.cases.services import case_link_entry, case_note_add, case_open, case_update
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record

pytestmark = pytest.mark.django_db


def case_entries(case):
    return list(TimelineEntry.objects.filter(case=case).order_by("seq").values_list("summary", flat=True))


def test_opening_a_case_puts_it_on_the_timeline_with_its_number(customer, make_user):
    agent = make_user("phone", first_name="Daan", last_name="Jansen")
    case = case_open(
        customer_id=customer.pk, title="Internet storing", team="phone", owner=agent, channel="chat", actor_user=agent
    )
    entry = TimelineEntry.objects.get(case=case)
    assert entry.summary == "Question opened: Internet storing"
    assert entry.body.startswith(f"{case.reference}, Phone queue, owner Daan Jansen")
    assert (entry.channel, entry.actor_user, case.channel) == ("chat", agent, "chat")


def test_a_user_without_a_role_cannot_open_a_case(customer, make_user):
    with pytest.raises(PermissionDenied):
        case_open(customer_id=customer.pk, title="Iets", actor_user=make_user(None))


def test_every_change_is_on_the_timeline_in_plain_words(customer, make_user, open_case):
    daan = make_user("phone", first_name="Daan", last_name="Jansen")
    sanne = make_user("store", first_name="Sanne", last_name="de Boer")
    case = open_case(customer, owner=daan)
    due = timezone.make_aware(timezone.datetime(2026, 11, 30, 10, 0))
    case_update(
        case_id=case.pk,
        user=daan,
        owner_id=sanne.pk,
        team="store",
        status="waiting",
        due_at=due,
        next_step="Customer brings the SIM card to the store",
    )
    case.refresh_from_db()
    assert (case.owner, case.team, case.status, case.due_at) == (sanne, "store", "waiting", due)
    assert case_entries(case)[-1] == (
        f"Case {case.reference} updated: owner Sanne de Boer (was Daan Jansen); "
        "moved to the Store queue (was Phone); waiting on customer (was open); "
        "due 30-11-2026 10:00 (was none); next step: Customer brings the SIM card to the store"
    )


def test_an_update_that_changes_nothing_writes_nothing(customer, make_user, open_case):
    case = open_case(customer, next_step="Bel terug")
    before = TimelineEntry.objects.count()
    case_update(case_id=case.pk, user=make_user("phone"), next_step="Bel terug", status="open")
    assert TimelineEntry.objects.count() == before


def test_closing_and_reopening_a_question(customer, make_user, open_case):
    agent = make_user("webcare")
    case = open_case(customer)
    case_update(case_id=case.pk, user=agent, status="resolved")
    case.refresh_from_db()
    assert case.closed_at is not None and not case.is_open
    case_update(case_id=case.pk, user=agent, status="open", owner_id=None)
    case.refresh_from_db()
    assert case.closed_at is None and "open (was resolved)" in case_entries(case)[-1]


def test_a_case_cannot_go_to_someone_without_a_role(customer, make_user, open_case):
    case = open_case(customer)
    with pytest.raises(ValidationError, match="cannot own cases"):
        case_update(case_id=case.pk, user=make_user("phone"), owner_id=make_user(None).pk)


def test_contacts_from_two_channels_are_linked_to_one_case(customer, make_user, open_case):
    agent = make_user("phone")
    case = open_case(customer)
    tweet = timeline_entry_record(
        customer_id=customer.pk, kind="interaction", channel="twitter", summary="Waar blijft mijn SIM?"
    )
    call = timeline_entry_record(customer_id=customer.pk, kind="call", channel="phone", summary="Belt over de SIM")
    case_link_entry(case_id=case.pk, entry_id=tweet.pk, user=agent)
    case_link_entry(case_id=case.pk, entry_id=call.pk, user=agent)
    linked = TimelineEntry.objects.filter(case=case)
    assert {"twitter", "phone"} <= set(linked.values_list("channel", flat=True))
    assert any("Linked to case" in s and "Twitter contact" in s for s in case_entries(case))
    # Linking again changes nothing; linking to another case moves it and says so.
    case_link_entry(case_id=case.pk, entry_id=call.pk, user=agent)
    other = open_case(customer, title="Factuur klopt niet")
    case_link_entry(case_id=other.pk, entry_id=call.pk, user=agent)
    assert TimelineEntry.objects.get(pk=call.pk).case == other
    assert f"(moved from {case.reference})" in case_entries(other)[-1]


def test_a_contact_of_another_customer_cannot_be_linked(customer, make_user, open_case):
    from tests.factories import CustomerFactory

    stranger = CustomerFactory()
    entry = timeline_entry_record(customer_id=stranger.pk, kind="interaction", channel="chat", summary="Hoi")
    with pytest.raises(ValidationError):
        case_link_entry(case_id=open_case(customer).pk, entry_id=entry.pk, user=make_user("phone"))


def test_opening_from_a_contact_links_that_contact(customer, make_user):
    agent = make_user("webcare")
    tweet = timeline_entry_record(customer_id=customer.pk, kind="interaction", channel="twitter", summary="SIM?")
    case = case_open(customer_id=customer.pk, title="SIM?", channel="twitter", actor_user=agent, entry_id=tweet.pk)
    assert TimelineEntry.objects.get(pk=tweet.pk).case == case


def test_a_note_is_internal_and_names_the_colleagues_it_notifies(customer, make_user, open_case):
    author = make_user("phone", username="daan")
    sanne = make_user("store", username="sanne", first_name="Sanne")
    make_user(None, username="norole")
    case = open_case(customer)
    note, mentioned = case_note_add(
        case_id=case.pk, user=author, text="@Sanne kun jij de koerier bellen? cc @daan @norole @nobody."
    )
    assert (note.kind, note.direction, note.case) == ("note", "internal", case)
    assert note.body.startswith("@Sanne kun jij")
    # Only colleagues who may see customers, and not the author.
    assert mentioned == [sanne]


def test_an_empty_note_is_refused(customer, make_user, open_case):
    with pytest.raises(ValidationError):
        case_note_add(case_id=open_case(customer).pk, user=make_user("phone"), text="   ")


def test_an_unknown_kind_or_team_is_refused(customer):
    with pytest.raises(ValidationError):
        case_open(customer_id=customer.pk, title="X", team="marketing")
    with pytest.raises(ValidationError):
        case_open(customer_id=customer.pk, title="X", kind="gossip")
    assert not Case.objects.exists()


def test_cases_of_the_demo_history_keep_their_own_due_time(customer, deadlines):
    due = timezone.now() + timedelta(days=5)
    case = case_open(customer_id=customer.pk, title="Klacht", kind="complaint", channel="post", due_at=due)
    assert case.due_at == due


def test_resolving_a_case_keeps_its_resolution_and_reopening_clears_it(customer, make_user, open_case):
    agent = make_user("phone")
    case = open_case(customer)
    case_update(case_id=case.pk, user=agent, status="resolved", resolution="  Wachtwoord opnieuw ingesteld. ")
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "Wachtwoord opnieuw ingesteld.")
    closing = TimelineEntry.objects.filter(case=case).order_by("seq").last()
    assert closing.summary == f"Case {case.reference} updated: resolved (was open); resolution written down"
    assert closing.body == "Resolution: Wachtwoord opnieuw ingesteld."

    case_update(case_id=case.pk, user=agent, status="open")
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("open", "")
    # The timeline keeps what was decided before.
    assert TimelineEntry.objects.filter(case=case, body="Resolution: Wachtwoord opnieuw ingesteld.").exists()


def test_a_resolution_belongs_to_a_resolved_or_closed_case(customer, make_user, open_case):
    case = open_case(customer)
    with pytest.raises(ValidationError, match="A resolution is kept only on a resolved or closed case"):
        case_update(case_id=case.pk, user=make_user("phone"), resolution="Opgelost")
    case.refresh_from_db()
    assert case.resolution == ""
