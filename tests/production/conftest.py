"""The production tier: real PostgreSQL and Redis (started by tests/services.py) and a
real Celery worker started here against the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.sms_gateway import running_gateway

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)


@pytest.fixture(scope="session", autouse=True)
def _real_services():
    if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")):
        reason = "production tier: run through `python -m tests.services` (make test-production)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # in CI a skipped tier would pass without testing anything
        pytest.skip(reason)


@pytest.fixture(scope="session")
def sms_gateway():
    """The SMS gateway the worker delivers to: a real HTTP server in this process."""
    with running_gateway() as gateway:
        yield gateway


@pytest.fixture(scope="session")
def celery_worker(_real_services, django_db_setup, django_db_blocker, sms_gateway):
    """A prefork worker process on the test database, as in production, sending SMS to `sms_gateway`."""
    with django_db_blocker.unblock():
        database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "TEST_PRIVATE_MEDIA_ROOT": settings.STORAGES["private"]["OPTIONS"]["location"],
           "DJANGO_SETTINGS_MODULE": "tests.settings", "SMS_BACKEND": "liaison.sms.HttpGatewaySmsBackend",
           "SMS_GATEWAY_URL": sms_gateway["url"], "SMS_GATEWAY_TOKEN": "worker-token"}
    log = open(Path(settings.MEDIA_ROOT).parent / "celery-worker.log", "wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "liaison", "worker", "--pool=prefork", "--concurrency=2",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--hostname=test@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    from liaison.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("the Celery worker did not start; see celery-worker.log")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")
