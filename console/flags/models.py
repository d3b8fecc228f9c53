from django.conf import settings
from django.db import models


class Flag(models.Model):
    """A customer's standing on one subject, with the reason in words an agent can repeat."""

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
        EXPIRING = "expiring", "Expiring soon"
        EXPIRED = "expired", "Expired"
        MISMATCH = "mismatch", "Mismatch"
        MISSING = "missing", "Not on file"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.CharField(max_length=15, choices=Level.choices)
    reason = models.CharField(max_length=300)
    computed_at = models.DateTimeField()
    override_level = models.CharField(max_length=15, choices=Level.choices, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["customer", "kind"]
        constraints = [models.UniqueConstraint(fields=["customer", "kind"], name="flag_one_per_kind")]
        indexes = [models.Index(fields=["kind", "level"], name="flag_by_level")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_level_display()}"

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
        }.get(self.level, "bad")
