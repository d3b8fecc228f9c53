"""The processes of the full stack for the live console's fault tests: a private redis-server
and uvicorn processes on the test database, started, stopped and killed at will.

Nothing here touches the machine's own Redis: every process started here points at a
redis-server of its own on a free port.
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.browser.asgi_server import ROOT, _database_env, _free_port, process_stop, uvicorn_command

REDIS_SERVER = Path("/usr/bin/redis-server")


def wait_for(predicate, *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class _Process:
    """A server process a test starts (``process``, with its ``log`` file open) and stops."""

    process = None

    def stop(self):
        if self.process is None:
            return
        process_stop(self.process)
        self.process = None
        self.log.close()


class RedisServer(_Process):
    """A throw-away redis-server: no snapshots, no append-only file, stopped for real."""

    def __init__(self, log_dir: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_dir / f"redis-{self.port}.log"
        self.process = None
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(self.ping, timeout=10):
            raise RuntimeError(f"redis-server did not start on {self.port}:\n{_tail(self.log_path)}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def subscribed(self, pattern: str) -> list[str]:
        """The pub/sub channels some process listens on (the channel layer's groups)."""
        import redis

        with redis.Redis.from_url(self.url, socket_timeout=2) as r:
            return sorted(name.decode() for name in r.pubsub_channels(pattern))


class Uvicorn(_Process):
    """One ASGI process on the test database and the given Redis, as tests/browser/asgi_server.py."""

    def __init__(self, name: str, redis_url: str, log_dir: Path, port: int | None = None, env: dict | None = None):
        self.name, self.redis_url, self.env = name, redis_url, env or {}
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"uvicorn-{name}-{self.port}.log"
        self.process = None
        self.start()

    def start(self):
        env = {
            **os.environ,
            **_database_env(),
            "REDIS_URL": self.redis_url,
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIVE_TICK_SECONDS": "1",
            "API_RATE_LIMIT_PER_SECOND": "0",
            **self.env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            uvicorn_command(self.port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while not _port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn {self.name} did not start:\n{_tail(self.log_path)}")
            time.sleep(0.05)

    def kill(self):
        """kill -9: no goodbyes, no clean close of any socket."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(5)
        self.process = None
        self.log.close()

    def errors(self) -> str:
        return _tail(self.log_path, 60)
