"""The cache's Redis backend (liaison.cache): Django's, building one Redis client per connection pool
rather than one per call."""

import threading

import pytest
from django.core.cache import caches

from tests import services


@pytest.fixture
def redis_cache(settings):
    with services.redis() as (url, _pid):
        settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": url}}
        yield caches["default"]


def test_the_cache_works_through_one_kept_client(redis_cache):
    client = redis_cache._cache.get_client()

    redis_cache.set("a", {"page": "一"}, 60)
    assert redis_cache.add("b", 2, 60) and not redis_cache.add("b", 3, 60)
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": {"page": "一"}, "b": 2}
    redis_cache.delete("a")
    assert redis_cache.get("a") is None
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: reads and writes share its pool


def test_threads_share_the_client_safely(redis_cache):
    """gunicorn's threads (deploy/liaison-web.service) each take a connection of the pool for a command."""
    failures = []

    def work(n: int) -> None:
        for i in range(50):
            redis_cache.set(f"t{n}", i, 60)
            if redis_cache.get(f"t{n}") != i:
                failures.append((n, i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert redis_cache.get_many([f"t{n}" for n in range(4)]) == {f"t{n}": 49 for n in range(4)}


@pytest.mark.django_db
def test_access_is_read_from_the_database_while_redis_does_not_answer(client, official, settings, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from django.urls import reverse

    from liaison import access, counters
    from liaison import cache as shared_cache

    settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    monkeypatch.setattr(counters, "_down_until", 0.0)  # (restored after the test, as the first)
    monkeypatch.setattr(access, "_unset", set())
    access.load(official)
    assert shared_cache._down_until > 0
    assert not hasattr(official, "_liaison_roles")  # nothing kept: read where it is needed, as without a cache
    with django_capture_on_commit_callbacks(execute=True):
        access.changed(official.pk)
    assert access._unset  # set once Redis answers again
    client.force_login(official)
    assert client.get(reverse("desk:concerns")).status_code == 200


def test_versions_left_unset_are_tried_once_each_while_redis_does_not_answer(settings, monkeypatch):
    """Not again and again: the request would spin until Redis answered."""
    from liaison import access, counters
    from liaison import cache as shared_cache

    settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    monkeypatch.setattr(counters, "_down_until", 0.0)
    monkeypatch.setattr(access, "_unset", {"access-version:1:7", "access-version:1:8"})
    trying = threading.Thread(target=access.set_pending, daemon=True)
    trying.start()
    trying.join(timeout=20)
    assert not trying.is_alive()
    assert access._unset == {"access-version:1:7", "access-version:1:8"}  # kept for the next chance


@pytest.mark.django_db
def test_a_change_of_access_sets_its_version_after_the_commit_only(redis_cache, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    """Not inside the writer's transaction, where a frozen Redis would hold its locks."""
    from django.db import transaction

    from liaison import access

    set_now = []
    monkeypatch.setattr(access, "_set_new_version", lambda key, **_: set_now.append(key))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        access.changed(7)
        access.changed(None)
        assert set_now == []
    assert set_now == ["access-version:1:7", "access-version:1:all"]


@pytest.mark.django_db  # (the other handlers of a request's end may write)
def test_versions_left_unset_are_set_at_a_requests_or_a_tasks_end(redis_cache, monkeypatch):
    from celery.signals import task_postrun
    from django.core.signals import request_finished

    from liaison import access, counters
    from liaison import cache as shared_cache

    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    monkeypatch.setattr(counters, "_down_until", 0.0)
    for signal, key in ((request_finished, "access-version:1:7"), (task_postrun, "access-version:1:8")):
        monkeypatch.setattr(access, "_unset", {key})
        signal.send(sender=None)
        assert access._unset == set()
        assert redis_cache.get(key) is not None
