"""The public pages, and the desk list staff open on their phones, on an old phone with large text:
360x640 CSS px, text at 200 %.

How "large text" is made: Chromium's own font-size preference, the one a person sets
under Settings → Appearance → Font size (`webkit.webprefs.default_font_size` in the
profile), is set to 32 px instead of the usual 16 px, in a browser profile of its own.
It is the real setting, not a style we inject, and it survives screenshots (the DevTools
Page.setFontSizes override does not). Every size on our pages is in rem or em, so every
piece of text doubles, as it does with a phone's text zoom. The test also checks that this
stays true — text sized in px would not grow here, though it does on the phone — so the
emulation cannot quietly stop being honest.
"""

import json

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_horizontal_scroll, log_in, screenshot
from tests.browser.public_pages import OLD_PHONE, PAGES, open_public_page, public_site, text_report  # noqa: F401
from tests.factories import ConcernFactory

LARGE_TEXT_PX = 32  # 200 % of the browsers' 16 px


@pytest.fixture(scope="module")
def _large_text_browser(browser, tmp_path_factory):
    """A second Chromium, from the session's Playwright, whose profile has the large font size set."""
    profile = tmp_path_factory.mktemp("large-text-profile")
    (profile / "Default").mkdir()
    (profile / "Default" / "Preferences").write_text(json.dumps(
        {"webkit": {"webprefs": {"default_font_size": LARGE_TEXT_PX, "default_fixed_font_size": 26}}}
    ))
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **OLD_PHONE
    )
    yield context
    context.close()


@pytest.fixture
def large_text_phone(_large_text_browser):
    _large_text_browser.clear_cookies()  # every test starts as a stranger
    page = _large_text_browser.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_public_page_fits_an_old_phone_with_text_at_200_percent(large_text_phone, live_server, public_site, name):
    status = open_public_page(large_text_phone, live_server.url, public_site, name)
    assert status == (404 if name == "not found" else 200)

    screenshot(large_text_phone, f"large-text-{name.replace(' ', '-')}")
    assert large_text_phone.evaluate("getComputedStyle(document.documentElement).fontSize") == f"{LARGE_TEXT_PX}px"
    assert_no_horizontal_scroll(large_text_phone)
    report = text_report(large_text_phone, smallest_px=LARGE_TEXT_PX)
    assert not report["clipped"], f"text cut off on {name}: {report['clipped']}"
    # Body text is at least 16 px, doubled; and everything grew with the setting: nothing is sized in px
    # (a phone's text zoom would grow it, this emulation would not).
    assert not report["small"], f"text that did not grow on {name}: {report['small']}"


@pytest.mark.django_db(transaction=True)
def test_the_desk_list_fits_an_old_phone_with_text_at_200_percent(large_text_phone, live_server, staff, category):
    """Staff also work from a phone: the list's filters and the forward bar wrap; only the table scrolls."""
    ConcernFactory(category=category, content="村口路灯不亮，晚上出行不便。")
    log_in(large_text_phone, live_server, staff)

    large_text_phone.goto(f"{live_server.url}/desk/concerns/")

    screenshot(large_text_phone, "large-text-desk-list")
    assert large_text_phone.locator("tr.concern-row").count() == 1
    assert_no_horizontal_scroll(large_text_phone)
