"""Thin Celery tasks (ids only, acks_late): each calls the service of the same name.

``acks_late`` with ``reject_on_worker_lost``: a task is taken off the queue only when it has
finished, so a worker that dies mid-task leaves it to be delivered again. Every service here is
safe to run again (docs/messaging.md says why).
"""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from console.customers.models import Customer
from console.messaging import services, statements
from console.messaging.models import OutboundMessage


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def message_send_task(self, message_id: int) -> None:
    status = services.message_send(message_id=message_id)
    if status == OutboundMessage.Status.QUEUED and not self.request.is_eager:
        # The backend could not send it for now and the message is queued again: try after a
        # pause that doubles each time. (Run eagerly, in the embedded mode, there is no one to
        # wait: the periodic sweep, messages_resume_stalled, hands it over again.)
        raise self.retry(countdown=retry_pause(message_id))


def retry_pause(message_id: int) -> float:
    attempts = OutboundMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first() or 1
    return min(settings.MESSAGE_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 600)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def statement_send_task(customer_id: int, period: str) -> None:
    try:
        statements.statement_send(customer_id=customer_id, period=period)
    except Customer.DoesNotExist:
        return  # deleted since the run picked it: nothing to send


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def statements_send_due_task(today: str | None = None) -> None:
    """The beat entry: today's statement run, if one is due (``today`` as YYYY-MM-DD for a rerun)."""
    statements.statements_send_due(today=date.fromisoformat(today) if today else timezone.localdate())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def messages_resume_stalled_task() -> None:
    services.messages_resume_stalled()


def messages_send_on_commit(message_ids: list[int]) -> None:
    """Hand the messages to workers once the transaction that queued them commits.

    robust: a broker that is down must not undo the committed statement; the messages stay
    queued and ``messages_resume_stalled`` hands them over later.
    """
    ids = list(message_ids)
    transaction.on_commit(lambda: [message_send_task.delay(pk) for pk in ids], robust=True)
