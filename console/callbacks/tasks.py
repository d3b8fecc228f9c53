from celery import shared_task

from console.callbacks.about_to_be_missed import callbacks_warn_about_to_be_missed


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def callbacks_warn_about_to_be_missed_task() -> str:
    """Beat job: callbacks about to be missed get a new window and the customer one SMS.
    Idempotent: each window is moved (and texted about) once."""
    count = callbacks_warn_about_to_be_missed()
    return f"{count} callback{'' if count == 1 else 's'} moved to a new window"
