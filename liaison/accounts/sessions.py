"""A deactivated account is out at once.

Django already refuses it: its ModelBackend.get_user answers None for an inactive user, so the next
request of any of its sessions is anonymous (the login page). This also deletes those sessions, so
nothing the account left in them outlives it. Sessions do not say whose they are without being
decoded, so the unexpired ones are read through; that happens only when an inactive account is saved
(a few times a year), never on a login or a page.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def user_sessions_end(*, user) -> int:
    """Delete every unexpired session logged in as `user`; returns how many."""
    ended = [s.pk for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
             if s.get_decoded().get(SESSION_KEY) == str(user.pk)]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def end_sessions_of_deactivated(sender, instance, update_fields=None, **kwargs) -> None:
    # post_save of the user model (connected in liaison.apps): only saves that may have set is_active.
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        user_sessions_end(user=instance)
