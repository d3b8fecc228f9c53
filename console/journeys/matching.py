"""Which event completes a journey step, or sends a journey off track: a small matcher.

A matcher is an event type of the event API plus a few conditions on the event's data, kept
as a JSON object an admin edits, e.g. ``{"line_status": "delivered", "every_line": true}``
for ``order.updated`` or ``{"result": ["mismatch", "expired"]}`` for ``identity.checked``.
A condition's value is one value or a list of values (any of them will do). Which conditions
an event type takes, and which values they allow, come from the event API's own schemas, so
a matcher can never wait for a value no source is allowed to send.
"""

from dataclasses import dataclass

from console.ingest import schemas


def _choices(serializer, field: str) -> tuple[str, ...]:
    return tuple(serializer().fields[field].choices)


LINE_STATUSES = _choices(schemas.OrderLineData, "status")
ORDER_STATUSES = _choices(schemas.OrderData, "status")
RETURN_STATUSES = _choices(schemas.ReturnData, "status")
RETURN_REASONS = _choices(schemas.ReturnData, "reason")
ID_RESULTS = _choices(schemas.IdentityCheckedData, "result")

# A condition that takes any text (an SKU), or only true/false.
TEXT = "text"
YES_NO = "yes/no"

_ORDER = {"line_status": LINE_STATUSES, "sku": TEXT, "every_line": YES_NO, "order_status": ORDER_STATUSES}
_RETURN = {"status": RETURN_STATUSES, "reason": RETURN_REASONS}
CONDITIONS: dict[str, dict] = {
    "order.placed": _ORDER,
    "order.updated": _ORDER,
    "return.opened": _RETURN,
    "return.updated": _RETURN,
    "identity.checked": {"result": ID_RESULTS},
    "interaction.recorded": {
        "channel": _choices(schemas.InteractionData, "channel"),
        "direction": _choices(schemas.InteractionData, "direction"),
    },
    "mail.returned": {"reason": _choices(schemas.MailReturnedData, "reason")},
}
EVENT_TYPES = sorted(schemas.EVENT_TYPES)
# Events about one order: a journey that follows an order only hears those of its own order.
ORDER_EVENTS = {"order.placed", "order.updated", "return.opened", "return.updated"}

HELP = (
    "Conditions on the event's data, as JSON; {} means any event of this type. "
    'order.placed/order.updated: "line_status" (e.g. "delivered" or ["failed", "wrong_item"]), '
    '"sku", "every_line" (true: every line of the order, with that SKU if given, now has that '
    'status), "order_status". return.opened/return.updated: "status", "reason". '
    'identity.checked: "result" ("valid", "expired", "mismatch"). interaction.recorded: "channel", '
    '"direction". mail.returned: "reason".'
)


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def matcher_problems(event_type: str, conditions) -> list[str]:
    """What is wrong with this matcher, in words an admin can act on; empty when it is fine."""
    if event_type not in schemas.EVENT_TYPES:
        return [f"'{event_type}' is not an event type. Choose one of: {', '.join(EVENT_TYPES)}."]
    if not isinstance(conditions, dict):
        return ['Write the conditions as a JSON object, e.g. {"result": "valid"}, or {} for any event.']
    allowed = CONDITIONS.get(event_type, {})
    problems = []
    for name, value in conditions.items():
        kind = allowed.get(name)
        if kind is None:
            known = ", ".join(allowed) if allowed else "none (use {})"
            problems.append(f"'{name}' is not a condition of {event_type} events; they take: {known}.")
        elif kind == YES_NO:
            if not isinstance(value, bool):
                problems.append(f"'{name}' must be true or false.")
        elif _values(value) == [] or not all(isinstance(v, str) and v for v in _values(value)):
            problems.append(f"'{name}' must be a text or a list of texts.")
        elif kind != TEXT:
            wrong = [v for v in _values(value) if v not in kind]
            if wrong:
                problems.append(f"'{name}' cannot be {', '.join(wrong)}; it is one of: {', '.join(kind)}.")
    if conditions.get("every_line") and "line_status" not in conditions:
        problems.append("'every_line' needs a 'line_status' to check every line for.")
    return problems


@dataclass
class Seen:
    """An event as a journey hears it: its type and data, and (for order events) the lines of
    the order as recorded after it was applied."""

    event_type: str
    data: dict
    order_lines: list[dict] | None = None


def matches(event_type: str, conditions: dict, seen: Seen) -> bool:
    """Whether the event meets the matcher (a matcher with a problem never matches)."""
    if seen.event_type != event_type or matcher_problems(event_type, conditions):
        return False
    data = seen.data
    for name, value in conditions.items():
        if name in ("line_status", "sku", "every_line"):
            continue
        field = "status" if name == "order_status" else name
        if data.get(field) not in _values(value):
            return False
    if "line_status" in conditions or "sku" in conditions:
        return lines_match(conditions, seen.order_lines if conditions.get("every_line") else data.get("lines", []))
    return True


def lines_match(conditions: dict, lines: list[dict] | None) -> bool:
    """Any line (or, with ``every_line``, every line and at least one) of the given SKU has
    one of the statuses."""
    if lines is None:
        return False
    if "sku" in conditions:
        lines = [line for line in lines if line.get("sku") in _values(conditions["sku"])]
    statuses = _values(conditions.get("line_status", [line.get("status") for line in lines]))
    if conditions.get("every_line"):
        return bool(lines) and all(line.get("status") in statuses for line in lines)
    return any(line.get("status") in statuses for line in lines)


# What each event is, in the words agents use ("waiting for an ID check").
EVENT_WORDS = {
    "interaction.recorded": "a contact recorded",
    "call.started": "a call starting",
    "call.ended": "a call ending",
    "order.placed": "a new order",
    "order.updated": "an order update",
    "invoice.issued": "an invoice",
    "payment.received": "a payment",
    "return.opened": "a return opened",
    "return.updated": "a return update",
    "mail.returned": "returned post",
    "email.bounced": "a bounced e-mail",
    "identity.checked": "an ID check",
    "wishlist.updated": "a wish list update",
}


def event_words(event_type: str) -> str:
    """The event in plain words: "an order update" for order.updated."""
    return EVENT_WORDS.get(event_type, f"a {event_type.replace('.', ' ').replace('_', ' ')} event")


def _either(value) -> str:
    return " or ".join(str(v).replace("_", " ") for v in _values(value))


def _lines_words(conditions: dict) -> str:
    which = "every line" if conditions.get("every_line") else "a line"
    if "sku" in conditions:
        which += f" of {_either(conditions['sku'])}"
    status = conditions.get("line_status")
    return f"{which} {_either(status)}" if status else which


def describe(event_type: str, conditions: dict) -> str:
    """The matcher in plain words for agents and admins: "an order update: every line
    delivered", "an ID check: mismatch or expired", "an order update" (any)."""
    if not event_type:
        return "an agent to mark it done"
    parts = []
    if "line_status" in conditions or "sku" in conditions:
        parts.append(_lines_words(conditions))
    for name, value in conditions.items():
        if name in ("line_status", "sku", "every_line"):
            continue
        if name == "order_status":
            parts.append(f"the order {_either(value)}")
        elif name in ("status", "result", "direction"):
            parts.append(_either(value))
        elif name == "channel":
            parts.append(f"by {_either(value)}")
        else:
            parts.append(f"{name.replace('_', ' ')} {_either(value)}")
    return f"{event_words(event_type)}: {', '.join(parts)}" if parts else event_words(event_type)
