import os
from pathlib import Path

from django.conf import settings

from console.messaging.backends import DeliveryFailed


class FolderLetterBackend:
    """Letters as text files in ``settings.LETTERS_DIR``, for the print room to print and post.

    The file is named after the message's idempotency key and written atomically (a temporary
    file renamed into place), so the print room never sees half a letter, and a letter sent
    again replaces its earlier file instead of adding a second one.
    """

    def send(self, message) -> str:
        folder = Path(settings.LETTERS_DIR)
        name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in message.idempotency_key) + ".txt"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".{name}.part"
            temporary.write_text(f"{message.to_address}\n\n{message.subject}\n\n{message.body}", encoding="utf-8")
            os.replace(temporary, folder / name)
        except OSError as exc:
            raise DeliveryFailed(f"The letter could not be written to {folder}: {exc}") from exc
        return name
