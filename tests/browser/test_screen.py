"""The big screen on a 1920×1080 wall: it fills in new data without reloading, keeps the last data with a
banner when the server does not answer, comes back by itself, and shows every panel without JavaScript."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import ConcernFactory

WALL = {"viewport": {"width": 1920, "height": 1080}, "locale": "zh-CN"}


@pytest.fixture
def wall(browser):
    context = browser.new_context(**WALL)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _received(page) -> str:
    return page.locator('[data-figure="received"]').inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_screen_refreshes_in_place_and_survives_the_server_going_away(wall, live_server):
    cache.clear()
    ConcernFactory(is_public=True, content="村口路灯不亮，晚上出行不便。")
    wall.goto(f"{live_server.url}/screen/?refresh=0.2&rotate=600")
    assert _received(wall) == "1"
    wall.evaluate("window.notReloaded = true")
    screenshot(wall, "screen-wall", full_page=False)

    ConcernFactory()
    cache.clear()  # as when the minute's cached data expires
    expect(wall.locator('[data-figure="received"]')).to_have_text("2")
    assert wall.evaluate("window.notReloaded") is True  # new data, same page

    wall.route(re.compile(r"/screen/data\.json"), lambda route: route.abort("connectionrefused"))
    wall.wait_for_selector("#screen-stale", state="visible")
    assert "重新连接" in wall.locator("#screen-stale").inner_text()
    assert _received(wall) == "2"  # the last data stays up
    screenshot(wall, "screen-wall-stale", full_page=False)

    wall.unroute(re.compile(r"/screen/data\.json"))
    ConcernFactory()
    cache.clear()
    wall.wait_for_selector("#screen-stale", state="hidden", timeout=15_000)
    expect(wall.locator('[data-figure="received"]')).to_have_text("3")
    assert wall.evaluate("window.notReloaded") is True


@pytest.mark.django_db(transaction=True)
def test_without_javascript_every_panel_shows(browser, live_server):
    cache.clear()
    ConcernFactory(is_public=True, content="河边游泳区缺少警示牌。")
    context = browser.new_context(**WALL, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/screen/")
    assert page.locator(".screen-panel:visible").count() == page.locator(".screen-panel").count() >= 3
    assert "河边游泳区缺少警示牌" in page.inner_text("body")
    context.close()
