"""The audit trail is append-only: rows are added, never changed or deleted (docs/privacy.md).

The application's own paths raise on every database; on PostgreSQL a trigger refuses the same
in SQL, whoever sends it, and lets TRUNCATE (test teardown, ``flush``) through."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from console.accounts.models import AuditEvent, AuditTrailIsAppendOnly
from console.accounts.services import audit_event_record
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; CI runs on PostgreSQL"
)


@pytest.fixture
def row(make_user, customer):
    return audit_event_record(
        actor=make_user("phone"), action=AuditEvent.Action.VIEWED_CUSTOMER, customer=customer, detail="page"
    )


def test_a_row_can_be_added(row):
    assert AuditEvent.objects.get().detail == "page"


def test_saving_a_row_again_raises(row):
    row.detail = "something else"
    with pytest.raises(AuditTrailIsAppendOnly):
        row.save()
    assert AuditEvent.objects.get().detail == "page"


def test_deleting_a_row_raises(row):
    with pytest.raises(AuditTrailIsAppendOnly):
        row.delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(detail="rewritten"),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(action=AuditEvent.Action.VIEWED_CUSTOMER).delete(),
        lambda qs: AuditEvent.objects.bulk_update(list(qs), ["detail"]),
    ],
    ids=["update", "delete", "filtered delete", "bulk_update"],
)
def test_the_bulk_paths_raise(row, change):
    with pytest.raises(AuditTrailIsAppendOnly):
        change(AuditEvent.objects.all())
    assert AuditEvent.objects.get().detail == "page"


def test_the_related_managers_raise_too(row, customer):
    with pytest.raises(AuditTrailIsAppendOnly):
        customer.audit_events.all().delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        row.actor.audit_events.update(detail="rewritten")


def test_a_user_the_trail_names_cannot_be_deleted(row):
    with pytest.raises(ProtectedError):
        get_user_model().objects.get(pk=row.actor_id).delete()
    assert AuditEvent.objects.get().actor_id == row.actor_id


def test_a_customer_the_trail_names_cannot_be_deleted(row, customer):
    with pytest.raises(ProtectedError):
        customer.delete()
    assert AuditEvent.objects.get().customer_id == customer.pk


def test_a_user_and_a_customer_the_trail_does_not_name_can_still_be_deleted(make_user):
    make_user("phone").delete()
    CustomerFactory().delete()


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditevent SET detail = 'rewritten'",
        "UPDATE accounts_auditevent SET actor_id = NULL, customer_id = NULL",
        "DELETE FROM accounts_auditevent",
    ],
    ids=["update", "set null", "delete"],
)
def test_postgresql_refuses_raw_update_and_delete(row, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.get().detail == "page"
    assert AuditEvent.objects.get().actor_id is not None


@on_postgresql
def test_postgresql_refuses_deleting_a_named_customer_in_raw_sql_too(row, customer):
    # The foreign key (no ON DELETE action) refuses it at the latest at commit.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM customers_customer WHERE id = %s", [customer.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@on_postgresql
def test_postgresql_lets_truncate_through(row):
    with connection.cursor() as cursor:
        # The row's foreign keys are checked at commit; check them now, as a flush finds them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE accounts_auditevent")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_audit_rows_is_torn_down(make_user):
    # Teardown flushes the database (TRUNCATE on PostgreSQL): the trigger must not stop it.
    audit_event_record(actor=make_user("manager"), action=AuditEvent.Action.VIEWED_AUDIT_LOG)
    assert AuditEvent.objects.count() == 1
