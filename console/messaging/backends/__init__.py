"""Delivery backends, one per channel, chosen by dotted path in ``settings.MESSAGING_BACKENDS``.

A backend takes one ``OutboundMessage`` and hands it to the world outside (a mail server, a
print room's folder, later an SMS gateway). It returns a reference the outside world knows the
message by, raises ``DeliveryFailed`` when the message certainly did not go out, and
``DeliveryUncertain`` when it cannot tell (a connection lost after the message was handed
over). ``messaging.services.message_send`` turns those into the statuses sent, failed, unknown.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryFailed(Exception):
    """The message was not sent (refused, no connection before handing it over)."""


class DeliveryUncertain(Exception):
    """The message may or may not have been sent; sending it again could send it twice."""


def backend_for(channel: str):
    """The configured backend for a channel, freshly made (backends keep no state between messages)."""
    try:
        path = settings.MESSAGING_BACKENDS[channel]
    except KeyError:
        raise DeliveryFailed(f"No backend is configured for the {channel} channel (MESSAGING_BACKENDS).") from None
    return import_string(path)()
