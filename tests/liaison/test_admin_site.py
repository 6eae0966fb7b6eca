import pytest


@pytest.mark.django_db
def test_the_admin_carries_the_station_s_name_not_django_s(client, admin_user):
    client.force_login(admin_user)

    body = client.get("/admin/").content.decode()

    assert "Django" not in body
    assert "<title>联络站管理 | 白塔镇人大代表联络站</title>" in body
    assert '<a href="/admin/">白塔镇人大代表联络站</a>' in body


@pytest.mark.django_db
def test_the_admin_login_page_uses_the_configured_station_name(client, settings):
    settings.STATION_NAME = "埠头镇人大代表联络站"

    body = client.get("/admin/login/").content.decode()

    assert "埠头镇人大代表联络站" in body and "Django" not in body
