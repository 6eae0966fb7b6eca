"""`make soak`, small: the four faults on a production stack of their own while phones file concerns.

gunicorn and a Celery worker with production settings, on a PostgreSQL and a Redis that the faults
restart, freeze, stop and kill (bench/soak/). Each fault is judged by what it left behind: every
filing answered and saved once with its filing event and both its messages, each message on a phone
once, 503s (the station's busy page) only while PostgreSQL was down, and /healthz 200 afterwards
from the same gunicorn. The stack is this module's own, so the session's PostgreSQL and Redis stay
untouched by the faults.
"""

import dataclasses
import json

import pytest

from bench.soak.faults import Size, beat_stopped_two_days, postgres_restarted, redis_frozen_then_stopped, worker_killed
from bench.soak.stack import Station
from tests.sms_gateway import running_gateway

SIZE = Size(filings=24, clients=6, pg_down=2.0, worker_down=1.0, redis_frozen=2.0, redis_down=1.5, overdue=10, ticks=4)


@pytest.fixture(scope="module")
def station():
    with running_gateway() as gateway, Station(gateway, restart_seconds=1.0) as station:
        yield station


def _report(figures) -> None:
    print(f"\n{figures.fault}: {json.dumps(dataclasses.asdict(figures), ensure_ascii=False)}")


def test_a_postgresql_restart_costs_503s_only_while_it_is_down_and_nothing_else(station):
    figures = postgres_restarted(station, SIZE)
    _report(figures)

    assert figures.problems() == []
    assert figures.unavailable > 0, "no request met the restart: the fault was not tested"
    assert figures.notes["same_gunicorn"]


def test_a_worker_killed_mid_send_still_delivers_each_message_once(station):
    figures = worker_killed(station, SIZE)
    _report(figures)

    assert figures.problems() == []
    assert figures.notes["in_flight_at_kill"] > 0, "the worker was not killed mid-send"
    # What the gateway had taken went to it again under its id, and reached no phone twice.
    assert 0 < figures.resent <= figures.in_doubt


def test_beat_back_after_two_days_escalates_each_overdue_case_once(station):
    figures = beat_stopped_two_days(station, SIZE)
    _report(figures)

    assert figures.problems() == []
    assert figures.notes["escalation"]["events"] == SIZE.overdue


def test_redis_frozen_then_stopped_loses_no_filing_and_no_message(station):
    figures = redis_frozen_then_stopped(station, SIZE)
    _report(figures)

    assert figures.problems() == []
    assert figures.unavailable == 0
