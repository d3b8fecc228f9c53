"""Open consoles follow their user's rights (console/live/access.py): every change that can take
rights away tells that user's consoles to check again, after commit. A log-out names the session
it ends, whose consoles close at once."""

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from console.accounts.middleware import session_seen
from console.live import publish

User = get_user_model()
# m2m actions that can take rights away (a clear is caught before, while its rows still exist).
TAKING_AWAY = {"post_remove", "pre_clear"}


def _tell(user_ids) -> None:
    for pk in set(user_ids):
        publish.access_changed(pk)


@receiver(post_save, sender=User)
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    # Deactivated, password changed, superuser taken away; a log-in's last_login is no change of rights.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    _tell([instance.pk])


@receiver(post_delete, sender=User)
def user_deleted(sender, instance, **kwargs):
    _tell([instance.pk])


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def user_rights_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A role (group) or permission taken from a user, from either side of the relation."""
    if action not in TAKING_AWAY:
        return
    if not reverse:
        _tell([instance.pk])
    elif action == "pre_clear":
        _tell(instance.user_set.values_list("pk", flat=True))
    else:
        _tell(pk_set)


@receiver(m2m_changed, sender=Group.permissions.through)
def role_rights_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A permission taken from a role: everyone in it looks again."""
    if action not in TAKING_AWAY:
        return
    groups = [instance.pk] if not reverse else (pk_set or instance.group_set.values_list("pk", flat=True))
    _tell(User.objects.filter(groups__in=groups).values_list("pk", flat=True))


@receiver(user_logged_out)
def user_signed_out(sender, request, user, **kwargs):
    if user is not None and request is not None and hasattr(request, "session"):
        publish.access_changed(user.pk, ended_session=request.session.session_key)


@receiver(user_logged_in)
def session_started(sender, request, user, **kwargs):
    # A fresh session is active now: its first requests need not save it again (middleware.py).
    if request is not None and hasattr(request, "session"):
        session_seen(request.session)
