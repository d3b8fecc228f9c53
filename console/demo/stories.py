"""The customers of the five stories (/work/shared/STORIES.md), in their "before" state.

Each is the moment just before the demo starts: the wrong item has been delivered, the
letter has come back, the chatbot question was asked last night. Dates are relative to the
day of seeding, so "oldest 47 days" is true on that day (flags are stored; they move on
when something recomputes them). STORY_CUSTOMERS below lists who is who; the command
prints it.
"""

from django.db import transaction

from console.demo.story_s1 import s1_jeroen, s1_marieke
from console.demo.story_s2 import s2_sanne
from console.demo.story_s3 import s3_fatima
from console.demo.story_s4 import s4_pieter
from console.demo.story_s5 import CALLBACK_TITLE, PORTING_JOURNEY, SIM_ORDER, s5_ahmed
from console.flags.services import flags_recompute

# (story, customer number, name, how to find them, what to look at) — printed by the command.
# The story customers live one story a module (story_s1.py ... story_s5.py); the S5 names are
# kept here too, where the browser tests and the simulator look for them.
__all__ = [
    "CALLBACK_TITLE",
    "PORTING_JOURNEY",
    "SIM_ORDER",
    "s1_jeroen",
    "s1_marieke",
    "s2_sanne",
    "s3_fatima",
    "s4_pieter",
    "s5_ahmed",
    "stories_seed",
    "story_seed",
]

STORY_CUSTOMERS = [
    (
        "S1",
        "C-200001",
        "Jeroen de Vries",
        "06 12345678 / j.devries@example.nl",
        "pop CD instead of Vogelhuisje Eiken (WS-2026-11803); credit hold, EUR 1,240 overdue",
    ),
    ("S1", "C-200006", "Marieke Bakker", "06 45678901 / m.bakker@example.nl", "loyal for 9 years: gold"),
    (
        "S2",
        "C-200002",
        "Sanne Jansen",
        "@sjansen / Dorpsstraat 1, 1234 AB Ergens",
        "statement INV-2026-881 returned: address undeliverable",
    ),
    (
        "S3",
        "C-200003",
        "Fatima El Amrani",
        "06 23456789 / f.elamrani@example.nl",
        "chatbot question last night 21:40; wish list with the airfryer",
    ),
    (
        "S4",
        "C-200004",
        "Pieter van Dijk",
        "06 28765432 / p.vandijk@example.nl",
        "case 'Internet storing sinds maandag' on web, chat and phone",
    ),
    (
        "S5",
        "C-200005",
        "Ahmed Yilmaz",
        "06 34567890 / a.yilmaz@example.nl",
        "WS-2026-11851 on the number-porting journey: second SIM failed; Paspoort expired; callback; complaint",
    ),
]
STORY_PHONES = ["06 12345678", "06 45678901", "06 56789012", "06 23456789", "06 28765432", "06 34567890"]
STORY_EMAILS = [
    "j.devries@example.nl",
    "m.bakker@example.nl",
    "sanne.jansen@example.nl",
    "f.elamrani@example.nl",
    "p.vandijk@example.nl",
    "a.yilmaz@example.nl",
]


def stories_seed(users: dict) -> None:
    for story in (s1_jeroen, s1_marieke, s2_sanne, s3_fatima, s4_pieter, s5_ahmed):
        story_seed(story, users)


def story_seed(story, users: dict):
    """One story customer in its "before" state; the browser tests seed each story this way too."""
    # One transaction per customer: a story is either all there or not at all.
    with transaction.atomic():
        customer = story(users)
        flags_recompute(customer_id=customer.pk)
    return customer
