from celery import shared_task

from console.cases.complaints import complaints_escalate_overdue


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def complaints_escalate_overdue_task() -> str:
    """Beat job: overdue complaints to the managers. Idempotent: each is escalated once."""
    count = complaints_escalate_overdue()
    return f"{count} overdue complaint{'' if count == 1 else 's'} escalated"
