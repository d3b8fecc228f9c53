"""Conversations: the customer messages that expect an answer, who answers them, and by when."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from console.cases.models import Team
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
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the next answer is due.")
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
