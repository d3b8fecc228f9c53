from django.conf import settings
from django.db import models
from django.utils import timezone

from console.callbacks.windows import window_for_agents
from console.customers.identifiers import format_phone


class Callback(models.Model):
    """A promise to call the customer back within a time window, on a case (story S5).

    Written only by ``callbacks.services``. The window moves when the beat job finds it about
    to be missed (the customer is texted the new one); ``moved_count`` says how often, by hand
    or by the job, ``auto_moves`` how often by the job (capped at ``CALLBACK_MAX_MOVES``, after
    which the case is escalated once, ``escalated_at``). A callback promised on an existing
    case keeps that case's team, due time and next step (``case_*_before``) to give them back
    when the call is made. ``customer`` follows the case's customer (a merge moves both).
    """

    class Status(models.TextChoices):
        PROMISED = "promised", "Promised"
        MADE = "made", "Made"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="callbacks")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="callbacks")
    # The number to call, in E.164: the customer's phone on record or one the agent typed.
    phone = models.CharField(max_length=20)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROMISED)
    promised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promised_at = models.DateTimeField(default=timezone.now)
    moved_count = models.PositiveSmallIntegerField(default=0)
    moved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(null=True, blank=True)
    auto_moves = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # What the case had before the callback took it over (empty team: a case of its own).
    case_team_before = models.CharField(max_length=20, blank=True)
    case_due_before = models.DateTimeField(null=True, blank=True)
    case_next_step_before = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["window_end", "id"]
        indexes = [
            models.Index(fields=["status", "window_end"], name="callback_by_status_end"),
            models.Index(fields=["customer", "status"], name="callback_by_customer"),
        ]

    def __str__(self):
        return f"Callback to {self.phone} by {self.window_end:%Y-%m-%d %H:%M}"

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def window_text(self) -> str:
        """ "between 14:00 and 15:00 (Tue 24-11)", as agents read it."""
        return window_for_agents(self.window_start, self.window_end)

    @property
    def is_promised(self) -> bool:
        return self.status == self.Status.PROMISED

    @property
    def is_late(self) -> bool:
        """Promised and the window has passed: the customer is waiting."""
        return self.is_promised and self.window_end < timezone.now()

    @property
    def is_now(self) -> bool:
        """Promised and the window is open right now."""
        return self.is_promised and self.window_start <= timezone.now() <= self.window_end
