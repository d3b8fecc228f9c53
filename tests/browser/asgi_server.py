"""A real ASGI server (uvicorn, as in production) on the test database, for live browser tests.

pytest-django's live server speaks WSGI only, so websockets need this. The server is a
separate process: the test's data must be committed (transactional tests) to be seen.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_env() -> dict:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        url = settings.DATABASE_URL.rsplit("/", 1)[0]
        return {"DATABASE_URL": f"{url}/{name}"}
    return {"SQLITE_PATH": str(name), "DATABASE_URL": ""}


LOGS = ROOT / ".test-asgi"


def uvicorn_command(port) -> list[str]:
    """uvicorn serving the console as in production, one process, on ``port``."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "console.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--no-access-log",
    ]


def process_stop(process: subprocess.Popen) -> None:
    """Ask a server to stop; kill it if it has not within 5 s."""
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class AsgiServer:
    def __init__(self, name: str = "server", *, command: list[str] | None = None, extra_env: dict | None = None):
        """``command``: the server's command line, ``{port}`` standing for its port (default: uvicorn
        as below); ``extra_env``: settings for this server only."""
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            **_database_env(),
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIVE_TICK_SECONDS": "1",
            "API_RATE_LIMIT_PER_SECOND": "0",
            # Each console's connections, resumes and pushes, for the failure report.
            "LIVE_LOG_LEVEL": "DEBUG",
            **(extra_env or {}),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        # One log per test, kept after the run: a failing test's server log is not overwritten by
        # the next test's (and the failure report carries its tail, tests/browser/conftest.py).
        LOGS.mkdir(exist_ok=True)
        self.log_path = LOGS / f"{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        # What each page's websockets sent and received, for the failure report.
        self.frames: list[str] = []
        default_command = uvicorn_command("{port}")
        self.process = subprocess.Popen(
            [part.replace("{port}", str(self.port)) for part in command or default_command],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("uvicorn did not start within 20 s")

    def login(self, browser, username, *, width=1280, timeout=10_000):
        """A page logged in as ``username`` through the real login form (password of tests/factories)."""
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.on("websocket", lambda ws: self._record(username, ws))
        page.set_default_timeout(timeout)
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}/inbox/mine/")
        return page

    def open_live(self, browser, username, thing, *, width=1280):
        """Logged in as ``username`` on ``thing``'s page (a customer's picture, a case), with the
        live connection up."""
        from playwright.sync_api import expect

        page = self.login(browser, username, width=width)
        page.goto(f"{self.url}{thing.get_absolute_url()}")
        expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
        return page

    def post_event(self, token: str, body: dict) -> int:
        """POST one event to the server's API as a source system; the HTTP status."""
        request = urllib.request.Request(
            f"{self.url}/api/v1/events",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    def _record(self, who: str, ws) -> None:
        def note(way, payload):
            if isinstance(payload, bytes) or way == "open" or payload.startswith("{"):
                text = str(payload)[:200]
            else:  # HTML: which elements it swaps, and the entries' seqs
                ids, seqs = re.findall(r'\bid="([^"]+)"', payload), re.findall(r'data-seq="(\d+)', payload)
                text = f"html {len(payload)} B, ids {ids[:6]}{'…' if len(ids) > 6 else ''}, seqs {seqs}"
            self.frames.append(f"{datetime.now().strftime('%H:%M:%S.%f')[:-3]} {who} {way} {text}")

        note("open", ws.url)
        ws.on("framereceived", lambda payload: note("<-", payload))
        ws.on("framesent", lambda payload: note("->", payload))
        ws.on("close", lambda _ws: note("closed", ""))

    def log_tail(self, lines: int = 400) -> str:
        """The last lines the server wrote (it may still be running)."""
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        process_stop(self.process)
        self.log.close()
