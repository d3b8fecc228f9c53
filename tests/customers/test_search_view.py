import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_finds_by_phone_typed_with_spaces(client_as, customer):
    response = client_as("store").get(reverse("customers:search"), {"q": "06 12 34 56 78"})
    assert response.status_code == 200
    assert customer.get_absolute_url() in response.content.decode()


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
