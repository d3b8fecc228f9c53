"""The events the load generators send to the event API: unique interaction.recorded events,
one customer each by e-mail address (bench/ingest.py, bench/live.py)."""

import random
from datetime import UTC, datetime

CHANNELS = ["chat", "email", "whatsapp", "phone", "web", "store"]
SUMMARIES = [
    "Asked when the order will be delivered",
    "Wants to change the delivery address",
    "Question about the invoice",
    "Asked how to return an item",
    "Thanked us for the quick help",
]


class Events:
    """Unique interaction.recorded events, spread at random over the seeded customers."""

    def __init__(self, emails: list[str], run: str, seed: int = 1):
        self.emails, self.run, self.rng, self.n = emails, run, random.Random(seed), 0
        self.occurred_at = datetime.now(UTC).isoformat(timespec="seconds")

    def one(self, email: str | None = None) -> dict:
        self.n += 1
        return {
            "id": f"{self.run}-{self.n}",
            "type": "interaction.recorded",
            "occurred_at": self.occurred_at,
            "customer": {"email": email or self.rng.choice(self.emails)},
            "data": {
                "channel": self.rng.choice(CHANNELS),
                "direction": "inbound",
                "summary": self.rng.choice(SUMMARIES),
            },
        }
