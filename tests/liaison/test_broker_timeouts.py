"""A broker or cache that never answers costs a request one REDIS_TIMEOUT, and then nothing for a while
(liaison.celery.send_or_give_up, the Redis settings). The real frozen Redis: tests/production/test_frozen_redis.py."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from kombu.exceptions import OperationalError

from liaison import celery as liaison_celery

ROOT = Path(__file__).resolve().parents[2]

# Sends two tasks and asks the cache once, with production settings, against the silent listener.
_SCRIPT = """
import json, time
import django
django.setup()
from django.core.cache import cache
from liaison.celery import send_or_give_up
from liaison.tasks import deliver_notification_task
took = []
for _ in range(2):
    started = time.monotonic()
    sent = send_or_give_up(deliver_notification_task, 1)
    took.append([sent, time.monotonic() - started])
started = time.monotonic()
try:
    cache.get("anything")
    cache_error = None
except Exception as exc:
    cache_error = type(exc).__name__
took.append([cache_error, time.monotonic() - started])
print(json.dumps(took))
"""


class _Task:
    name = "liaison.test"

    def __init__(self, error: Exception | None = None):
        self.error, self.sent = error, []

    def apply_async(self, args, **_options):
        if self.error:
            raise self.error
        self.sent.append(tuple(args))


@pytest.fixture(autouse=True)
def _no_back_off_left(monkeypatch):
    monkeypatch.setattr(liaison_celery, "_broker_failed_at", None)


def test_with_production_settings_a_silent_redis_costs_one_timeout_then_nothing():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ} | {
            "DJANGO_SETTINGS_MODULE": "liaison.settings", "SECRET_KEY": "x" * 50, "SITE_URL": "https://a.example.cn",
            "REDIS_URL": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
        }
        result = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=30)

    assert result.returncode == 0, result.stderr
    (first_sent, first), (second_sent, second), (cache_error, cache_took) = json.loads(result.stdout)
    # One try of REDIS_TIMEOUT (1 s), with slack for a busy machine (2.6 s seen with a full test run beside it);
    # Celery's defaults: 5 s, or for ever.
    assert first_sent is False and 0.9 < first < 4
    assert second_sent is False and second < 0.05  # backing off: not even tried
    assert cache_error == "TimeoutError" and cache_took < 4  # the cache gives up too (connect + read)
    assert "deliver_notification" in result.stderr and "left for the sweep" in result.stderr


def test_after_a_broker_failure_the_process_backs_off_then_tries_again(monkeypatch):
    down = _Task(OperationalError("Timeout reading from socket"))
    up = _Task()

    assert liaison_celery.send_or_give_up(down, 7) is False
    assert liaison_celery.send_or_give_up(up, 8) is False and up.sent == []

    monkeypatch.setattr(liaison_celery, "_broker_failed_at", -liaison_celery.BROKER_BACKOFF_SECONDS)
    assert liaison_celery.send_or_give_up(up, 9) is True and up.sent == [(9,)]


def test_a_task_failing_in_process_is_logged_and_starts_no_back_off(caplog):
    assert liaison_celery.send_or_give_up(_Task(ValueError("bad")), 1) is False

    up = _Task()
    assert liaison_celery.send_or_give_up(up, 2) is True and up.sent == [(2,)]
    assert "liaison.test(1,) failed" in caplog.text
