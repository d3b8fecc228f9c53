import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.customers.identifiers import (
    InvalidIdentifier,
    format_phone,
    normalise_email,
    normalise_handle,
    normalise_phone,
)

# Dutch mobile numbers: 061-065 and 068 followed by 7 digits (067 and 069 are not mobile ranges).
nl_mobile_digits = st.from_regex(r"6[1-58][0-9]{7}", fullmatch=True)


def _separated(digits: str, draw_sep) -> str:
    return draw_sep.join([digits[:2], digits[2:4], digits[4:6], digits[6:]])


@given(digits=nl_mobile_digits, sep=st.sampled_from(["", " ", "-", "."]))
def test_every_way_people_type_a_dutch_mobile_number_gives_one_e164(digits, sep):
    expected = "+31" + digits
    typed = [
        "0" + digits,
        "0" + _separated(digits, sep),
        "+31 " + _separated(digits, sep),
        "0031" + digits,
        "+31" + digits,
        "(0)" + digits,
    ]
    assert {normalise_phone(t) for t in typed} == {expected}


def test_the_formats_named_in_the_issue_all_match():
    for typed in ["06-12345678", "+31 6 1234 5678", "0031612345678", "06 12 34 56 78"]:
        assert normalise_phone(typed) == "+31612345678"


def test_a_foreign_number_keeps_its_country():
    assert normalise_phone("+32 470 12 34 56") == "+32470123456"


@pytest.mark.parametrize("typed", ["", "hello", "06-1234", "+31 6 1234 5678 9999 0000", "06\x0012345678"])
def test_what_is_not_a_phone_number_is_refused_with_a_message(typed):
    with pytest.raises(InvalidIdentifier, match="phone number"):
        normalise_phone(typed)


@given(
    local=st.from_regex(r"[A-Za-z][A-Za-z0-9._]{0,15}", fullmatch=True),
    domain=st.from_regex(r"[A-Za-z]{2,10}\.(nl|com|be)", fullmatch=True),
)
def test_email_is_case_folded_and_normalising_twice_changes_nothing(local, domain):
    address = f"{local}@{domain}"
    once = normalise_email(address.upper())
    assert once == address.casefold()
    assert normalise_email(once) == once


@pytest.mark.parametrize("typed", ["no-at-sign", "two@@example.nl", "a@b", "spa ce@example.nl"])
def test_what_is_not_an_email_address_is_refused(typed):
    with pytest.raises(InvalidIdentifier, match="e-mail"):
        normalise_email(typed)


def test_handles_lose_the_at_sign_and_case():
    assert normalise_handle("@JJansen") == "jjansen"
    assert normalise_handle("jjansen") == "jjansen"


def test_a_dutch_number_is_shown_the_dutch_way():
    assert format_phone("+31612345678") == "06 12345678"
