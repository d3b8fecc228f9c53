from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class Flag(models.Model):
    """A customer's standing on one subject, with the reason in words an agent can repeat.

    Written only by the services in ``flags/services.py`` (recomputation and overrides), which
    keep the history in ``FlagChange`` and publish the change to open consoles.
    """

    class Kind(models.TextChoices):
        CREDIT = "credit", "Credit"
        LOYALTY = "loyalty", "Loyalty"
        DATA_QUALITY = "data_quality", "Data quality"
        ID_DOCUMENT = "id_document", "ID document"

    class Level(models.TextChoices):
        # credit
        OK = "ok", "OK"
        WATCH = "watch", "Watch"
        HOLD = "hold", "Hold"
        # loyalty
        NONE = "none", "No tier"
        SILVER = "silver", "Silver"
        GOLD = "gold", "Gold"
        # data quality and ID document
        UNDELIVERABLE = "undeliverable", "Address undeliverable"
        BOUNCED = "bounced", "E-mail bounced"
        EXPIRING = "expiring", "Expiring soon"
        EXPIRED = "expired", "Expired"
        MISMATCH = "mismatch", "Mismatch"
        MISSING = "missing", "Not on file"

    # The levels each kind may take, for the override form and the admin.
    LEVELS = {
        Kind.CREDIT: [Level.OK, Level.WATCH, Level.HOLD],
        Kind.LOYALTY: [Level.NONE, Level.SILVER, Level.GOLD],
        Kind.DATA_QUALITY: [Level.OK, Level.UNDELIVERABLE, Level.BOUNCED],
        Kind.ID_DOCUMENT: [Level.OK, Level.EXPIRING, Level.EXPIRED, Level.MISMATCH, Level.MISSING],
    }

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.CharField(max_length=15, choices=Level.choices)
    reason = models.CharField(max_length=300)
    # The same reason without amounts, for roles that may not see invoice amounts (store).
    reason_without_amounts = models.CharField(max_length=300, blank=True)
    # Credit only: the figures behind the level, so lists can sort worst first from the flag alone.
    amount_overdue = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amount_open = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    oldest_due_on = models.DateField(null=True, blank=True)
    # When level or reason last changed.
    computed_at = models.DateTimeField()
    # When the level last changed, and what caused it ("invoice.issued", "nightly", ...).
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_because = models.CharField(max_length=200, blank=True)
    override_level = models.CharField(max_length=15, choices=Level.choices, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    override_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["customer", "kind"]
        constraints = [models.UniqueConstraint(fields=["customer", "kind"], name="flag_one_per_kind")]
        indexes = [
            models.Index(fields=["kind", "level"], name="flag_by_level"),
            models.Index(fields=["kind", "level", "-amount_overdue"], name="flag_worst_first"),
            # The few flags a manager overrode (any level may be set by hand).
            models.Index(
                fields=["kind", "override_level"], name="flag_overridden", condition=~models.Q(override_level="")
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_effective_level_display()}"

    @property
    def overridden(self) -> bool:
        """A manager's override counts until its end date, and lapses by itself after it."""
        return bool(self.override_level) and self.override_until is not None and self.override_until > timezone.now()

    @property
    def effective_level(self) -> str:
        return self.override_level if self.overridden else self.level

    def get_effective_level_display(self) -> str:
        return self.Level(self.effective_level).label

    def reason_for(self, *, finance: bool) -> str:
        return self.reason if finance or not self.reason_without_amounts else self.reason_without_amounts

    @property
    def tone(self) -> str:
        """How alarming the badge looks: good, neutral, warn or bad."""
        return {
            "ok": "good",
            "gold": "good",
            "silver": "good",
            "none": "neutral",
            "missing": "neutral",
            "watch": "warn",
            "expiring": "warn",
            "bounced": "warn",
        }.get(self.effective_level, "bad")


class FlagChange(models.Model):
    """One step in a flag's history: a new level, an override set, an override lapsed."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="flag_changes")
    kind = models.CharField(max_length=12, choices=Flag.Kind.choices)
    level_before = models.CharField(max_length=15, choices=Flag.Level.choices, blank=True)
    level = models.CharField(max_length=15, choices=Flag.Level.choices)
    reason = models.CharField(max_length=300)
    reason_without_amounts = models.CharField(max_length=300, blank=True)
    because = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["customer", "kind", "-changed_at"], name="flagchange_history")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.level_before or '-'} → {self.level}"

    def reason_for(self, *, finance: bool) -> str:
        return self.reason if finance or not self.reason_without_amounts else self.reason_without_amounts


class FlagPolicy(models.Model):
    """The thresholds behind the flags, one row an admin edits (no deploy needed).

    The nightly recomputation and every event-driven one read the row as it is then.
    """

    credit_hold_days_overdue = models.PositiveIntegerField(
        default=30, help_text="Hold when the oldest overdue invoice is more than this many days late."
    )
    credit_hold_amount_overdue = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("500"), help_text="Hold when more than this is overdue."
    )
    credit_hold_reminders = models.PositiveIntegerField(
        default=3, help_text="Hold when an overdue invoice has had this many reminders (statements) or more."
    )
    credit_watch_days_overdue = models.PositiveIntegerField(
        default=0, help_text="Watch when an invoice is more than this many days overdue (0: any overdue invoice)."
    )
    loyalty_gold_spend = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("2000"), help_text="Gold from this 12-month spend."
    )
    loyalty_gold_years = models.PositiveIntegerField(
        default=5, help_text="Gold also from the silver spend after this many years as a customer."
    )
    loyalty_silver_spend = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("500"), help_text="Silver from this 12-month spend."
    )
    loyalty_silver_years = models.PositiveIntegerField(default=3, help_text="Silver after this many years.")
    loyalty_max_returns_percent = models.PositiveIntegerField(
        default=50, help_text="One tier lower when more than this share of the year's orders was returned."
    )
    id_expiring_days = models.PositiveIntegerField(
        default=30, help_text="An ID document counts as expiring this many days before it expires."
    )
    check_ok_limit = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("5000"), help_text="Credit check: above this, approval."
    )
    check_watch_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("500"),
        help_text="Credit check on watch: above this, approval.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "flag policy"
        verbose_name_plural = "flag policy"

    def __str__(self):
        return "Flag thresholds"

    @classmethod
    def current(cls) -> "FlagPolicy":
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy


class CreditApproval(models.Model):
    """An order that needs a manager's yes or no, asked by an order system or an agent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a manager"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="credit_approvals")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    order_reference = models.CharField(max_length=60, blank=True)
    # What the credit check said when the request was made, in words.
    check_decision = models.CharField(max_length=20)
    check_reasons = models.JSONField(default=list)
    requested_by_source = models.CharField(max_length=40, blank=True)
    requested_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    webhook_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    webhook_delivered_at = models.DateTimeField(null=True, blank=True)
    webhook_attempts = models.PositiveSmallIntegerField(default=0)
    webhook_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="approval_by_status")]

    def __str__(self):
        return f"Approval {self.pk}: {self.amount} {self.currency} ({self.status})"
