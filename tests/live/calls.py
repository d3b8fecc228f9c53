"""HTTP calls to the full stack's servers, never through a proxy: one request, one event through
the API, and a steady stream of events over several servers."""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post_event(url: str, token: str, customer_number: str, summary: str) -> tuple[int, dict]:
    """POST /api/v1/events: an inbound interaction for this customer. (status, body); 0 = no answer."""
    body = {
        "id": f"fs-{uuid.uuid4()}",
        "type": "interaction.recorded",
        "occurred_at": "2026-11-24T09:15:00+01:00",
        "customer": {"customer_number": customer_number},
        "data": {"channel": "twitter", "direction": "inbound", "summary": summary},
    }
    request = urllib.request.Request(
        f"{url}/api/v1/events",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read()[:300].decode(errors="replace")}
    except OSError as error:  # refused, reset, timed out: the process is down
        return 0, {"error": repr(error)}


def http(url: str, *, method: str = "GET", body: dict | None = None, headers: dict | None = None):
    """One HTTP call without a proxy: (status, headers, body text); status 0 when nothing answered."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with NO_PROXY.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except OSError as error:
        return 0, {}, repr(error)


class Poster:
    """Events through the API at about ``rate`` per second, round robin over servers and customers."""

    def __init__(self, servers, token: str, customers: list[str], rate: float = 20):
        self.servers, self.token, self.customers, self.rate = servers, token, customers, rate
        self.results: list[dict] = []  # {"at", "server", "status", "body"}
        self._stop = threading.Event()
        self._threads = []

    def start(self):
        # One thread per server, so a slow or dead process does not slow the other's stream.
        for index, server in enumerate(self.servers):
            thread = threading.Thread(target=self._run, args=(index, server), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, index, server):
        every = len(self.servers) / self.rate
        n = index
        while not self._stop.is_set():
            started = time.monotonic()
            number = self.customers[n % len(self.customers)]
            status, body = post_event(server.url, self.token, number, f"fs {number} {server.name} {n}")
            self.results.append(
                {
                    "at": started,
                    "took": time.monotonic() - started,
                    "server": server.name,
                    "status": status,
                    "body": body,
                }
            )
            n += len(self.servers)
            self._stop.wait(max(0.0, every - (time.monotonic() - started)))

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(15)

    def statuses(self) -> Counter:
        return Counter(r["status"] for r in self.results)
