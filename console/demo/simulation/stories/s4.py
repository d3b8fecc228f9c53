"""S4 — A journey, not a string of contacts: web, chat and phone join one open case."""

from collections.abc import Iterator

from .scene import PIETER, UNLINKED, Scene, Step, call_end, linked, phone_call, said

PIETER_PHONE = "06 28765432"


def s4(scene: Scene) -> Iterator[Step]:
    mail, case = {"email": "p.vandijk@example.nl"}, scene.case_ref(PIETER, "Internet storing sinds maandag")
    yield _web_and_chat_at_once(scene, mail, case)
    started, call_id = phone_call(scene, PIETER_PHONE)
    yield Step(
        "He calls while still in chat: the phone agent sees the case, its next step, and that webcare "
        "is on the same customer right now (collision warning).",
        [started],
    )
    yield _phone_note_joins_case(scene, case)
    yield Step("The call ends.", [call_end(scene, PIETER_PHONE, call_id, 426, "Engineer rebooked")])


def _web_and_chat_at_once(scene: Scene, mail: dict, case: str | None) -> Step:
    return Step(
        "Pieter van Dijk is on the web site and in chat at the same moment (one batch): both contacts "
        "join his case 'Internet storing sinds maandag', and agents see he is active on another channel."
        + ("" if case else UNLINKED),
        [
            scene.event(
                "interaction.recorded",
                mail,
                linked(
                    said(
                        "web",
                        "Checking the case status in My Account",
                        "Mijn Account > Meldingen geopend: 'Monteur ingepland'.",
                        url="https://www.example.nl/mijn-account/meldingen",
                    ),
                    case,
                ),
            ),
            scene.event(
                "interaction.recorded",
                mail,
                linked(
                    said(
                        "chat",
                        "Chat: the engineer did not come this morning",
                        "De monteur zou vanochtend tussen 8 en 12 komen, maar er is niemand geweest. Nu?",
                        agent="webcare",
                    ),
                    case,
                ),
            ),
        ],
        batch=True,
    )


def _phone_note_joins_case(scene: Scene, case: str | None) -> Step:
    return Step(
        "The phone note joins the same case: one journey, not three contacts." + ("" if case else UNLINKED),
        [
            scene.event(
                "interaction.recorded",
                {"phone": PIETER_PHONE},
                linked(
                    said(
                        "phone",
                        "Engineer rebooked for Thursday 8:00-12:00; confirmed by SMS",
                        "Monteur opnieuw ingepland voor donderdag 8-12 uur. Klant krijgt een sms.",
                        agent="phone",
                    ),
                    case,
                ),
            )
        ],
    )
