"""Delivery backends, one per channel, chosen by dotted path in ``settings.MESSAGING_BACKENDS``.

A backend takes one ``OutboundMessage`` and hands it to the world outside (a mail server, a
print room's folder, an SMS gateway, a social network's connector). It returns a reference the
outside world knows the message by, and raises:

- ``DeliveryFailed`` when the message certainly did not go out;
- ``DeliveryRetryable`` when it did not go out but may later (a gateway down or busy);
- ``DeliveryUncertain`` when it cannot tell (a connection lost after the message was handed over).

``messaging.services.message_send`` turns those into the statuses sent, failed, queued again
(while attempts are left), unknown. A social connector is a backend like any other: configure
one per network in ``MESSAGING_BACKENDS``.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class DeliveryFailed(Exception):
    """The message was not sent (refused, no connection before handing it over)."""


class DeliveryRetryable(DeliveryFailed):
    """Not sent, but worth trying again in a while (a gateway that is down or busy)."""


class DeliveryUncertain(Exception):
    """The message may or may not have been sent; sending it again could send it twice."""


def backend_for(channel: str):
    """The configured backend for a channel, freshly made (backends keep no state between messages)."""
    try:
        path = settings.MESSAGING_BACKENDS[channel]
    except KeyError:
        raise DeliveryFailed(f"No backend is configured for the {channel} channel (MESSAGING_BACKENDS).") from None
    return import_string(path)()
