from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from console.messaging.rendering import template_problems


class Statement(models.Model):
    """The claim that one customer's invoice statement for one period has been made.

    The unique (customer, period) row is written in the same transaction as the statement's
    messages and its timeline entry, so a second run, a re-delivered task or a second agent
    finds it and sends nothing more (docs/messaging.md).
    """

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="statements")
    # The calendar month the statement is for, "2026-11".
    period = models.CharField(max_length=7)
    created_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the statement said, kept so the panel can repeat it after invoices are paid.
    invoice_count = models.PositiveIntegerField(default=0)
    open_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    overdue_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # Empty when it went out; otherwise why it could not be delivered (no channel left).
    undeliverable_because = models.CharField(max_length=300, blank=True)
    # The day an agent last sent a copy: at most one copy a day (claimed by a conditional UPDATE).
    last_copy_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [models.UniqueConstraint(fields=["customer", "period"], name="statement_once_per_period")]
        indexes = [models.Index(fields=["period"], name="statement_by_period")]

    def __str__(self):
        return f"Statement {self.period} for customer {self.customer_id}"


class OutboundMessage(models.Model):
    """One message to one customer on one channel, from queued to sent (or failed, or unknown).

    Rows are written by ``messaging.services`` and moved between statuses only by conditional
    UPDATEs there, so two workers can never both send the same message.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        POST = "post", "Post"
        SMS = "sms", "SMS"
        # Social replies go out through a connector (messaging.backends.social).
        TWITTER = "twitter", "Twitter"
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        WHATSAPP = "whatsapp", "WhatsApp"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # A worker took it to send and was never heard of again: it may or may not have gone out.
        UNKNOWN = "unknown", "Delivery not confirmed"

    RETRYABLE = (Status.FAILED, Status.UNKNOWN)
    PENDING = (Status.QUEUED, Status.SENDING)

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="outbound_messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template_key = models.CharField(max_length=40)
    language = models.CharField(max_length=2)
    to_address = models.CharField(max_length=600)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What the backend answered with: the e-mail's Message-ID, the letter's file name.
    backend_ref = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # One key per intended delivery ("statement:42:2026-11:email"); a second insert fails.
    idempotency_key = models.CharField(max_length=120, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    # The case the message belongs to (a callback's new time, a journey step, a complaint's answer).
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_messages"
    )
    is_copy = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    SOCIAL = (Channel.TWITTER, Channel.FACEBOOK, Channel.INSTAGRAM, Channel.WHATSAPP)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="message_by_customer"),
            models.Index(fields=["status", "status_changed_at"], name="message_by_status"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.to_address}: {self.subject or self.template_key}"

    @property
    def period(self) -> str:
        return self.statement.period if self.statement_id else ""

    @property
    def to_display(self) -> str:
        """The address on one line: the e-mail address, or the letter's address without the name."""
        lines = self.to_address.splitlines()
        if self.channel == self.Channel.POST and len(lines) > 1:
            return ", ".join(lines[1:])
        return lines[0] if lines else ""

    @property
    def headline(self) -> str:
        """What the message is about in one line: an e-mail's or letter's subject, a text's start."""
        if self.subject and self.channel in (self.Channel.EMAIL, self.Channel.POST):
            return self.subject
        return (self.body.strip().splitlines() or [""])[0]

    @property
    def retryable(self) -> bool:
        return self.status in self.RETRYABLE


class MessageTemplate(models.Model):
    """The text a customer gets, in Dutch and in English; edited by admins.

    Placeholders in braces: ``{name}`` and ``{customer_number}`` always, ``{case_ref}`` for a
    message about a case, and whatever the sending feature passes (``{window}``, ``{answer}``).
    The subject is used by e-mail and post; SMS and social replies send the body only.
    """

    key = models.SlugField(max_length=60, unique=True, help_text="How the code names it; do not change.")
    description = models.CharField(max_length=200, blank=True, help_text="When it is sent, for admins.")
    subject_nl = models.CharField("subject (Dutch)", max_length=200, blank=True)
    body_nl = models.TextField("text (Dutch)")
    subject_en = models.CharField("subject (English)", max_length=200, blank=True)
    body_en = models.TextField("text (English)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key

    def clean(self):

        problems = template_problems(self)
        if problems:
            raise ValidationError(problems)
