import pytest
from django.conf import settings

from console.celery import app


@pytest.fixture
def worker():
    """A real Celery worker on the Redis broker (full stack only); tasks stop running in-process."""
    if not settings.REDIS_URL:
        pytest.skip("the broker path needs Redis (set REDIS_URL); the embedded mode runs tasks in-process")
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def webhooks_to_the_local_receiver(settings):
    """The webhook receiver of these tests listens on 127.0.0.1; an admin allows it like any host."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
