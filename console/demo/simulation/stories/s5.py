"""S5 — Two SIM cards and a courier at the door: an order that leaves the green path.

The seeded order WS-2026-11851 follows the "Number porting with several SIM cards" journey
(docs/journeys.md), so the courier's events move it on or take its failure branch, and Ahmed
is texted each time; his promised callback is a real one (docs/callbacks.md).
"""

from collections.abc import Iterator
from datetime import timedelta

from ..traffic import today
from .scene import AHMED, Scene, Step, id_line, said

AHMED_PHONE = "06 34567890"
MOVED = "the promised window would have been missed"


def s5(scene: Scene) -> Iterator[Step]:
    yield Step(
        "Ahmed Yilmaz's two-SIM order, step by step: the courier is on the way again with the second "
        "SIM. His journey case moves to step 2, 'ID checked at the door', and he gets an SMS to have "
        "his ID ready.",
        [sim_update(scene, "shipped")],
    )
    yield _passport_mismatch(scene)
    yield Step(
        "The courier keeps the second SIM: that part of the order failed. Ahmed is texted what "
        "happened and his three choices (deliver again, pick it up in a store, cancel that number); "
        "the case shows the same choices for the agent to record his answer.",
        [sim_update(scene, "failed")],
    )
    yield Step(
        "Nobody has called Ahmed back yet. From 15 minutes before the promised window ends, the "
        "beat job moves the callback to a new window and texts him the new time, once (full stack: "
        "every minute by itself; embedded mode: manage.py run_periodic callbacks-about-to-be-missed).",
        check=callback_line,
    )
    yield _sms_reply(scene)


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
        "At the door the courier scans his new passport: it does not match the ID on file. The record "
        "takes the new scan on the spot, the ID flag says 'mismatch' before the courier leaves, and "
        "the journey goes off track: Ahmed is texted his choices.",
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


def _sms_reply(scene: Scene) -> Step:
    return Step(
        "Ahmed answers by SMS: the reply lands on his callback case by itself (no case number needed), "
        "where the phone agent sees it and records his choice on the journey.",
        [
            scene.event(
                "interaction.recorded",
                {"phone": AHMED_PHONE},
                said(
                    "sms",
                    "SMS reply: the new time for the callback is fine; wants the second SIM delivered again",
                    "Dat tijdstip is goed. Ik heb een nieuw paspoort: graag mijn ID bijwerken en de tweede "
                    "SIM-kaart opnieuw bezorgen.",
                ),
            )
        ],
    )


def callback_line(scene: Scene) -> str:
    """Whether the beat job has moved Ahmed's callback yet, read from his timeline."""
    reply = scene.client.get(f"/api/v1/customers/{scene.customer_id(AHMED)}/timeline", limit=200)
    for entry in reply.body if reply.status == 200 else []:
        if MOVED in entry.get("summary", "") + entry.get("body", ""):
            return f"callback moved: {entry['summary']}"
    return "callback not moved yet: its window has not come within 15 minutes of its end"
