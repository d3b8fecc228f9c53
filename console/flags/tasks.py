from celery import shared_task
from django.db import transaction

from console.flags.services import flags_overrides_lapse, flags_recompute


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_recompute_task(customer_id: int, because: str = "") -> None:
    """Recompute one customer's flags. Idempotent: it recomputes from the records as they are."""
    flags_recompute(customer_id=customer_id, because=because)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_recompute_all_task() -> None:
    """Every customer's flags (nightly): time alone turns invoices overdue and IDs expired."""
    flags_recompute(because="nightly recomputation")


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_overrides_lapse_task() -> None:
    flags_overrides_lapse()


def flags_recompute_on_commit(*, customer_id: int, because: str = "") -> None:
    """Start the recomputation once the change that calls for it is committed (never on rollback)."""
    # robust: a broker that is down must not turn the committed change into an error answer
    # (the customer's flags are then recomputed by the next change, or the nightly run).
    transaction.on_commit(lambda: flags_recompute_task.delay(customer_id, because), robust=True)
