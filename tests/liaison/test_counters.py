"""The shared counters of every rate limit (liaison.counters): in the database (the embedded default) and
in Redis (production), atomic, windowed, failing fast when the store does not answer, and shared by two
real web processes."""

import http.cookiejar
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from liaison import counters
from liaison.models import Counter
from tests.factories import ConcernFactory

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing answered on port {port}")


@contextmanager
def _running(command: list[str], port: int, **kwargs):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    try:
        _wait_for_port(port, process)
        yield process
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)  # a frozen process cannot stop
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _store_taken_as_up():
    counters._down_until = 0.0
    yield
    counters._down_until = 0.0


@pytest.fixture
def redis_process(tmp_path):
    port = _free_port()
    command = [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1", "--port", str(port),
               "--save", "", "--appendonly", "no", "--dir", str(tmp_path)]
    with _running(command, port) as process:
        yield process, f"redis://127.0.0.1:{port}/1"


@pytest.fixture(params=["database", "redis"])
def store(request, settings, db):
    """Each store in turn, empty."""
    if request.param == "redis":
        process, url = request.getfixturevalue("redis_process")
        settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": url}}
    return request.param


def test_hit_all_counts_each_counter_as_hit_does(store):
    assert counters.hit_all([("a", 60), ("b", 60)]) == [1, 1]
    counters.hit("a", 60)

    assert counters.hit_all([("a", 60), ("b", 60), ("c", 60)]) == [3, 2, 1]
    assert counters.peek(["a", "b", "c"]) == {"a": 3, "b": 2, "c": 1}


def test_hits_count_up_and_peek_reads_without_counting(store):
    assert [counters.hit("a", 60) for _ in range(3)] == [1, 2, 3]
    counters.hit("b", 60)

    assert counters.peek(["a", "b", "never"]) == {"a": 3, "b": 1, "never": 0}
    assert counters.peek(["a"]) == {"a": 3}


def test_a_give_back_takes_one_off_and_never_goes_below_nothing(store):
    counters.hit("a", 60)
    counters.hit("a", 60)

    counters.give_back("a")
    counters.give_back("never")

    assert counters.peek(["a", "never"]) == {"a": 1, "never": 0}
    counters.give_back("a")
    counters.give_back("a")
    assert counters.hit("a", 60) == 1


def test_the_window_starts_at_the_first_hit_and_later_hits_do_not_extend_it(db, time_machine):
    time_machine.move_to("2026-03-07 09:00:00+08:00", tick=False)
    counters.hit("a", 60)
    time_machine.shift(50)
    assert counters.hit("a", 60) == 2

    time_machine.shift(11)  # 61 s after the first hit, 11 s after the second

    assert counters.peek(["a"]) == {"a": 0}
    assert counters.hit("a", 60) == 1  # a new window
    counters.give_back("a")
    time_machine.shift(61)
    counters.give_back("a")  # an expired counter is not taken below its fresh start
    assert counters.hit("a", 60) == 1


def test_the_redis_window_is_set_by_the_first_hit_only(settings, redis_process):
    from redis import Redis

    process, url = redis_process
    settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": url}}
    counters.hit("a", 60)
    raw = Redis.from_url(url)
    raw.expire(counters.REDIS_PREFIX + "a", 5)  # as if the first hit was 55 s ago

    counters.hit("a", 60)

    assert 0 < raw.ttl(counters.REDIS_PREFIX + "a") <= 5


def test_the_sweep_deletes_expired_rows_only(db, time_machine):
    time_machine.move_to("2026-03-07 09:00:00+08:00", tick=False)
    counters.hit("short", 10)
    counters.hit("long", 600)
    time_machine.shift(11)

    assert counters.sweep() == 1
    assert list(Counter.objects.values_list("key", flat=True)) == ["long"]


def test_keys_carry_no_mobile_or_address():
    mobile = "13812345678"

    assert mobile not in counters.digest(mobile) and "203.0" not in counters.digest("203.0.113.7")
    assert counters.digest(mobile) == counters.digest(mobile) != counters.digest("13812345679")


def test_a_frozen_redis_holds_a_request_half_a_second_and_then_not_at_all(settings, redis_process):
    process, url = redis_process
    settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": url}}
    assert counters.hit("a", 60) == 1  # connected while it answered
    os.kill(process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(counters.Unavailable):
            counters.hit("a", 60)
        first = time.monotonic() - started
        started = time.monotonic()
        with pytest.raises(counters.Unavailable):
            counters.peek(["a"])
        counters.give_back("a")  # never raises
        second = time.monotonic() - started
    finally:
        os.kill(process.pid, signal.SIGCONT)

    assert settings.COUNTER_TIMEOUT <= first < settings.COUNTER_TIMEOUT + 0.5
    assert second < 0.05  # taken as down: nobody waits again for COUNTER_RETRY_SECONDS
    counters._down_until = 0.0
    assert counters.hit("a", 60) >= 2  # back, with its count (the timed-out hit may have counted too)


def test_a_reader_closed_under_a_read_is_the_store_away_not_a_failed_request(settings, redis_process, monkeypatch):
    # redis-py's reader closed by another thread mid-read raises AttributeError (a filing answered 500 in
    # the PostgreSQL-restart soak). The race cannot be timed from here: its effect is injected.
    from redis.connection import AbstractConnection

    _process, url = redis_process
    settings.CACHES = {"default": {"BACKEND": "liaison.cache.RedisCache", "LOCATION": url}}
    assert counters.hit("b", 60) == 1

    def closed_under_the_read(self, *args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'readline'")

    monkeypatch.setattr(AbstractConnection, "read_response", closed_under_the_read)
    with pytest.raises(counters.Unavailable):
        counters.hit("b", 60)


# --- two real web processes ---------------------------------------------------------------------

def _post(opener, url: str, data: dict) -> str:
    with opener.open(url, urllib.parse.urlencode(data).encode(), timeout=10) as response:
        return response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_five_wrong_tries_spread_over_two_worker_processes_lock_the_sixth(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default's test: it runs in the SQLite tier")
    concern = ConcernFactory(mobile="13812345678", content="路灯坏了")
    # The test database, committed, copied to a file both processes open: quicker than migrating one.
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="tests.settings")
    ports = [_free_port(), _free_port()]
    # Two gunicorn processes on one database file, as `make run`'s two workers: no memory shared.
    commands = [[sys.executable, "-m", "gunicorn", "liaison.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
                for port in ports]
    with _running(commands[0], ports[0], cwd=ROOT, env=env), _running(commands[1], ports[1], cwd=ROOT, env=env):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        bases = [f"http://127.0.0.1:{port}/t/{concern.tracking}/" for port in ports]
        for n in range(5):  # A, B, A, B, A
            body = _post(opener, bases[n % 2] + "verify/", {"last4": "0000"})
            assert 'id="verify-form"' in body or n == 4

        sixth = _post(opener, bases[1] + "verify/", {"last4": "5678"})

    assert 'id="verify-locked"' in sixth and 'id="verify-form"' not in sixth
    assert "路灯坏了" not in sixth  # the right digits were not even compared
