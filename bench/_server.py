"""The full-stack server the benchmarks drive: uvicorn with 2 workers on the bench database.

Also the event loop the load generators run on (uvloop when present) and what the server's
log and processes tell afterwards (error lines, the workers' resident memory).
"""

import asyncio
import collections
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import _http
import _setup

HOST = "127.0.0.1"
# The server's SECRET_KEY; a benchmark that logs a user in itself must use the same one
# (sessions are signed with it), so it sets it before Django starts.
SECRET_KEY = "bench"

try:
    import uvloop

    run_async = uvloop.run
except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
    run_async = asyncio.run


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) == 0


def server_start(port: int, log, extra_env: dict[str, str]) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEBUG": "false",
        "API_RATE_LIMIT_PER_SECOND": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "console.settings",
        **extra_env,
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "console.asgi:application",
        "--workers",
        "2",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-access-log",
        "--lifespan",
        "off",
        # As deployed (README): compression roughly doubles the memory each idle socket holds.
        "--ws-per-message-deflate",
        "false",
    ]
    # Its own process group, so that stopping it takes the workers along.
    return subprocess.Popen(cmd, cwd=_setup.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


async def server_wait(proc: subprocess.Popen, port: int, log_path: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn exited with {proc.returncode}:\n{_tail(log_path)}")
        try:
            conn = _http.Connection(HOST, port)
            # Any answer will do (405: the endpoint only takes POST); a few, to wake both workers.
            for _ in range(10):
                await conn.request("GET", "/api/v1/events")
                conn.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"uvicorn did not answer within {limit:.0f} s:\n{_tail(log_path)}") from None
            await asyncio.sleep(0.2)


def server_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def _tail(path: str, lines: int = 30) -> str:
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-lines:])


def server_problems(path: str) -> collections.Counter:
    """Distinct error lines of the server's log (exceptions, ERROR, 500s) and how often each came."""
    found = collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip()
            if (
                line.startswith("Traceback")
                or "ERROR" in line
                or "Internal Server Error" in line
                or re.match(r"^[\w.]+(Error|Exception)\b", line)
            ):
                found[line[:300]] += 1
    return found


def worker_pids(proc: subprocess.Popen) -> list[int]:
    """The uvicorn worker processes: the parent's children that multiprocessing spawned."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == proc.pid and b"spawn_main" in cmdline:
            pids.append(int(entry.name))
    return sorted(pids)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far, together."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_kib(pids: list[int]) -> dict[int, int]:
    """VmRSS of each process, in KiB."""
    found = {}
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found[pid] = int(line.split()[1])
    return found
