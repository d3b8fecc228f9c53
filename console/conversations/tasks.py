from celery import shared_task

from console.conversations.assignment import offline_give_back


@shared_task(acks_late=True, ignore_result=True)
def inbox_offline_give_back_task() -> str:
    """Celery beat "inbox-offline-give-back": agents gone too long give their conversations back."""
    return f"{offline_give_back()} conversations given back"
