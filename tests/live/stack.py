"""The full stack as production runs it, for the live console's fault tests: a private
redis-server, uvicorn processes on the test database and the console clients on them
(tests/live/processes.py, tests/live/clients.py), and the marks of a test module that needs it.
"""

from pathlib import Path

import pytest

from tests.live.clients import Fleet, LiveClient
from tests.live.processes import REDIS_SERVER, RedisServer, Uvicorn


def full_stack_only(test: str, *, what: str) -> list:
    """The marks of a test module that needs PostgreSQL, REDIS_URL and a redis-server of its own:
    ``test`` names it in the skip reason, ``what`` says what it starts."""
    from django.conf import settings

    on_postgres = settings.DATABASE_URL.split(":", 1)[0] in ("postgres", "postgresql", "pgsql", "postgis")
    return [
        pytest.mark.skipif(
            not (on_postgres and settings.REDIS_URL),
            reason=f"{test}: the full stack is needed, DATABASE_URL=postgres://... and REDIS_URL ({what})",
        ),
        pytest.mark.skipif(
            not REDIS_SERVER.exists(),
            reason=f"no {REDIS_SERVER}: {test} runs a redis-server of its own (apt-get install -y redis-server)",
        ),
        pytest.mark.django_db(transaction=True),
    ]


class Stack:
    """A private Redis, the uvicorn processes on it and the clients' fleets; ``close`` stops them all."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.servers: list[Uvicorn] = []
        self.fleets: list[Fleet] = []
        self.redis = RedisServer(log_dir)

    def server(self, name: str, **env: str) -> Uvicorn:
        """A uvicorn process on this stack's Redis; ``env`` overrides its environment."""
        server = Uvicorn(name, self.redis.url, self.log_dir, env=env)
        self.servers.append(server)
        return server

    def fleet(self, clients: list["LiveClient"]) -> Fleet:
        fleet = Fleet(clients)
        self.fleets.append(fleet)
        fleet.start()
        return fleet

    def close(self):
        for fleet in self.fleets:
            fleet.stop()
        for server in self.servers:
            server.stop()
        self.redis.stop()
