"""Right of access: a manager's export holds every kind of record, readable and machine-readable,
for the manager who asked only, for a limited time, and every step is in the audit trail."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.privacy.exports import export_build, exports_expire
from console.privacy.models import DataExport
from console.privacy.records import PARTS
from console.privacy.tasks import privacy_catch_up_task
from tests.privacy.conftest import EMAIL, INVOICE, NAME, ORDER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def exports_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def start(client, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/customers/{customer.pk}/export")
    assert response.status_code == 302
    return DataExport.objects.get(customer=customer, requested_by=client.user)


def download(client, export, kind):
    response = client.get(f"/privacy/exports/{export.pk}/download.{kind}")
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_the_export_holds_every_kind_of_record(everything, client, django_capture_on_commit_callbacks):
    customer, _agent, manager = everything
    client.force_login(manager)
    client.user = manager
    export = start(client, customer, django_capture_on_commit_callbacks)
    assert (export.status, export.progress) == ("ready", 100)
    response, body = download(client, export, "json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/json"
    data = json.loads(body)
    empty = [part.key for part in PARTS if not data[part.key]]
    assert not empty, f"the test customer has no record of: {empty}"
    assert data["customer"][0]["name"] == NAME
    assert {i["value"] for i in data["identifiers"]} >= {EMAIL.lower()}
    assert data["orders"][0]["order_number"] == ORDER and data["invoices"][0]["invoice_number"] == INVOICE
    assert data["consents"] == {"marketing": False}
    assert any(row["action"] == "viewed_customer" for row in data["access"])
    assert export.record_count == sum(len(data[part.key]) for part in PARTS)

    response, page = download(client, export, "html")
    assert response["Content-Type"].startswith("text/html")
    page = page.decode()
    for part in PARTS:
        assert f"<h2>{part.label}" in page
    assert NAME in page and "Vogelhuisje Eiken" in page


def test_customer_text_in_the_readable_export_is_escaped(everything, client, django_capture_on_commit_callbacks):
    customer, _agent, manager = everything
    customer.timeline.filter(kind="interaction").update(summary="<script>alert(1)</script>")
    client.force_login(manager)
    client.user = manager
    _response, page = download(client, start(client, customer, django_capture_on_commit_callbacks), "html")
    assert b"<script>alert(1)" not in page and b"&lt;script&gt;alert(1)" in page


def test_only_the_manager_who_asked_downloads_it_and_only_until_it_expires(
    everything, client, make_user, django_capture_on_commit_callbacks, exports_folder
):
    customer, agent, manager = everything
    client.force_login(manager)
    client.user = manager
    export = start(client, customer, django_capture_on_commit_callbacks)
    # Another manager or an admin: there is no such export of theirs. An agent: not for their role.
    for other, status in ((make_user("manager"), 404), (make_user("admin"), 404), (agent, 403)):
        client.force_login(other)
        assert client.get(f"/privacy/exports/{export.pk}/download.json").status_code == status
        assert client.get(f"/privacy/exports/{export.pk}/").status_code == status
    client.force_login(manager)
    assert client.get(f"/privacy/exports/{export.pk}/download.exe").status_code == 404
    assert client.get(f"/privacy/exports/{export.pk}/download.json").status_code == 200

    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/privacy/exports/{export.pk}/download.json")
    assert response.status_code == 410 and "it expired: start a new one" in response.content.decode()
    assert exports_expire() == 1 and exports_expire() == 0
    assert list(exports_folder.iterdir()) == []
    page = client.get(f"/privacy/customers/{customer.pk}/").content.decode()
    assert "Expired (files deleted)" in page

    audit = list(AuditEvent.objects.filter(actor=manager, customer=customer).values_list("action", "detail"))
    assert ("started_export", f"export {export.pk}") in audit
    assert ("downloaded_export", f"export {export.pk} (json)") in audit


def test_agents_may_not_start_an_export(everything, client_as):
    customer, *_ = everything
    for role in ("webcare", "phone", "store"):
        client = client_as(role)
        assert client.post(f"/privacy/customers/{customer.pk}/export").status_code == 403
        assert "Start an export" not in client.get(f"/privacy/customers/{customer.pk}/").content.decode()
    assert not DataExport.objects.exists()


def test_progress_is_shown_while_it_is_built(everything, client, settings, django_capture_on_commit_callbacks):
    customer, _agent, manager = everything
    client.force_login(manager)
    client.user = manager
    # Started, not yet built (the task waits for a worker): the page shows it as waiting, polling.
    response = client.post(f"/privacy/customers/{customer.pk}/export")
    export = DataExport.objects.get()
    DataExport.objects.filter(pk=export.pk).update(status="running", progress=40, step="Timeline")
    line = client.get(f"/privacy/exports/{export.pk}/").content.decode()
    assert 'value="40"' in line and "40% · Timeline" in line and 'hx-trigger="every 1s"' in line
    assert response.status_code == 302
    assert storages["exports"].listdir("")[1] == []


def test_a_file_gone_from_storage_is_a_clear_410_not_a_500(everything, client, django_capture_on_commit_callbacks):
    customer, _agent, manager = everything
    client.force_login(manager)
    client.user = manager
    export = start(client, customer, django_capture_on_commit_callbacks)
    storages["exports"].delete(export.json_file)
    response = client.get(f"/privacy/exports/{export.pk}/download.json")
    assert response.status_code == 410 and "file is gone: start a new one" in response.content.decode()
    assert not AuditEvent.objects.filter(action="downloaded_export").exists()


def test_a_double_click_starts_one_export(everything, client, settings):
    customer, _agent, manager = everything
    client.force_login(manager)
    # Without a worker (the task waits), a second click finds the first export still waiting.
    client.post(f"/privacy/customers/{customer.pk}/export")
    client.post(f"/privacy/customers/{customer.pk}/export")
    assert DataExport.objects.count() == 1


def test_one_builder_at_a_time_and_a_lost_one_is_taken_over(everything, client):
    customer, _agent, manager = everything
    client.force_login(manager)
    client.post(f"/privacy/customers/{customer.pk}/export")
    export = DataExport.objects.get()
    DataExport.objects.filter(pk=export.pk).update(status="running", started_at=timezone.now())
    export_build(export.pk)  # another builder has it: nothing happens
    assert DataExport.objects.get().status == "running"
    DataExport.objects.filter(pk=export.pk).update(started_at=timezone.now() - timedelta(hours=2))
    DataExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(hours=2))
    privacy_catch_up_task()
    export.refresh_from_db()
    assert export.status == "ready" and storages["exports"].exists(export.json_file)
