"""Normalising what people and source systems type into the one form we store and match.

Phone numbers become E.164 (``+31612345678``) with a configurable default region, e-mail
addresses are case-folded, social handles lower-cased without the ``@``.
"""

import re

import phonenumbers
from django.conf import settings

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE_RE = re.compile(r"^@?[A-Za-z0-9_.]{1,50}$")
_PHONE_CHARS_RE = re.compile(r"^[+()\d\s./-]{6,30}$")


class InvalidIdentifier(ValueError):
    """Raised with a message an agent or integrator can act on."""


def normalise_phone(raw: str, region: str | None = None) -> str:
    """Return the number in E.164, or raise InvalidIdentifier.

    ``0031612345678`` is read as an international number: the international prefix ``00``
    is the one Dutch callers type, so it is rewritten to ``+`` before parsing.
    """
    text = (raw or "").strip()
    if not _PHONE_CHARS_RE.match(text):
        raise InvalidIdentifier(f"'{raw}' is not a phone number.")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(f"'{raw}' is not a phone number.") from exc
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(f"'{raw}' is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    text = (raw or "").strip()
    if not _EMAIL_RE.match(text):
        raise InvalidIdentifier(f"'{raw}' is not an e-mail address.")
    return text.casefold()


def normalise_handle(raw: str) -> str:
    text = (raw or "").strip()
    if not _HANDLE_RE.match(text):
        raise InvalidIdentifier(f"'{raw}' is not a social media handle.")
    return text.lstrip("@").lower()


def format_phone(e164: str) -> str:
    """A number as people read it: national format at home, international abroad."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(number)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.PHONE_DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
