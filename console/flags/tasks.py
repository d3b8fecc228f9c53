from celery import shared_task
from django.db import transaction

from console.flags import approvals
from console.flags.services import flags_overrides_lapse, flags_recompute


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_recompute_task(customer_id: int, because: str = "") -> None:
    """Recompute one customer's flags. Idempotent: it recomputes from the records as they are."""
    flags_recompute(customer_id=customer_id, because=because)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_recompute_all_task() -> str:
    """Every customer's flags (nightly): time alone turns invoices overdue and IDs expired."""
    return f"{flags_recompute():,} customers' flags changed"


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def flags_overrides_lapse_task() -> str:
    return f"{flags_overrides_lapse()} overrides lapsed"


def customer_changed(*, customer_id: int, because: str = "") -> None:
    """The reaction to ``CUSTOMER_CHANGED`` (console/reactions.py), after commit: recompute the
    customer's flags in a worker. A broker that is down must not turn the committed change into
    an error answer: the reaction is logged and the flags are recomputed by the customer's next
    change or the nightly run."""
    flags_recompute_task.delay(customer_id, because)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # Unreachable receiver or a 5xx (approvals.WebhookNotDelivered is a ConnectionError):
    # try again after about 5 s, 10 s, 20 s, ... at most 5 more times.
    autoretry_for=(ConnectionError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def credit_approval_webhook_task(self, approval_id: int) -> None:
    """Tell the system that asked for a credit approval what the manager decided."""

    try:
        approvals.credit_approval_webhook_send(approval_id=approval_id)
    except ConnectionError:
        if self.request.is_eager:
            # The embedded mode has no broker to try again later: one attempt, and the error
            # stays on the request for the asker to see.
            return
        raise


def credit_approval_webhook_on_commit(*, approval_id: int) -> None:
    """Send the decision once it is committed; a broker that is down must not undo the decision."""
    transaction.on_commit(lambda: credit_approval_webhook_task.delay(approval_id), robust=True)
