"""The five stories of STORIES.md replayed through the event API against the seeded customers.

Each story yields steps: the events source systems send at that moment (one by one, or in
one batch when they happen at once) and a line saying what the agents should now see,
so a presenter can run ``--story s3`` and point at the screen. Event ids are new on every
run, so a story can be replayed as often as the demo needs.
"""

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from .client import ApiClient, Reply, SimulationError, Tally
from .traffic import AMSTERDAM, now_iso, today


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


JEROEN, SANNE, FATIMA, PIETER, AHMED, MARIEKE = (f"C-20000{n}" for n in range(1, 7))


def s1(scene: Scene) -> Iterator[Step]:
    tel = "06 12345678"
    started, call_id = phone_call(scene, tel)
    yield Step(
        "Jeroen de Vries calls. Daan (user 'phone') gets his picture on screen: order WS-2026-11803 "
        "with the pop CD, two overdue invoices and the credit flag on HOLD.",
        [started],
    )
    yield Step(
        "His complaint is on the timeline; open the return for 'Vogelhuisje Eiken' from order "
        "WS-2026-11803 in two clicks.",
        [
            scene.event(
                "interaction.recorded",
                {"phone": tel},
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
    yield Step(
        "The call ends: its entry shows how long it took and the outcome.",
        [call_end(scene, tel, call_id, 312, "Return for the wrong item, birdhouse re-sent")],
    )
    yield Step(
        "The web shop asks before his next big order: may Jeroen spend EUR 900? (credit check API)",
        check=lambda s: f"{credit_line(s, JEROEN, '900.00')} | {flags_line(s, JEROEN)}",
    )
    tel = "06 45678901"
    started, call_id = phone_call(scene, tel)
    yield Step(
        "Marieke Bakker, a customer for 9 years, calls: her gold loyalty flag and its reason are on "
        "screen — no stranger.",
        [started],
        check=lambda s: flags_line(s, MARIEKE),
    )
    yield Step("Her call ends.", [call_end(scene, tel, call_id, 95, "Question about delivery answered")])


def s2(scene: Scene) -> Iterator[Step]:
    yield Step(
        "The post room scans a second returned letter for Sanne Jansen: it is on her timeline within a "
        "second, for webcare, phone and store alike; the address stays undeliverable.",
        [
            scene.event(
                "mail.returned",
                {"customer_number": SANNE},
                {
                    "mail_ref": "INV-2026-881 herinnering",
                    "reason": "addressee_unknown",
                    "address": "Dorpsstraat 1, 1234 AB Ergens",
                },
            )
        ],
        check=lambda s: address_line(s, SANNE),
    )
    yield Step(
        "Sanne tweets about it. Webcare sees the tweet with both returned letters right below it, the "
        "data-quality task, and a prompt to confirm her address.",
        [
            scene.event(
                "interaction.recorded",
                {"handle": {"network": "twitter", "value": "@sjansen"}},
                said(
                    "twitter",
                    "Public post: letters keep coming for someone who does not live here",
                    "@klantbeeld Alweer een brief voor iemand die hier niet woont. Twee keer 'retour afzender' "
                    "op de envelop gezet, maar ze blijven komen. Leest iemand dat eigenlijk?",
                ),
            )
        ],
    )
    yield Step(
        "Webcare replies on Twitter; correcting the address in the console clears the flag and is "
        "itself recorded on the timeline.",
        [
            scene.event(
                "interaction.recorded",
                {"handle": {"network": "twitter", "value": "@sjansen"}},
                {
                    "channel": "twitter",
                    "direction": "outbound",
                    "agent": "webcare",
                    "summary": "Replied: sorry, we will correct the address; asked for details by DM",
                    "body": "@sjansen Sorry, dat had niet mogen gebeuren. We zien beide retourbrieven. Stuur je "
                    "ons een DM met het juiste adres? Dan passen we het meteen aan. ^Lotte",
                },
            )
        ],
    )


def s3(scene: Scene) -> Iterator[Step]:
    mail = {"email": "f.elamrani@example.nl"}
    yield Step(
        "Last night, 21:41: Fatima El Amrani asks the chatbot about the airfryer; it lands on her timeline.",
        [
            scene.event(
                "interaction.recorded",
                mail,
                said(
                    "chatbot",
                    "Asked the chatbot again whether the Philips Airfryer XXL is back in stock",
                    "Fatima: Is de Philips Airfryer XXL al weer op voorraad?\nBot: Online nog niet. Wil je "
                    "een bericht als hij binnen is?\nFatima: Ja. En in de winkel in Utrecht?\nBot: Dat kan ik "
                    "niet zien. Bel morgen vanaf 9:00 met de klantenservice.",
                ),
                at=last_night(21, 41),
            )
        ],
    )
    yield Step(
        "21:46: she browses the web shop; the visit sits next to the chat.",
        [
            scene.event(
                "interaction.recorded",
                mail,
                said(
                    "web",
                    "Viewed Philips Airfryer XXL: out of stock online",
                    "Productpagina bekeken (3 min), 'Tijdelijk uitverkocht' getoond.",
                    url="https://www.example.nl/p/kk-afr-xxl",
                ),
                at=last_night(21, 46),
            )
        ],
    )
    yield Step(
        "21:52: her wish list is updated — store staff see it on the tablet, nothing to retype.",
        [
            scene.event(
                "wishlist.updated",
                mail,
                {
                    "items": [
                        {"sku": "KK-AFR-XXL", "description": "Philips Airfryer XXL"},
                        {"sku": "KK-AFR-BKV", "description": "Bakvorm voor airfryer"},
                        {"sku": "KK-OVW-SIL", "description": "Siliconen ovenwanten"},
                    ]
                },
                at=last_night(21, 52),
            )
        ],
    )
    tel = "06 23456789"
    started, call_id = phone_call(scene, tel)
    yield Step(
        "Next morning she calls: Daan's screen pops her picture with last night's chatbot question at "
        "the top — she does not start from zero.",
        [started],
    )
    yield Step(
        "The call ends; the store in Utrecht reserves the airfryer for her.",
        [call_end(scene, tel, call_id, 184, "Airfryer reserved in store Utrecht")],
    )


UNLINKED = " [Not linked to the case: the reading API gives integrators no case numbers.]"


def s4(scene: Scene) -> Iterator[Step]:
    mail, case = {"email": "p.vandijk@example.nl"}, scene.case_ref(PIETER, "Internet storing sinds maandag")
    yield Step(
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
    tel = "06 28765432"
    started, call_id = phone_call(scene, tel)
    yield Step(
        "He calls while still in chat: the phone agent sees the case, its next step, and that webcare "
        "is on the same customer right now (collision warning).",
        [started],
    )
    yield Step(
        "The phone note joins the same case: one journey, not three contacts." + ("" if case else UNLINKED),
        [
            scene.event(
                "interaction.recorded",
                {"phone": tel},
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
    yield Step("The call ends.", [call_end(scene, tel, call_id, 426, "Engineer rebooked")])


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


def s5(scene: Scene) -> Iterator[Step]:
    callback = scene.case_ref(AHMED, "Terugbellen: tweede SIM-kaart")
    yield Step(
        "Ahmed Yilmaz's two-SIM order, step by step: the courier is on the way with the second SIM "
        "(one of two parts delivered).",
        [sim_update(scene, "shipped")],
    )
    yield Step(
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
    yield Step(
        "The courier keeps the second SIM: that part of the order failed, and the agent sees what "
        "happened and what Ahmed can choose.",
        [sim_update(scene, "failed")],
    )
    yield Step(
        "The missed callback was texted a new time; Ahmed answers by SMS and the reply lands on the "
        "callback case." + ("" if callback else UNLINKED),
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


# key -> (title, script)
STORIES = {
    "s1": ("S1 — The birdhouse and the wrong CD (front office blind to back office)", s1),
    "s2": ("S2 — Mail that keeps coming back (returned post is a signal)", s2),
    "s3": ("S3 — Last night's chatbot question (touchpoints, not silos)", s3),
    "s4": ("S4 — A journey, not a string of contacts (journey management)", s4),
    "s5": ("S5 — Two SIM cards and a courier at the door (off the green path)", s5),
}


def story_play(
    client: ApiClient, key: str, *, tally: Tally, write: Callable[[str], None], pause: Callable[[], None]
) -> None:
    title, script = STORIES[key]
    write(f"\n{title}")
    scene = Scene(client=client, story=key)
    for number, step in enumerate(script(scene), start=1):
        if number > 1:
            pause()
        write(f"  {number}. {step.say}")
        if step.batch:
            _send_batch(client, step.events, tally)
        else:
            for event in step.events:
                tally.record(client.post("/api/v1/events", event), event)
        if step.check:
            write(f"     API says: {step.check(scene)}")


def _send_batch(client: ApiClient, events: list[dict], tally: Tally) -> None:
    reply = client.post("/api/v1/events/batch", {"events": events})
    if reply.status != 207:
        for event in events:
            tally.record(reply, event, note="batch refused")
        return
    for event, result in zip(events, reply.body["results"], strict=True):
        tally.record(Reply(result["status"], result["body"]), event, note="batch")
