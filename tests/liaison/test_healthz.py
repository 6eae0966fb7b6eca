import pytest


@pytest.mark.django_db
def test_healthz_reports_database_ok_and_eager_tasks(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, settings):
    from django.db import connection

    real_cursor = connection.cursor

    def broken_cursor(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("database is down")

    connection.cursor = broken_cursor
    try:
        response = client.get("/healthz")
    finally:
        connection.cursor = real_cursor

    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_healthz_answers_head_for_load_balancers_and_monitors(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
