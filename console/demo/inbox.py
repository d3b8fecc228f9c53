"""The demo inbox: what the crowd wrote in the last few days, on every channel that expects an
answer, and how far the teams got with it.

Made the way real traffic makes it (docs/inbox.md): the customer's message is a timeline entry
that ``conversation_hear`` opens or joins a conversation with, as the event API does; an answer
an agent gave earlier is an outgoing entry the same function hears, as a reply the channel's
tool reports; taking and closing are ``conversation_take`` and ``conversation_done``, which
write their notes *now*, so they come last in each customer's history (histories are written
in time order, demo/history.py). The crowd's own contacts are older than ``INBOX_DAYS``: what
customers said since then is all here, in a conversation.

Each conversation gets a fate: new and unassigned, due soon, overdue, taken by the team's demo
agent, answered and waiting on the customer, answered and written to again (reopened), closed
after an answer, or closed as "no reply needed" with a reason.
"""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from console.conversations.models import Conversation
from console.conversations.services import conversation_done, conversation_hear, conversation_take
from console.customers.models import Customer, Identifier
from console.customers.services import identifier_add
from console.demo.catalogue import PRODUCTS
from console.demo.history import Step
from console.demo.messages import CHANNEL_SOURCE, THREAD_PREFIX, questions_for, thanks_for
from console.timeline.models import TimelineEntry
from console.timeline.services import timeline_entry_record

# How far back the inbox goes: the crowd's contacts are older (demo/crowd.py).
INBOX_DAYS = 3
# How many conversations a crowd customer has in the inbox (0-3), and on which channels.
PER_CUSTOMER = ([0, 1, 2, 3], [15, 40, 30, 15])
CHANNELS = {
    "twitter": 14,
    "facebook": 7,
    "instagram": 6,
    "whatsapp": 14,
    "chat": 16,
    "chatbot": 7,
    "sms": 10,
    "email": 18,
    "post": 6,
}
# The demo user who works each team's inbox (back office has none of its own: the manager helps),
# and how many open conversations each takes at most; the rest stay with the team, unassigned.
TEAM_AGENT = {"webcare": "webcare", "phone": "phone", "store": "store", "back_office": "manager"}
MINE_AT_MOST = 12
SOCIAL_HANDLES = ("twitter", "facebook", "instagram")


@dataclass(frozen=True)
class Fate:
    weight: int
    # The customer's first message came this many minutes ago (from, to); None: up to INBOX_DAYS.
    minutes_ago: tuple[int, int | None]
    taken: bool = False
    answered: bool = False
    reopened: bool = False
    done: bool = False
    no_reply: bool = False


def _fates() -> dict[str, Fate]:
    first = settings.INBOX_FIRST_RESPONSE_MINUTES
    return {
        "new": Fate(24, (1, first - 20)),
        "due_soon": Fate(5, (first - 14, first - 1)),
        "overdue": Fate(10, (first + 15, None)),
        "overdue_taken": Fate(5, (first + 5, first + 600), taken=True),
        "taken": Fate(10, (5, first - 16), taken=True),
        "answered": Fate(16, (first, None), taken=True, answered=True),
        "reopened": Fate(8, (300, None), taken=True, answered=True, reopened=True),
        "done": Fate(14, (120, None), answered=True, done=True),
        "no_reply": Fate(6, (30, None), no_reply=True),
    }


class Inbox:
    def __init__(self, *, users: dict, seed: int = 2026, now: datetime):
        # Its own random numbers: the crowd's customers stay what they were without an inbox.
        self.rng = random.Random(seed + 15)
        self.users, self.now = users, now
        self.fates = _fates()
        self.threads = 0
        self.taken: Counter = Counter()

    def plan(self, customer: Customer, steps: list[Step]) -> list[Step]:
        """This customer's conversations, as steps to run in time order with the rest of their
        history (``steps``); the agents' takes and closes come at the end."""
        count = self.rng.choices(*PER_CUSTOMER)[0]
        channels = self._channels(count)
        latest = max((s.at for s in steps if s.at < self.now), default=self.now - timedelta(days=INBOX_DAYS + 1))
        planned = []
        for channel in channels:
            name = self.rng.choices(list(self.fates), [f.weight for f in self.fates.values()])[0]
            if name == "reopened" and any(p.fate.reopened for p in planned):
                name = "answered"  # one reopening a customer: it is the last thing they did
            planned.append(self._conversation(customer, channel, self.fates[name]))
        planned.sort(key=lambda p: p.fate.reopened)
        result = []
        for conversation in planned:
            result += conversation.steps(latest=max([latest, *(s.at for s in result if s.at < self.now)]))
        return result

    def hear_recent(self, entry: TimelineEntry) -> None:
        """A contact of the crowd's own history (a question about a case) in the inbox's days is
        in the inbox too, unanswered."""
        if entry.occurred_at >= self.now - timedelta(days=INBOX_DAYS):
            conversation_hear(entry=entry)

    def _channels(self, count: int) -> list[str]:
        names, weights = list(CHANNELS), list(CHANNELS.values())
        chosen = []
        while len(chosen) < count:
            channel = self.rng.choices(names, weights)[0]
            if channel not in chosen:
                chosen.append(channel)
        return chosen

    def _conversation(self, customer: Customer, channel: str, fate: Fate) -> "PlannedConversation":
        if fate.no_reply and not thanks_for(channel):
            fate = self.fates["done"]
        low = max(1, fate.minutes_ago[0])
        high = max(low, fate.minutes_ago[1] or INBOX_DAYS * 24 * 60)
        started = self.now - timedelta(minutes=self.rng.randint(low, high))
        english = customer.language == "en"
        product = self.rng.choice(PRODUCTS)[1]
        if fate.no_reply:
            _channels, summary, nl, en, reason = self.rng.choice(thanks_for(channel))
            words, answer = (en if english else nl), reason
        else:
            _channels, summary, nl, en, answer_nl, answer_en = self.rng.choice(questions_for(channel))
            words, answer = (en if english else nl), (answer_en if english else answer_nl)
        self.threads += 1
        prefix = THREAD_PREFIX.get(channel)
        return PlannedConversation(
            inbox=self,
            customer=customer,
            channel=channel,
            thread=f"{prefix}-{customer.pk}-{self.threads}" if prefix else "",
            fate=fate,
            started=started,
            summary=summary.format(product=product),
            words=words.format(product=product),
            answer=answer.format(product=product),
        )

    def agent_for(self, conversation: Conversation):
        return self.users[TEAM_AGENT.get(conversation.team, "webcare")].user


@dataclass
class PlannedConversation:
    inbox: Inbox
    customer: Customer
    channel: str
    thread: str
    fate: Fate
    started: datetime
    summary: str
    words: str
    answer: str
    conversation: Conversation | None = None

    def steps(self, *, latest: datetime) -> list[Step]:
        rng, now = self.inbox.rng, self.inbox.now
        steps = [Step(self.started, lambda: self._customer_writes(self.started))]
        answered_at = self.started + timedelta(minutes=rng.randint(4, 55))
        if self.fate.answered and answered_at < now:
            steps.append(Step(answered_at, lambda: self._agent_answers(answered_at)))
            if self.fate.reopened:
                again = max(latest, answered_at, now - timedelta(minutes=rng.randint(10, 200))) + timedelta(minutes=1)
                if again < now:
                    steps.append(Step(again, lambda: self._customer_writes(again, follow_up=True)))
        if self.fate.taken:
            steps.append(Step(now, self._take))
        if self.fate.done or self.fate.no_reply:
            steps.append(Step(now, self._close))
        return steps

    def _take(self) -> None:
        if self.conversation is None:
            return
        agent = self.inbox.agent_for(self.conversation)
        if self.inbox.taken[agent.pk] < MINE_AT_MOST:
            self.inbox.taken[agent.pk] += 1
            conversation_take(conversation_id=self.conversation.pk, user=agent)

    def _close(self) -> None:
        if self.conversation is not None:
            agent = self.inbox.agent_for(self.conversation)
            reason = self.answer if self.fate.no_reply else ""
            conversation_done(conversation_id=self.conversation.pk, user=agent, reason=reason)

    def _customer_writes(self, at: datetime, *, follow_up: bool = False) -> Conversation | None:
        self._reachable()
        english = self.customer.language == "en"
        words = ("Any news?" if english else "Nog nieuws?") if follow_up else self.words
        entry = timeline_entry_record(
            customer_id=self.customer.pk,
            kind=TimelineEntry.Kind.INTERACTION,
            channel=self.channel,
            direction=TimelineEntry.Direction.INBOUND,
            summary=f"Wrote again: {self.summary}" if follow_up else self.summary,
            body=words,
            occurred_at=at,
            actor_source=CHANNEL_SOURCE[self.channel],
            raw={"data": {"channel": self.channel, "thread": self.thread}},
        )
        # None when an admin's rules say this channel expects no answer: then nothing more happens.
        self.conversation = conversation_hear(entry=entry) or self.conversation

    def _agent_answers(self, at: datetime) -> None:
        if self.conversation is None:
            return
        entry = timeline_entry_record(
            customer_id=self.customer.pk,
            kind=TimelineEntry.Kind.INTERACTION,
            channel=self.channel,
            direction=TimelineEntry.Direction.OUTBOUND,
            summary=f"Replied: {self.answer}",
            body=self.answer,
            occurred_at=at,
            actor_user=self.inbox.agent_for(self.conversation),
            raw={"data": {"channel": self.channel, "thread": self.thread}},
        )
        conversation_hear(entry=entry)

    def _reachable(self) -> None:
        """A customer who writes on a social network or WhatsApp has a handle there, so an
        agent can answer from the inbox."""
        if self.channel not in (*SOCIAL_HANDLES, "whatsapp"):
            return
        handles = Identifier.objects.filter(customer=self.customer, kind=Identifier.Kind.HANDLE)
        if handles.filter(namespace=self.channel).exists():
            return
        if self.channel == "whatsapp":  # WhatsApp knows people by their number
            phone = Identifier.objects.filter(customer=self.customer, kind=Identifier.Kind.PHONE).first()
            value = phone.value.lstrip("+") if phone else f"316{self.customer.pk:08d}"
        else:
            plain = unicodedata.normalize("NFKD", self.customer.name).encode("ascii", "ignore").decode()
            value = "".join(ch for ch in plain.lower() if ch.isalnum())[:30] + f"_{self.customer.pk}"
        identifier_add(customer_id=self.customer.pk, kind=Identifier.Kind.HANDLE, value=value, namespace=self.channel)
