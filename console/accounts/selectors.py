"""Reads about users."""

from django.contrib.auth import get_user_model


def active_user_named(username: str | None):
    """The active user a source system names (an agent taking a call, writing a reply), or None:
    an unknown or deactivated name is no error, the contact is recorded without an agent."""
    if not username:
        return None
    return get_user_model().objects.filter(username=username, is_active=True).first()


def display_name(user) -> str:
    """How the console names a user to colleagues: the full name, else the username."""
    return user.get_full_name() or user.username
