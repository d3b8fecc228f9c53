"""Production settings: the embedded defaults hardened, every secret from the environment.

Use with ``DJANGO_SETTINGS_MODULE=console.settings_production``; ``manage.py check
--deploy`` passes when SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL are set.
"""

import os

os.environ.setdefault("DEBUG", "false")

from console.settings import *  # noqa: E402,F403
from console.settings import env  # noqa: E402

SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
