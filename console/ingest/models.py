import hashlib
import secrets

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    EVENTS_WRITE = "events:write", "Send every event type"
    CUSTOMERS_READ = "customers:read", "Read customers, timelines and credit checks"
    CUSTOMERS_CREATE = "customers:create", "Events may create a customer no identifier matches"
    CONVERSATIONS_READ = "conversations:read", "Read the conversations of the inbox (workforce management)"
    # Restricted customers (employees, protected persons, VIPs) exist only for readers with this
    # scope besides the reading one; for any other token they answer 404 and are left out of lists.
    CUSTOMERS_RESTRICTED = "customers:restricted", "Also read restricted customers (with customers:read)"


class ApiToken(models.Model):
    """A source system's key to the event API. Only a hash of the token is stored."""

    source = models.CharField(max_length=40, help_text="The source system, e.g. webshop, finance, postroom.")
    # events:write, events:<type>, customers:read, customers:create, conversations:read,
    # customers:restricted
    scopes = models.JSONField(default=list)
    token_prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["source", "-created_at"]

    def __str__(self):
        return f"{self.source} ({self.token_prefix}…)"

    @staticmethod
    def hash(plain: str) -> str:
        # Tokens are long random strings, so a fast hash is enough (no password stretching).
        return hashlib.sha256(plain.encode()).hexdigest()

    @classmethod
    def issue(cls, *, source: str, scopes: list[str]) -> tuple["ApiToken", str]:
        plain = f"kb_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            source=source.lower(), scopes=scopes, token_prefix=plain[:10], token_hash=cls.hash(plain)
        )
        return token, plain

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        if scope.startswith("events:") and Scope.EVENTS_WRITE in self.scopes:
            return True
        return scope in self.scopes

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class InboundEvent(models.Model):
    """One event as received, keyed by (source, id): the idempotency record and the raw payload."""

    source = models.CharField(max_length=40)
    event_id = models.CharField(max_length=200)
    type = models.CharField(max_length=40)
    body_hash = models.CharField(max_length=64)
    body = models.JSONField()
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_events"
    )
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    # The 201 answer, given again to an identical retry.
    response = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["source", "event_id"], name="inbound_event_idempotency")]

    def __str__(self):
        return f"{self.source}:{self.event_id} ({self.type})"
