"""The privacy app's background work: building exports, erasing, and the nightly retention jobs."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from console.privacy.erasure import customer_erase
from console.privacy.exports import export_build, exports_expire
from console.privacy.models import DataExport, ErasureRequest
from console.privacy.retention import fiscal_records_purge, raw_payloads_purge

log = logging.getLogger(__name__)
STALLED = timedelta(minutes=5)
# A builder that started this long ago and has not finished is taken to be lost.
BUILDER_LOST = timedelta(hours=1)


def stalled_exports() -> list[int]:
    now = timezone.now()
    waiting = Q(status=DataExport.Status.QUEUED, requested_at__lt=now - STALLED)
    lost = Q(status=DataExport.Status.RUNNING, started_at__lt=now - BUILDER_LOST)
    return list(DataExport.objects.filter(waiting | lost).values_list("pk", flat=True))


def stalled_erasures() -> list[int]:
    before = timezone.now() - STALLED
    return list(
        ErasureRequest.objects.filter(status=ErasureRequest.Status.APPROVED, decided_at__lt=before).values_list(
            "pk", flat=True
        )
    )


@shared_task
def export_build_task(export_id: int) -> None:
    export_build(export_id)


@shared_task
def customer_erase_task(erasure_id: int) -> None:
    customer_erase(erasure_id)


@shared_task
def exports_expire_task() -> int:
    return exports_expire()


@shared_task
def raw_payloads_purge_task() -> str:
    """The nightly retention job: raw payloads, and erased customers' records past fiscal retention."""
    return f"{raw_payloads_purge()}; {fiscal_records_purge()}"


@shared_task
def privacy_catch_up_task() -> None:
    """Exports and approved erasures whose task went missing (broker down at commit, worker
    killed) are done now; both are safe to run again."""
    lost = timezone.now() - BUILDER_LOST
    jobs = [(export_build, pk, {"stalled_before": lost}) for pk in stalled_exports()]
    jobs += [(customer_erase, pk, {}) for pk in stalled_erasures()]
    for job, pk, options in jobs:
        try:
            job(pk, **options)
        except Exception:  # one that fails must not keep the others waiting
            log.exception("privacy catch-up: %s(%s) failed", job.__name__, pk)
