"""The GDPR (AVG) requests of docs/privacy.md: a customer's data export (art. 15) and erasure (art. 17)."""

from django.conf import settings
from django.db import models


class DataExport(models.Model):
    """A complete export of one customer's data, built by a task, downloadable by its requester
    only until ``expires_at``; its files are then deleted."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired (files deleted)"

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # When a builder claimed it (QUEUED -> RUNNING): one builder at a time.
    started_at = models.DateTimeField(null=True, blank=True)
    # 0-100, and the part being gathered, shown on the page while the task runs.
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=80, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Names in the "exports" storage (settings.STORAGES): the JSON and the readable HTML.
    json_file = models.CharField(max_length=200, blank=True)
    html_file = models.CharField(max_length=200, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"export {self.pk} of customer {self.customer_id} ({self.status})"


class ErasureRequest(models.Model):
    """A request to erase a customer's personal data: asked by one person, decided by a manager
    who is not that person, then carried out once; irreversible."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a manager"
        APPROVED = "approved", "Approved, being erased"
        DONE = "done", "Erased"
        REFUSED = "refused", "Refused"

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    # The customer's number, kept: after erasure it is the only name the request has.
    customer_number = models.CharField(max_length=20)
    reason = models.CharField(max_length=300, help_text="How the customer asked, e.g. 'e-mail of 2 Dec'.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # What was erased and kept, by part ({"timeline entries": 12, ...}), and the source systems
    # that sent events about the customer (to be asked to erase too).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One open request per customer at a time.
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(status__in=["requested", "approved"]),
                name="one_open_erasure_per_customer",
            )
        ]

    def __str__(self):
        return f"erasure of {self.customer_number} ({self.status})"
