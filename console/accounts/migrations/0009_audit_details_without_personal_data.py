"""Audit details written before issue 19 could hold a customer's free text (case titles, next
steps with a phone number, override and credit reasons, addresses, names of merged records).
The audit trail outlives an erasure and becomes append-only, so those details are cut back, once,
to the references the code writes now (docs/privacy.md)."""

import re

from django.db import migrations

REFERENCE_ONLY = re.compile(r"^([A-Z]+-\d+)")


def _reference(detail):
    match = REFERENCE_ONLY.match(detail)
    return match.group(1) if match else ""


def _before(marker):
    return lambda detail: detail.split(marker, 1)[0]


def _merged(detail):
    match = re.search(r"\((C-\S+ into C-\S+)\)\s*$", detail)
    return match.group(1) if match else ""


def _credit(detail):
    # "Approved order WS-1 of EUR 900.00 (request 7): <reason>" -> without the reason
    head, sep, _reason = detail.partition("): ")
    return f"{head})" if sep else detail


def _sent(detail):
    match = re.match(r"^(.*?)(?: to .*)? \(#(\d+)\)$", detail)
    return f"{match.group(1)} (#{match.group(2)})" if match else ""


# action -> how its old detail is cut back to what is written now
CUT = {
    "opened_case": _reference,
    "updated_case": _reference,
    "linked_to_case": _reference,
    "added_case_note": _reference,
    "closed_case": _reference,
    "promised_callback": _reference,
    "completed_callback": lambda d: f"{_reference(d)}: called back" if _reference(d) else "",
    "sent_message": _sent,
    "confirmed_address": lambda d: "address confirmed",
    "corrected_address": lambda d: "address corrected",
    "overrode_flag": _before(": "),
    "decided_credit": _credit,
    "merged_customers": _merged,
}


def cut_back(apps, schema_editor):
    audit = apps.get_model("accounts", "AuditEvent")
    for action, cut in CUT.items():
        for pk, detail in audit.objects.filter(action=action).exclude(detail="").values_list("pk", "detail").iterator():
            new = cut(detail)
            if new != detail:
                audit.objects.filter(pk=pk).update(detail=new)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_privacy_audit_actions")]

    operations = [migrations.RunPython(cut_back, migrations.RunPython.noop)]
