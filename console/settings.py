"""Settings for Klantbeeld.

One settings module serves both modes. The embedded mode (the default) needs nothing
but Python: SQLite, the in-memory channel layer and Celery tasks run in-process. The full
stack switches on when ``DATABASE_URL`` and ``REDIS_URL`` are set: PostgreSQL, the Redis
channel layer and Celery on Redis. ``console.settings_production`` hardens this module for
deployment.

This module stays the one Django is pointed at (DJANGO_SETTINGS_MODULE=console.settings);
the settings themselves live in console/settings_parts/, one module per concern.
"""

# The order of these imports does not matter: each part takes what it builds on from
# settings_parts.environment itself, and no setting is defined in two parts.
from console.settings_parts.api import *  # noqa: F403
from console.settings_parts.application import *  # noqa: F403
from console.settings_parts.environment import *  # noqa: F403

# console.settings_production reads its secrets with the same reader (from console.settings import env).
from console.settings_parts.environment import env  # noqa: F401
from console.settings_parts.messaging import *  # noqa: F403

# A star import leaves out names that start with an underscore, but Django takes every
# upper-case name of this module as a setting, and _OUTBOX has always been one of them.
from console.settings_parts.messaging import _OUTBOX  # noqa: F401
from console.settings_parts.privacy import *  # noqa: F403
from console.settings_parts.product import *  # noqa: F403
from console.settings_parts.security import *  # noqa: F403
from console.settings_parts.stack import *  # noqa: F403
from console.settings_parts.tasks import *  # noqa: F403
