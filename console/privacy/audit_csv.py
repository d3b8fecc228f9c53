"""The audit trail as CSV rows: read in chunks (a million rows stream without being held in
memory), every text cell safe to open in a spreadsheet."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.ui.spreadsheet import spreadsheet_cell

HEADER = [
    "when",
    "user",
    "user_name",
    "api_token",
    "action",
    "action_label",
    "customer_number",
    "customer_name",
    "detail",
    "ip_address",
]
LABELS = dict(AuditEvent.Action.choices)


def audit_csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list]:
    yield HEADER
    rows = events.values_list(
        "created_at",
        "actor__username",
        "actor__first_name",
        "actor__last_name",
        "token",
        "action",
        "customer__customer_number",
        "customer__name",
        "detail",
        "ip_address",
    )
    for when, username, first, last, token, action, number, name, detail, ip in rows.iterator(chunk_size=2000):
        yield [
            timezone.localtime(when).isoformat(timespec="seconds"),
            spreadsheet_cell(username or ""),
            spreadsheet_cell(f"{first} {last}".strip() if username else ""),
            spreadsheet_cell(token),
            action,
            LABELS.get(action, action),
            spreadsheet_cell(number or ""),
            spreadsheet_cell(name or ""),
            spreadsheet_cell(detail),
            ip or "",
        ]
