"""Run a periodic job now, by its name in CELERY_BEAT_SCHEDULE.

The full stack runs these from celery beat; the embedded mode has no beat, so cron (or an
admin) calls ``manage.py run_periodic flags-nightly``. Every job is idempotent.
"""

import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a periodic job (celery beat entry) now, in this process. Without a name: list them."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The job's name, e.g. flags-nightly.")

    def handle(self, *args, name=None, **options):
        jobs = settings.CELERY_BEAT_SCHEDULE
        if not name:
            for job, entry in jobs.items():
                self.stdout.write(f"{job:<28} {entry['task']}  ({entry['schedule']})")
            return
        if name not in jobs:
            raise CommandError(f"No periodic job {name!r}. Known: {', '.join(jobs)}.")
        task = current_app.tasks[jobs[name]["task"]]
        self.stdout.write(f"Running {name} ({task.name}) ...")
        started = time.perf_counter()
        result = task.apply(args=jobs[name].get("args", ()), kwargs=jobs[name].get("kwargs", {}), throw=True).result
        said = f": {result}" if isinstance(result, str) else ""
        self.stdout.write(self.style.SUCCESS(f"{name} done in {time.perf_counter() - started:.1f} s{said}."))
