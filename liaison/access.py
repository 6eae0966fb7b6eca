"""A back-office account's access (its roles, permissions and home township), kept in the shared cache.

Reading them took four of the seven queries of a stored desk list (membership, groups, the user's and the
groups' permissions): about a third of its time. With Redis they are one round trip for all three keys,
kept until changed, exactly:

- each record holds the two versions it was read under: the account's own (`access-version:<pk>`, new on a
  change of its groups, its own permissions or its membership) and everyone's (`access-version:all`, new on a
  change of a group, a group's permissions, a permission, a township or a county, after a migrate and a
  restore); and the account's own flags (superuser, staff, active), read from its row on every request;
- a version is a new random value set after the change's commit, and a record is read only under the versions
  it was stored with. A record is always stored under versions read *before* the database was, so one read
  before a change never outlives it, whichever order the writes land in;
- a change the signals do not see (a bulk update, psql) shows within ACCESS_CACHE_SECONDS; a version that
  could not be set (Redis down) is set again at this process's next chance, and the records expire by then.

With the local-memory cache (each process its own) nothing is kept: every request reads the database.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from liaison import cache as shared_cache

logger = logging.getLogger(__name__)

_KEY_VERSION = 1  # raise when what a record holds changes shape
_EVERYONE = "all"
_unset: set = set()  # versions that could not be set: set again at the next chance


def _version_key(who) -> str:
    return f"access-version:{_KEY_VERSION}:{who}"


def _record_key(pk: int) -> str:
    return f"access:{_KEY_VERSION}:{pk}"


def _kept() -> bool:
    return settings.ACCESS_CACHE_SECONDS > 0 and shared_cache.is_shared() and not shared_cache.is_down()


def load(user) -> None:
    """Give a logged-in account its roles, permissions and home township from the cache, or read them from the
    database and keep them there. What needs them (liaison.roles, liaison.scoping, user.has_perm) then finds
    them on the user object as if it had read them itself."""
    from liaison import roles, scoping

    if not user.is_authenticated or not _kept():
        return
    set_pending()
    if shared_cache.is_down():  # (a pending version just found Redis frozen: do not wait on it a second time)
        return
    versions = [_version_key(user.pk), _version_key(_EVERYONE)]
    try:
        found = cache.get_many([*versions, _record_key(user.pk)])
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)
        return
    read_under = [found.get(key) for key in versions]
    record = found.get(_record_key(user.pk))
    # Read from the user's own row on each request: a superuser demoted, an account switched off. The name and
    # creation too: a restored or emptied database may give the account's id to another one.
    who = [user.username, user.date_joined.isoformat(), user.is_superuser, user.is_staff, user.is_active]
    if record is not None and record["versions"] == read_under and record["who"] == who:
        user._liaison_roles = set(record["roles"])
        user._perm_cache = set(record["permissions"])
        user._home_township = record["township"]
        return
    for name in _READ:  # read before the versions were (by the two-factor step): read again, after them
        if hasattr(user, name):
            delattr(user, name)
    record = {"versions": read_under, "who": who, "roles": sorted(roles.user_roles(user)),
              "permissions": sorted(user.get_all_permissions()), "township": scoping.home_township(user)}
    try:
        cache.set(_record_key(user.pk), record, settings.ACCESS_CACHE_SECONDS)
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)


_READ = ("_liaison_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache", "_home_township")


def changed(who) -> None:
    """The access of one account (its pk) or of everyone (None) changed: once that commits, what was kept of
    it is not served again."""
    if settings.ACCESS_CACHE_SECONDS <= 0 or not shared_cache.is_shared():
        return
    key = _version_key(_EVERYONE if who is None else who)
    transaction.on_commit(lambda: _set_new_version(key), robust=True)  # (whatever an earlier callback raised)


def _set_new_version(key: str, *, even_if_down: bool = False) -> None:
    if shared_cache.is_down() and not even_if_down:
        _unset.add(key)
        return
    try:
        cache.set(key, secrets.randbits(63), None)
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)
        _unset.add(key)
        logger.warning("access version %s not set, set again later: %s", key, type(exc).__name__)


def set_pending(*, at_exit: bool = False, **_signal) -> None:
    """Set the versions that could not be set: at a request's or a task's end, and before a load. At exit (a
    command's last chance: a restore's), tried even while the cache is taken to be down, and logged if lost."""
    # Each once: one that fails again (and the rest, the cache being down) waits for the next chance.
    for key in shared_cache.take_all(_unset):
        _set_new_version(key, even_if_down=at_exit)
    if at_exit and _unset:
        logger.error("access versions %s not set: accounts' kept access may be served for up to %ss",
                     sorted(_unset), settings.ACCESS_CACHE_SECONDS)


# --- what changes access: connected in liaison.apps --------------------------------------------------

def account_changed(sender, instance, **kwargs) -> None:
    """post_save, post_delete of a Membership (or anything with a user_id)."""
    changed(instance.user_id)


def everyones_changed(sender, **kwargs) -> None:
    """post_save, post_delete of a Group, a Permission, a Township or a County; post_migrate."""
    changed(None)


def grants_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed of a user's groups or permissions, or of a group's permissions."""
    from django.contrib.auth import get_user_model

    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        changed(instance.pk)
    elif sender is get_user_model().groups.through and reverse and pk_set is not None:
        for pk in pk_set:  # group.user_set.add(...): these accounts
            changed(pk)
    else:  # a group's permissions, a permission's groups or users, or a group's users all cleared
        changed(None)
