"""Privacy (docs/privacy.md): where exports are kept and for how long, fiscal retention, raw payloads."""

from console.settings_parts.environment import BASE_DIR, env

# Data exports (right of access) are written here through Django's storage API (the "exports"
# storage in settings_parts/application.py), never under a URL: only their requester downloads
# them, through the console, for this many hours; then the files are deleted.
PRIVACY_EXPORT_ROOT = env.path("PRIVACY_EXPORT_ROOT", default=BASE_DIR / "var" / "exports")
PRIVACY_EXPORT_HOURS = env.int("PRIVACY_EXPORT_HOURS", default=72)
# An erased customer's invoices and payments are kept this many years after the end of the
# invoice's year (the Dutch fiscal retention), then the nightly retention job deletes them.
FISCAL_RETENTION_YEARS = env.int("FISCAL_RETENTION_YEARS", default=7)
# Raw event payloads (as a source system sent them) are purged after this many days, at least 7:
# the journeys' catch-up reads the payloads of the last minutes.
RAW_PAYLOAD_RETENTION_DAYS = max(7, env.int("RAW_PAYLOAD_RETENTION_DAYS", default=90))
