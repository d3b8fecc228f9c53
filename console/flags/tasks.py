from celery import shared_task
from django.db import transaction

from console.flags.services import flags_recompute


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_recompute_task(customer_id: int) -> None:
    """Recompute one customer's flags. Idempotent: it recomputes from the records as they are."""
    flags_recompute(customer_id=customer_id)


def flags_recompute_on_commit(*, customer_id: int) -> None:
    """Start the recomputation once the change that calls for it is committed (never on rollback)."""
    transaction.on_commit(lambda: flags_recompute_task.delay(customer_id))
