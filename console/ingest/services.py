"""Taking in one event: parse, check, deduplicate, resolve the customer, dispatch — or say why not.

Every outcome is an ``Answer`` (status and JSON body) so the single and the batch endpoint
answer alike. Nothing is stored unless the whole event is applied: the idempotency record,
the owning app's record and the timeline entry commit together or not at all.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from console.cases.models import Case
from console.conversations.services import conversation_hear
from console.customers.models import Customer
from console.customers.resolution import CustomerRef, IdentityConflict, ResolutionError, customer_resolve
from console.ingest.handlers import HANDLERS
from console.ingest.models import ApiToken, InboundEvent, Scope
from console.ingest.payloads import json_parse, payload_errors
from console.ingest.schemas import EVENT_TYPES, EventSerializer, flatten_errors, validated
from console.reactions import EVENT_APPLIED, happened
from console.rejected import Rejected

MAX_EVENT_BYTES = 64 * 1024


@dataclass
class Answer:
    status: int
    body: dict

    @classmethod
    def error(cls, status: int, field: str, message: str, **extra) -> "Answer":
        return cls(status, {"errors": {field: [message]}, **extra})


def event_parse(raw: bytes) -> dict | Answer:
    """Bytes to a JSON object, or the 400/413/422 that says what is wrong with them."""
    if len(raw) > MAX_EVENT_BYTES:
        return Answer.error(
            413, "body", f"An event may be at most {MAX_EVENT_BYTES // 1024} KiB; this one is {len(raw) // 1024} KiB."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Answer.error(400, "body", f"The body is not valid UTF-8 (byte {exc.start}).")
    return json_object(text)


def json_object(text: str) -> dict | Answer:
    try:
        payload = json_parse(text)
    except (ValueError, RecursionError) as exc:
        return Answer.error(400, "body", f"The body is not valid JSON: {exc}.")
    if not isinstance(payload, dict):
        return Answer.error(400, "body", "The body must be a JSON object.")
    return payload


def _body_hash(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(existing: InboundEvent, body_hash: str) -> Answer:
    if existing.body_hash == body_hash:
        return Answer(200, existing.response)
    return Answer.error(
        409,
        "id",
        f"Event id '{existing.event_id}' was already used by {existing.source} for a "
        "different event. Send a new id for a new event.",
    )


def event_check(*, token: ApiToken, payload: dict) -> dict | Answer:
    """The validated event, or the 403/422 answer."""
    event_type = payload.get("type")
    if isinstance(event_type, str) and event_type in EVENT_TYPES and not token.allows(f"events:{event_type}"):
        return Answer.error(
            403,
            "type",
            f"This token may not send {event_type} events (it has: {', '.join(token.scopes) or 'no scopes'}).",
        )
    if isinstance(event_type, str) and event_type not in EVENT_TYPES:
        return Answer.error(
            422, "type", f"Unknown event type '{event_type[:60]}'. Known types: {', '.join(sorted(EVENT_TYPES))}."
        )
    problems = payload_errors(payload)
    if problems:
        return Answer(422, {"errors": problems})
    event, errors = validated(EventSerializer, payload)
    if errors is not None:
        return Answer(422, {"errors": flatten_errors(errors)})
    return event


def event_ingest(*, token: ApiToken, payload: dict) -> Answer:
    """Apply one parsed event for this token's source system."""
    checked = event_check(token=token, payload=payload)
    if isinstance(checked, Answer):
        return checked
    source, body_hash = token.source, _body_hash(payload)
    # No read before the write: the insert of (source, id) is the check, and a retry of an
    # applied event fails on it at once and gets the stored answer.
    try:
        with transaction.atomic():
            return _apply(token=token, event=checked, payload=payload, body_hash=body_hash)
    except IntegrityError:
        # Another request with the same (source, id) committed first; we waited for it on the
        # unique index, so its record is there to compare with.
        existing = InboundEvent.objects.filter(source=source, event_id=checked["id"]).first()
        if existing is None:
            # Another event created the same order, invoice or customer at the same moment.
            return Answer.error(409, "body", "A concurrent event changed the same record; send this event again.")
        return _replay(existing, body_hash)
    except _Rejected as rejected:
        return rejected.answer


class _Rejected(Exception):
    """Raised inside the transaction so that everything written so far is rolled back."""

    def __init__(self, answer: Answer):
        self.answer = answer


def _apply(*, token: ApiToken, event: dict, payload: dict, body_hash: str) -> Answer:
    inbound = InboundEvent.objects.create(
        source=token.source, event_id=event["id"], type=event["type"], body_hash=body_hash, body=payload, token=token
    )
    ref = CustomerRef.from_event(event["customer"], source=token.source)
    try:
        customer, created = customer_resolve(
            ref=ref, source=token.source, may_create=token.allows(Scope.CUSTOMERS_CREATE)
        )
    except IdentityConflict as exc:
        raise _Rejected(
            Answer.error(
                409,
                "customer",
                str(exc),
                candidates=_candidates(exc.candidates, with_names=token.allows(Scope.CUSTOMERS_READ)),
            )
        ) from exc
    except ResolutionError as exc:
        raise _Rejected(Answer.error(422, "customer", str(exc))) from exc
    customer = _locked_survivor(customer)
    if customer.erased_at is not None:
        # Nothing of it is kept (docs/privacy.md): the source system is told to erase too.
        raise _Rejected(
            Answer.error(
                410,
                "customer",
                f"Customer {customer.customer_number} was erased at the customer's request (GDPR); "
                "this event is not stored. Erase the customer in your system too.",
            )
        )
    try:
        entry = HANDLERS[event["type"]](
            customer=customer, data=event["data"], occurred_at=event["occurred_at"], source=token.source, raw=payload
        )
    except Rejected as exc:
        # The event is well-formed but does not fit the records (an unknown order, an invoice
        # of another customer): the handler or the owning service says which field.
        raise _Rejected(Answer.error(422, exc.field, str(exc))) from exc
    # A message that expects an answer opens or joins its conversation in this same transaction.
    conversation_hear(entry=entry)
    response = {
        "event": {"id": event["id"], "type": event["type"], "source": token.source},
        "customer": {"id": customer.pk, "customer_number": customer.customer_number, "created": created},
        "timeline_entry": {"id": entry.pk, "seq": entry.seq, **_case_found(entry, event["data"])},
    }
    inbound.customer, inbound.response = customer, response
    inbound.save(update_fields=["customer", "response"])
    # Follow-up: the customer's guided journeys hear the event once it is committed.
    happened(EVENT_APPLIED, event_type=event["type"], inbound_event_id=inbound.pk)
    return Answer(201, response)


def _case_found(entry, data: dict) -> dict:
    """The case the entry landed on when the event named none (an SMS reply to a callback)."""
    return {"case_ref": Case.reference_for(entry.case_id)} if entry.case_id and not data.get("case_ref") else {}


def _candidates(customers, *, with_names: bool) -> list[dict]:
    """Whom the identifiers point at; names only for tokens that may read customers anyway."""
    return [
        {"id": c.pk, "customer_number": c.customer_number, **({"name": c.name} if with_names else {})}
        for c in customers
    ]


def _locked_survivor(customer: Customer) -> Customer:
    """Lock the customer row before anything else is written (the lock order every writer
    keeps), and follow a merge that committed while this event was being resolved."""
    while True:
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if not locked.merged_into_id:
            return locked
        customer = Customer.objects.get(pk=locked.merged_into_id)


def token_authenticate(header: str) -> ApiToken | None:
    """The active token named by an ``Authorization: Bearer`` header, or None."""
    scheme, _, plain = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        return None
    token = ApiToken.objects.filter(token_hash=ApiToken.hash(plain.strip()), revoked_at__isnull=True).first()
    if token is not None and (token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 60):
        # Written at most once a minute: a write per request would cost more than the event.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
