"""The migration that cuts old audit details back to references leaves no customer text behind."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from console.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db
migration = importlib.import_module("console.accounts.migrations.0009_audit_details_without_personal_data")

OLD = {
    "opened_case": ("K-000012: Complaint opened: Klacht van Wilhelmina Zonderland", "K-000012"),
    "promised_callback": ("K-000002: Call back 06 12398765 between 10:00 and 11:00", "K-000002"),
    "completed_callback": ("K-000002: called back 06 12398765", "K-000002: called back"),
    "sent_message": ("SMS to 06 12398765 (#41)", "SMS (#41)"),
    "corrected_address": ("Address corrected: Zonnelaan 3 → Kerkstraat 5", "address corrected"),
    "overrode_flag": (
        "Credit flag set to OK by Eva until 05-12-2026 10:00: met Wilhelmina",
        "Credit flag set to OK by Eva until 05-12-2026 10:00",
    ),
    "decided_credit": (
        "Approved order of EUR 900.00 (request 7): Wilhelmina betaalt",
        "Approved order of EUR 900.00 (request 7)",
    ),
    "merged_customers": ("Merged Willy Zonderland into Wilhelmina (C-900000 into C-200001)", "C-900000 into C-200001"),
    "viewed_customer": ("Interaction #3", "Interaction #3"),
}


def test_old_details_are_cut_back_to_references():
    for action, (old, _new) in OLD.items():
        AuditEvent.objects.create(action=action, detail=old)
    # The migration's own view of the models (plain managers), as `migrate` runs it: before 0010's
    # trigger exists, so here (inside the test's transaction, rolled back after it) without it.
    state = MigrationLoader(connection).project_state(("accounts", "0009_audit_details_without_personal_data"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # (the rows' deferred foreign-key checks first: PostgreSQL alters no table with some pending)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only")
        migration.cut_back(state.apps, None)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER accounts_auditevent_append_only")
    assert dict(AuditEvent.objects.values_list("action", "detail")) == {a: new for a, (_old, new) in OLD.items()}
