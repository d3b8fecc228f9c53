"""POST /api/v1/events and /api/v1/events/batch: thin adapters around ingest.services."""

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from console.ingest.auth import BearerTokenAuthentication, HasScope, rate_limit_check
from console.ingest.payloads import payload_errors
from console.ingest.schemas import BatchSerializer, EventSerializer, flatten_errors
from console.ingest.services import MAX_EVENT_BYTES, Answer, event_ingest, event_parse, json_object

log = logging.getLogger(__name__)

ErrorSerializer = inline_serializer(
    "Errors",
    {
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text='Messages by field path, e.g. {"data.amount": ["..."]}',
        ),
    },
)
AcceptedSerializer = inline_serializer(
    "EventAccepted",
    {
        "event": inline_serializer(
            "EventRef",
            {"id": serializers.CharField(), "type": serializers.CharField(), "source": serializers.CharField()},
        ),
        "customer": inline_serializer(
            "CustomerRefOut",
            {
                "id": serializers.IntegerField(),
                "customer_number": serializers.CharField(),
                "created": serializers.BooleanField(),
            },
        ),
        "timeline_entry": inline_serializer(
            "EntryRef",
            {
                "id": serializers.IntegerField(),
                "seq": serializers.IntegerField(),
                # Only when the entry landed on a case the event did not name (an SMS reply to a callback).
                "case_ref": serializers.CharField(required=False),
            },
        ),
    },
)
ERRORS = {
    code: OpenApiResponse(ErrorSerializer, description=text)
    for code, text in {
        400: "Malformed JSON or not UTF-8",
        401: "Missing or unknown token",
        403: "Token lacks the scope",
        404: "No such customer (a restricted customer is none for a token without customers:restricted)",
        409: "Event id reused with another body, or identifiers matching two customers",
        413: "Body too large",
        415: "Content type is not application/json",
        422: "Well-formed but invalid",
        429: "Rate limited; see Retry-After",
    }.items()
}

EXAMPLE = {
    "id": "pr-2026-000123",
    "type": "mail.returned",
    "occurred_at": "2026-11-24T09:15:00+01:00",
    "customer": {"customer_number": "C-200002", "email": "sanne.jansen@example.nl"},
    "data": {
        "mail_ref": "INV-2026-881 statement",
        "reason": "addressee_unknown",
        "address": "Dorpsstraat 1, 1234 AB Ergens",
    },
}


# What every reading endpoint may answer besides 200.
READ_ERRORS = {k: ERRORS[k] for k in (401, 403, 404, 422, 429)}


def _respond(answer: Answer) -> Response:
    return Response(answer.body, status=answer.status)


class _EventEndpoint(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasScope]
    max_bytes = MAX_EVENT_BYTES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rate_limit_check(request.auth)

    def _body(self, request) -> bytes | Answer:
        content_type = request.content_type.split(";")[0].strip().lower()
        if content_type != "application/json":
            return Answer.error(415, "body", f"Send the event as application/json, not '{content_type or 'nothing'}'.")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_bytes:
            return Answer.error(413, "body", f"The body may be at most {self.max_bytes // 1024} KiB.")
        try:
            return request._request.body
        except RequestDataTooBig:
            return Answer.error(413, "body", f"The body may be at most {self.max_bytes // 1024} KiB.")


class EventView(_EventEndpoint):
    @extend_schema(
        operation_id="events_create",
        summary="Send one event",
        request=EventSerializer,
        responses={
            201: AcceptedSerializer,
            200: OpenApiResponse(AcceptedSerializer, description="Identical retry"),
            **{k: v for k, v in ERRORS.items() if k != 404},
            410: OpenApiResponse(
                ErrorSerializer,
                description="The customer was erased at their request (GDPR); the event is not stored",
            ),
        },
        examples=[OpenApiExample("Returned letter", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        body = self._body(request)
        if isinstance(body, Answer):
            return _respond(body)
        payload = event_parse(body)
        if isinstance(payload, Answer):
            return _respond(payload)
        return _respond(event_ingest(token=request.auth, payload=payload))


BatchResult = inline_serializer(
    "BatchResult",
    {
        "results": serializers.ListField(
            child=inline_serializer(
                "BatchItem",
                {
                    "status": serializers.IntegerField(),
                    "body": serializers.DictField(),
                },
            )
        ),
    },
)


class EventBatchView(_EventEndpoint):
    max_bytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    @extend_schema(
        operation_id="events_batch",
        summary="Send up to 500 events",
        request=BatchSerializer,
        responses={207: BatchResult, **{k: v for k, v in ERRORS.items() if k not in (404, 409)}},
    )
    def post(self, request):
        body = self._body(request)
        if isinstance(body, Answer):
            return _respond(body)
        payload = event_parse(body) if len(body) <= MAX_EVENT_BYTES else _decode_large(body)
        if isinstance(payload, Answer):
            return _respond(payload)
        batch = BatchSerializer(data=payload)
        if not batch.is_valid():
            return Response({"errors": flatten_errors(batch.errors)}, status=422)
        results = [_batch_item(request.auth, item) for item in batch.validated_data["events"]]
        return Response({"results": [{"status": a.status, "body": a.body} for a in results]}, status=207)


def _decode_large(body: bytes):
    try:
        return json_object(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Answer.error(400, "body", f"The body is not valid UTF-8 (byte {exc.start}).")


def _batch_item(token, item) -> Answer:
    """One event's answer in a batch, whatever happens to it: the events before it are
    committed, so the batch must say what became of each of them."""
    if not isinstance(item, dict):
        return Answer.error(400, "body", "Each event in a batch must be a JSON object.")
    problems = payload_errors(item)
    if problems:
        return Answer(422, {"errors": problems})
    if len(json.dumps(item, ensure_ascii=False).encode()) > MAX_EVENT_BYTES:
        return Answer.error(413, "body", f"An event may be at most {MAX_EVENT_BYTES // 1024} KiB.")
    try:
        return event_ingest(token=token, payload=item)
    except Exception:  # noqa: BLE001 - a fault of ours in one event must not cost the others their answers
        log.exception("batch event %r failed", str(item.get("id"))[:200])
        return Answer.error(
            500, "body", "This event was not applied because of a fault on our side; nothing of it was stored."
        )
