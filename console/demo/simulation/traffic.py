"""Background traffic: what the source systems of a Dutch retailer send on an ordinary day.

Events are spread over customers found through the search API and identified the way each
source knows them: telephony and SMS by phone number, the mailbox by e-mail, social media
by handle, the web shop and finance by customer number. Multi-step matters (a call that
ends, an order that ships and is invoiced and paid) are kept as follow-ups and sent a few
events later, so the timeline reads like real life rather than a shuffled deck.

Most of what customers write on a channel that expects an answer is a question for the inbox,
in a thread of the channel's own (``data.thread``: a tweet's conversation, a chat session, an
e-mail thread; an SMS or WhatsApp number and letters are one thread per customer): a new
thread opens a conversation, the customer going on in their last one joins or reopens it, and
now and then an agent's reply follows a few events later (the conversation then waits on the
customer).
"""

import itertools
import random
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from console.demo.catalogue import INTERACTIONS, LAST_NAMES, PRODUCTS
from console.demo.messages import THREAD_PREFIX, questions_for

from .client import ApiClient, SimulationError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Kept out of background traffic so each story starts from its seeded "before" state.
STORY_NUMBERS = {f"C-20000{n}" for n in range(1, 7)}
POOL_SIZE = 25
SURNAME_PARTS = ["van", "de", "van der", "van den"]


def now_iso(at: datetime | None = None) -> str:
    return (at or datetime.now(AMSTERDAM)).isoformat(timespec="seconds")


def today() -> date:
    # The console's day, not the machine's: invoices are due in Dutch days.
    return datetime.now(AMSTERDAM).date()


@dataclass
class Person:
    number: str
    name: str
    email: str = ""
    phone: str = ""
    handles: dict = field(default_factory=dict)  # network -> handle, as the profile lists them
    address: str = ""  # the primary address on one line, as printed on a letter


def person_from_profile(profile: dict) -> Person:
    person = Person(number=profile["customer_number"], name=profile.get("name", ""))
    for ident in profile.get("identifiers", []):
        if ident["kind"] == "email" and not person.email:
            person.email = ident["value"]
        elif ident["kind"] == "phone" and not person.phone:
            person.phone = ident["value"]
        elif ident["kind"] == "handle":
            person.handles.setdefault(ident["namespace"], ident["value"])
    primary = [a for a in profile.get("addresses", []) if a.get("is_primary")] or profile.get("addresses", [])
    if primary:
        person.address = f"{primary[0]['street']}, {primary[0]['postal_code']} {primary[0]['city']}"
    return person


def customers_fetch(client: ApiClient, rng: random.Random, size: int = POOL_SIZE) -> list[Person]:
    """Customers to send traffic for, found by searching common Dutch surnames."""
    found: dict[str, dict] = {}
    # "van" and "de" open half the Dutch surnames; the list of common ones finds the rest.
    queries = rng.sample(SURNAME_PARTS, k=len(SURNAME_PARTS)) + rng.sample(LAST_NAMES, k=min(12, len(LAST_NAMES)))
    for query in queries:
        reply = client.get("/api/v1/customers", q=query)
        if reply.status != 200:
            raise SimulationError(f"Searching customers answered {reply.status}: {reply.errors()}")
        found.update({c["customer_number"]: c for c in reply.body})
        if len(found.keys() - STORY_NUMBERS) >= size:
            break
    # A database with only the story customers (a test, a fresh install) still gets traffic.
    chosen = [c for n, c in found.items() if n not in STORY_NUMBERS] or list(found.values())
    people = []
    for brief in chosen[:size]:
        reply = client.get(f"/api/v1/customers/{brief['id']}")
        if reply.status == 200:
            people.append(person_from_profile(reply.body))
    return people


# Lines for the channels the demo catalogue has none for: (summary, body in Dutch).
EXTRA_LINES = {
    "facebook": [
        (
            "Message on Facebook: asked about the {product} promotion",
            "Hoi, geldt de actie op de {product} ook in de winkel of alleen online?",
        )
    ],
    "sms": [
        ("SMS reply: delivery time slot is fine", "Ja, dinsdag tussen 14 en 16 uur is prima."),
        ("SMS: asked to deliver to the neighbours", "Ik ben morgen niet thuis, mag het pakket naar nr. 12?"),
    ],
    "instagram": [
        (
            "Comment on Instagram: asked if the {product} comes in black",
            "Is deze {product} ook in het zwart te krijgen? 😍",
        )
    ],
    "whatsapp": [
        (
            "WhatsApp: sent a photo of the damaged {product}",
            "Kijk, zo kwam de {product} binnen. De doos was helemaal ingedeukt.",
        )
    ],
}
# (channel, weight): how often each touchpoint speaks up on an ordinary day.
CHANNELS = [
    ("web", 6),
    ("email", 5),
    ("chat", 4),
    ("phone", 4),
    ("chatbot", 3),
    ("whatsapp", 3),
    ("twitter", 2),
    ("store", 2),
    ("sms", 2),
    ("instagram", 1),
    ("facebook", 1),
    ("post", 1),
]
# Channels whose messages expect an answer (the default answer rules): most of what customers
# write there is a question for the inbox, and a thread of the channel's own.
ANSWERED = {"twitter", "facebook", "instagram", "whatsapp", "chat", "chatbot", "sms", "email", "post"}
# Who answers on each of those channels (their usernames are their roles); none: the mailbox.
ANSWERER = {"sms": "phone", "email": "manager", "post": "manager"}
# The demo users who work each channel (their usernames are their roles).
CHANNEL_AGENT = {"phone": "phone", "store": "store", "chat": "webcare", "whatsapp": "webcare"}
CALL_OUTCOMES = [
    "Question answered",
    "Delivery date confirmed",
    "Return explained",
    "Address changed",
    "Callback promised for tomorrow",
    "Invoice copy sent by e-mail",
]
ID_DOCUMENTS = ["Paspoort", "ID-kaart", "Rijbewijs"]


def lines_for(channel: str) -> list[tuple[str, str]]:
    lines = [(summary, body) for channels, summary, body, _ in INTERACTIONS if channel in channels]
    return lines + EXTRA_LINES.get(channel, [])


class Traffic:
    """An endless, seeded stream of plausible events over ``people``."""

    def __init__(self, people: list[Person], rng: random.Random, run: str | None = None):
        self.people, self.rng = people, rng
        self.run = run or uuid.uuid4().hex[:8]  # new ids every run, even with the same --seed
        self.counter = 0
        self.refs = itertools.count(1)  # order numbers and call ids, unique within the run
        self.follow_ups: deque[dict] = deque()
        self.threads: dict[tuple[str, str], str] = {}  # (customer number, channel) -> their last thread

    def next_event(self) -> dict:
        # Follow-ups come a few events later, and never pile up beyond a handful.
        if self.follow_ups and (len(self.follow_ups) > 6 or self.rng.random() < 0.35):
            return self._stamp(self.follow_ups.popleft())
        maker = self.rng.choices(
            [self.interaction, self.call, self.order, self.wishlist, self.mail_returned, self.identity],
            weights=[55, 12, 12, 8, 2, 2],
        )[0]
        return self._stamp(maker(self.rng.choice(self.people)))

    def _stamp(self, event: dict) -> dict:
        self.counter += 1
        return {"id": f"sim-{self.run}-{self.counter:06d}", "occurred_at": now_iso(), **event}

    def _ref(self, person: Person, *, by: str = "number", network: str = "") -> dict:
        """The customer block as this source knows the person; the number when it knows nothing else."""
        if by == "phone" and person.phone:
            return {"phone": person.phone}
        if by == "email" and person.email:
            return {"email": person.email}
        if by == "handle" and network in person.handles:
            return {"handle": {"network": network, "value": person.handles[network]}}
        return {"customer_number": person.number}

    def interaction(self, person: Person) -> dict:
        channel = self.rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
        answer = ""
        if channel in ANSWERED and (self.rng.random() < 0.7 or not lines_for(channel)):
            _channels, summary, body, _en, answer, _answer_en = self.rng.choice(questions_for(channel))
        else:
            summary, body = self.rng.choice(lines_for(channel))
        product = self.rng.choice(PRODUCTS)[1]
        by = {"phone": "phone", "sms": "phone", "whatsapp": "phone", "email": "email"}.get(channel, "number")
        if channel in ("twitter", "facebook", "instagram"):
            by = "handle"
        data = {
            "channel": channel,
            "direction": "inbound",
            "summary": summary.format(product=product),
            "body": body.format(product=product),
        }
        if channel in CHANNEL_AGENT:
            data["agent"] = CHANNEL_AGENT[channel]
        if channel == "web":
            data["url"] = f"https://www.example.nl/p/{self.rng.choice(PRODUCTS)[0].lower()}"
        customer = self._ref(person, by=by, network=channel)
        if channel in THREAD_PREFIX:
            data["thread"] = self._thread(person, channel)
        if answer and self.rng.random() < 0.25:
            self._answer(customer, data, answer.format(product=product))
        return {"type": "interaction.recorded", "customer": customer, "data": data}

    def _thread(self, person: Person, channel: str) -> str:
        """The channel's thread: now and then the customer goes on in their last one (it joins
        that conversation, or reopens it), else a new one (a new conversation in the inbox)."""
        key = (person.number, channel)
        if key not in self.threads or self.rng.random() < 0.7:
            self.threads[key] = f"{THREAD_PREFIX[channel]}-{self.run}-{next(self.refs):05d}"
        return self.threads[key]

    def _answer(self, customer: dict, asked: dict, answer: str) -> None:
        """An agent answers on the channel a few events later (reported by the channel's tool):
        the conversation then waits on the customer."""
        data = {"channel": asked["channel"], "direction": "outbound", "summary": f"Replied: {answer}", "body": answer}
        agent = ANSWERER.get(asked["channel"], "webcare")
        if agent:
            data["agent"] = agent
        if "thread" in asked:
            data["thread"] = asked["thread"]
        self.follow_ups.append({"type": "interaction.recorded", "customer": customer, "data": data})

    def call(self, person: Person) -> dict:
        call_id = f"call-{self.run}-{next(self.refs):05d}"
        number = person.phone or f"+3161{self.rng.randrange(10**7):07d}"
        customer = self._ref(person, by="phone")
        self.follow_ups.append(
            {
                "type": "call.ended",
                "customer": customer,
                "data": {
                    "call_id": call_id,
                    "duration_s": self.rng.randint(40, 900),
                    "outcome": self.rng.choice(CALL_OUTCOMES),
                },
            }
        )
        # "phone" is the demo phone agent's username: the screen pop lands on that console.
        return {
            "type": "call.started",
            "customer": customer,
            "data": {"call_id": call_id, "from_number": number, "agent": "phone"},
        }

    def order(self, person: Person) -> dict:
        number = f"WS-SIM-{self.run.upper()}-{next(self.refs):05d}"
        products = self.rng.sample(PRODUCTS, k=self.rng.choice([1, 1, 2, 3]))
        lines = [
            {"sku": sku, "description": desc, "quantity": 1, "unit_price": str(price)} for sku, desc, price in products
        ]
        total = sum((Decimal(line["unit_price"]) for line in lines), Decimal("0"))
        base = {"customer": {"customer_number": person.number}}
        data = {"order_number": number, "lines": lines, "total": str(total), "currency": "EUR"}
        shipped = [{**line, "status": "shipped"} for line in lines]
        self.follow_ups.append(
            {**base, "type": "order.updated", "data": {**data, "status": "shipped", "lines": shipped}}
        )
        self._invoice(person, number, total)
        return {**base, "type": "order.placed", "data": {**data, "status": "placed"}}

    def _invoice(self, person: Person, order_number: str, amount: Decimal) -> None:
        """Finance invoices the order; most customers pay, the rest reach the credit flag later."""
        invoice, day, customer = order_number.replace("WS-", "INV-", 1), today(), {"customer_number": person.number}
        self.follow_ups.append(
            {
                "type": "invoice.issued",
                "customer": customer,
                "data": {
                    "invoice_number": invoice,
                    "amount": str(amount),
                    "currency": "EUR",
                    "issued_on": day.isoformat(),
                    "due_on": (day + timedelta(days=14)).isoformat(),
                    "order_number": order_number,
                },
            }
        )
        if self.rng.random() < 0.8:
            self.follow_ups.append(
                {
                    "type": "payment.received",
                    "customer": customer,
                    "data": {"invoice_number": invoice, "amount": str(amount), "received_on": day.isoformat()},
                }
            )

    def wishlist(self, person: Person) -> dict:
        items = [{"sku": sku, "description": desc} for sku, desc, _ in self.rng.sample(PRODUCTS, k=3)]
        return {
            "type": "wishlist.updated",
            "customer": self._ref(person, by="email"),
            "data": {"items": items[: self.rng.randint(1, 3)]},
        }

    def mail_returned(self, person: Person) -> dict:
        if not person.address:  # the post room only scans letters that were sent somewhere
            return self.interaction(person)
        return {
            "type": "mail.returned",
            "customer": {"customer_number": person.number},
            "data": {
                "mail_ref": f"Rekeningoverzicht {today():%m-%Y}",
                "address": person.address,
                "reason": self.rng.choice(["addressee_unknown", "moved", "moved", "refused"]),
            },
        }

    def identity(self, person: Person) -> dict:
        result = self.rng.choices(["valid", "expired", "mismatch"], weights=[8, 1, 1])[0]
        expires = today() + timedelta(days=-90 if result == "expired" else self.rng.randint(200, 3500))
        return {
            "type": "identity.checked",
            "customer": {"customer_number": person.number},
            "data": {
                "document_type": self.rng.choice(ID_DOCUMENTS),
                "document_last4": f"{self.rng.randrange(10**4):04d}",
                "expires_on": expires.isoformat(),
                "result": result,
                "checked_by": self.rng.choice(["Koerier", "Winkel Utrecht", "Winkel Haarlem"]),
            },
        }
