"""What the environment decides: where the project lives, secrets, hosts, and the two URLs that
switch between the embedded mode and the full stack. The other settings modules build on these."""

from pathlib import Path

import environ

# Three levels up: console/settings_parts/environment.py -> the project root (as console/settings.py had it).
BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

# The default key only exists so the embedded mode starts without configuration; the
# production settings refuse to run without a real one from the environment.
SECRET_KEY = env("SECRET_KEY", default="embedded-mode-insecure-key-do-not-deploy")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASE_URL = env("DATABASE_URL", default="")
REDIS_URL = env("REDIS_URL", default="")
FULL_STACK = bool(DATABASE_URL and REDIS_URL)
