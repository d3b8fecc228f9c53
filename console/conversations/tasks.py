from celery import shared_task

from console.conversations.sla_watch import conversations_sla_watch


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def conversations_sla_watch_task() -> str:
    """Beat job: owners warned, overdue answers to the managers. Idempotent: each once per wait."""
    warned, breached = conversations_sla_watch()
    return f"{warned} warned, {breached} breached"
