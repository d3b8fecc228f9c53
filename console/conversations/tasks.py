from celery import shared_task

from console.conversations.assignment import offline_give_back
from console.conversations.sla_watch import conversations_sla_watch


@shared_task(acks_late=True, ignore_result=True)
def inbox_offline_give_back_task() -> str:
    """Celery beat "inbox-offline-give-back": agents gone too long give their conversations back."""
    return f"{offline_give_back()} conversations given back"


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def conversations_sla_watch_task() -> str:
    """Beat job: owners warned, overdue answers and conversations not done in time to the
    managers. Idempotent: each once per wait (resolution: per open period)."""
    told = conversations_sla_watch()
    return f"{told.warned} warned, {told.breached} breached, {told.not_done} not done in time"
