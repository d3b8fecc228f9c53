"""Conversations: the customer messages that expect an answer, who answers them, and by when
(the SLA policies and the business calendar they are timed by: docs/inbox.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from console.cases.models import Team
from console.messaging.models import OutboundMessage
from console.timeline.models import Channel, TimelineEntry


class AnswerRule(models.Model):
    """Which contacts expect an answer, and which team answers them (edited by an admin).

    A contact the customer makes (a timeline entry of this kind, inbound, on this channel) opens
    or joins a conversation when a rule says it expects an answer. A rule with no channel covers
    every channel of its kind; a rule for the channel wins. No rule: no answer expected (a web
    visit, a wish-list change, a payment)."""

    kind = models.CharField(max_length=20, choices=TimelineEntry.Kind.choices, default=TimelineEntry.Kind.INTERACTION)
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True, help_text="Empty: every channel.")
    expects_answer = models.BooleanField(default=True)
    team = models.CharField(max_length=20, choices=Team.choices, default=Team.WEBCARE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "channel"], name="one_answer_rule_per_kind_channel")]
        ordering = ["kind", "channel"]

    def __str__(self):
        said = "expects an answer from " + self.get_team_display() if self.expects_answer else "expects no answer"
        return f"{self.get_kind_display()} on {self.get_channel_display() or 'any channel'}: {said}"


class InboxTeam(models.Model):
    """A team's inbox settings (edited by an admin): whether new conversations are handed out
    automatically, and how many open ones each agent carries at most."""

    team = models.CharField(max_length=20, choices=Team.choices, unique=True)
    auto_assign = models.BooleanField(
        default=False, help_text="Hand new conversations to the team's online agents, least loaded first."
    )
    capacity = models.PositiveSmallIntegerField(default=8, help_text="Open conversations per agent at most.")

    def __str__(self):
        return f"{self.get_team_display()} inbox"


class Priority(models.TextChoices):
    """How soon a conversation must be answered; the order is the rank (the highest wins)."""

    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


PRIORITY_RANK = {value: rank for rank, value in enumerate(Priority.values)}


class PriorityReason(models.TextChoices):
    """Why a conversation has a priority above normal: a policy marked for these customers."""

    GOLD = "gold", "Gold customer"
    COMPLAINT = "complaint", "Complaint"


class SlaPolicy(models.Model):
    """How many business minutes an answer may take, per channel and priority (edited by an
    admin). A policy with no channel covers every channel; one for the channel wins. A policy
    marked for gold customers or complaints gives its priority to their conversations."""

    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True, help_text="Empty: every channel.")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    first_response_minutes = models.PositiveIntegerField(help_text="Business minutes to the first answer.")
    next_response_minutes = models.PositiveIntegerField(help_text="Business minutes to every next answer.")
    resolution_minutes = models.PositiveIntegerField(help_text="Business minutes from opening to done.")
    for_gold_customers = models.BooleanField(
        default=False, help_text="Conversations of customers with a gold loyalty flag get this priority."
    )
    for_complaints = models.BooleanField(
        default=False, help_text="Conversations linked to a complaint case get this priority."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "priority"], name="one_sla_policy_per_channel")]
        ordering = ["channel", "priority"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self):
        return f"{self.get_priority_display()} on {self.get_channel_display() or 'any channel'}"


class OpeningHours(models.Model):
    """When the business clock runs on a weekday (in TIME_ZONE). Closing at 00:00 means at
    midnight, so 00:00-00:00 is the whole day."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, unique=True)
    closed = models.BooleanField(default=False)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True, help_text="00:00: at midnight.")

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = "opening hours"

    def __str__(self):
        if self.closed:
            return f"{self.get_weekday_display()}: closed"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        if self.closed:
            return
        if self.opens is None or self.closes is None:
            raise ValidationError("An open day needs the time it opens and the time it closes.")
        if self.closes <= self.opens and self.closes.strftime("%H:%M") != "00:00":
            raise ValidationError("It must close after it opens (00:00: at midnight).")


class ClosedDay(models.Model):
    """A day the business clock does not run, besides the Dutch public holidays (a company day
    out, a move of the office): the whole day, in TIME_ZONE."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y}: {self.reason}"


class Conversation(models.Model):
    """One thread with the customer on one channel (a tweet thread, a chat session, an SMS
    number, an e-mail thread, a letter), or the open case its messages are linked to."""

    class Status(models.TextChoices):
        AWAITING_REPLY = "awaiting_reply", "Awaiting reply"
        WAITING_ON_CUSTOMER = "waiting_on_customer", "Waiting on customer"
        DONE = "done", "Done"

    OPEN_STATUSES = (Status.AWAITING_REPLY, Status.WAITING_ON_CUSTOMER)

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="conversations")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The channel's own thread (a tweet's conversation id, a chat session, an e-mail thread);
    # empty: the customer's one thread on this channel (an SMS or WhatsApp number, letters).
    thread = models.CharField(max_length=200, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.CharField(max_length=20, choices=Team.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.AWAITING_REPLY)
    # What the customer said last (the first line the inbox shows).
    last_words = models.CharField(max_length=300)
    opened_at = models.DateTimeField()
    # Since when the customer has been waiting for an answer (None while waiting on them).
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    # Whether the first response came before it was due (None: not answered yet).
    first_response_in_time = models.BooleanField(null=True, blank=True)
    # Business seconds from the first message to the first response (the managers' figures).
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the next answer is due.")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # Which reason gave the priority (empty: none, normal): a re-decision lowers the priority of an
    # open conversation only when this reason is gone (priority.py).
    priority_reason = models.CharField(max_length=10, choices=PriorityReason.choices, blank=True)
    # When 80% of the answer's business time has passed (the owner is warned), and when the
    # owner was warned and the managers told of the breach: once per wait (docs/inbox.md).
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    # The resolution clock (docs/inbox.md, "The clock"): it starts when the conversation opens or
    # reopens after done, pauses while waiting on the customer (the business seconds paused are
    # added to its target), and stops when done. The managers are told once per open period.
    resolution_started_at = models.DateTimeField(null=True, blank=True)
    resolution_paused_since = models.DateTimeField(null=True, blank=True)
    resolution_paused_seconds = models.PositiveIntegerField(default=0)
    resolution_due_at = models.DateTimeField(null=True, blank=True, help_text="When it must be done.")
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "channel", "thread"],
                condition=~Q(status="done"),
                name="one_open_conversation_per_thread",
            )
        ]
        indexes = [
            models.Index(fields=["status", "team", "due_at"], name="conversation_team_due"),
            models.Index(fields=["assignee", "status", "due_at"], name="conversation_assignee_due"),
            # What the SLA beat job looks for: owners to warn, breaches to report.
            models.Index(
                fields=["warn_at"],
                condition=Q(status="awaiting_reply", warned_at__isnull=True),
                name="conversation_to_warn",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(status="awaiting_reply", breached_at__isnull=True),
                name="conversation_to_breach",
            ),
            # Resolution breaches the SLA beat job has to report.
            models.Index(
                fields=["resolution_due_at"],
                condition=Q(status__in=["awaiting_reply", "waiting_on_customer"], resolution_breached_at__isnull=True),
                name="conversation_to_resolve",
            ),
            # The inbox lists in their order (selectors.inbox_page), open conversations only: a
            # team's list reads its first 50 entries instead of sorting every open one of the team
            # (docs/performance.md, Inbox). The condition is the lists' own (OPEN_STATUSES), so
            # that PostgreSQL can tell the index covers them.
            models.Index(
                fields=["team", "due_at", "waiting_since", "opened_at", "id"],
                condition=Q(status__in=["awaiting_reply", "waiting_on_customer"]),
                name="conversation_open_team_order",
            ),
            # The same over every team (a manager's lists, an agent of several teams).
            models.Index(
                fields=["due_at", "waiting_since", "opened_at", "id"],
                condition=Q(status__in=["awaiting_reply", "waiting_on_customer"]),
                name="conversation_open_order",
            ),
            # How many of a team's are unassigned (the list's total, the counts in the navigation),
            # counted in the index alone.
            models.Index(
                fields=["team"],
                condition=Q(status__in=["awaiting_reply", "waiting_on_customer"], assignee__isnull=True),
                name="conversation_unassigned_team",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} conversation with customer {self.customer_id}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def can_reply(self) -> bool:
        """Whether an agent can answer from the inbox: Klantbeeld sends on this channel (not a
        chat or the chatbot, answered in their own tool)."""
        return self.channel in OutboundMessage.Channel.values
