import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from deputies.models import Deputy
from liaison import celery as liaison_celery
from liaison.celery import app
from tests.deputies.test_qr import decode_png
from tests.factories import DeputyFactory
from tests.production.conftest import wait_for


@contextmanager
def broker_down():
    """Point the broker at a closed port: a real refused connection, not a stub."""
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._after_fork()  # drop pooled connections, as Celery does in a forked child
    try:
        yield
    finally:
        app.conf.broker_url = original
        app._after_fork()
        liaison_celery._broker_failed_at = None  # back: this process need not wait out its back-off


@pytest.mark.django_db(transaction=True)
def test_runs_on_postgresql_with_tasks_sent_to_a_broker(settings):
    assert connection.vendor == "postgresql"
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.django_db(transaction=True)
def test_worker_renders_the_qr_of_a_new_deputy(celery_worker, settings):
    deputy = DeputyFactory(name="吴立新")  # commits; on_commit sends the task to Redis

    assert not deputy.qr_png, "this process must not have rendered it"
    rendered = wait_for(lambda: Deputy.objects.filter(pk=deputy.pk).exclude(qr_target="").first())

    assert decode_png(rendered.qr_png.read()) == f"{settings.SITE_URL}/d/{deputy.code}/"


@pytest.mark.django_db(transaction=True)
def test_deputy_is_saved_while_the_broker_is_down_and_gets_its_qr_once_it_is_back(celery_worker):
    with broker_down():
        deputy = DeputyFactory(name="王智慧")  # the task cannot be sent; the save must stand

    assert Deputy.objects.filter(pk=deputy.pk, qr_target="").exists()

    output = io.StringIO()
    call_command("regenerate_qr", stdout=output)

    assert output.getvalue().startswith("Queued 2 QR code(s) for the Celery worker")  # the deputy and its site
    rendered = wait_for(lambda: Deputy.objects.filter(pk=deputy.pk).exclude(qr_target="").first())
    assert decode_png(rendered.qr_png.read()) == rendered.public_url()


@pytest.mark.django_db(transaction=True)
def test_healthz_is_ok_with_postgresql_and_redis(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert body["beat"]["status"] in ("ok", "never")  # "never": no sweep has run since Redis started


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    with broker_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "error"
