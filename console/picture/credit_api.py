"""The credit check and credit approvals for order systems (docs/api.md).

An order system asks ``credit-check`` before it accepts an order; when the answer is
``needs_approval`` or ``refused`` it may ask a manager with ``credit-approvals`` and hear the
decision by polling ``credit-approvals/{id}`` or on its webhook.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from console.flags.approvals import ApprovalAsked, credit_approval_request, webhook_url_check
from console.flags.models import CreditApproval
from console.flags.selectors import CreditCheck, Decision, approval_for_source, credit_check
from console.ingest.api import ERRORS, READ_ERRORS
from console.ingest.models import Scope
from console.ingest.schemas import CURRENCIES, Amount, Text, Url, flatten_errors
from console.picture.api import _ReadEndpoint

AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")
DECISIONS = [Decision.ALLOWED, Decision.NEEDS_APPROVAL, Decision.REFUSED]


class CreditCheckOut(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="In plain words, for the order screen.")
    credit_level = serializers.ChoiceField(
        choices=["ok", "watch", "hold"], help_text="As it counts now (overrides too)."
    )
    approval_url = serializers.CharField(
        allow_null=True,
        help_text="Unless allowed: POST the same amount here to ask a manager to approve the order.",
    )


class CustomerRef(serializers.Serializer):
    id = serializers.IntegerField()
    customer_number = serializers.CharField()


class CheckAtRequest(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[Decision.NEEDS_APPROVAL, Decision.REFUSED])
    reasons = serializers.ListField(child=serializers.CharField())


class ApprovalOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="GET it to hear the decision.")
    customer = CustomerRef()
    amount = serializers.CharField(help_text='e.g. "900.00"')
    currency = serializers.CharField()
    order_reference = serializers.CharField()
    status = serializers.ChoiceField(choices=CreditApproval.Status.values)
    reason = serializers.CharField(help_text="The manager's reason; empty while pending.")
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    check = CheckAtRequest(help_text="What the credit check said when the approval was asked for.")
    webhook_url = serializers.CharField()
    webhook_delivered_at = serializers.DateTimeField(allow_null=True)


class ApprovalAnswer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISIONS, help_text="The credit check for this amount now.")
    reasons = serializers.ListField(child=serializers.CharField())
    credit_level = serializers.ChoiceField(choices=["ok", "watch", "hold"])
    approval = ApprovalOut(allow_null=True, help_text="null when the order is allowed without approval.")


class ApprovalIn(serializers.Serializer):
    amount = Amount(help_text='The order amount, e.g. "900.00".')
    currency = serializers.ChoiceField(
        choices=["EUR"],
        default="EUR",
        error_messages={"invalid_choice": "Only EUR amounts are checked; send the amount in EUR."},
    )
    order_reference = Text(max_length=60, required=False, default="", allow_blank=True)
    webhook_url = Url(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text="Optional: the decision is POSTed here as JSON when a manager decides.",
    )

    def validate_webhook_url(self, value):
        if value:
            try:
                webhook_url_check(value)
            except ValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value


def _check_out(check: CreditCheck, customer_id: int) -> dict:
    url = reverse("api:credit-approvals", args=[customer_id]) if check.manager_may_approve else None
    return {
        "decision": check.decision,
        "reasons": check.reasons,
        "credit_level": check.credit_level,
        "approval_url": url,
    }


def approval_out(approval: CreditApproval) -> dict:
    return {
        "id": approval.pk,
        "url": reverse("api:credit-approval", args=[approval.pk]),
        "customer": {"id": approval.customer_id, "customer_number": approval.customer.customer_number},
        "amount": f"{approval.amount:.2f}",
        "currency": approval.currency,
        "order_reference": approval.order_reference,
        "status": approval.status,
        "reason": approval.decision_reason,
        "requested_at": approval.requested_at,
        "decided_at": approval.decided_at,
        "check": {"decision": approval.check_decision, "reasons": approval.check_reasons},
        "webhook_url": approval.webhook_url,
        "webhook_delivered_at": approval.webhook_delivered_at,
    }


class CreditCheckView(_ReadEndpoint):
    parameters = ("amount", "currency")

    @extend_schema(
        operation_id="customers_credit_check",
        summary="May this customer place an order of this amount?",
        parameters=[
            OpenApiParameter(
                "amount",
                {"type": "string", "pattern": AMOUNT.pattern},
                required=True,
                description="The order amount, e.g. 900.00",
            ),
            OpenApiParameter(
                "currency",
                {"type": "string", "enum": ["EUR"]},
                description="EUR (the default) is the only currency checked.",
            ),
        ],
        responses={200: CreditCheckOut, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        customer = self.customer(pk)
        raw = request.query_params.get("amount", "")
        if not AMOUNT.match(raw):
            return Response({"errors": {"amount": ["Give the order amount, e.g. amount=900.00."]}}, status=422)
        currency = request.query_params.get("currency", "EUR").upper()
        if currency != "EUR":
            known = "a currency we do not check" if currency in CURRENCIES else "not a currency code"
            return Response({"errors": {"currency": [f"{currency[:10]} is {known}; send EUR amounts."]}}, status=422)
        check = credit_check(customer=customer, amount=Decimal(raw))
        self.read_detail = f"credit check {raw} EUR: {check.decision}"
        return Response(_check_out(check, customer.pk))


class CreditApprovalsView(_ReadEndpoint):
    @extend_schema(
        operation_id="customers_credit_approvals_create",
        summary="Ask a manager to approve an order the credit check does not allow",
        request=ApprovalIn,
        responses={
            201: OpenApiResponse(ApprovalAnswer, description="Asked: every online manager sees it now."),
            200: OpenApiResponse(
                ApprovalAnswer,
                description="Nothing new: the order is allowed without approval (approval is null), "
                "or this order (same reference and amount) was asked for before (that request).",
            ),
            **{k: ERRORS[k] for k in (400, 401, 403, 404, 415, 422, 429)},
        },
    )
    def post(self, request, pk: int):
        customer = self.customer(pk)
        given = ApprovalIn(data=request.data)
        if not given.is_valid():
            return Response({"errors": flatten_errors(given.errors)}, status=422)
        asked: ApprovalAsked = credit_approval_request(
            customer_id=customer.pk, source=request.auth.source, **given.validated_data
        )
        body = {
            **_check_out(asked.check, customer.pk),
            "approval": approval_out(asked.approval) if asked.approval else None,
        }
        del body["approval_url"]
        approval = f"approval {asked.approval.pk} {asked.approval.status}" if asked.approval else "no approval needed"
        self.read_detail = f"credit approval asked for {given.validated_data['amount']:.2f} EUR: {approval}"
        return Response(body, status=201 if asked.created else 200)


class CreditApprovalView(_ReadEndpoint):
    @extend_schema(
        operation_id="credit_approvals_retrieve",
        summary="A credit approval this source asked for: pending, approved or refused",
        responses={
            200: ApprovalOut,
            **READ_ERRORS,
            404: OpenApiResponse(ERRORS[404].response, description="No such request asked by this token's source"),
        },
    )
    def get(self, request, pk: int):
        approval = approval_for_source(approval_id=pk, source=request.auth.source)
        if approval is not None and approval.customer.restricted_to_id is not None:
            # About a restricted customer: there is no such request for a token without the scope.
            approval = approval if request.auth.allows(Scope.CUSTOMERS_RESTRICTED) else None
        if approval is None:
            return Response(
                {"errors": {"path": [f"No credit approval {pk} asked for by {request.auth.source}."]}}, status=404
            )
        self.read_customer = approval.customer
        self.read_detail = f"credit approval {approval.pk}: {approval.status}"
        return Response(approval_out(approval))
