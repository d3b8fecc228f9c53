from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from console.timeline.models import Channel


class Team(models.TextChoices):
    WEBCARE = "webcare", "Webcare"
    PHONE = "phone", "Phone"
    STORE = "store", "Store"
    BACK_OFFICE = "back_office", "Back office"


class Case(models.Model):
    """A matter that spans channels and time, with an owner and a next step."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        COMPLAINT = "complaint", "Complaint"
        RETURN = "return", "Return"
        CALLBACK = "callback", "Callback"
        JOURNEY = "journey", "Journey"
        DATA_QUALITY = "data_quality", "Data quality"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITING = "waiting", "Waiting on customer"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.OPEN, Status.WAITING)

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.QUESTION)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    team = models.CharField(max_length=12, choices=Team.choices, default=Team.PHONE)
    due_at = models.DateTimeField(null=True, blank=True)
    next_step = models.CharField(max_length=300, blank=True)
    # The channel the matter came in on: a complaint's deadline depends on it.
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set once, when an overdue complaint was put before the managers; the case stays open.
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What was done, in words, when the case was resolved or closed: a complaint's answer to the
    # customer, how a data-quality task was settled. Empty while the case is open.
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["customer", "status"]), models.Index(fields=["team", "status", "due_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:case", args=[self.pk])

    @staticmethod
    def reference_for(pk: int) -> str:
        return f"K-{pk:06d}"

    @property
    def reference(self) -> str:
        """The case number agents and source systems quote (``case_ref`` in the API)."""
        return self.reference_for(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.due_at is not None and self.status in self.OPEN_STATUSES and self.due_at < timezone.now()


# A complaint's deadline when even the default row of ComplaintDeadline was deleted.
COMPLAINT_FALLBACK_DAYS = 14


class ComplaintDeadline(models.Model):
    """How long the company takes to answer a complaint, by the channel it came in on.

    Edited in the admin. The row without a channel is the default for every channel that has
    no row of its own.
    """

    channel = models.CharField(
        max_length=12,
        choices=[("", "Any other channel")] + [c for c in Channel.choices if c[0] != Channel.SYSTEM],
        blank=True,
        unique=True,
    )
    days = models.PositiveSmallIntegerField(help_text="Calendar days from the moment the complaint came in.")

    class Meta:
        ordering = ["channel"]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.days} days"

    @classmethod
    def days_for(cls, channel: str) -> int:
        rows = dict(cls.objects.filter(channel__in=[channel, ""]).values_list("channel", "days"))
        return rows.get(channel, rows.get("", COMPLAINT_FALLBACK_DAYS))
