"""The settings of Klantbeeld, one module per concern; ``console.settings`` gathers them.

Every module reads the environment through ``environment.env`` and takes what it depends on
(BASE_DIR, DEBUG, DATABASE_URL, REDIS_URL) from ``environment``, so they can be read on their own.
"""
