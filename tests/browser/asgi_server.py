"""A real ASGI server (uvicorn, as in production) on the test database, for live browser tests.

pytest-django's live server speaks WSGI only, so websockets need this. The server is a
separate process: the test's data must be committed (transactional tests) to be seen.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
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


class AsgiServer:
    def __init__(self):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            **_database_env(),
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIVE_TICK_SECONDS": "1",
            "API_RATE_LIMIT_PER_SECOND": "0",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.log = open(ROOT / ".test-asgi.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "console.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--lifespan",
                "off",
                "--no-access-log",
            ],
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
                raise RuntimeError(f"uvicorn exited; see {ROOT / '.test-asgi.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("uvicorn did not start within 20 s")

    def login(self, browser, username, *, width=1280, timeout=10_000):
        """A page logged in as ``username`` through the real login form (password of tests/factories)."""
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.set_default_timeout(timeout)
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}/customers/")
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

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
