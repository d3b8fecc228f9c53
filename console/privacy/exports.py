"""Right of access (art. 15): a complete export of one customer, as JSON and as a readable page.

A manager starts it (``services.export_start``); a task builds it part by part (``export_build``),
writing its progress so the page can show it; the files go to the "exports" storage, which no
URL serves: only the requester downloads them (``export_file``), until ``expires_at``, after
which ``exports_expire`` deletes them. Starting and every download are audited.
"""

import json
import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from console.accounts.models import AuditEvent
from console.accounts.roles import Capability
from console.accounts.services import audit_event_record
from console.privacy.models import DataExport
from console.privacy.records import PARTS, customer_ids, row_data, user_names

log = logging.getLogger(__name__)
CHUNK = 2000
# What a download is: the file's extension, its content type.
KINDS = {"json": ("json_file", "application/json"), "html": ("html_file", "text/html; charset=utf-8")}


def storage():
    return storages["exports"]


def _progress(export_id: int, **fields) -> None:
    # Its own statement, committed at once (the task runs outside a transaction), so the page sees it.
    DataExport.objects.filter(pk=export_id).update(**fields)


def _claim(export_id: int, *, stalled_before=None) -> bool:
    """Take the export for this builder: a waiting one, or (for the catch-up) one whose builder
    started before ``stalled_before`` and is taken to be lost. One builder at a time."""
    now = timezone.now()
    waiting = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED)
    if stalled_before is not None:
        waiting = (
            DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING, started_at__lt=stalled_before)
            | waiting
        )
    return bool(waiting.update(status=DataExport.Status.RUNNING, started_at=now, progress=0, step="", error=""))


def export_build(export_id: int, *, stalled_before=None) -> None:
    """Gather every part into the JSON and the HTML file, if this builder claims the export."""
    if not _claim(export_id, stalled_before=stalled_before):
        return
    export = DataExport.objects.select_related("customer").get(pk=export_id)
    try:
        count, names = _write(export)
    except Exception as exc:  # a task must leave the export in a state the page can show
        log.exception("export %s failed", export_id)
        _files_delete([_name(export, kind) for kind in KINDS])
        _progress(export_id, status=DataExport.Status.FAILED, error=str(exc)[:300], step="")
        return
    now = timezone.now()
    # Only if it is still ours: an erasure may have cancelled it meanwhile (its files then go).
    finished = DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING, started_at=export.started_at)
    if not finished.update(
        status=DataExport.Status.READY,
        progress=100,
        step="",
        record_count=count,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.PRIVACY_EXPORT_HOURS),
        json_file=names["json"],
        html_file=names["html"],
    ):
        _files_delete(names.values())


def _files_delete(names) -> None:
    for name in names:
        if name:
            storage().delete(name)


def exports_cancel(customer_ids: list[int]) -> int:
    """An erased customer's exports: marked expired, their files deleted once that commits."""
    exports = DataExport.objects.filter(customer_id__in=customer_ids).exclude(status=DataExport.Status.EXPIRED)
    names = [n for pair in exports.values_list("json_file", "html_file") for n in pair if n]
    names += [_name(e, kind) for e in exports.select_related("customer") for kind in KINDS]
    count = exports.update(status=DataExport.Status.EXPIRED, json_file="", html_file="", step="", error="")
    transaction.on_commit(lambda: _files_delete(names))
    return count


def _name(export: DataExport, kind: str) -> str:
    return f"customer-{export.customer.customer_number}-export-{export.pk}.{kind}"


def _write(export: DataExport) -> tuple[int, dict[str, str]]:
    ids, users, count = customer_ids(export.customer), user_names(), 0
    made = timezone.localtime()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as js, tempfile.TemporaryFile("w+", encoding="utf-8") as page:
        head = {"customer_number": export.customer.customer_number, "made_at": made.isoformat(), "export": export.pk}
        js.write('{"export": ' + json.dumps(head))
        page.write(render_to_string("privacy/export_document_head.html", {"customer": export.customer, "made": made}))
        for number, part in enumerate(PARTS):
            _progress(export.pk, progress=int(100 * number / len(PARTS)), step=part.label)
            js.write(f", {json.dumps(part.key)}: [")
            rows, seen = [], 0
            for row in part.rows(ids).iterator(chunk_size=CHUNK):
                data = row_data(row, users)
                js.write((", " if seen else "") + json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
                rows.append(data)
                seen += 1
                if len(rows) == CHUNK:
                    page.write(_section(part, rows, continued=seen > CHUNK))
                    rows = []
            js.write("]")
            count += seen
            if rows or not seen:
                page.write(_section(part, rows, continued=seen > CHUNK))
        js.write(', "consents": ' + json.dumps({"marketing": export.customer.marketing_consent}) + "}")
        page.write(render_to_string("privacy/export_document_foot.html"))
        names = {}
        for handle, kind in ((js, "json"), (page, "html")):
            handle.seek(0)
            storage().delete(_name(export, kind))  # what an earlier, lost builder left
            names[kind] = storage().save(_name(export, kind), File(handle))
    return count, names


def _section(part, rows: list[dict], *, continued: bool) -> str:
    columns = list(rows[0]) if rows else []
    return render_to_string(
        "privacy/export_document_part.html",
        {"part": part, "columns": columns, "rows": [[row[c] for c in columns] for row in rows], "continued": continued},
    )


class ExportUnavailable(Exception):
    """The export exists but cannot be downloaded (not ready, expired, its file gone): 410."""


def export_for_download(*, export: DataExport, user, kind: str, request=None) -> tuple[File, str]:
    """The file of a ready export, to its requester only (404 for anyone else) and not after it expired."""
    if kind not in KINDS:
        raise Http404("No such kind of export file.")
    if export.requested_by_id != user.pk or not user.has_perm(Capability.MANAGE_FLAGS):
        raise Http404("No such export of yours.")
    if export.status != DataExport.Status.READY or export.expires_at is None or export.expires_at <= timezone.now():
        raise ExportUnavailable("This export is not ready, or it expired: start a new one.")
    field, content_type = KINDS[kind]
    try:
        handle = storage().open(getattr(export, field), "rb")
    except FileNotFoundError:
        log.error("export %s: its %s file is missing", export.pk, kind)
        raise ExportUnavailable("This export's file is gone: start a new one.") from None
    audit_event_record(
        actor=user,
        action=AuditEvent.Action.DOWNLOADED_EXPORT,
        customer=export.customer,
        detail=f"export {export.pk} ({kind})",
        request=request,
    )
    return handle, content_type


def exports_expire() -> int:
    """Delete the files of exports past their time (idempotent); how many expired."""
    expired = DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=timezone.now())
    done = 0
    for export in expired:
        if DataExport.objects.filter(pk=export.pk, status=DataExport.Status.READY).update(
            status=DataExport.Status.EXPIRED, json_file="", html_file=""
        ):
            _files_delete([export.json_file, export.html_file])
            done += 1
    return done
