"""Figures counted once for everyone who asks, and counted again by one of them at a time.

A township's screens all poll at the turn of the minute, and each counts a year of concerns: with a plain
cache entry every request that finds it expired counts at once, and at county scale the crowd's answers
waited on each other (screen JSON p95 494 ms at 8 clients, p50 26 ms). Here, once the figures are due to be
counted again, the first request to notice counts them; the others meanwhile get the figures counted last,
which say when they were counted (their own `generated_at`).
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

KEPT_TIMES = 10  # an entry no one asked to count again for this many periods goes (a screen switched off)
COUNTING_SECONDS = 60  # a worker killed while counting lets the next request count after this


def counted_once(key: str, count: Callable[[], T], seconds: int) -> T:
    """`count()`, kept under `key` and counted again every `seconds` by one request at a time. (With nothing
    kept yet, as after a restart, each request counts: there is nothing else to answer with.)"""
    entry, counting, took = cache.get(key), f"{key}:counting", False
    if entry is not None:
        value, due = entry
        if time.time() < due:
            return value
        took = cache.add(counting, 1, COUNTING_SECONDS)
        if not took:
            return value
    try:
        value = count()
        cache.set(key, (value, time.time() + seconds), seconds * KEPT_TIMES)
    finally:
        if took:  # a count that failed passes the turn on; a lock another request took stays its own
            cache.delete(counting)
    return value
