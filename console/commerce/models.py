from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        PARTIALLY_DELIVERED = "partially_delivered", "Partially delivered"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="orders")
    order_number = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLACED)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    placed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["customer", "-placed_at"])]

    def __str__(self):
        return self.order_number


class OrderLine(models.Model):
    class DeliveryStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        WRONG_ITEM = "wrong_item", "Wrong item delivered"
        FAILED = "failed", "Delivery failed"
        RETURNED = "returned", "Returned"
        CANCELLED = "cancelled", "Cancelled"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveSmallIntegerField()
    sku = models.CharField(max_length=60)
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)

    class Meta:
        ordering = ["order", "line_number"]
        constraints = [models.UniqueConstraint(fields=["order", "line_number"], name="order_line_unique")]

    def __str__(self):
        return f"{self.order.order_number}/{self.line_number} {self.description}"

    @property
    def is_problem(self):
        return self.status in (self.DeliveryStatus.WRONG_ITEM, self.DeliveryStatus.FAILED)


class Invoice(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        OVERDUE = "overdue", "Overdue"
        PAID = "paid", "Paid"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="invoices")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices")
    invoice_number = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="EUR")
    issued_on = models.DateField()
    due_on = models.DateField()
    # Statements that listed this invoice while it was overdue; enough of them put credit on hold.
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["customer", "due_on"])]

    def __str__(self):
        return self.invoice_number

    @property
    def open_amount(self) -> Decimal:
        return max(self.amount - self.paid_amount, Decimal("0.00"))

    def status_on(self, today: date) -> str:
        if self.open_amount == 0:
            return self.Status.PAID
        return self.Status.OVERDUE if self.due_on < today else self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    def days_overdue(self, today: date) -> int:
        return max((today - self.due_on).days, 0) if self.open_amount else 0


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-received_on"]

    def __str__(self):
        return f"{self.amount} on {self.invoice}"


class Return(models.Model):
    class Reason(models.TextChoices):
        WRONG_ITEM = "wrong_item", "Wrong item"
        DAMAGED = "damaged", "Damaged"
        NOT_AS_DESCRIBED = "not_as_described", "Not as described"
        UNWANTED = "unwanted", "Unwanted"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        IN_TRANSIT = "in_transit", "In transit"
        RECEIVED = "received", "Received"
        REFUNDED = "refunded", "Refunded"
        REJECTED = "rejected", "Rejected"

    OPEN_STATUSES = (Status.REQUESTED, Status.IN_TRANSIT, Status.RECEIVED)

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="returns")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    return_number = models.CharField(max_length=40, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return self.return_number


class ReturnLine(models.Model):
    return_request = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="return_lines")
    quantity = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"{self.quantity} x {self.order_line.description}"


class WishList(models.Model):
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="wishlist")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Wish list of {self.customer}"


class WishListItem(models.Model):
    wishlist = models.ForeignKey(WishList, on_delete=models.CASCADE, related_name="items")
    sku = models.CharField(max_length=60)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description
