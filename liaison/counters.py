"""Counters every web process shares: the rate limits and lockouts count here (docs/privacy.md).

A counter counts events in a window that starts at its first event and is not extended by later
ones. `hit` counts one event and returns the count, atomically, so two workers counting at once
both see their own event: a limit checked on the returned count cannot be slipped past by racing
requests.

The store: Redis when the cache is Redis (production: INCR on a key that expires with its window,
the same database as the cache), otherwise a table in the database (the embedded default, whose
gunicorn workers share the SQLite file but no memory): one row per counter, raised by
INSERT … ON CONFLICT DO UPDATE … RETURNING in one statement, with expired rows swept now and then.

A store that does not answer raises `Unavailable` within about COUNTER_TIMEOUT seconds, and then
for COUNTER_RETRY_SECONDS at once, without trying, so a frozen Redis costs each process one wait,
not one per request. Each caller decides whether its limit fails open or closed.

Keys never carry personal data: pass mobiles and addresses through `digest`.
"""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

logger = logging.getLogger("liaison.counters")
REDIS_PREFIX = "liaison:counter:"
# The share of hits that also delete the expired rows of the database store: with a few hundred
# counters a day the table stays small without a periodic task (the embedded default has no beat).
SWEEP_CHANCE = 0.01
_down_until = 0.0  # per process: while the store is taken to be down, nothing waits on it


class Unavailable(Exception):
    """The counters' store did not answer in time."""


def digest(value: str) -> str:
    """A key part standing for a mobile or an address: the same for the same value, and not reversible
    without the SECRET_KEY (10^8 mobiles of a prefix are no secret against a plain hash)."""
    return salted_hmac("liaison.counters", value).hexdigest()[:24]


def hit(key: str, window: int) -> int:
    """Count one event on `key`, whose window lasts `window` seconds from its first event; the count
    in the window, this event included. Raises Unavailable."""
    return _call(_redis_hit if _redis_url() else _database_hit, key, window)


def hit_all(counters: list[tuple[str, int]]) -> list[int]:
    """`hit` on each (key, window), in one round trip to Redis; the counts, in order. Raises Unavailable."""
    if _redis_url():
        return _call(_redis_hit_all, counters)
    return [_call(_database_hit, key, window) for key, window in counters]


def peek(keys: list[str]) -> dict[str, int]:
    """The current counts of `keys` (0 for a counter not started or expired). Raises Unavailable."""
    return _call(_redis_peek if _redis_url() else _database_peek, keys)


def give_back(key: str) -> None:
    """Take one event off a counter still in its window (an expired one stays gone). Never raises:
    a lost give-back only leaves the count one too high until the window ends."""
    try:
        _call(_redis_give_back if _redis_url() else _database_give_back, key)
    except Unavailable:
        pass


def sweep() -> int:
    """Delete the database store's expired counters; how many."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_TABLE} WHERE expires_at <= %s", [_db_time(timezone.now())])
        return cursor.rowcount


def store_down() -> bool:
    """Whether the store failed a moment ago: with Redis, what shares it (the page cache) need not wait on it
    again either."""
    return time.monotonic() < _down_until


def _call(operation, *args):
    global _down_until
    if time.monotonic() < _down_until:
        raise Unavailable("the counters' store did not answer a moment ago")
    try:
        return operation(*args)
    except (DatabaseError, *redis_errors()) as exc:
        _down_until = time.monotonic() + settings.COUNTER_RETRY_SECONDS
        logger.warning("counters unavailable for %ss: %s", settings.COUNTER_RETRY_SECONDS, type(exc).__name__)
        raise Unavailable(str(exc)) from exc


# --- the database store -------------------------------------------------------------------------

_TABLE = "liaison_counter"


def _db_time(moment):
    # Whole seconds: SQLite compares the stored text, which must have one format throughout.
    return connection.ops.adapt_datetimefield_value(moment.replace(microsecond=0))


def _database_hit(key: str, window: int) -> int:
    now = timezone.now()
    current, fresh = _db_time(now), _db_time(now + timedelta(seconds=window))
    # One statement, atomic on SQLite and PostgreSQL alike; the SET expressions all read the old row.
    # fetchall, not fetchone: SQLite ends the statement (and its autocommit) only when every row is read.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (key, count, expires_at) VALUES (%s, 1, %s) "
            f"ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {_TABLE}.expires_at > %s THEN {_TABLE}.count + 1 ELSE 1 END, "
            f"expires_at = CASE WHEN {_TABLE}.expires_at > %s THEN {_TABLE}.expires_at ELSE excluded.expires_at END "
            f"RETURNING count",
            [key, fresh, current, current],
        )
        count = cursor.fetchall()[0][0]
    if random.random() < SWEEP_CHANCE:
        sweep()
    return count


def _database_peek(keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT key, count FROM {_TABLE} WHERE key IN ({', '.join(['%s'] * len(keys))}) AND expires_at > %s",
            [*keys, _db_time(timezone.now())],
        )
        found = dict(cursor.fetchall())
    return {key: found.get(key, 0) for key in keys}


def _database_give_back(key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_TABLE} SET count = count - 1 WHERE key = %s AND count > 0 AND expires_at > %s",
                       [key, _db_time(timezone.now())])


# --- the Redis store ----------------------------------------------------------------------------

_clients: dict = {}
# A decrement only of a key that still exists and counts something: DECR on an expired key would make
# a counter of -1 that never expires, a credit of tries for ever.
_GIVE_BACK = ("local n = tonumber(redis.call('get', KEYS[1])) "
              "if n and n > 0 then return redis.call('decr', KEYS[1]) end return 0")


def _redis_url() -> str:
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        return ""
    location = cache["LOCATION"]
    # Several servers (a list, or comma-separated): the cache writes to the first, and so do we.
    return (location[0] if isinstance(location, (list, tuple)) else location).split(",")[0]


def redis_errors() -> tuple:
    from redis.exceptions import RedisError

    # ValueError ("I/O operation on closed file"): redis-py reading a socket that its pool closed
    # meanwhile, seen with Redis stopped under load (bench/soak). AttributeError ("'NoneType' object has no
    # attribute 'readline'"): its reader closed by another thread under the read (redis-py fixes such races
    # one by one; seen once in the PostgreSQL-restart soak, where it answered a filing 500). Either is the
    # store failing, not the caller.
    return (RedisError, OSError, ValueError, AttributeError)


def _redis():
    """A client of its own, not the cache's: its timeouts are the counters' and it never retries,
    so a frozen Redis holds a request COUNTER_TIMEOUT seconds, not the client's default 5 s times 4."""
    url = _redis_url()
    if url not in _clients:
        from redis import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        timeout = settings.COUNTER_TIMEOUT
        _clients[url] = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                       retry=Retry(NoBackoff(), 0))
    return _clients[url]


def _redis_hit(key: str, window: int) -> int:
    return _redis_hit_all([(key, window)])[0]


def _redis_hit_all(counters: list[tuple[str, int]]) -> list[int]:
    # SET NX EX starts the window on the first event only; MULTI/EXEC runs each pair with nothing between,
    # so a key cannot expire between them and be counted again without a window.
    pipe = _redis().pipeline(transaction=True)
    for key, window in counters:
        pipe.set(REDIS_PREFIX + key, 0, ex=window, nx=True)
        pipe.incr(REDIS_PREFIX + key)
    return [int(count) for count in pipe.execute()[1::2]]


def _redis_peek(keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    values = _redis().mget([REDIS_PREFIX + key for key in keys])
    return {key: int(value or 0) for key, value in zip(keys, values)}


def _redis_give_back(key: str) -> None:
    _redis().eval(_GIVE_BACK, 1, REDIS_PREFIX + key)
