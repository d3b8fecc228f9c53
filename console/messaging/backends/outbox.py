import json
import os
from pathlib import Path

from django.conf import settings

from console.messaging.backends import DeliveryFailed


class OutboxBackend:
    """Messages as JSON files in a folder: the default for SMS and social replies.

    In development and the demo the folder is where "sent" texts can be read; in production a
    gateway process or the webcare tool may pick them up from there. The file is named after
    the message's idempotency key and written atomically, so a message sent again replaces its
    earlier file rather than adding a second one. The folder is ``settings.OUTBOX_DIR`` / the
    channel (``var/outbox/sms``, ``var/outbox/twitter``).
    """

    def send(self, message) -> str:
        folder = Path(settings.OUTBOX_DIR) / message.channel
        name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in message.idempotency_key) + ".json"
        content = {
            "to": message.to_address,
            "channel": message.channel,
            "language": message.language,
            "text": message.body,
            "key": message.idempotency_key,
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".{name}.part"
            temporary.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(temporary, folder / name)
        except OSError as exc:
            raise DeliveryFailed(f"The message could not be written to {folder}: {exc}") from exc
        return f"{message.channel}/{name}"
