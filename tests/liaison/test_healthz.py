"""/healthz (liaison.health): 200 or 503 within 2 s whatever hangs, with beat's last outbox sweep."""

import datetime
import socket
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError, connections
from django.utils import timezone

from liaison import health
from liaison.celery import app as celery_app
from liaison.outbox import sweep_mark_done


@pytest.fixture
def silent_broker(monkeypatch):
    """A Redis that accepts connections and never answers, as a frozen (SIGSTOPped) one does:
    the kernel completes the handshake for it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
        monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
        yield
        _join_checks()


@pytest.fixture
def answering_broker(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(health, "_broker_ok", lambda: True)
    yield
    cache.clear()


def _join_checks() -> None:
    # A check left hanging would make the next test's probe fail as "still running".
    for thread, _answer in list(health._running.values()):
        thread.join(timeout=10)


def _timed_get(client, path="/healthz"):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_healthz_reports_database_ok_and_eager_tasks(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": "ok", "broker": "eager",
        "beat": {"status": "eager", "last_sweep_at": None, "age_seconds": None},
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    # On the class: the check runs in a thread of its own, with that thread's connection.
    monkeypatch.setattr(type(connections["default"]), "cursor", broken_cursor)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_healthz_is_503_within_2_s_while_the_database_hangs_and_starts_no_second_check(client, monkeypatch):
    released = threading.Event()
    calls = []

    def frozen_cursor(*args, **kwargs):
        calls.append(1)
        released.wait(20)
        raise OperationalError("gave up")

    monkeypatch.setattr(type(connections["default"]), "cursor", frozen_cursor)
    try:
        first, first_took = _timed_get(client)
        second, second_took = _timed_get(client)
    finally:
        released.set()
        _join_checks()

    assert (first.status_code, second.status_code) == (503, 503)
    assert first.json()["database"] == second.json()["database"] == "error"
    assert first_took < 2 and second_took < 0.5
    assert len(calls) == 1  # the second probe waited for nothing: the first check was still hanging


@pytest.mark.django_db
def test_healthz_is_503_within_2_s_when_the_broker_accepts_but_never_answers(client, silent_broker):
    response, took = _timed_get(client)

    assert response.status_code == 503
    assert took < 2
    assert response.json()["broker"] == "error" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_shows_beats_last_sweep_and_its_age(client, answering_broker):
    assert client.get("/healthz").json()["beat"] == {"status": "never", "last_sweep_at": None, "age_seconds": None}

    sweep_mark_done()
    response = client.get("/healthz")

    beat = response.json()["beat"]
    assert response.status_code == 200 and beat["status"] == "ok" and beat["age_seconds"] < 5
    assert datetime.datetime.fromisoformat(beat["last_sweep_at"]).utcoffset() == datetime.timedelta(hours=8)


@pytest.mark.django_db
def test_a_probe_right_after_another_is_healthy_while_the_first_check_closes_its_connection(
        client, answering_broker, monkeypatch):
    # The database check's thread answers, then closes its connection: slowly here, as under load.
    close_all = health.connections.close_all

    def slow_close() -> None:
        time.sleep(0.5)
        close_all()

    monkeypatch.setattr(health.connections, "close_all", slow_close)
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200  # was 503: "still running since an earlier probe"
    _join_checks()


@pytest.mark.django_db
def test_a_late_beat_is_reported_but_the_web_process_stays_healthy(client, answering_broker):
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=16)):
        sweep_mark_done()  # three runs every 5 minutes missed since

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["beat"]["status"] == "late" and response.json()["beat"]["age_seconds"] >= 16 * 60


@pytest.mark.django_db
def test_healthz_answers_head_for_load_balancers_and_monitors(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
