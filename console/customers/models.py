from django.db import models
from django.urls import reverse
from django.utils import timezone

from console.customers.identifiers import format_phone


class Language(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class Customer(models.Model):
    customer_number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.DUTCH)
    customer_since = models.DateField(default=timezone.localdate)
    marketing_consent = models.BooleanField(default=False)
    id_document_type = models.CharField(max_length=30, blank=True)
    id_document_last4 = models.CharField(max_length=4, blank=True)
    id_document_expires_on = models.DateField(null=True, blank=True)
    # The last check of the document (by the courier, in the store): valid, expired, mismatch.
    id_document_check = models.CharField(max_length=10, blank=True)
    id_document_checked_at = models.DateTimeField(null=True, blank=True)
    # The highest timeline seq handed out; raised under the row lock (timeline.services).
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when this record was merged into another; its number keeps resolving to that one.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from", editable=False
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A restricted customer (an employee, a protected person, a VIP) exists only for the members
    # of this group; for everyone else it does not exist (404). See docs/privacy.md.
    restricted_to = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Only members of this team see the customer. Empty: every agent may.",
    )
    # Set once the customer's personal data was erased (right to erasure); never cleared.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.customer_number})"

    def save(self, *args, **kwargs):
        # last_seq belongs to timeline.services, which raises it under the row lock; a full
        # save (the admin, a form) must not write back the value it read earlier.
        if self.pk is not None and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.name != "last_seq"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("customers:picture", args=[self.pk])

    @property
    def id_document_expired(self) -> bool:
        """Past its expiry date (today local time), as the ID document flag counts it."""
        return self.id_document_expires_on is not None and self.id_document_expires_on < timezone.localdate()

    def survivor(self) -> "Customer":
        """The record that answers for this one: itself, or the one it was merged into.

        Merges keep one hop (customers.merge re-points older merges), so this is usually
        one query at most; the guard only stops a loop in damaged data.
        """
        customer, seen = self, set()
        while customer.merged_into_id and customer.pk not in seen:
            seen.add(customer.pk)
            customer = Customer.objects.get(pk=customer.merged_into_id)
        return customer


class Identifier(models.Model):
    """Something a source system knows the customer by, stored normalised."""

    class Kind(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone"
        HANDLE = "handle", "Social handle"
        SOURCE_ID = "source_id", "Source system id"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The social network for a handle, the source system for a source id; empty otherwise.
    namespace = models.CharField(max_length=40, blank=True)
    value = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)
    # An e-mail address that bounced is kept (it still identifies the customer) but not written to.
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_evidence = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "namespace", "value"], name="identifier_unique_per_customer"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "value"], name="identifier_lookup"),
            models.Index(
                fields=["bounced_at"], name="identifier_bounced", condition=models.Q(bounced_at__isnull=False)
            ),
        ]

    def __str__(self):
        return self.display

    @property
    def display(self):
        if self.kind == self.Kind.PHONE:
            return format_phone(self.value)
        if self.kind == self.Kind.HANDLE:
            return f"@{self.value} ({self.namespace})"
        if self.kind == self.Kind.SOURCE_ID:
            return f"{self.namespace}: {self.value}"
        return self.value


class Address(models.Model):
    class Status(models.TextChoices):
        OK = "ok", "Deliverable"
        UNDELIVERABLE = "undeliverable", "Undeliverable"
        # The customer moved away (they gave a new address): kept for the history, never posted to.
        MOVED = "moved", "Moved away"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    street = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=10)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, default="NL")
    is_primary = models.BooleanField(default=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OK)
    # Why the status is what it is, in words ("Letter INV-2026-881 returned: addressee unknown").
    status_evidence = models.CharField(max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name_plural = "addresses"
        # The returned-mail backlog: the few undeliverable addresses, oldest first.
        indexes = [
            models.Index(
                fields=["status_changed_at"], name="address_undeliverable", condition=models.Q(status="undeliverable")
            )
        ]

    def __str__(self):
        return self.one_line

    @property
    def one_line(self):
        return f"{self.street}, {self.postal_code} {self.city}"
