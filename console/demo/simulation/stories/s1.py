"""S1 — The birdhouse and the wrong CD: the phone agent sees the back office at last."""

from collections.abc import Iterator

from .scene import JEROEN, MARIEKE, Scene, Step, call_end, credit_line, flags_line, phone_call, said

JEROEN_PHONE = "06 12345678"
MARIEKE_PHONE = "06 45678901"


def s1(scene: Scene) -> Iterator[Step]:
    started, call_id = phone_call(scene, JEROEN_PHONE)
    yield _jeroen_calls(started)
    yield _complaint_recorded(scene)
    yield Step(
        "The call ends: its entry shows how long it took and the outcome.",
        [call_end(scene, JEROEN_PHONE, call_id, 312, "Return for the wrong item, birdhouse re-sent")],
    )
    yield _credit_check_asked()
    started, call_id = phone_call(scene, MARIEKE_PHONE)
    yield _marieke_calls(started)
    yield Step("Her call ends.", [call_end(scene, MARIEKE_PHONE, call_id, 95, "Question about delivery answered")])


def _jeroen_calls(started: dict) -> Step:
    return Step(
        "Jeroen de Vries calls. Daan (user 'phone') gets his picture on screen: order WS-2026-11803 "
        "with the pop CD, two overdue invoices and the credit flag on HOLD.",
        [started],
    )


def _complaint_recorded(scene: Scene) -> Step:
    return Step(
        "His complaint is on the timeline; open the return for 'Vogelhuisje Eiken' from order "
        "WS-2026-11803 in two clicks.",
        [
            scene.event(
                "interaction.recorded",
                {"phone": JEROEN_PHONE},
                said(
                    "phone",
                    "Called again: pop CD instead of the birdhouse in WS-2026-11803, wants the birdhouse",
                    "Meneer De Vries belt opnieuw: nog steeds geen vogelhuisje. Retour voor de cd aangemaakt, "
                    "vogelhuisje wordt opnieuw verstuurd.",
                    agent="phone",
                ),
            )
        ],
    )


def _credit_check_asked() -> Step:
    return Step(
        "The web shop asks before his next big order: may Jeroen spend EUR 900? (credit check API)",
        check=lambda s: f"{credit_line(s, JEROEN, '900.00')} | {flags_line(s, JEROEN)}",
    )


def _marieke_calls(started: dict) -> Step:
    return Step(
        "Marieke Bakker, a customer for 9 years, calls: her gold loyalty flag and its reason are on "
        "screen — no stranger.",
        [started],
        check=lambda s: flags_line(s, MARIEKE),
    )
