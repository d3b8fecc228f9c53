"""S5 — Two SIM cards and a courier at the door: an order that leaves the green path."""

from collections.abc import Iterator
from datetime import timedelta

from ..traffic import today
from .scene import AHMED, UNLINKED, Scene, Step, id_line, linked, said


def s5(scene: Scene) -> Iterator[Step]:
    callback = scene.case_ref(AHMED, "Terugbellen: tweede SIM-kaart")
    yield Step(
        "Ahmed Yilmaz's two-SIM order, step by step: the courier is on the way with the second SIM "
        "(one of two parts delivered).",
        [sim_update(scene, "shipped")],
    )
    yield _passport_mismatch(scene)
    yield Step(
        "The courier keeps the second SIM: that part of the order failed, and the agent sees what "
        "happened and what Ahmed can choose.",
        [sim_update(scene, "failed")],
    )
    yield _callback_answered_by_sms(scene, callback)


def sim_update(scene: Scene, status: str) -> dict:
    """The courier's news about the daughter's SIM: the second line of order WS-2026-11851."""
    return scene.event(
        "order.updated",
        {"customer_number": AHMED},
        {
            "order_number": "WS-2026-11851",
            "status": "partially_delivered",
            "total": "20.00",
            "currency": "EUR",
            "lines": [
                {
                    "sku": "TC-SIM-NB",
                    "description": "SIM-kaart (nummer dochter)",
                    "quantity": 1,
                    "unit_price": "10.00",
                    "status": status,
                }
            ],
        },
    )


def _passport_mismatch(scene: Scene) -> Step:
    return Step(
        "At the door the courier scans his new passport: it does not match the ID on file, and the ID "
        "flag says so before the courier leaves.",
        [
            scene.event(
                "identity.checked",
                {"customer_number": AHMED},
                {
                    "document_type": "Paspoort",
                    "document_last4": "7730",
                    "result": "mismatch",
                    "expires_on": (today() + timedelta(days=3650)).isoformat(),
                    "checked_by": "Koerier",
                },
            )
        ],
        check=lambda s: id_line(s, AHMED),
    )


def _callback_answered_by_sms(scene: Scene, callback: str | None) -> Step:
    return Step(
        "Ahmed answers by SMS about his promised callback; the reply lands on the callback case. "
        "(Texting a new time automatically when a callback will be missed comes with the cases work.)"
        + ("" if callback else UNLINKED),
        [
            scene.event(
                "interaction.recorded",
                {"phone": "06 34567890"},
                linked(
                    said(
                        "sms",
                        "SMS reply: tomorrow between 10:00 and 12:00 is fine for the callback",
                        "Morgen tussen 10 en 12 is goed. Graag ook uitleg over de tweede SIM-kaart.",
                    ),
                    callback,
                ),
            )
        ],
    )
