"""The cache's Redis backend: Django's, keeping one client per connection pool; and whether the shared cache
answers, for everything that would use it.

Django's RedisCacheClient makes a new redis.Redis for every cache call (get_client), and building one sets up
its some 170 response callbacks: about a fifth of the Python calls of serving the cached tracking page
(0.05-0.14 ms of its 0.88 ms of CPU). Django keeps a cache object per thread, so each thread keeps its own
clients; after a fork a pool opens new connections, so one client per pool is enough.
"""

import logging
import time
from contextlib import suppress

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)


class _KeptClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # (with replicas, a read's is drawn at random: keyed by the pool)
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClients


# --- whether the shared cache answers -------------------------------------------------------------------
# A cache that fails (Redis stopped or frozen) is skipped for a few seconds by everything that would use it:
# pages are drawn, access read from the database, as without it.

_down_until = 0.0  # the cache failed a moment ago: do without it until then


def is_shared() -> bool:
    """Whether every process sees the same cache (Redis): only then may one process's change reach what
    another stored. The local-memory cache of the embedded default is each process's own."""
    from django.core.cache import caches

    return isinstance(caches["default"], DjangoRedisCache)


def is_down() -> bool:
    from liaison import counters

    return time.monotonic() < _down_until or counters.store_down()


def went_down(exc: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + settings.COUNTER_RETRY_SECONDS
    logger.warning("cache unavailable for %ss: %s", settings.COUNTER_RETRY_SECONDS, type(exc).__name__)


def take_all(pending: set) -> set:
    """Everything in `pending` (what could not reach the cache, to be tried again), taken out of it. Pop by pop:
    other threads may be adding or taking too."""
    taken = set()
    with suppress(KeyError):
        while True:
            taken.add(pending.pop())
    return taken


def errors() -> tuple:
    """What a cache call raises when Redis does not answer."""
    from liaison.counters import redis_errors

    return redis_errors()
