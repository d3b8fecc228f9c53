from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    TWITTER = "twitter", "Twitter"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    WHATSAPP = "whatsapp", "WhatsApp"
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat"
    CHATBOT = "chatbot", "Chatbot"
    SMS = "sms", "SMS"
    PHONE = "phone", "Phone"
    STORE = "store", "Store"
    POST = "post", "Post"
    WEB = "web", "Web"
    SYSTEM = "system", "System"


# What the customer did (a contact, a call, a web visit, the wish list, a store visit), as
# opposed to what a source system reports: the kinds behind "Active on ...".
# Pages viewed on the web shop and system notes are not something the customer said.
NOT_SAID = (Channel.WEB, Channel.SYSTEM)
ACTIVITY_KINDS = ["interaction", "call", "web_visit", "wishlist", "store_visit"]


class TimelineEntry(models.Model):
    """One thing that happened with a customer, on any channel.

    Written only by ``timeline.services.timeline_entry_record``, which hands out ``seq``.
    """

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        INTERACTION = "interaction", "Interaction"
        CALL = "call", "Call"
        STORE_VISIT = "store_visit", "Store visit"
        ORDER = "order", "Order"
        INVOICE = "invoice", "Invoice"
        PAYMENT = "payment", "Payment"
        RETURN = "return", "Return"
        MAIL_RETURNED = "mail_returned", "Returned mail"
        IDENTITY = "identity", "ID check"
        WISHLIST = "wishlist", "Wish list"
        CASE = "case", "Case"
        WEB_VISIT = "web_visit", "Web visit"
        MERGE = "merge", "Records merged"
        ADDRESS = "address", "Address"
        EMAIL_BOUNCED = "email_bounced", "E-mail bounced"
        FLAG = "flag", "Flag"
        CREDIT_APPROVAL = "credit_approval", "Credit approval"
        MESSAGE = "message", "Message"
        STATEMENT = "statement", "Invoice statement"
        CONVERSATION = "conversation", "Conversation"

    class Direction(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"
        INTERNAL = "internal", "Internal"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="timeline")
    # Per customer, 1, 2, 3, ... in commit order, without gaps.
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INBOUND)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The source system that reported it ("webshop", "postroom"), when not an agent.
    actor_source = models.CharField(max_length=40, blank=True)
    order = models.ForeignKey("commerce.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invoice = models.ForeignKey("commerce.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    return_request = models.ForeignKey(
        "commerce.Return", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["customer", "-seq"]
        verbose_name_plural = "timeline entries"
        constraints = [models.UniqueConstraint(fields=["customer", "seq"], name="timeline_seq_unique")]
        indexes = [
            models.Index(fields=["customer", "channel", "-seq"], name="timeline_by_channel"),
            # The dashboard's interactions per channel per day.
            models.Index(fields=["occurred_at"], name="timeline_by_day"),
            # The picture's "latest questions": what the customer last said, newest first.
            models.Index(
                fields=["customer", "-occurred_at"],
                name="timeline_questions",
                condition=models.Q(kind="interaction", direction="inbound"),
            ),
            # "Active on ...": what the customer did lately (timeline.selectors.customer_activity,
            # asked for every push). Without it PostgreSQL crossed the customer's entries with
            # everyone's of the last ten minutes: on a busy day, tens of thousands of rows.
            models.Index(
                fields=["customer", "-occurred_at"],
                name="timeline_activity",
                condition=models.Q(direction="inbound", kind__in=ACTIVITY_KINDS),
            ),
        ]

    def __str__(self):
        return f"#{self.seq} {self.get_channel_display()}: {self.summary}"

    def is_from_customer(self) -> bool:
        """Something the customer said to the company (the picture's latest questions)."""
        return (
            self.kind == self.Kind.INTERACTION
            and self.direction == self.Direction.INBOUND
            and self.channel not in NOT_SAID
        )

    @property
    def message_id(self) -> int | None:
        """The outbound message this entry records being sent (``messaging.message_to_customer``
        writes the template's key alongside); None for any other entry."""
        raw = self.raw or {}
        return raw.get("message_id") if self.kind == self.Kind.MESSAGE and "template" in raw else None

    @property
    def message_status(self) -> str:
        """That message's delivery status: as the timeline selector looked it up, or as it was
        when the entry was written (a live push of the new entry: queued, or failed at once)."""
        return getattr(self, "current_message_status", None) or (self.raw or {}).get("status", "")

    @property
    def actor_display(self):
        if self.actor_user_id:
            return self.actor_user.get_full_name() or self.actor_user.get_username()
        return self.actor_source


# The query form of TimelineEntry.is_from_customer.
FROM_CUSTOMER = models.Q(kind=TimelineEntry.Kind.INTERACTION, direction=TimelineEntry.Direction.INBOUND) & ~models.Q(
    channel__in=NOT_SAID
)
