"""Talking to a running console the way an integrator's system does: HTTP and a bearer token.

Only the standard library (``http.client``): the simulator must run wherever the console's
code is, and ``requests`` is not one of its runtime dependencies. One keep-alive connection
is reused, because opening a TCP connection per event would measure the handshake, not the
console.
"""

import http.client
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

# A console that keeps answering 429 is misconfigured; give up rather than hang the demo.
MAX_THROTTLE_RETRIES = 10
MAX_RETRY_AFTER_S = 30.0


class SimulationError(Exception):
    """The simulation cannot go on; the message says what to do about it."""


class ConsoleUnreachable(SimulationError):
    """No HTTP answer at all: the server is down, the URL is wrong, or it timed out."""


@dataclass
class Reply:
    status: int
    body: dict | list
    throttled: int = 0  # how many 429s were waited out before this answer

    def errors(self) -> str:
        """The API's ``{"errors": {"field": ["message"]}}`` as one short line."""
        errors = self.body.get("errors") if isinstance(self.body, dict) else None
        if not isinstance(errors, dict):
            return json.dumps(self.body, ensure_ascii=False)[:200]
        return "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items())[:300]


class ApiClient:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = 15.0,
        on_throttle: Callable | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        parts = urlsplit(url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConsoleUnreachable(f"{url!r} is not an http(s) URL; give e.g. --url http://127.0.0.1:8000")
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout
        self._parts, self._prefix = parts, parts.path
        self._conn: http.client.HTTPConnection | None = None
        self.on_throttle, self.sleep = on_throttle, sleep

    def post(self, path: str, payload: dict) -> Reply:
        return self._request("POST", path, json.dumps(payload, ensure_ascii=False).encode())

    def get(self, path: str, **params) -> Reply:
        query = f"?{urlencode(params)}" if params else ""
        return self._request("GET", path + query, None)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _request(self, method: str, path: str, body: bytes | None) -> Reply:
        throttled = 0
        while True:
            status, headers, raw = self._send(method, path, body)
            if status != 429 or throttled >= MAX_THROTTLE_RETRIES:
                return Reply(status, _decode(raw), throttled)
            throttled += 1
            wait = _retry_after(headers.get("Retry-After"))
            if self.on_throttle:
                self.on_throttle(wait)
            self.sleep(wait)

    def _send(self, method: str, path: str, body: bytes | None):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        # A keep-alive connection the server has since closed fails on first use; one
        # fresh connection tells that apart from a console that is really gone.
        for attempt in (1, 2):
            try:
                conn = self._connection()
                conn.request(method, self._prefix + path, body=body, headers=headers)
                response = conn.getresponse()
                return response.status, response.headers, response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if attempt == 2:
                    raise ConsoleUnreachable(
                        f"No answer from {self.url} ({type(exc).__name__}: {exc}). "
                        f"Is the console running at {self.url}?"
                    ) from exc
        raise AssertionError("unreachable")

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
            self._conn = cls(self._parts.hostname, self._parts.port, timeout=self.timeout)
        return self._conn


def _decode(raw: bytes) -> dict | list:
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return {"errors": {"body": [f"Not JSON: {raw[:120]!r}"]}}


def _retry_after(value: str | None) -> float:
    try:
        seconds = float(value) if value else 1.0
    except ValueError:  # an HTTP date; the console sends seconds, so just wait a moment
        seconds = 1.0
    return min(max(seconds, 0.05), MAX_RETRY_AFTER_S)


@dataclass
class Tally:
    """What was sent and what came back; printed as the run's summary."""

    write: Callable[[str], None]
    started: float = field(default_factory=time.monotonic)
    statuses: Counter = field(default_factory=Counter)
    throttled: int = 0
    prefix: str = ""  # stories indent event lines under their narration

    def record(self, reply: Reply, event: dict, note: str = "") -> None:
        self.statuses[reply.status] += 1
        self.throttled += reply.throttled
        self.write(self.prefix + event_line(reply, event, note))

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def summary(self) -> str:
        elapsed = max(time.monotonic() - self.started, 0.001)
        by_status = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items())) or "nothing sent"
        text = f"Summary: {self.sent} events sent in {elapsed:.1f} s ({self.sent / elapsed:.1f}/s) — {by_status}"
        if self.throttled:
            text += f"; waited out {self.throttled} × 429"
        return text


def event_line(reply: Reply, event: dict, note: str = "") -> str:
    """One short line per event: status, type, customer number, seq (or why not)."""
    body = reply.body if isinstance(reply.body, dict) else {}
    number = (body.get("customer") or {}).get("customer_number") or _known_as(event.get("customer", {}))
    if reply.status in (200, 201):
        detail = f"seq {(body.get('timeline_entry') or {}).get('seq', '?')}"
    else:
        detail = reply.errors()
    return f"{reply.status}  {event.get('type', '?'):<20} {number:<12} {detail}" + (f"  ({note})" if note else "")


def _known_as(customer: dict) -> str:
    handle = customer.get("handle") or {}
    return (
        customer.get("customer_number")
        or customer.get("phone")
        or customer.get("email")
        or (handle.get("value") and f"@{handle['value'].lstrip('@')}")
        or "?"
    )
