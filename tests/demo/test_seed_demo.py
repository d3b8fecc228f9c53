"""`manage.py seed_demo`, as `make run` calls it: a newcomer's first screen of output."""

import io
import logging
import warnings

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from console.accounts.models import AuditEvent
from console.accounts.services import audit_event_record
from console.customers.models import Customer
from console.customers.selectors import may_see
from tests.conftest import shipped_data_ensure
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_seeding_the_demo_logs_no_warnings(make_user, settings, caplog, tmp_path):
    # A database flushed by an earlier transactional test: roles (make_user) and shipped data back.
    shipped_data_ensure()
    # As in the embedded mode: debug on (Django warns about templates only then) and the
    # in-process broker. Seeding pushes nothing live (nobody has these customers open yet).
    settings.DEBUG = True
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    settings.LETTERS_DIR = str(tmp_path / "letters")
    caplog.set_level(logging.WARNING)

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        call_command("seed_demo", customers=3, stdout=(out := io.StringIO()))

    assert [f"{w.category.__name__}: {w.message}" for w in warned] == []
    assert [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Story customers" in out.getvalue()
    # One restricted customer, whom no demo user sees, in any role (docs/privacy.md).
    assert "Restricted customer: C-200099 Ellen Personeel" in out.getvalue()
    employee = Customer.objects.get(customer_number="C-200099")
    assert employee.restricted_to.name == "Personeelszaken"
    for role in ("webcare", "phone", "store", "manager", "admin"):
        assert not may_see(get_user_model().objects.get(username=role), employee), role


def test_reset_starts_over_although_the_audit_trail_names_the_customers_and_users(make_user, settings, tmp_path):
    shipped_data_ensure()
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    settings.LETTERS_DIR = str(tmp_path / "letters")
    old = CustomerFactory(customer_number="C-999999")
    audit_event_record(actor=make_user("manager"), action=AuditEvent.Action.VIEWED_CUSTOMER, customer=old)

    call_command("seed_demo", reset=True, customers=2, stdout=(out := io.StringIO()))

    assert "Reset: deleted 1 customers" in out.getvalue()
    assert not Customer.objects.filter(customer_number="C-999999").exists()
    assert not AuditEvent.objects.filter(customer_id=old.pk).exists()
