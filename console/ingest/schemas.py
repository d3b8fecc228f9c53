"""What a valid event looks like: the envelope of API.md and the data of each event type.

DRF serializers, so the same definitions validate requests and generate the OpenAPI document.
"""

import re
import threading

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from console.customers.identifiers import InvalidIdentifier, normalise_email, normalise_handle, normalise_phone
from console.dates import DATE_WINDOW_TEXT
from console.ingest.date_window import StrictDateTimeField, WindowDateField
from console.ingest.payloads import MAX_DEPTH
from console.timeline.models import Channel

# ISO 4217 codes the finance and webshop systems of our customers use.
CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "JPY", "CAD", "AUD", "TRY", "MAD"]

SUMMARY_MAX = 500
BODY_MAX = 20_000


class _TypeStrict:
    """JSON types as documented: DRF would turn 42 into "42" and "5" into 5; integrators
    should hear that they sent the wrong type instead."""

    json_types: tuple = (str,)

    def to_internal_value(self, data):
        if not isinstance(data, self.json_types) or isinstance(data, bool) and bool not in self.json_types:
            self.fail("invalid_type")
        return super().to_internal_value(data)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [name for t, name in ((str, "string"), (int, "number")) if t in self.json_types]
        self.error_messages["invalid_type"] = f"Must be a JSON {' or '.join(kinds)}."


class Text(_TypeStrict, serializers.CharField):
    pass


class Pattern(_TypeStrict, serializers.RegexField):
    pass


class Url(_TypeStrict, serializers.URLField):
    pass


class Whole(_TypeStrict, serializers.IntegerField):
    json_types = (int,)


# Digits with at most two decimals: no sign, no exponent ("1e5" was taken as 100000), no spaces.
AMOUNT_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
AMOUNT_MAX = 9_999_999_999.99


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "decimal", "pattern": AMOUNT_PATTERN, "example": "740.00"},
            {"type": "number", "minimum": 0, "maximum": AMOUNT_MAX},
        ]
    }
)
class Amount(_TypeStrict, serializers.DecimalField):
    """A money amount with at most two decimals, as a JSON string ("740.00") or number."""

    json_types = (str, int, float)
    default_error_messages = {"notation": 'Write the amount as digits with at most two decimals, e.g. "740.00".'}

    def __init__(self, **kwargs):
        super().__init__(max_digits=12, decimal_places=2, min_value=0, coerce_to_string=True, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and not re.fullmatch(AMOUNT_PATTERN, data):
            self.fail("notation")
        return super().to_internal_value(data)


class HandleSerializer(serializers.Serializer):
    network = serializers.ChoiceField(choices=["twitter", "facebook", "instagram", "whatsapp", "tiktok", "linkedin"])
    value = Text(max_length=60)

    def validate_value(self, value):
        try:
            return normalise_handle(value)
        except InvalidIdentifier as exc:
            raise serializers.ValidationError(str(exc)) from exc


class CustomerRefSerializer(serializers.Serializer):
    """Whatever the source knows the customer by; at least one identifier."""

    customer_number = Text(max_length=20, required=False)
    email = Text(max_length=254, required=False)
    phone = Text(max_length=30, required=False)
    handle = HandleSerializer(required=False)
    external_id = Text(max_length=100, required=False, help_text="The source system's own id for this customer.")
    name = Text(max_length=200, required=False, help_text="Used when a customer is created.")
    language = serializers.ChoiceField(choices=["nl", "en"], required=False)

    IDENTIFIERS = ("customer_number", "email", "phone", "handle", "external_id")

    def validate_email(self, value):
        try:
            return normalise_email(value)
        except InvalidIdentifier as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_phone(self, value):
        try:
            return normalise_phone(value)
        except InvalidIdentifier as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_customer_number(self, value):
        return value.strip().upper()

    def validate(self, attrs):
        if not any(attrs.get(k) for k in self.IDENTIFIERS):
            raise serializers.ValidationError(
                "Give at least one identifier: customer_number, email, phone, handle or external_id."
            )
        return attrs


class InteractionData(serializers.Serializer):
    channel = serializers.ChoiceField(choices=[c for c in Channel.values if c != Channel.SYSTEM])
    direction = serializers.ChoiceField(choices=["inbound", "outbound"])
    summary = Text(max_length=SUMMARY_MAX)
    body = Text(max_length=BODY_MAX, required=False, allow_blank=True)
    agent = Text(max_length=150, required=False, help_text="Username of the agent, if any.")
    case_ref = Text(max_length=40, required=False, help_text="A case number, e.g. K-000123.")
    url = Url(max_length=500, required=False)
    thread = Text(
        max_length=200,
        required=False,
        help_text="The channel's own thread (a tweet's conversation id, a chat session, an e-mail thread): "
        "messages of one thread make one conversation in the inbox. Without it, one per customer per channel.",
    )


class CallStartedData(serializers.Serializer):
    call_id = Text(max_length=100)
    from_number = Text(max_length=30)
    agent = Text(max_length=150, required=False)
    extension = Text(max_length=20, required=False)

    def validate_from_number(self, value):
        try:
            return normalise_phone(value)
        except InvalidIdentifier as exc:
            raise serializers.ValidationError(str(exc)) from exc


class CallEndedData(serializers.Serializer):
    call_id = Text(max_length=100)
    duration_s = Whole(min_value=0, max_value=86_400)
    outcome = Text(max_length=200, required=False)


class OrderLineData(serializers.Serializer):
    line_number = Whole(
        min_value=1,
        max_value=10_000,
        required=False,
        help_text="The line's number in the order; tells apart lines with the same SKU.",
    )
    sku = Text(max_length=60)
    description = Text(max_length=200)
    quantity = Whole(min_value=1, max_value=10_000)
    unit_price = Amount()
    status = serializers.ChoiceField(
        choices=["pending", "shipped", "delivered", "wrong_item", "failed", "returned", "cancelled"], required=False
    )


class OrderData(serializers.Serializer):
    order_number = Text(max_length=40)
    status = serializers.ChoiceField(
        choices=["placed", "paid", "shipped", "partially_delivered", "delivered", "cancelled"]
    )
    lines = OrderLineData(many=True, allow_empty=False, max_length=200)
    total = Amount()
    currency = serializers.ChoiceField(choices=CURRENCIES)


class InvoiceIssuedData(serializers.Serializer):
    invoice_number = Text(max_length=40)
    amount = Amount()
    currency = serializers.ChoiceField(choices=CURRENCIES)
    issued_on = WindowDateField()
    due_on = WindowDateField()
    order_number = Text(max_length=40, required=False)

    def validate(self, attrs):
        if attrs["due_on"] < attrs["issued_on"]:
            raise serializers.ValidationError({"due_on": ["Cannot be before issued_on."]})
        return attrs


class PaymentData(serializers.Serializer):
    invoice_number = Text(max_length=40)
    amount = Amount()
    received_on = WindowDateField()


class ReturnLineData(serializers.Serializer):
    sku = Text(max_length=60)
    quantity = Whole(min_value=1, max_value=10_000, default=1)


class ReturnData(serializers.Serializer):
    return_number = Text(max_length=40)
    order_number = Text(max_length=40)
    lines = ReturnLineData(many=True, allow_empty=False, max_length=200)
    reason = serializers.ChoiceField(choices=["wrong_item", "damaged", "not_as_described", "unwanted", "other"])
    status = serializers.ChoiceField(choices=["requested", "in_transit", "received", "refunded", "rejected"])


class MailReturnedData(serializers.Serializer):
    mail_ref = Text(max_length=100)
    reason = serializers.ChoiceField(choices=["addressee_unknown", "moved", "refused", "other"])
    address = Text(max_length=300)


class EmailBouncedData(serializers.Serializer):
    email = Text(max_length=254)
    reason = Text(max_length=200)

    validate_email = CustomerRefSerializer.validate_email


class IdentityCheckedData(serializers.Serializer):
    document_type = Text(max_length=30)
    document_last4 = Pattern(r"^[0-9A-Za-z]{4}$", max_length=4)
    expires_on = WindowDateField()
    result = serializers.ChoiceField(choices=["valid", "expired", "mismatch"])
    checked_by = Text(max_length=100, required=False)


class WishListItemData(serializers.Serializer):
    sku = Text(max_length=60)
    description = Text(max_length=200)


class WishListData(serializers.Serializer):
    items = WishListItemData(many=True, max_length=500)


# Every event type of API.md and the shape of its data.
EVENT_TYPES = {
    "interaction.recorded": InteractionData,
    "call.started": CallStartedData,
    "call.ended": CallEndedData,
    "order.placed": OrderData,
    "order.updated": OrderData,
    "invoice.issued": InvoiceIssuedData,
    "payment.received": PaymentData,
    "return.opened": ReturnData,
    "return.updated": ReturnData,
    "mail.returned": MailReturnedData,
    "email.bounced": EmailBouncedData,
    "identity.checked": IdentityCheckedData,
    "wishlist.updated": WishListData,
}


class EventSerializer(serializers.Serializer):
    """The envelope; ``data`` is checked against the serializer of the event's type."""

    id = Text(min_length=1, max_length=200, help_text="The source's own unique id for the event.")
    type = serializers.ChoiceField(choices=sorted(EVENT_TYPES))
    occurred_at = StrictDateTimeField()
    customer = CustomerRefSerializer()
    data = serializers.DictField(
        help_text=(
            "Depends on type; see the event types in docs/api.md. Its dates (issued_on, due_on, received_on, "
            f"expires_on) are YYYY-MM-DD {DATE_WINDOW_TEXT}. The event nests at most {MAX_DEPTH} levels deep "
            "(objects and arrays, the event itself counted), unknown fields included."
        )
    )

    def validate(self, attrs):
        data, errors = validated(EVENT_TYPES[attrs["type"]], attrs["data"])
        if errors is not None:
            raise serializers.ValidationError({"data": errors})
        # Unknown extra fields are kept in the stored raw body and otherwise ignored.
        attrs["data"] = data
        return attrs


_reused = threading.local()


def validated(serializer_class, data) -> tuple[dict | None, dict | None]:
    """``(validated data, None)`` or ``(None, errors)``, checked by this thread's own instance of
    ``serializer_class``.

    A new DRF serializer deep-copies every declared field (each with its validators and error
    messages) and binds the copies to itself in reference cycles: about 250 objects per event
    for the garbage collector, whose full collections then stopped a busy server for 80 ms every
    few seconds (docs/performance.md). The fields hold no state of one validation, so each
    thread keeps one instance per serializer class and only the input and results are reset.
    """
    instances = _reused.__dict__.setdefault("instances", {})
    serializer = instances.get(serializer_class)
    if serializer is None:
        serializer = instances[serializer_class] = serializer_class()
    for done in ("_validated_data", "_errors", "_data"):
        serializer.__dict__.pop(done, None)
    serializer.initial_data = data
    if serializer.is_valid():
        return serializer.validated_data, None
    return None, serializer.errors


class ParsedJson(serializers.JSONField):
    """Any JSON value, taken as parsed. DRF's JSONField encodes it again to check it, which
    recurses: one event nested a thousand deep failed its whole batch."""

    def to_internal_value(self, data):
        return data


class BatchSerializer(serializers.Serializer):
    # Any JSON per item: one that is not an event object is answered on its own (400), the
    # others are still applied.
    events = serializers.ListField(child=ParsedJson(allow_null=True), min_length=1, max_length=500)


def flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error dict as ``{"data.lines.0.sku": ["message"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = prefix if key == "non_field_errors" else (f"{prefix}.{key}" if prefix else str(key))
            for k, v in flatten_errors(value, name).items():
                flat.setdefault(k, []).extend(v)
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        flat[prefix or "body"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value:
                flat.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "body"] = [str(errors)]
    return flat
