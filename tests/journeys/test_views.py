"""Starting a journey from the customer's picture, recording the customer's choice on the case
page: who may, what they see, what it costs."""

import pytest
from django.test import Client
from django.urls import reverse

from console.cases.models import Case
from console.journeys.models import CaseJourney
from console.journeys.services import journey_start
from console.timeline.models import TimelineEntry
from tests.factories import UserFactory
from tests.journeys.conftest import DAUGHTER, ORDER, WIFE, posted, sims

pytestmark = pytest.mark.django_db


def start_url(customer):
    return reverse("journeys:start", args=[customer.pk])


def choice_url(case_id):
    return reverse("journeys:choice", args=[case_id])


def test_the_picture_offers_the_shipped_journeys(client_as, ahmed):
    page = client_as("store").get(reverse("customers:picture", args=[ahmed.pk])).content.decode()
    assert "Start journey…" in page
    assert ">Number porting with several SIM cards</option>" in page and ">Wrong item delivered</option>" in page


def test_an_agent_starts_a_journey_from_the_picture(client_as, ahmed, porting):
    client = client_as("store")
    response = client.post(
        start_url(ahmed),
        {"template": porting.pk, "order_number": ORDER.lower(), "title": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    journey = CaseJourney.objects.select_related("case").get(case__customer=ahmed)
    assert response["HX-Redirect"] == journey.case.get_absolute_url()
    assert journey.order_number == ORDER and journey.case.kind == Case.Kind.JOURNEY
    assert journey.case.title == "Number porting with several SIM cards"

    picture = client.get(reverse("customers:picture", args=[ahmed.pk])).content.decode()
    assert "Journey step 1 of 4: Porting requested; SIM cards being sent" in picture


def test_a_journey_that_follows_an_order_needs_one_of_the_customers_orders(client_as, ahmed, porting):
    client = client_as("phone")
    response = client.post(start_url(ahmed), {"template": porting.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "follows an order: give the order number" in response.content.decode()
    response = client.post(start_url(ahmed), {"template": porting.pk, "order_number": "WS-NOT-HIS"})
    assert response.status_code == 422 and "This customer has no order WS-NOT-HIS." in response.content.decode()
    assert not CaseJourney.objects.exists()


def test_starting_requires_a_login_a_role_a_post_and_the_csrf_token(client, client_as, ahmed, porting):
    data = {"template": porting.pk, "order_number": ORDER}
    assert client.post(start_url(ahmed), data).status_code == 302  # to the login page
    assert client_as(None).post(start_url(ahmed), data).status_code == 403
    assert client_as("phone").get(start_url(ahmed)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(role="phone"))
    assert strict.post(start_url(ahmed), data).status_code == 403
    assert not CaseJourney.objects.exists()


def test_recording_a_choice_requires_a_role_and_a_choice_offered(api, client_as, ahmed, porting_journey):
    case_id = porting_journey.case_id
    assert client_as(None).post(choice_url(case_id), {"choice": "Pick it up in a store"}).status_code == 403

    client = client_as("webcare")
    response = client.post(choice_url(case_id), {"choice": "Pick it up in a store"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "The customer has no choice to make on this journey right now." in response.content.decode()

    posted(api, sims((WIFE, "delivered"), (DAUGHTER, "failed")))
    response = client.post(choice_url(case_id), {"choice": "<b>Free phone</b>"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "&lt;b&gt;Free phone&lt;/b&gt;” is not one of the choices offered." in html and "<b>Free phone" not in html
    assert CaseJourney.objects.get(pk=porting_journey.pk).state == CaseJourney.State.WAITING

    response = client.post(choice_url(case_id), {"choice": "Deliver the SIM card again"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:case", args=[case_id])
    assert Case.objects.get(pk=case_id).next_step == "Arrange what the customer chose: Deliver the SIM card again"


def test_a_case_of_another_kind_has_no_journey_to_choose_on(client_as, ahmed):
    from console.cases.services import case_open

    case = case_open(customer_id=ahmed.pk, title="Vraag")
    response = client_as("phone").post(choice_url(case.pk), {"choice": "x"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "journey-progress" not in client_as("phone").get(case.get_absolute_url()).content.decode()


def test_the_case_page_with_a_journey_costs_a_fixed_number_of_queries(
    api, client_as, ahmed, porting_journey, django_assert_max_num_queries
):
    client = client_as("phone")
    url = reverse("cases:case", args=[porting_journey.case_id])
    client.get(url)
    with django_assert_max_num_queries(14) as short:
        assert "Journey: Number porting" in client.get(url).content.decode()
    queries = len(short.captured_queries)
    # A long history (many events heard, a failure, a choice) costs the same.
    posted(api, sims((WIFE, "shipped"), (DAUGHTER, "shipped")))
    posted(api, sims((WIFE, "delivered"), (DAUGHTER, "failed")))
    client.post(choice_url(porting_journey.case_id), {"choice": "Deliver the SIM card again"})
    for n in range(5):
        api.post(sims((DAUGHTER, "shipped" if n % 2 else "failed"), id=f"courier-{n}"))
    with django_assert_max_num_queries(queries):
        assert "Journey: Number porting" in client.get(url).content.decode()


def test_the_progress_line_reaches_open_pictures_with_the_journeys_changes(api, ahmed, porting_journey):
    from console.picture.fragments import panels_now

    posted(api, sims((WIFE, "shipped")))
    html, _ = panels_now(ahmed.pk, finance=False)
    assert "Journey step 2 of 4: ID checked at the door" in html
    posted(api, sims((DAUGHTER, "failed")))
    html, _ = panels_now(ahmed.pk, finance=True)
    assert "A SIM card could not be delivered; waiting for the customer&#x27;s choice" in html


def test_an_agent_marks_a_step_done_that_no_event_completes(client_as, ahmed, porting_journey):
    client = client_as("phone")
    response = client.post(
        reverse("journeys:step-done", args=[porting_journey.case_id]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Step marked done." in response.content.decode()
    journey = CaseJourney.objects.get(pk=porting_journey.pk)
    assert journey.current_step.title == "ID checked at the door"
    assert client_as(None).post(reverse("journeys:step-done", args=[journey.case_id])).status_code == 403


def test_a_journey_without_an_order_needs_none(client_as, ahmed, make_user):
    from console.journeys.models import JourneyStep, JourneyTemplate

    template = JourneyTemplate.objects.create(name="ID check")
    JourneyStep.objects.create(template=template, position=1, title="New ID scanned", event_type="identity.checked")
    journey = journey_start(customer_id=ahmed.pk, template_id=template.pk, actor_user=make_user("phone"))
    assert journey.order_number == "" and journey.current_step.title == "New ID scanned"


def progress_box(page: str) -> str:
    box = page[page.index('id="journey-progress"') :]
    return box[: box.index("</section>")]


def test_the_progress_box_says_in_plain_words_what_the_step_waits_for(api, client_as, ahmed, porting_journey):
    client = client_as("phone")
    url = reverse("cases:case", args=[porting_journey.case_id])
    box = progress_box(client.get(url).content.decode())
    assert "Now · waiting for an order update: a line shipped or delivered" in box
    posted(api, sims((WIFE, "shipped"), (DAUGHTER, "shipped")))
    box = progress_box(client.get(url).content.decode())
    assert "Now · waiting for an ID check: valid" in box and "identity.checked" not in box

    posted(api, sims((WIFE, "failed")))
    off_track = TimelineEntry.objects.get(case_id=porting_journey.case_id, summary__startswith="Journey off track")
    assert (
        "at “ID checked at the door”, on an order update." in off_track.body and "order.updated" not in off_track.body
    )


def test_an_english_speaking_customers_choices_are_shown_in_english_only(api, client_as, porting, make_user):
    from tests.journeys.conftest import make_ahmed

    customer = make_ahmed(customer_number="C-300001", language="en", order="WS-EN-1")
    journey = journey_start(customer_id=customer.pk, template_id=porting.pk, order_number="WS-EN-1")
    posted(api, sims((WIFE, "failed"), customer="C-300001", number="WS-EN-1"))
    box = progress_box(client_as("phone").get(reverse("cases:case", args=[journey.case_id])).content.decode())
    assert '<button type="submit" class="choice">Pick it up in a store</button>' in box
    assert "choice-customer" not in box
