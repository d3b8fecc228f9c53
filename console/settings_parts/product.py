"""What the console does for its agents: the customer picture, the live console, callbacks."""

from console.settings_parts.environment import env

# Product settings.
# Phone numbers people type without a country code are read as numbers of this region.
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", default="NL")
# How many timeline entries the customer picture shows per page ("older" loads more).
TIMELINE_PAGE_SIZE = env.int("TIMELINE_PAGE_SIZE", default=30)
# First flag rules (a later issue makes them editable by an admin).

# Live console (docs/live.md): how often each open console refreshes presence and, when it lacks
# an entry, hears the latest seq; and how many missed entries a reconnecting console is sent
# before it reloads instead.
LIVE_TICK_SECONDS = env.float("LIVE_TICK_SECONDS", default=5.0)
# Seconds the ASGI server's threads hold the interpreter lock before handing it on (Python's
# own default is 0.005); console/asgi.py.
GIL_SWITCH_INTERVAL = env.float("GIL_SWITCH_INTERVAL", default=0.001)
LIVE_REPLAY_LIMIT = env.int("LIVE_REPLAY_LIMIT", default=200)
# What replays may send one console connection per minute before its next replay waits
# (console/live/replay.py; 0: no cap). A reconnect's replay is at most a few hundred KB.
LIVE_REPLAY_BYTES_PER_MINUTE = env.int("LIVE_REPLAY_BYTES_PER_MINUTE", default=1_000_000)
# How often each process marks the agents of its open consoles as online (console/live/online.py).
LIVE_ONLINE_REFRESH_SECONDS = env.float("LIVE_ONLINE_REFRESH_SECONDS", default=15.0)
# How many colleagues the presence line names ("Also here: ...").
LIVE_PRESENCE_SHOWN = env.int("LIVE_PRESENCE_SHOWN", default=25)

# Callbacks (docs/callbacks.md): a promised callback whose window ends within this many minutes
# and was not made is moved to a new window, and the customer texted the new time; new windows
# fall within these phone-team hours (every day, in TIME_ZONE).
CALLBACK_WARN_LEAD_MINUTES = env.int("CALLBACK_WARN_LEAD_MINUTES", default=15)
CALLBACK_OPENING_HOURS = env("CALLBACK_OPENING_HOURS", default="08:00-20:00")
# After this many automatic moves a callback nobody made is escalated instead of moved again.
CALLBACK_MAX_MOVES = env.int("CALLBACK_MAX_MOVES", default=2)

# The inbox (docs/inbox.md): how soon an answer is due is an admin's SLA policy, in business
# minutes; these are used for a channel and priority no policy covers.
INBOX_FIRST_RESPONSE_MINUTES = env.int("INBOX_FIRST_RESPONSE_MINUTES", default=60)
INBOX_NEXT_RESPONSE_MINUTES = env.int("INBOX_NEXT_RESPONSE_MINUTES", default=240)
INBOX_RESOLUTION_MINUTES = env.int("INBOX_RESOLUTION_MINUTES", default=1440)
# The owner of a conversation is warned once this share of its answer's business time has passed.
INBOX_SLA_WARN_PERCENT = env.int("INBOX_SLA_WARN_PERCENT", default=80)
# How many conversations one inbox page lists (the rest are counted).
INBOX_PAGE_SIZE = env.int("INBOX_PAGE_SIZE", default=50)
# Inbox totals and the counts in the navigation count this far; more shows as "99+" (the
# dashboard's backlog figures are exact).
INBOX_COUNT_CAP = env.int("INBOX_COUNT_CAP", default=99)
# Automatic assignment (a switch per team, console/conversations/assignment.py): an agent counts as
# online when seen within this many seconds, and gives their open conversations back to the team
# after this many minutes offline.
INBOX_ONLINE_SECONDS = env.int("INBOX_ONLINE_SECONDS", default=60)
INBOX_OFFLINE_MINUTES = env.int("INBOX_OFFLINE_MINUTES", default=15)
