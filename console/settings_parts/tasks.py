"""Background work: Celery, its periodic jobs, and what those jobs are allowed to do."""

from celery.schedules import crontab

from console.settings_parts.environment import REDIS_URL, env

# Celery: on Redis in the full stack; in the embedded mode every task runs in-process,
# at the moment it is started, so nothing needs a worker.
# The in-memory broker is named with a host, or kombu warns that none was supplied.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that died (kill -9, power loss) is delivered again by Redis once its
# visibility_timeout (seconds) has passed; keep that longer than the longest task, or a slow task
# runs twice (ours are safe to). JSON, e.g. the worker-death test's short
# {"visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}.
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={"visibility_timeout": 3600})
CELERY_TIMEZONE = "Europe/Amsterdam"
# The nightly flag recomputation works through this many consecutive customer ids per transaction.
FLAGS_RECOMPUTE_CHUNK = env.int("FLAGS_RECOMPUTE_CHUNK", default=10_000)
# Hosts credit-approval webhooks may be sent to ("orders.example.nl", or ".example.nl" for its
# subdomains); empty: no webhooks, order systems read the decision with GET.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
# The periodic jobs (celery beat in the full stack; `manage.py run_periodic NAME` in the
# embedded mode, or from cron). Every job is idempotent: running one twice changes nothing more.
CELERY_BEAT_SCHEDULE = {
    # Overdue complaints go before the managers, each once (docs/cases.md).
    "complaints-escalate": {"task": "console.cases.tasks.complaints_escalate_overdue_task", "schedule": 300.0},
    # Time alone turns an invoice overdue and an ID document expired: all flags, every night.
    "flags-nightly": {"task": "console.flags.tasks.flags_recompute_all_task", "schedule": crontab(hour=2, minute=0)},
    # Overrides lapse by themselves; this takes the lapsed ones off the badges and out of the history.
    "flags-overrides-lapse": {"task": "console.flags.tasks.flags_overrides_lapse_task", "schedule": 60.0},
    # Invoice statements (docs/messaging.md): daily; sends only on and just after STATEMENT_DAY_OF_MONTH.
    "statements": {"task": "console.messaging.tasks.statements_send_due_task", "schedule": crontab(minute=0, hour=7)},
    # Messages whose task went missing (broker down at commit, worker gone): handed over again / marked unknown.
    "messages-resume-stalled": {"task": "console.messaging.tasks.messages_resume_stalled_task", "schedule": 300.0},
    # Promised callbacks about to be missed: moved to a new window, the customer texted once (docs/callbacks.md).
    "callbacks-about-to-be-missed": {
        "task": "console.callbacks.tasks.callbacks_warn_about_to_be_missed_task",
        "schedule": 60.0,
    },
    # Conversations about to miss their answer's SLA (owner warned) or past it (managers told), once (docs/inbox.md).
    "inbox-sla": {"task": "console.conversations.tasks.conversations_sla_watch_task", "schedule": 60.0},
    # Events whose journeys follow-up task was lost (broker down at commit): heard late (docs/journeys.md).
    "journeys-catch-up": {"task": "console.journeys.tasks.journeys_catch_up_task", "schedule": 300.0},
    # Agents offline longer than INBOX_OFFLINE_MINUTES give their conversations back (docs/inbox.md).
    "inbox-offline-give-back": {"task": "console.conversations.tasks.inbox_offline_give_back_task", "schedule": 60.0},
    # Privacy (docs/privacy.md): expired exports' files deleted; exports and erasures whose task
    # went missing done; raw event payloads past RAW_PAYLOAD_RETENTION_DAYS purged every night.
    "privacy-exports-expire": {"task": "console.privacy.tasks.exports_expire_task", "schedule": 300.0},
    "privacy-catch-up": {"task": "console.privacy.tasks.privacy_catch_up_task", "schedule": 300.0},
    "privacy-raw-payloads-purge": {
        "task": "console.privacy.tasks.raw_payloads_purge_task",
        "schedule": crontab(hour=3, minute=30),
    },
}
