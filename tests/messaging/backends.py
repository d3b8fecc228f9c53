"""Stand-ins for the world outside the product (a mail server), configured by dotted path
exactly as a real backend is (settings.MESSAGING_BACKENDS)."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

from console.messaging.backends.email import DjangoEmailBackend


class WorkerDied(BaseException):  # noqa: N818 - it is not an error the product could handle
    """What the product sees of kill -9: nothing after this point runs (not even ``except Exception``)."""


class DiesAfterHandingOver(DjangoEmailBackend):
    """The mail server takes the message, then the worker dies before it can record that."""

    def send(self, message) -> str:
        super().send(message)
        raise WorkerDied()


class SlowFileEmailBackend(FileEmailBackend):
    """Django's file backend behind a mail server that takes a while to answer after taking the
    message (``SLOW_MAIL_SECONDS``): the window in which a worker can die with a message sent
    but not yet recorded as sent."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.2")))
        return sent


class Refusing:
    """A gateway that turns every message down (a blocked sender id)."""

    def send(self, message) -> str:
        from console.messaging.backends import DeliveryFailed

        raise DeliveryFailed("The gateway refused the message: sender id blocked.")
