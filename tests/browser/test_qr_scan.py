"""A constituent scans a deputy's QR code with a phone and lands on the profile.

The codes are decoded with the real decoder (zxing-cpp) and the decoded URL is
opened in Chromium, so a QR that encodes the wrong host, path or scheme fails here.
"""

import re

import pytest

from deputies.models import Deputy
from tests.browser.conftest import assert_no_horizontal_scroll, screenshot
from tests.deputies.test_qr import decode_png
from tests.factories import DeputyFactory


@pytest.fixture
def scanned_deputy(db, live_server, settings):
    # The codes encode SITE_URL, so point it at the live server before the deputy exists.
    settings.SITE_URL = live_server.url
    return DeputyFactory(
        name="吴立新",
        level=Deputy.Level.COUNTY,
        post="白塔村党支部书记",
        mobile="13957600001",
        office_phone="0576-87790001",
    )


def test_scanning_the_png_opens_the_deputy_profile_on_a_phone(phone, live_server, scanned_deputy):
    profile_url = f"{live_server.url}/d/{scanned_deputy.code}/"

    png = phone.request.get(f"{live_server.url}/d/{scanned_deputy.code}/qr.png")
    assert png.ok and png.headers["content-type"] == "image/png"
    target = decode_png(png.body())
    assert target == profile_url

    response = phone.goto(target)
    assert response.status == 200
    assert phone.get_by_role("heading", level=1, name="吴立新").is_visible()
    assert phone.get_by_text("县级人大代表", exact=True).is_visible()
    call = phone.get_by_role("link", name=re.compile("拨打办公电话"))
    assert call.is_visible()
    assert call.get_attribute("href") == "tel:0576-87790001"
    assert "13957600001" not in phone.content()  # the mobile is private until the deputy consents
    assert_no_horizontal_scroll(phone)


def test_the_svg_drawn_by_the_browser_is_a_valid_qr_for_the_same_url(phone, live_server, scanned_deputy):
    response = phone.goto(f"{live_server.url}/d/{scanned_deputy.code}/qr.svg")
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"

    drawn = screenshot(phone, "qr-svg", full_page=False)

    assert decode_png(drawn.read_bytes()) == f"{live_server.url}/d/{scanned_deputy.code}/"


def test_an_unknown_code_shows_the_friendly_404_page(phone, live_server, db):
    response = phone.goto(f"{live_server.url}/d/nosuch1/")

    assert response.status == 404
    assert phone.get_by_role("heading", name="找不到这个页面").is_visible()
    assert phone.get_by_role("link", name="查看全部代表").is_visible()
