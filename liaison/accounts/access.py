"""What a signed-in user holds (their groups, so their roles, and their permissions), kept across requests.

Every back-office page asked the database for the user's groups and, for the menu's items behind a
permission, their permissions: three queries, about 1.5 ms of CPU of a desk list's 10 ms served from its
stored fragment (county bench). Kept in the cache per user, under a version that any committed change of
groups, memberships or permissions replaces, so a change counts from the next request on.
"""

import logging
import secrets

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
_VERSION = "access:version"
# Also the longest a change could go unseen if the cache failed just as it was made (the version not replaced).
KEPT_SECONDS = 5 * 60


def held(user) -> dict:
    """{"groups": names, "perms": "app_label.codename"s} of an active, signed-in user; once per request."""
    if not hasattr(user, "_liaison_held"):
        # Superuser or not changes the permissions (all of them) without any group changing.
        key = f"access:{user.pk}:{int(user.is_superuser)}"
        found = _cached([key, _VERSION])
        version = found.get(_VERSION)
        entry = found.get(key)
        if entry is not None and version is not None and entry["version"] == version:
            user._liaison_held = entry
        else:
            if version is None:  # first use, or the cache lost it
                candidate = secrets.randbits(62)
                version = candidate if _store(_VERSION, candidate, add=True) else None
            # The version read before the database: a change committed meanwhile leaves this entry behind.
            entry = {"version": version, "groups": frozenset(user.groups.values_list("name", flat=True)),
                     "perms": frozenset(ModelBackend().get_all_permissions(user))}
            if version is not None:
                _store(key, entry)
            user._liaison_held = entry
    return user._liaison_held


def changed(**_signal) -> None:
    """A group, a membership or a permission changed: what every user holds is read again once committed."""
    transaction.on_commit(lambda: _store(_VERSION, secrets.randbits(62)), robust=True)


class KeptPermissionsBackend(ModelBackend):
    """Django's permissions, from `held`: the same answers (tests/liaison/test_access.py)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(held(user_obj)["perms"])


def _cached(keys: list[str]) -> dict:
    from liaison.counters import redis_errors

    try:
        return cache.get_many(keys)
    except redis_errors():
        return {}  # read from the database this time


def _store(key: str, value, *, add: bool = False) -> bool:
    from liaison.counters import redis_errors

    try:
        if add:
            return cache.add(key, value, None)
        cache.set(key, value, None if key == _VERSION else KEPT_SECONDS)
        return True
    except redis_errors() as exc:
        if key == _VERSION and not add:
            logger.error("a change of groups or permissions may go unseen for %ss: %s", KEPT_SECONDS,
                         type(exc).__name__)
        return False
