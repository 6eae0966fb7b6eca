"""liaison.counted: figures counted once for everyone, counted again by one request at a time."""

import time

import pytest
from django.core.cache import cache

from liaison.counted import COUNTING_SECONDS, counted_once


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class _Counter:
    def __init__(self):
        self.times = 0

    def __call__(self) -> int:
        self.times += 1
        return self.times


def test_figures_are_counted_once_until_due(monkeypatch):
    count, now = _Counter(), time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    assert [counted_once("figures", count, 60) for _ in range(3)] == [1, 1, 1]

    now += 61
    assert counted_once("figures", count, 60) == 2 and count.times == 2


def test_while_one_counts_again_the_others_get_the_last_count(monkeypatch):
    count, now = _Counter(), time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    counted_once("figures", count, 60)
    now += 61
    assert cache.add("figures:counting", 1, COUNTING_SECONDS)  # the first to notice is counting

    assert counted_once("figures", count, 60) == 1 and count.times == 1

    cache.delete("figures:counting")  # done: the next to notice counts
    assert counted_once("figures", count, 60) == 2


def test_a_count_that_fails_passes_the_turn_on(monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    counted_once("figures", lambda: 1, 60)
    now += 61

    def failing():
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        counted_once("figures", failing, 60)
    assert counted_once("figures", lambda: 2, 60) == 2  # the next request counts


def test_a_request_that_did_not_take_the_turn_leaves_it_alone(monkeypatch):
    count = _Counter()
    assert counted_once("figures", count, 60) == 1  # nothing kept yet: counted without the turn
    assert cache.add("figures:counting", 1, COUNTING_SECONDS)  # another request's turn
    cache.delete("figures")
    counted_once("figures", count, 60)
    assert cache.get("figures:counting") == 1
