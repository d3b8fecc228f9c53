import pytest

from console.customers.services import identifier_add
from console.picture.search import customer_search
from tests.factories import CustomerFactory, add_invoice, add_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(db):
    return [CustomerFactory(name=f"Andere Klant {n}") for n in range(3)]


def numbers(results):
    return [c.customer_number for c in results]


@pytest.mark.parametrize("typed", ["06-12345678", "+31 6 1234 5678", "0031612345678", "06 12 34 56 78"])
def test_it_finds_a_customer_by_phone_typed_any_way(customer, others, typed):
    assert numbers(customer_search(query=typed, hidden=None)) == ["C-200001"]


@pytest.mark.parametrize("typed", ["j.devries@example.nl", "J.DEVRIES@EXAMPLE.NL", "  j.devries@example.nl "])
def test_it_finds_a_customer_by_email_whatever_the_case(customer, others, typed):
    assert numbers(customer_search(query=typed, hidden=None)) == ["C-200001"]


def test_it_finds_a_customer_while_the_email_is_still_being_typed(customer, others):
    assert numbers(customer_search(query="j.devries@exa", hidden=None)) == ["C-200001"]


@pytest.mark.parametrize("typed", ["C-200001", "c-200001"])
def test_it_finds_a_customer_by_number(customer, others, typed):
    assert numbers(customer_search(query=typed, hidden=None)) == ["C-200001"]


def test_it_finds_customers_by_part_of_the_name(customer, others):
    assert numbers(customer_search(query="vries", hidden=None)) == ["C-200001"]
    assert len(customer_search(query="andere klant", hidden=None)) == 3


def test_it_finds_a_customer_by_social_handle(customer, others):
    identifier_add(customer_id=customer.pk, kind="handle", value="@JeroenDV", namespace="twitter")
    assert numbers(customer_search(query="@jeroendv", hidden=None)) == ["C-200001"]


def test_it_finds_a_customer_by_order_number_and_invoice_number(customer, others):
    add_order(customer, number="WS-2026-0042")
    add_invoice(customer, number="INV-2026-881", amount="120.00")
    assert numbers(customer_search(query="WS-2026-0042", hidden=None)) == ["C-200001"]
    assert numbers(customer_search(query="inv-2026-881", hidden=None)) == ["C-200001"]


def test_it_finds_nothing_for_one_letter_or_an_unknown_name(customer):
    assert customer_search(query="j", hidden=None) == []
    assert customer_search(query="Zwaluwstaart", hidden=None) == []


def test_a_nul_character_in_the_search_text_is_ignored(customer):
    assert numbers(customer_search(query="vries\x00", hidden=None)) == ["C-200001"]
    assert customer_search(query="\x00\x00", hidden=None) == []
