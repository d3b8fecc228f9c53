"""Stream realistic events into a running console through its public API, for demos and load.

    simulate --url http://127.0.0.1:8000 --token T --rate 5          background traffic
    simulate --url http://127.0.0.1:8000 --token T --story s2        one story of STORIES.md
    simulate --url http://127.0.0.1:8000 --token T --story all       all five, in order

The token needs events:write, customers:read and customers:create; `seed_demo` prints a
ready-made command line with one. Nothing here touches the database: the console may run
on another machine.
"""

from django.core.management.base import BaseCommand, CommandError

from console.demo.simulation import (
    STORIES,
    ApiClient,
    SimulationError,
    Tally,
    stories_run,
    traffic_run,
)

TRAFFIC_RATE = 5.0  # events per second
STORY_RATE = 0.5  # steps per second: time to look at the screen between steps


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The console (default %(default)s).")
        parser.add_argument("--token", required=True, help="An API token, e.g. from seed_demo or issue_token.")
        parser.add_argument(
            "--rate",
            type=float,
            default=None,
            help=f"Events per second (default {TRAFFIC_RATE:g}); with --story, steps per "
            f"second (default {STORY_RATE:g}, one step every {1 / STORY_RATE:g} s).",
        )
        parser.add_argument("--story", choices=[*STORIES, "all"], help="Replay a story instead of traffic.")
        parser.add_argument("--count", type=int, default=None, help="Traffic: stop after this many events.")
        parser.add_argument("--duration", type=float, default=None, help="Traffic: stop after this many seconds.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed for repeatable traffic.")

    def handle(self, *args, url, token, rate, story, count, duration, seed, **options):
        if rate is not None and rate <= 0:
            raise CommandError("--rate must be more than 0.")
        if (count is not None and count < 1) or (duration is not None and duration <= 0):
            raise CommandError("--count and --duration must be more than 0.")
        tally = Tally(write=self.stdout.write)
        client = ApiClient(
            url,
            token,
            on_throttle=lambda wait: self.stdout.write(f"429  rate-limited: waiting {wait:g} s as Retry-After asks"),
        )
        try:
            self._check_access(client)
            if story:
                keys = list(STORIES) if story == "all" else [story]
                stories_run(client, keys, tally=tally, rate=rate or STORY_RATE, write=self.stdout.write)
            else:
                traffic_run(
                    client,
                    tally=tally,
                    rate=rate or TRAFFIC_RATE,
                    count=count,
                    duration=duration,
                    seed=seed,
                    write=self.stdout.write,
                )
        except KeyboardInterrupt:
            self.stdout.write("Interrupted.")
        except SimulationError as exc:
            if tally.sent:  # a console lost mid-run: say how far it got
                self._summarise(tally)
            raise CommandError(str(exc)) from exc
        finally:
            client.close()
        self._summarise(tally)
        if tally.server_errors:
            raise CommandError(f"The console answered {tally.server_errors} event(s) with a server error (5xx).")

    def _check_access(self, client: ApiClient) -> None:
        """Fail at once, with what to do, when the token is wrong, rather than on every event."""
        reply = client.get("/api/v1/customers", q="C-200001")
        if reply.status == 401:
            raise SimulationError(
                f"{client.url} does not know this token (401). Issue one with "
                ".venv/bin/python manage.py issue_token --source simulator"
            )
        if reply.status == 403:
            raise SimulationError(
                f"The token may not read customers (403: {reply.errors()}). The simulator "
                "needs events:write, customers:read and customers:create."
            )
        if reply.status != 200:
            raise SimulationError(
                f"{client.url}/api/v1/customers answered {reply.status}: {reply.errors()}. "
                f"Is the console running at {client.url}?"
            )

    def _summarise(self, tally: Tally) -> None:
        style = self.style.ERROR if tally.server_errors else self.style.SUCCESS
        self.stdout.write(style(tally.summary()))
