"""A crowd of ordinary Dutch customers with a past, so the stories do not stand alone.

Everything goes through the services (customer_create, timeline_entry_record, order_place,
invoice_issue, payment_receive, wishlist_update, case_open, and the conversations' services),
so the demo data has exactly the shape real traffic would give it, flags, timeline entries and
the inbox included. What customers wrote in the last ``INBOX_DAYS`` is in the inbox
(demo/inbox.py); their other contacts are older.
"""

import random
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker

from console.commerce.models import Order, OrderLine
from console.commerce.services import invoice_issue, order_place, payment_receive, wishlist_update
from console.customers.identifiers import InvalidIdentifier, normalise_phone
from console.customers.services import customer_create
from console.demo.catalogue import CASE_TOPICS, INTERACTIONS, PRODUCTS
from console.demo.history import CHANNEL_TEAM, Step, case_open_at, interaction, local_at, run_in_time_order
from console.demo.inbox import INBOX_DAYS, Inbox
from console.flags.services import flags_recompute

# Reserved for documentation (RFC 2606): the demo must never mail a real inbox, even if
# someone points it at a real SMTP server to show the statement run.
EMAIL_DOMAINS = ["example.nl", "example.com", "example.org", "example.net"]
# Second digit of 06 numbers: 1 is left to the bulk seeder's +3161 range, 6 is pagers
# (valid, but not a mobile phone), 7 and 9 are not issued.
MOBILE_SECOND_DIGITS = "23458"
ID_DOCUMENT_TYPES = ["Paspoort", "Rijbewijs", "ID-kaart"]


class Crowd:
    def __init__(self, *, users: dict, seed: int = 2026, reserved_phones=(), reserved_emails=()):
        # Faker.seed seeds the generator all Faker instances share; with our own Random for
        # every other choice, two runs on the same day give the same customers.
        Faker.seed(seed)
        self.fake = {"nl": Faker("nl_NL"), "en": Faker("en_GB")}
        self.rng = random.Random(seed)
        self.users = users
        self.phones = {normalise_phone(p) for p in reserved_phones}
        self.emails = {e.casefold() for e in reserved_emails}
        self.order_no = self.invoice_no = 20000  # story numbers stay below these
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.horizon = 365
        self.inbox = Inbox(users=users, seed=seed, now=self.now)

    def seed(self, count: int, progress=None) -> None:
        for n in range(1, count + 1):
            # One transaction per customer: one commit instead of one per service call
            # (on SQLite every commit is a disk sync), and never a half-written customer.
            with transaction.atomic():
                customer = customer_create(**self._profile(n))
                # Nobody has a history from before they became a customer.
                self.horizon = (self.today - customer.customer_since).days
                steps = self._plan(customer.pk, customer.language)
                run_in_time_order(steps + self.inbox.plan(customer, steps))
                flags_recompute(customer_id=customer.pk)
            if progress and (n % 50 == 0 or n == count):
                progress(n, count)

    # --- who they are -------------------------------------------------------------------

    def _profile(self, n: int) -> dict:
        # Mostly Dutch; some expats who prefer English (and have English names).
        language = "en" if self.rng.random() < 0.15 else "nl"
        first, last = self.fake[language].first_name(), self.fake[language].last_name()
        return dict(
            customer_number=f"C-{100000 + n}",
            name=f"{first} {last}",
            language=language,
            customer_since=self.today - timedelta(days=self.rng.randint(20, 12 * 365)),
            marketing_consent=self.rng.random() < 0.4,
            email=self._email(first, last),
            phone=self._phone(),
            handles=self._handles(first, last),
            address=self._address(),
            **self._id_document(),
        )

    def _email(self, first: str, last: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}"
        email = f"{base}@{self.rng.choice(EMAIL_DOMAINS)}"
        while email in self.emails:
            email = f"{base}{self.rng.randint(2, 99)}@{self.rng.choice(EMAIL_DOMAINS)}"
        self.emails.add(email)
        return email

    def _phone(self) -> str:
        """A unique Dutch mobile number as people type it: ``06 2345 6789``."""
        while True:
            digits = f"{self.rng.choice(MOBILE_SECOND_DIGITS)}{self.rng.randint(0, 9_999_999):07d}"
            typed = f"06 {digits[:4]} {digits[4:]}"
            try:
                e164 = normalise_phone(typed)
            except InvalidIdentifier:
                continue
            if e164 not in self.phones:
                self.phones.add(e164)
                return typed

    def _handles(self, first: str, last: str) -> list[tuple[str, str]]:
        handle = f"{_ascii(first)[:1]}{_ascii(last)}{self.rng.randint(1, 99)}"[:30]
        handles = []
        if self.rng.random() < 0.2:
            handles.append(("twitter", "@" + handle))
        if self.rng.random() < 0.12:
            handles.append(("instagram", "@" + handle.replace(".", "_")))
        return handles

    def _address(self) -> dict:
        fake = self.fake["nl"]  # the English speakers live here too
        postcode = fake.postcode().replace(" ", "")
        return dict(
            street=f"{fake.street_name()} {fake.building_number()}",
            postal_code=f"{postcode[:4]} {postcode[4:].upper()}",
            city=fake.city(),
        )

    def _id_document(self) -> dict:
        if self.rng.random() > 0.45:
            return {}
        # Some expired or about to: the ID flag should have something to say in the demo.
        return dict(
            id_document_type=self.rng.choice(ID_DOCUMENT_TYPES),
            id_document_last4=f"{self.rng.randint(0, 9999):04d}",
            id_document_expires_on=self.today + timedelta(days=self.rng.randint(-400, 3650)),
        )

    # --- what happened to them ------------------------------------------------------------

    def _plan(self, customer_id: int, language: str) -> list[Step]:
        products = self.rng.sample(PRODUCTS, 6)  # what this customer is interested in
        steps = [self._contact(customer_id, language, products) for _ in range(self.rng.randint(2, 7))]
        for _ in range(self.rng.choices(range(5), weights=[25, 35, 20, 12, 8])[0]):
            steps += self._order(customer_id)
        if self.rng.random() < 0.15:
            steps.append(self._wishlist(customer_id, products))
        if self.rng.random() < 0.12:
            steps += self._case(customer_id, language, products)
        return steps

    def _moment(self, min_days: int, max_days: int):
        """A time during waking hours, between ``min_days`` and ``max_days`` days ago."""
        max_days = max(min_days, min(max_days, self.horizon))
        day = self.today - timedelta(days=self.rng.randint(min_days, max_days))
        hour = self.rng.choices(range(7, 24), weights=[2, 5, 8, 9, 9, 8, 7, 7, 7, 7, 6, 6, 7, 8, 8, 6, 3])[0]
        return local_at(day, hour, self.rng.randint(0, 59))

    def _contact(self, customer_id: int, language: str, products) -> Step:
        channels, summary, body_nl, body_en = self.rng.choice(INTERACTIONS)
        channel, product = self.rng.choice(channels), self.rng.choice(products)[1]
        at = self._moment(INBOX_DAYS + 1, 240)
        body = (body_nl if language == "nl" else body_en).format(product=product)
        return Step(
            at,
            lambda: interaction(
                customer_id=customer_id,
                channel=channel,
                at=at,
                users=self.users,
                summary=summary.format(product=product),
                body=body,
            ),
        )

    def _order(self, customer_id: int) -> list[Step]:
        placed = self._moment(1, 330)
        age = (self.today - timezone.localdate(placed)).days
        status, line_status = _delivery_state(age)
        lines = [
            dict(
                sku=sku,
                description=desc,
                unit_price=price,
                status=line_status,
                quantity=2 if price < 30 and self.rng.random() < 0.3 else 1,
            )
            for sku, desc, price in self.rng.sample(PRODUCTS, self.rng.choices([1, 2, 3], [6, 3, 1])[0])
        ]
        in_store, made = self.rng.random() < 0.2, {}

        def place():
            # Numbered when placed, not when planned, so a customer's numbers rise with time.
            self.order_no += 1
            made["order"], _entry = order_place(
                customer_id=customer_id,
                order_number=f"WS-{placed.year}-{self.order_no}",
                lines=lines,
                status=status,
                placed_at=placed,
                source="store" if in_store else "webshop",
                channel="store" if in_store else "web",
            )

        steps = [Step(placed, place)]
        # Invoices are issued the morning after; only orders old enough to have one get one.
        if age >= 2 and self.rng.random() < 0.85:
            steps += self._invoice(customer_id, made, timezone.localdate(placed) + timedelta(days=1), lines)
        return steps

    def _invoice(self, customer_id: int, made: dict, issued: date, lines) -> list[Step]:
        amount = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal("0"))
        due = issued + timedelta(days=14)

        def issue():
            self.invoice_no += 1
            made["invoice"], _entry = invoice_issue(
                customer_id=customer_id,
                invoice_number=f"INV-{issued.year}-{self.invoice_no}",
                amount=amount,
                issued_on=issued,
                due_on=due,
                order_id=made["order"].pk,
            )

        steps = [Step(local_at(issued, 9), issue)]
        paid_on = self._paid_on(issued, due)
        if paid_on:
            steps.append(
                Step(
                    local_at(paid_on, 12),
                    lambda: payment_receive(invoice_id=made["invoice"].pk, amount=amount, received_on=paid_on),
                )
            )
        return steps

    def _paid_on(self, issued: date, due: date) -> date | None:
        """Most people pay, some late; a few never (overdue); recent ones may still be open."""
        yesterday = self.today - timedelta(days=1)
        if issued >= yesterday:
            return None
        if due < self.today and self.rng.random() < 0.04:
            return None
        if due >= self.today and self.rng.random() < 0.5:
            return None
        latest = min(due + timedelta(days=5), yesterday)
        return issued + timedelta(days=self.rng.randint(1, max(1, (latest - issued).days)))

    def _wishlist(self, customer_id: int, products) -> Step:
        chosen = self.rng.sample(products, self.rng.randint(2, 4))
        items = [dict(sku=sku, description=desc) for sku, desc, _ in chosen]
        at = self._moment(1, 120)
        return Step(at, lambda: wishlist_update(customer_id=customer_id, items=items, occurred_at=at))

    def _case(self, customer_id: int, language: str, products) -> list[Step]:
        kind, title, next_step, said = self.rng.choice(CASE_TOPICS)
        product = self.rng.choice(products)[1]
        channel = self.rng.choice(["phone", "email", "chat", "twitter", "whatsapp", "store"])
        team = CHANNEL_TEAM.get(channel, "webcare")
        at = self._moment(INBOX_DAYS + 1, 14)
        opened, made = at + timedelta(minutes=4), {}
        common = dict(customer_id=customer_id, channel=channel, users=self.users)
        steps = [
            Step(at, lambda: interaction(**common, at=at, summary=said.format(product=product), body="")),
            Step(
                opened,
                lambda: made.update(
                    case=case_open_at(
                        at=opened,
                        customer_id=customer_id,
                        title=title.format(product=product),
                        kind=kind,
                        team=team,
                        due_at=opened + timedelta(days=7),
                        next_step=next_step,
                        channel=channel,
                        actor_user=self.users[team].user if team in self.users else None,
                    )
                ),
            ),
        ]
        follow_up = opened + timedelta(hours=self.rng.randint(6, 60))
        if self.rng.random() < 0.5 and follow_up < self.now:
            text = "Vraagt hoe het met de zaak staat." if language == "nl" else "Asks how the matter stands."
            steps.append(
                Step(
                    follow_up,
                    lambda: self.inbox.hear_recent(
                        interaction(
                            **common,
                            at=follow_up,
                            summary="Asked for an update on the case",
                            body=text,
                            case=made["case"],
                        )
                    ),
                )
            )
        return steps


def _delivery_state(age_days: int) -> tuple[str, str]:
    if age_days > 7:
        return Order.Status.DELIVERED, OrderLine.DeliveryStatus.DELIVERED
    if age_days > 1:
        return Order.Status.SHIPPED, OrderLine.DeliveryStatus.SHIPPED
    return Order.Status.PLACED, OrderLine.DeliveryStatus.PENDING


def _ascii(text: str) -> str:
    """A name as it would appear in an e-mail address: no accents, spaces or apostrophes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
