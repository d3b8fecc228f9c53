"""SMS (or a social network's reply API) through an HTTP gateway: one JSON POST per message.

The request carries the message's idempotency key (``Idempotency-Key``), so a gateway that
supports it drops a message handed over twice. What the answer means for the message:

- 2xx: sent; the gateway's ``id`` (or ``message_id``) is kept as the reference.
- 408, 425, 429 and 5xx, or no connection at all: not sent now, tried again later
  (``DeliveryRetryable``; ``messaging.tasks`` waits longer after each attempt).
- any other 4xx: the gateway refuses it (a bad number): failed, shown to the agent.
- no answer after the request went out (a read timeout, a reset): the gateway may have it:
  ``DeliveryUncertain``, shown as "delivery not confirmed".
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

from console.messaging.backends import DeliveryFailed, DeliveryRetryable, DeliveryUncertain

RETRY_STATUSES = {408, 425, 429}


class HttpGatewayBackend:
    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT_SECONDS
        if not self.url:
            raise DeliveryFailed("No gateway address is configured (SMS_GATEWAY_URL).")

    def send(self, message) -> str:
        payload = json.dumps({"to": message.to_address, "text": message.body, "reference": message.idempotency_key})
        headers = {"Content-Type": "application/json", "Idempotency-Key": message.idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=payload.encode(), headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the URL comes from settings
                body = response.read(10_000)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode(errors="replace").strip()
            said = f"The gateway answered {exc.code}{': ' + detail if detail else ''}"
            if exc.code in RETRY_STATUSES or exc.code >= 500:
                raise DeliveryRetryable(said) from exc
            raise DeliveryFailed(said) from exc
        except urllib.error.URLError as exc:
            # Raised while connecting or sending the request: the gateway has no whole request.
            raise DeliveryRetryable(f"The gateway could not be reached: {exc.reason}") from exc
        except OSError as exc:
            # The request went out and the answer did not come (a read timeout, a reset).
            raise DeliveryUncertain(
                f"The gateway did not answer ({exc or type(exc).__name__}); it may have the message."
            ) from exc
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            answer = {}
        reference = answer.get("id") or answer.get("message_id") if isinstance(answer, dict) else None
        return str(reference or "accepted")
