"""The reading side of the API: search, profile and timeline cursor (the credit check: picture/credit_api.py)."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from console.customers.models import Address, Customer, Identifier
from console.customers.selectors import hidden_customers
from console.flags.models import Flag
from console.ingest.api import READ_ERRORS
from console.ingest.auth import rate_limit_check
from console.ingest.models import Scope
from console.picture.search import customer_search
from console.timeline.models import TimelineEntry


class IdentifierOut(serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["kind", "namespace", "value", "bounced_at"]
        extra_kwargs = {"bounced_at": {"help_text": "When e-mail to this address bounced; null while it works."}}


class AddressOut(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = [
            "street",
            "postal_code",
            "city",
            "country",
            "is_primary",
            "status",
            "status_evidence",
            "status_changed_at",
        ]


class FlagOut(serializers.ModelSerializer):
    level = serializers.ChoiceField(
        source="effective_level",
        choices=Flag.Level.choices,
        help_text="The level that counts: a manager's override while it lasts, else the computed level.",
    )
    computed_level = serializers.ChoiceField(source="level", choices=Flag.Level.choices)
    override = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = [
            "kind",
            "level",
            "reason",
            "computed_level",
            "computed_at",
            "changed_at",
            "changed_because",
            "override",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "level": {"type": "string"},
                "reason": {"type": "string"},
                "until": {"type": "string", "format": "date-time"},
            },
        }
    )
    def get_override(self, flag):
        if not flag.overridden:
            return None
        return {"level": flag.override_level, "reason": flag.override_reason, "until": flag.override_until.isoformat()}


class CustomerBrief(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "customer_number", "name"]


class CustomerOut(serializers.ModelSerializer):
    identifiers = IdentifierOut(many=True)
    addresses = AddressOut(many=True)
    flags = FlagOut(many=True)
    merged_numbers = serializers.SerializerMethodField(help_text="Numbers of records merged into this one.")

    class Meta:
        model = Customer
        fields = [
            "id",
            "customer_number",
            "name",
            "language",
            "customer_since",
            "marketing_consent",
            "id_document_type",
            "id_document_last4",
            "id_document_expires_on",
            "id_document_check",
            "identifiers",
            "addresses",
            "flags",
            "merged_numbers",
            "last_seq",
        ]

    def get_merged_numbers(self, customer) -> list[str]:
        return [c.customer_number for c in customer.merged_from.all()]


class EntryOut(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.order_number", default=None, allow_null=True)
    invoice_number = serializers.CharField(source="invoice.invoice_number", default=None, allow_null=True)
    actor = serializers.CharField(source="actor_display")
    case_ref = serializers.CharField(
        source="case.reference",
        default=None,
        allow_null=True,
        help_text="The case this entry belongs to; send it as data.case_ref.",
    )

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "seq",
            "kind",
            "channel",
            "direction",
            "occurred_at",
            "recorded_at",
            "summary",
            "body",
            "actor",
            "order_number",
            "invoice_number",
            "case_ref",
        ]


class UnknownParameter(exceptions.ValidationError):
    status_code = 422


class _ReadEndpoint(APIView):
    """An endpoint that answers a source system with what Klantbeeld holds: every answered call
    (2xx) leaves one row in the audit trail with the token, the customer it was about and a
    short detail the view sets (docs/privacy.md, "The audit trail")."""

    required_scope = Scope.CUSTOMERS_READ
    # The query parameters this endpoint reads; a typo (?query= for ?q=) is an error, not ignored.
    parameters: tuple = ()
    # What the audit row says: set by the view while it answers; the customer by customer().
    read_customer: Customer | None = None
    read_detail: str = ""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rate_limit_check(request.auth)
        unknown = sorted(set(request.query_params) - set(self.parameters))
        if unknown:
            known = ", ".join(self.parameters) or "none"
            raise UnknownParameter(
                {name[:40]: [f"Unknown query parameter (this endpoint takes: {known})."] for name in unknown[:5]}
            )

    def customer(self, pk) -> Customer:
        """The customer (or the record it was merged into); 404 when unknown, or restricted and
        this token lacks the scope ``customers:restricted``: the same answer, so a token cannot
        tell a restricted customer from none at all."""
        customer = get_object_or_404(Customer, pk=pk).survivor()
        if customer.restricted_to_id is not None and not self.request.auth.allows(Scope.CUSTOMERS_RESTRICTED):
            raise Http404("No Customer matches the given query.")  # word for word an unknown one's
        self.read_customer = customer
        return customer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A refused or failed call gave nothing away; request.auth is the ApiToken once answered.
        if 200 <= response.status_code < 300 and request.auth is not None:
            token = request.auth
            audit_event_record(
                actor=None,
                action=AuditEvent.Action.API_READ,
                customer=self.read_customer,
                detail=self.read_detail or f"{request.method} {request.path}",
                token=f"{token.source} {token.token_prefix}",
                request=request,
            )
        return response


def hidden_from(token) -> QuerySet | None:
    """The customers this token may not read: every restricted one, unless it has the scope."""
    return None if token.allows(Scope.CUSTOMERS_RESTRICTED) else hidden_customers()


class CustomerSearchView(_ReadEndpoint):
    parameters = ("q",)

    @extend_schema(
        operation_id="customers_search",
        summary="Search customers",
        parameters=[
            OpenApiParameter(
                "q",
                # At least one character that is not white space: blank text searches for nothing.
                {"type": "string", "minLength": 1, "pattern": r"\S"},
                required=True,
                description=("Name, customer number, e-mail, phone, handle, order number or invoice number."),
            )
        ],
        responses={200: CustomerBrief(many=True), **READ_ERRORS},
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()[:200]
        if not query:
            return Response({"errors": {"q": ["Give the search text in q, e.g. ?q=06 12345678."]}}, status=422)
        found = customer_search(query=query, hidden=hidden_from(request.auth))
        # The query itself may be a name or a phone number: the trail keeps what was found instead.
        self.read_customer = found[0] if len(found) == 1 else None
        self.read_detail = _found_detail("customer search", found)
        return Response(CustomerBrief(found, many=True).data)


class CustomerDetailView(_ReadEndpoint):
    @extend_schema(
        operation_id="customers_retrieve",
        summary="A customer's profile, flags and addresses",
        responses={200: CustomerOut, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        customer = self.customer(pk)
        customer = Customer.objects.prefetch_related("identifiers", "addresses", "flags", "merged_from").get(
            pk=customer.pk
        )
        self.read_detail = "customer profile"
        return Response(CustomerOut(customer).data)


# The cursor's range: any seq there can be (a 64-bit column), and the page size of docs/api.md.
AFTER_MAX = 2**62
LIMIT_MAX = 1000


class TimelineView(_ReadEndpoint):
    parameters = ("after", "limit")

    @extend_schema(
        operation_id="customers_timeline",
        summary="Timeline entries after a sequence number, oldest first",
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": AFTER_MAX},
                description="Return entries with seq greater than this (0).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX},
                description="At most this many (100, at most 1000).",
            ),
        ],
        responses={200: serializers.ListSerializer(child=EntryOut()), **READ_ERRORS},
    )
    def get(self, request, pk: int):
        customer = self.customer(pk)
        after, limit = _int(request, "after", 0, 0, AFTER_MAX), _int(request, "limit", 100, 1, LIMIT_MAX)
        entries = (
            TimelineEntry.objects.filter(customer=customer, seq__gt=after)
            .select_related("order", "invoice", "actor_user", "case")
            .order_by("seq")[:limit]
        )
        data = EntryOut(entries, many=True).data
        self.read_detail = f"timeline after={after} limit={limit}: {len(data)} entries"
        return Response(data)


def _found_detail(what: str, found: list[Customer]) -> str:
    numbers = ", ".join(c.customer_number for c in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    return f"{what}: {len(found)} found" + (f" ({numbers}{more})" if found else "")


def _int(request, name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string within the documented range; anything else is an
    error (a sync cursor that silently restarted from 0 would re-read everything, and a limit
    quietly lowered would look like the end of the timeline)."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        raise UnknownParameter({name: [f"Must be a whole number from {low} to {high}."]})
    return int(raw)
