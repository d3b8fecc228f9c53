import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_finds_by_phone_typed_with_spaces(client_as, customer):
    response = client_as("store").get(reverse("customers:search"), {"q": "06 12 34 56 78"}, follow=True)
    assert response.redirect_chain == [(customer.get_absolute_url(), 302)]
    assert "Jeroen de Vries" in response.content.decode()


@pytest.mark.parametrize("query", ["C-200001", "c-200001", "j.devries@example.nl", "+31 6 12345678"])
def test_an_exact_identifier_of_one_customer_opens_that_customer(client_as, customer, query):
    response = client_as("phone").get(reverse("customers:search"), {"q": query})
    assert response.status_code == 302
    assert response["Location"] == customer.get_absolute_url()


def test_an_exact_order_number_opens_its_customer(client_as, customer):
    from tests.factories import add_invoice

    add_invoice(customer, number="INV-2026-881", amount="740.00", days_overdue=47)
    response = client_as("phone").get(reverse("customers:search"), {"q": "inv-2026-881"})
    assert response["Location"] == customer.get_absolute_url()


def test_typing_an_exact_number_shows_it_in_the_list_without_leaving_the_page(client_as, customer):
    response = client_as("phone").get(reverse("customers:search"), {"q": "C-200001"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert customer.get_absolute_url() in response.content.decode()


def test_a_search_sent_through_htmx_opens_the_customer_with_a_client_redirect(client_as, customer):
    response = client_as("phone").get(
        reverse("customers:search"), {"q": "C-200001"}, headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert response["HX-Redirect"] == customer.get_absolute_url()


def test_a_name_with_one_match_still_shows_the_list(client_as, customer):
    response = client_as("phone").get(reverse("customers:search"), {"q": "Jeroen de Vries"})
    assert response.status_code == 200
    assert customer.get_absolute_url() in response.content.decode()


def test_a_phone_number_two_customers_share_lists_both(client_as, customer):
    from tests.factories import CustomerFactory

    other = CustomerFactory(name="Ans de Vries", phone="06 12345678")
    response = client_as("phone").get(reverse("customers:search"), {"q": "0612345678"})
    assert response.status_code == 200
    body = response.content.decode()
    assert customer.get_absolute_url() in body and other.get_absolute_url() in body


def test_typing_returns_only_the_results_fragment(client_as, customer):
    response = client_as("phone").get(reverse("customers:search"), {"q": "vries"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Jeroen de Vries" in body
    assert "<html" not in body


def test_no_match_says_so_in_words(client_as, customer):
    body = client_as("phone").get(reverse("customers:search"), {"q": "Zwaluwstaart"}).content.decode()
    assert "No customer matches" in body


def test_it_requires_a_role(client_as, customer):
    assert client_as(None).get(reverse("customers:search"), {"q": "vries"}).status_code == 403


def test_the_search_text_is_escaped(client_as, customer):
    body = client_as("phone").get(reverse("customers:search"), {"q": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in body


def test_a_nul_character_in_the_search_box_is_not_an_error(client_as, customer):
    response = client_as("phone").get(reverse("customers:search"), {"q": "vries\x00"})
    assert response.status_code == 200
    assert "Jeroen de Vries" in response.content.decode()
