from django.conf import settings
from django.db import models
from django.utils import timezone


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
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["customer", "status"]), models.Index(fields=["team", "status", "due_at"])]

    def __str__(self):
        return self.title

    @property
    def reference(self) -> str:
        """The case number agents and source systems quote (``case_ref`` in the API)."""
        return f"K-{self.pk:06d}"

    @property
    def is_overdue(self):
        return self.due_at is not None and self.status in self.OPEN_STATUSES and self.due_at < timezone.now()
