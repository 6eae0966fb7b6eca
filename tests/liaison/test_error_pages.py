import pytest
from django.test import Client


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
    })
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "我们这边出了问题" in response.content.decode()
