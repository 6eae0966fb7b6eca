"""Public pages that are the same for every first-time visitor, served from the cache (docs/public-pages.md).

A QR landing, a site page, the directory or the portal is drawn once and then served from the cache to every
visitor without a session, until anything in its township changes. How a change is known, exactly and
without each page listing what it reads:

- every statement that writes (INSERT, UPDATE, DELETE through Django's connection, in any process: web,
  worker, command) notes the township scope it ran in; when its transaction commits, those townships get a
  new random stamp (`PagesStamp`), within about a second in a `stamps_gathered()` block. A rolled-back
  transaction stamps nothing. Writes no public page reads (sessions, rate-limit counters, the outbox, the
  cockpit's running totals…) are listed by `unseen` and stamp nothing; a test draws every cached page and
  checks it reads none of them.
- a cached page is stored with the stamp its township had *before* it was drawn, and served only while
  that is still the township's stamp: one query of one row by its key, or with Redis none (the stamps are
  mirrored there, below).
- the key holds the host, the path, the language and the station's date (duty days turn at midnight).

Only plain requests are served or stored: GET or HEAD, no query string, no cookie but the language's and the
CSRF one; and only answers built without a session, a message, a cookie, a CSRF token or a script nonce.
Anything else is drawn as before. A change made outside Django (psql) shows within PUBLIC_PAGE_SECONDS. A
migrate and a restored backup forget every stamp (`forget_stamps`): a township's pages are then drawn afresh,
and cached again from its next change on.
"""

import hashlib
import logging
import re
import secrets
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import compress_string
from django_scopes import get_scope

from liaison import cache as shared_cache

logger = logging.getLogger(__name__)

_KEY_VERSION = 3  # raise when what an entry holds changes shape
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_UNSEEN: set[str] = set()  # "app_label.ModelName"
_unseen_tables: frozenset[str] | None = None
_migrating = False


def unseen(*models: str) -> None:
    """Models ("app_label.ModelName") that no public page reads: writing them stamps no township."""
    global _unseen_tables
    _UNSEEN.update(models)
    _unseen_tables = None


def unseen_tables() -> frozenset[str]:
    global _unseen_tables
    if _unseen_tables is None:
        from django.apps import apps

        _unseen_tables = frozenset(apps.get_model(name)._meta.db_table for name in _UNSEEN)
    return _unseen_tables


# --- noting the writes ----------------------------------------------------------------------------

def note_writes(execute, sql, params, many, context):
    """A database execute wrapper (installed on every connection, liaison.apps): after a statement that wrote
    a table some public page may read, the scope's townships are stamped once the write is committed."""
    connection = context["connection"]
    stamp_pending(connection)  # an earlier autocommitted write's, now that its statement is done
    result = execute(sql, params, many, context)
    written = None if _migrating else _WRITE.match(sql)
    if written and written[1] not in unseen_tables():
        _note_scope(connection, _scope_townships())
    return result


def _note_scope(connection, townships: set[int] | None) -> None:
    if not connection.in_atomic_block:
        if connection.get_autocommit():
            # Committed already, but not stamped here: the statement may still hold rows to fetch (an INSERT …
            # RETURNING on SQLite), and writing the stamp now would fail. The next statement, the end of the
            # request or of the task stamps it (stamp_pending).
            connection.pages_pending = _merged(getattr(connection, "pages_pending", set()), townships)
        return  # (manual transaction management, which nothing here uses: the timeout still ends such a page)
    for _savepoints, callback, _robust in connection.run_on_commit:
        if getattr(callback, "is_due", False):  # this transaction's stamping, registered by an earlier write
            callback.townships = _merged(callback.townships, townships)
            return

    def stamp_on_commit():
        stamp_on_commit.is_due = False  # (a test's captured callbacks stay listed after they ran)
        gathered = _gathered_stamps.get()
        if gathered is None or connection.alias != DEFAULT_DB_ALIAS:
            stamp_townships(stamp_on_commit.townships, using=connection.alias)
        elif (due := gathered.add(stamp_on_commit.townships)) != set():
            stamp_townships(due)

    stamp_on_commit.is_due, stamp_on_commit.townships = True, townships
    # Robust: the change is committed, and a lost stamp only lets its pages be served until
    # PUBLIC_PAGE_SECONDS, which is logged, not a failed request.
    transaction.on_commit(stamp_on_commit, using=connection.alias, robust=True)


GATHERED_SECONDS = 1.0


class _Gathered:
    def __init__(self):
        self.townships: set[int] | None = set()  # (None: every township)
        self.since = 0.0

    def add(self, townships: set[int] | None) -> set[int] | None:
        """Gather a commit's townships; those due to be stamped now (all gathered, once the first of them has
        waited GATHERED_SECONDS), else an empty set."""
        if self.townships == set():
            self.since = time.monotonic()
        self.townships = _merged(self.townships, townships)
        if time.monotonic() - self.since < GATHERED_SECONDS:
            return set()
        due, self.townships = self.townships, set()
        return due


_gathered_stamps: ContextVar[_Gathered | None] = ContextVar("gathered_stamps", default=None)


@contextmanager
def stamps_gathered():
    """The townships whose writes commit within the block get their new stamps together, not after each
    transaction: for work that commits many small transactions at once, as the worker registering a crowd's
    filings one transaction each, where stamping after each one was four round trips of the filing's 26.
    They are stamped at the first commit GATHERED_SECONDS after the earliest unstamped one, and when the block
    ends: until then their pages (and the desk's lists and the cockpit, which go by the same stamps) may be
    served as before. A process killed within the block loses at most that second's stamps, and those pages
    are then served until PUBLIC_PAGE_SECONDS."""
    gathered = _Gathered()
    token = _gathered_stamps.set(gathered)
    try:
        yield
    finally:
        _gathered_stamps.reset(token)
        connection = connections[DEFAULT_DB_ALIAS]
        connection.pages_pending = _merged(getattr(connection, "pages_pending", set()), gathered.townships)
        stamp_pending(connection)


def _merged(noted: set[int] | None, townships: set[int] | None) -> set[int] | None:
    return None if noted is None or townships is None else noted | townships


def stamp_pending(connection) -> None:
    """Stamp the townships of the connection's autocommitted writes, outside any transaction (one rolled back
    would lose the stamp; they stay pending until then)."""
    pending = getattr(connection, "pages_pending", set())
    if pending == set() or connection.in_atomic_block:
        return
    connection.pages_pending = set()
    try:
        stamp_townships(pending, using=connection.alias)
    except DatabaseError as exc:  # (the database restarting): tried again by the connection's next statement, or at
        # the end of the request or the task
        connection.pages_pending = _merged(getattr(connection, "pages_pending", set()), pending)
        logger.warning("public pages of %s not stamped yet (%s)", pending or "all", type(exc).__name__)
    except Exception:
        logger.exception("public pages of %s not stamped; served until PUBLIC_PAGE_SECONDS", pending or "all")


def stamp_all_pending(**_signal) -> None:
    """request_finished, task_postrun, exit: the last autocommitted writes of a request, a task, a command."""
    for connection in connections.all(initialized_only=True):
        stamp_pending(connection)
    if _unmirrored and not shared_cache.is_down():
        _mirror_again()


def _scope_townships() -> set[int] | None:
    """The pks of the townships the current scope is narrowed to, or None for every township (county-wide,
    no scope, or an empty one, where only county-wide rows can be written)."""
    from liaison.models import Township

    current = get_scope()
    value = current.get("township") if current.get("_enabled", True) else None
    if isinstance(value, Township):
        return {value.pk}
    if isinstance(value, list) and value:
        return {getattr(township, "pk", township) for township in value}
    return None


def stamp_townships(townships=None, *, using: str = "default") -> None:
    """Give `townships` (pks; None: every township) a new stamp: none of their cached pages is served again."""
    from liaison.models import PagesStamp, Township

    existing = Township.objects.using(using)  # (a township deleted meanwhile has no stamp to hold)
    townships = existing.values_list("pk", flat=True) if townships is None else \
        existing.filter(pk__in=townships).values_list("pk", flat=True)
    townships = sorted(townships)
    stamp = secrets.randbits(62)
    PagesStamp.objects.using(using).bulk_create(
        [PagesStamp(township_id=pk, stamp=stamp) for pk in townships],
        update_conflicts=True, unique_fields=["township"], update_fields=["stamp"],
    )
    if using == "default" and _mirrored():
        transaction.on_commit(lambda: _mirror({pk: stamp for pk in townships}), using=using)


def migrating(**_signal) -> None:
    """pre_migrate: a migration's writes stamp nothing (the stamps' table may not be there yet); the
    post_migrate after it forgets every stamp."""
    global _migrating
    _migrating = True


def forget_stamps(*, using: str = "default", apps=None, sender=None, **_signal) -> None:
    """Serve no cached page until each township's next change (post_migrate, after a restore)."""
    from django.apps import apps as installed

    from liaison.models import PagesStamp

    if sender is not None and sender is not [app for app in installed.get_app_configs() if app.models_module][-1]:
        # Only after the last app's post_migrate: the handlers of the others (permissions, roles) write too,
        # which left a stamp behind that depended on the order of the apps.
        return
    global _migrating
    _migrating = False
    if apps is not None and "pagesstamp" not in apps.all_models["liaison"]:
        return  # migrated back to before the stamps' table
    PagesStamp.objects.using(using).all().delete()
    if using == "default" and _mirrored():
        from liaison.models import Township

        townships = list(Township.objects.using(using).values_list("pk", flat=True))
        try:
            cache.delete_many([_stamp_key(pk) for pk in townships])
        except shared_cache.errors() as exc:
            shared_cache.went_down(exc)
            _mirror_failed(townships, exc)


def watch_writes(connection, **_signal) -> None:
    """connection_created: note this connection's writes (it may be a new one after a lost connection)."""
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)


# --- serving ------------------------------------------------------------------------------------

def cached_public_page(view=None, *, drawn_for=None, fresh=None):
    """Serve the view's answer from the cache to visitors without a session while its township is unchanged.

    drawn_for(request, township_code, **kwargs): True for a visitor whose own state shows on the page (a
    lock on the tracking page's digit check, counted per address): asked on each hit, and such a visitor
    gets the page drawn. The view marks the page it drew for them private, so it is never stored.

    fresh: {name: function(request) -> str}, the hidden inputs that are each visitor's own (a form's CSRF
    token, its one-time token): the page is stored with their values taken out, and each visitor gets new
    ones. Such a page may be marked private: that keeps browsers and proxies from keeping those values."""
    if view is None:
        return lambda view: cached_public_page(view, drawn_for=drawn_for, fresh=fresh)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_plain(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        entry = _current(key)
        if entry is not None and not (drawn_for and drawn_for(request, entry["township_code"], *args, **kwargs)):
            return _replay(request, entry, fresh)
        stamps = township_stamps()  # before the view reads anything: a change committed meanwhile has a newer stamp
        response = view(request, *args, **kwargs)
        township = getattr(request, "township", None)
        content = _without_fresh(response.content, fresh) if fresh else response.content
        if getattr(township, "pk", None) in stamps and content is not None and _is_shareable(request, response,
                                                                                              fresh):
            _township_of_key(key, township.pk)
            _cache_set(key, {"township": township.pk, "township_code": township.code, "stamp": stamps[township.pk],
                             "status": response.status_code, "headers": list(response.headers.items()),
                             "content": content, "gzipped": None if fresh else _gzipped(response)})
        return response

    return wrapped


def _fresh_input(name: str) -> re.Pattern:
    return re.compile(rb'(<input type="hidden" name="' + re.escape(name.encode()) + rb'" value=")([^"]*)(")')


def _stand_in(name: str) -> bytes:
    return f"\x00{name}\x00".encode()  # (no page holds a NUL)


def _without_fresh(content: bytes, fresh: dict) -> bytes | None:
    """The page with each fresh input's value replaced by a stand-in; None if an input is not there exactly
    once, or its value shows anywhere else in the page (it would be shared)."""
    for name in fresh:
        found = _fresh_input(name).findall(content)
        if len(found) != 1 or not found[0][1]:
            return None
        content = _fresh_input(name).sub(lambda match: match[1] + _stand_in(name) + match[3], content)
        if found[0][1] in content:
            return None
    return content


def _is_plain(request: HttpRequest) -> bool:
    """A first-time visitor's request: besides the language, no cookie that could make the page theirs (a
    session, a message, the tracking page's "filed here" cookie, or any added later)."""
    return (settings.PUBLIC_PAGE_SECONDS > 0 and request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")  # each query string would be an entry of its own
            and request.COOKIES.keys() <= {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def _is_shareable(request: HttpRequest, response: HttpResponse, fresh: dict | None = None) -> bool:
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "")
    fresh = fresh or {}
    return (response.status_code == 200 and not response.streaming and not response.cookies
            # A form token is one visitor's, unless it is one of the inputs each visitor gets anew.
            and (not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "csrfmiddlewaretoken" in fresh)
            and getattr(request, "_csp_nonce", None) is None  # so is a script nonce (django-csp)
            and not (session is not None and (session.modified or not session.is_empty()))
            and not (messages is not None and messages.used)
            and (fresh or ("private" not in cache_control and "no-store" not in cache_control)))


def _key(request: HttpRequest) -> str:
    parts = (request.scheme, request.get_host(), request.path, translation.get_language(),
             timezone.localdate().isoformat())
    return f"page:{_KEY_VERSION}:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def _current(key: str) -> dict | None:
    """The entry stored under `key`, if its township still has the stamp it was drawn under. Mirrored, with
    the entry's township known here from an earlier hit, the entry and the stamp come in one round trip."""
    if shared_cache.is_down():
        return None
    township = _townships_of_keys.get(key) if _mirrored() else None
    keys = [key] if township is None else [key, _stamp_key(township)]
    try:
        found = cache.get_many(keys)
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)
        return None
    entry = found.get(key)
    if entry is None:
        return None
    if entry["township"] == township and keys[-1] in found:
        stamp = found[keys[-1]]
    else:  # not known here yet (or the stamp evicted): read on its own
        stamp = _stamp_of(entry["township"])
        _township_of_key(key, entry["township"])
    return entry if stamp == entry["stamp"] else None


# Which township each page key's entry is for, as this process last stored or found it: only a guess of
# which stamp to fetch with the entry; the entry's own township is what is checked.
_townships_of_keys: dict[str, int] = {}
_KEYS_KEPT = 10_000  # (about a megabyte: a county's deputies, sites and the cases being followed)


def _township_of_key(key: str, township: int) -> None:
    if len(_townships_of_keys) >= _KEYS_KEPT:
        _townships_of_keys.clear()
    _townships_of_keys[key] = township


def _stamp_of(township: int) -> int | None:
    from django.db import connection

    from liaison.models import PagesStamp

    if _mirrored():
        if shared_cache.is_down():  # (every filing of a crowd would wait on a frozen Redis again)
            return None
        try:
            stamp = cache.get(_stamp_key(township))
        except shared_cache.errors() as exc:
            shared_cache.went_down(exc)
            return None
        return stamp if stamp is not None else township_stamps([township]).get(township)
    # (In SQL: the ORM building this one query cost as much as the rest of serving the page.)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {PagesStamp._meta.db_table} WHERE township_id = %s", [township])
        row = cursor.fetchone()
    return row[0] if row else None


def township_stamps(townships: list[int] | None = None) -> dict[int, int]:
    """The townships' stamps (None: every township's); a township without one is missing. Also for work worth
    redoing only after a change (dashboard.tasks: the cockpits kept warm). Mirrored, the cache's are the ones
    that count: a township missing there gets the database's, unless a newer one was mirrored meanwhile."""
    from liaison.models import PagesStamp

    rows = PagesStamp.objects.all() if townships is None else PagesStamp.objects.filter(pk__in=townships)
    stamps = dict(rows.values_list("township_id", "stamp"))
    if not _mirrored() or not stamps:
        return stamps
    if shared_cache.is_down():
        return {}
    keys = {pk: _stamp_key(pk) for pk in stamps}
    try:
        mirrored = cache.get_many(keys.values())
        for pk, key in keys.items():
            if key in mirrored:
                stamps[pk] = mirrored[key]
            elif not cache.add(key, stamps[pk], None):
                stamps.pop(pk)  # mirrored a moment ago, after the database was read: store nothing under it
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)
        return {}
    return stamps


# --- the stamps mirrored in a shared cache ------------------------------------------------------------
# With Redis, a hit reads the stamp from it and needs no database at all (that read and the connection's
# health check were a third of a hit's time). Every process shares the cache, so a change committed by a
# worker or a command is seen as soon as its new stamp is mirrored; the local-memory cache is each
# process's own and keeps the stamps in the database only. Each new stamp is a new random value, written
# to the cache once, after its commit: an entry is stored under a value read from the cache, so whichever
# order two mirror writes land in, a page drawn before a change never carries the value that change left.

_unmirrored: set[int] = set()  # townships whose stamp could not be mirrored: stamped again at the next chance


def _mirrored() -> bool:
    return settings.PUBLIC_PAGE_SECONDS > 0 and shared_cache.is_shared()


def _stamp_key(township: int) -> str:
    return f"page-stamp:{_KEY_VERSION}:{township}"


def _mirror(stamps: dict[int, int]) -> None:
    if shared_cache.is_down():  # (a filing must not wait on a frozen Redis once more)
        _unmirrored.update(stamps)
        return
    try:
        cache.set_many({_stamp_key(pk): stamp for pk, stamp in stamps.items()}, None)
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)
        _mirror_failed(stamps, exc)


def _mirror_failed(townships, exc: Exception) -> None:
    """The cache may still hold the old stamps: the pages stored under them would be served. The townships
    get a new stamp (never the lost one again) at the end of this request or task, or as the process exits."""
    _unmirrored.update(townships)
    logger.warning("page stamps of %s not mirrored, stamped again later: %s", sorted(townships), type(exc).__name__)


def _mirror_again() -> None:
    townships = shared_cache.take_all(_unmirrored)
    try:
        stamp_townships(townships)
    except Exception:
        _unmirrored.update(townships)
        logger.exception("public pages of %s not stamped; served until PUBLIC_PAGE_SECONDS", sorted(townships))


def _gzipped(response: HttpResponse) -> bytes | None:
    """The page compressed once, for every visitor whose phone takes gzip (nearly all): compressing it again
    on each request cost more than the rest of serving it. Without TextGZipMiddleware's random padding,
    which guards pages carrying a secret (BREACH); a page stored here carries none (_is_shareable)."""
    from liaison.middleware import TextGZipMiddleware

    if not response.get("Content-Type", "").startswith(TextGZipMiddleware.TEXT_TYPES):
        return None
    compressed = compress_string(response.content)
    return compressed if len(compressed) < len(response.content) else None


def _replay(request: HttpRequest, entry: dict, fresh: dict | None = None) -> HttpResponse:
    gzipped = entry["gzipped"] is not None and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    content = entry["gzipped"] if gzipped else entry["content"]
    for name, value in (fresh or {}).items():
        content = content.replace(_stand_in(name), escape(value(request)).encode())
    response = HttpResponse(content, status=entry["status"], headers=entry["headers"])
    if gzipped:  # (TextGZipMiddleware leaves an answer with a Content-Encoding alone)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(entry["gzipped"]))
    # As drawn: a visitor with a session gets their own page, the compressed one goes to who takes gzip.
    patch_vary_headers(response, ["Cookie"] + (["Accept-Encoding"] if entry["gzipped"] is not None else []))
    return response


# --- rows a printed code names, kept in the process -------------------------------------------------
# Every filing reads the deputy or site its code names: the same few rows for a whole crowd, and building the
# query cost 0.9 ms of CPU of the web's 4.6 ms a filing (county bench). Kept in each process while their
# township keeps its stamp, which costs one cache read (mirrored) or one plain SQL query to check.

_kept: dict[str, tuple[int, int, float, object]] = {}
KEPT_ROWS = 10_000  # a county's deputies and sites, a few times over


def kept_while_unchanged(key: str, read, *, township: int | None = None):
    """read()'s row (a model instance with a township), kept in this process under `key` while its township
    keeps its stamp, at most PUBLIC_PAGE_SECONDS (a change made outside Django); no row (None) is not kept.
    With `township` given, read() may return anything of that township's (its categories, say).
    The requests that get a kept row share it: it is for reading, never to change or save."""
    if settings.PUBLIC_PAGE_SECONDS <= 0 or shared_cache.is_down():
        return read()
    known = stamp = None
    entry = _kept.get(key)
    if entry is not None and time.monotonic() < entry[2]:
        known, stamp = entry[0], _stamp_of(entry[0])
        if stamp == entry[1]:
            return entry[3]
    elif township is not None:
        known, stamp = township, _stamp_of(township)
    if stamp is None and township is not None:  # none yet (after a migrate or a restore): kept after a change
        return read()
    # Read after the stamp: a change committed in between has a newer one. (Under a crowd the worker's
    # registering changes the stamp about once a second: a stale row costs one read more, not two.)
    row = read()
    if row is None:
        return row
    of = township if township is not None else row.township_id
    if stamp is None or of != known:  # first read, or moved: its township's stamp, then again
        stamp = _stamp_of(of)
        if stamp is None:
            return row
        row = read()
    if row is not None:
        if len(_kept) >= KEPT_ROWS:
            _kept.clear()
        _kept[key] = (of, stamp, time.monotonic() + settings.PUBLIC_PAGE_SECONDS, row)
    return row


def kept_for_township(name: str, read):
    """read()'s result for the current township, the same for everyone in it (its categories, its deputies'
    names), kept as kept_while_unchanged keeps it; read each time when the scope is not one township."""
    from liaison.scoping import current_township

    township = current_township()
    if township is None or not get_scope().get("_enabled", True):  # (county_wide() inside a township's scope)
        return read()
    return kept_while_unchanged(f"township:{name}:{township.pk}", read, township=township.pk)


# --- back-office lists, from the same stamps ---------------------------------------------------------
# The desk's lists (the officials' list, a handler's queue) are one user's, but the same on each of their
# visits while their township is unchanged: an official opening the list again, or paging back and forth,
# paid 50–60 ms of CPU for filters, tab figures and rows drawn anew at county scale. Their main part is
# drawn once and stored under the stamps of the township the request is scoped to, for that user and their
# roles, the full path, the language and the station's date (deadlines fall due at midnight).

_TOKEN = "csrfmiddlewaretoken"
_TOKEN_STAND_IN = _stand_in(_TOKEN).decode()


def cached_fragment(request: HttpRequest, template_name: str, context, *, drawn_from: str | None = None) -> SafeString:
    """The template drawn with context() (called only when drawn), or as stored while the request's township
    keeps its stamp. A CSRF token in it is each request's own: stored without it, put in on each request. The
    template must draw nothing else of the request than the key holds (no message, no session value). Drawn
    every time when the scope is county-wide (many townships: no one stamp), a township has no stamp yet
    (after a migrate or a restore, as for public pages), or the cache is down.

    drawn_from: names what the template shows, when that is kept apart and counted again on its own schedule
    (the cockpit's figures, each count named anew): stored as drawn from it instead of under the stamp, and so
    county-wide too."""
    from django.template.loader import render_to_string

    from liaison.roles import user_roles

    townships = _scope_townships()
    if drawn_from is not None:
        where = ",".join(map(str, sorted(townships))) if townships else "county"
        version = str(drawn_from)
    else:
        township = next(iter(townships)) if townships and len(townships) == 1 else None
        stamp = _stamp_of(township) if township is not None else None
        # The township too: stamps count per township, so two townships often share one.
        where, version = str(township), None if stamp is None else str(stamp)
    key = None
    if version is not None and settings.PUBLIC_PAGE_SECONDS > 0 and not shared_cache.is_down():
        parts = (template_name, where, str(request.user.pk), ",".join(sorted(user_roles(request.user))),
                 request.get_full_path(), translation.get_language(), timezone.localdate().isoformat(), version)
        key = f"fragment:{_KEY_VERSION}:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
        try:
            html = cache.get(key)
        except shared_cache.errors() as exc:
            shared_cache.went_down(exc)
            html = None
    if key is None or html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": _TOKEN_STAND_IN}, request)
        if key is not None:
            _cache_set(key, str(html))
    if _TOKEN_STAND_IN in html:
        html = html.replace(_TOKEN_STAND_IN, escape(get_token(request)))
    return mark_safe(html)  # noqa: S308 (drawn by a template, escaped there; the token escaped above)


def _cache_set(key: str, entry: dict) -> None:
    if shared_cache.is_down():
        return
    try:
        cache.set(key, entry, settings.PUBLIC_PAGE_SECONDS)
    except shared_cache.errors() as exc:
        shared_cache.went_down(exc)
