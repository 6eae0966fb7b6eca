import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.django_db
def test_a_disallowed_host_gets_the_chinese_400_page(settings):
    settings.ALLOWED_HOSTS = ["station.example.cn"]

    response = Client().get("/d/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "无法理解这个请求" in response.content.decode()


@pytest.mark.django_db
def test_a_server_error_shows_the_chinese_500_page(settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import liaison.urls

    settings.ROOT_URLCONF = type("urls", (), {
        "urlpatterns": [path("boom/", broken), *liaison.urls.urlpatterns],
        "handler400": liaison.urls.handler400, "handler404": liaison.urls.handler404,
        "handler500": liaison.urls.handler500,
    })
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "我们这边出了问题" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_that_cannot_be_reached_answers_503_with_the_chinese_busy_page(settings, error):
    from django.urls import path

    def unreachable(request):
        raise error("connection to server at 127.0.0.1 failed: Connection refused")

    import liaison.urls

    settings.ROOT_URLCONF = type("urls", (), {
        "urlpatterns": [path("down/", unreachable), *liaison.urls.urlpatterns],
        "handler500": liaison.urls.handler500,
    })

    response = Client(raise_request_exception=False).get("/down/")

    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    with translation.override("zh-hans"):
        assert gettext("The station is busy for a moment") in body and 'lang="zh-hans"' in body
    assert "Connection refused" not in body  # the cause is for the log, not the page
