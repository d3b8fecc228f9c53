"""The two modes and the production settings, checked the way an operator starts them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env_extra=None, drop=()):
    skip = {*drop, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def setting(name, **kwargs):
    result = manage("shell", "-c", f"from django.conf import settings; print(settings.{name})", **kwargs)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_settings_pass_the_deploy_check_with_secrets_from_the_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "console.settings_production",
            "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-0123456789",
            "ALLOWED_HOSTS": "console.example.nl",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/klantbeeld"),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage(
        "check",
        env_extra={"DJANGO_SETTINGS_MODULE": "console.settings_production", "ALLOWED_HOSTS": "console.example.nl"},
        drop=("SECRET_KEY",),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_embedded_mode_needs_nothing_but_python():
    drop = ("DATABASE_URL", "REDIS_URL")
    assert setting("DATABASES['default']['ENGINE']", drop=drop) == "django.db.backends.sqlite3"
    assert setting("CHANNEL_LAYERS['default']['BACKEND']", drop=drop) == "channels.layers.InMemoryChannelLayer"
    assert setting("CELERY_TASK_ALWAYS_EAGER", drop=drop) == "True"


def test_the_full_stack_switches_on_with_the_urls():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/klantbeeld", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert setting("DATABASES['default']['ENGINE']", env_extra=env) == "django.db.backends.postgresql"
    assert setting("CHANNEL_LAYERS['default']['BACKEND']", env_extra=env) == "console.live.layer.PubSubChannelLayer"
    assert setting("CELERY_TASK_ALWAYS_EAGER", env_extra=env) == "False"


def test_two_installations_on_one_redis_server_keep_their_pushes_apart():
    """Pub/sub channels belong to the whole Redis server: the layer's prefix names the database."""

    def prefix(redis_url):
        return setting(
            "CHANNEL_LAYERS['default']['CONFIG']['prefix']",
            env_extra={"REDIS_URL": redis_url},
            drop=("CHANNEL_PREFIX",),
        )

    assert prefix("redis://127.0.0.1:6379/0") == "klantbeeld0"
    assert prefix("redis://127.0.0.1:6379/1") == "klantbeeld1"
    assert prefix("redis://127.0.0.1:6379") == "klantbeeld0"
    assert prefix("redis://127.0.0.1:6379?db=2") == "klantbeeld2"
    assert prefix("unix:///run/redis/redis.sock?db=3") == "klantbeeld3"
