"""What every story plays on: the step it yields, the scene it reads, and shared event builders.

Builders return events rather than send them, and each story calls them at the moment it
yields the step, so ids and ``occurred_at`` follow the order and time the events are sent.
"""

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from ..client import ApiClient, SimulationError
from ..traffic import AMSTERDAM, now_iso, today

JEROEN, SANNE, FATIMA, PIETER, AHMED, MARIEKE = (f"C-20000{n}" for n in range(1, 7))

UNLINKED = " [Not linked to the case: no case number found on this customer's timeline.]"


@dataclass
class Step:
    """One moment of a story. Scripts yield steps one at a time, so each event is stamped
    with the moment it is really sent, pauses included."""

    say: str  # what the agent should now see
    events: list[dict] = field(default_factory=list)
    batch: bool = False  # the events happen at the same moment: one batch request
    check: Callable[["Scene"], str] | None = None  # a read whose answer is printed


@dataclass
class Scene:
    """What a story needs to know about the console it plays on."""

    client: ApiClient
    story: str
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    customer_ids: dict = field(default_factory=dict)

    def event(self, type_: str, customer: dict, data: dict, at: datetime | None = None) -> dict:
        return {
            "id": f"sim-{self.story}-{self.run}-{next(self.ids):02d}",
            "type": type_,
            "occurred_at": now_iso(at),
            "customer": customer,
            "data": data,
        }

    def call_id(self) -> str:
        return f"call-{self.story}-{self.run}-{next(self.ids):02d}"

    def customer_id(self, number: str) -> int:
        if number not in self.customer_ids:
            reply = self.client.get("/api/v1/customers", q=number)
            match = [c for c in reply.body if c.get("customer_number") == number] if reply.status == 200 else []
            if not match:
                raise SimulationError(
                    f"Story customer {number} is not in this console ({reply.status}). "
                    "Seed it first: .venv/bin/python manage.py seed_demo"
                )
            self.customer_ids[number] = match[0]["id"]
        return self.customer_ids[number]

    def profile(self, number: str) -> dict:
        return self.client.get(f"/api/v1/customers/{self.customer_id(number)}").body

    def case_ref(self, number: str, title: str) -> str | None:
        """The case number of the customer's case with this title, if the timeline names it.

        The reading API does not (yet) expose case numbers; a future field is used when it
        appears, and until then the events go unlinked rather than guessing a number.
        """
        reply = self.client.get(f"/api/v1/customers/{self.customer_id(number)}/timeline", limit=1000)
        for entry in reply.body if reply.status == 200 else []:
            if entry.get("kind") == "case" and title in entry.get("summary", ""):
                return entry.get("case_ref") or entry.get("case_number")
        return None


def last_night(hour: int, minute: int) -> datetime:
    return datetime.combine(today() - timedelta(days=1), time(hour, minute), tzinfo=AMSTERDAM)


def flags_line(scene: Scene, number: str) -> str:
    flags = scene.profile(number).get("flags", [])
    return "; ".join(f"{f['kind']} flag {f['level']}: {f['reason']}" for f in flags) or "no flags"


def credit_line(scene: Scene, number: str, amount: str) -> str:
    reply = scene.client.get(f"/api/v1/customers/{scene.customer_id(number)}/credit-check", amount=amount)
    if reply.status != 200:
        return f"credit check answered {reply.status}: {reply.errors()}"
    reasons = "; ".join(reply.body.get("reasons", []))
    return f"credit check for EUR {amount}: {reply.body['decision']}" + (f" — {reasons}" if reasons else "")


def address_line(scene: Scene, number: str) -> str:
    addresses = scene.profile(number).get("addresses", [])
    return "; ".join(
        f"{a['street']}, {a['postal_code']} {a['city']}: {a['status']}"
        + (f" ({a['status_evidence']})" if a.get("status_evidence") else "")
        for a in addresses
    )


def id_line(scene: Scene, number: str) -> str:
    p = scene.profile(number)
    return (
        f"ID on record: {p.get('id_document_type')} ···{p.get('id_document_last4')}, "
        f"expires {p.get('id_document_expires_on')}, last check: {p.get('id_document_check') or '-'}"
    )


def linked(data: dict, case_ref: str | None) -> dict:
    return {**data, "case_ref": case_ref} if case_ref else data


def phone_call(scene: Scene, phone: str) -> tuple[dict, str]:
    """call.started from telephony, which knows the caller only by number; the pop goes to 'phone'."""
    call_id = scene.call_id()
    event = scene.event("call.started", {"phone": phone}, {"call_id": call_id, "from_number": phone, "agent": "phone"})
    return event, call_id


def call_end(scene: Scene, phone: str, call_id: str, seconds: int, outcome: str) -> dict:
    return scene.event("call.ended", {"phone": phone}, {"call_id": call_id, "duration_s": seconds, "outcome": outcome})


def said(channel: str, summary: str, body: str, **extra) -> dict:
    return {"channel": channel, "direction": "inbound", "summary": summary, "body": body, **extra}
