"""Outbound messages and invoice statements: e-mail, the delivery backend per channel, retries."""

from console.settings_parts.environment import BASE_DIR, env

# Outbound messages and invoice statements (docs/messaging.md).
# E-mail goes through Django's e-mail backend: printed to the console unless EMAIL_BACKEND says
# otherwise (django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST... in production).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Klantenservice <klantenservice@klantbeeld.example>")
# One delivery backend per channel, by dotted path; issue 7 adds SMS and HTTP gateways here.
_OUTBOX = "console.messaging.backends.outbox.OutboxBackend"
MESSAGING_BACKENDS = {
    "email": env("MESSAGING_EMAIL_BACKEND", default="console.messaging.backends.email.DjangoEmailBackend"),
    "post": env("MESSAGING_POST_BACKEND", default="console.messaging.backends.letters.FolderLetterBackend"),
    # console.messaging.backends.http_gateway.HttpGatewayBackend sends through SMS_GATEWAY_URL.
    "sms": env("MESSAGING_SMS_BACKEND", default=_OUTBOX),
    # Social replies: a connector per network (the default leaves them in the outbox folder).
    "twitter": env("MESSAGING_TWITTER_BACKEND", default=_OUTBOX),
    "facebook": env("MESSAGING_FACEBOOK_BACKEND", default=_OUTBOX),
    "instagram": env("MESSAGING_INSTAGRAM_BACKEND", default=_OUTBOX),
    "whatsapp": env("MESSAGING_WHATSAPP_BACKEND", default=_OUTBOX),
}
OUTBOX_DIR = env("OUTBOX_DIR", default=str(BASE_DIR / "var" / "outbox"))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_TIMEOUT_SECONDS = env.float("SMS_GATEWAY_TIMEOUT_SECONDS", default=10)
# A message the backend could not send for now is tried this many times in all, waiting
# MESSAGE_RETRY_BASE_SECONDS, then twice as long each time (at most 10 minutes).
MESSAGE_MAX_ATTEMPTS = env.int("MESSAGE_MAX_ATTEMPTS", default=5)
MESSAGE_RETRY_BASE_SECONDS = env.float("MESSAGE_RETRY_BASE_SECONDS", default=30)
# Where the folder backend leaves letters for the print room.
LETTERS_DIR = env("LETTERS_DIR", default=str(BASE_DIR / "var" / "letters"))
# Statements go out on this day of the month (a missed run still sends up to STATEMENT_LATE_DAYS
# later), for the calendar month, by these channels.
STATEMENT_DAY_OF_MONTH = env.int("STATEMENT_DAY_OF_MONTH", default=1)
STATEMENT_LATE_DAYS = env.int("STATEMENT_LATE_DAYS", default=3)
STATEMENT_CHANNELS = env.list("STATEMENT_CHANNELS", default=["email", "post"])
# The safety net for messages whose task went missing (messaging.services.messages_resume_stalled).
MESSAGE_REQUEUE_AFTER_MINUTES = env.int("MESSAGE_REQUEUE_AFTER_MINUTES", default=30)
MESSAGE_SENDING_TIMEOUT_MINUTES = env.int("MESSAGE_SENDING_TIMEOUT_MINUTES", default=120)
