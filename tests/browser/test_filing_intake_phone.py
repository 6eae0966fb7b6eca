"""A filing taken in while the worker is busy (petitions.intake), on an old phone with text at 200 % and
JavaScript off: the receipt says it is being registered, refreshes itself into the code, and Back then
Send again lands on that same concern, filed once."""

import json

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from petitions.intake import NUDGE_KEY, register_filings_now
from petitions.models import Concern, Filing
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_no_horizontal_scroll,
    backdate_concern_forms,
    screenshot,
)
from tests.browser.public_pages import OLD_PHONE, public_site  # noqa: F401
from tests.browser.test_large_text import LARGE_TEXT_PX


@pytest.fixture
def large_text_no_js(browser, tmp_path):
    """Chromium with the profile's font size at 200 % (as tests/browser/test_large_text.py) and scripts off."""
    (tmp_path / "Default").mkdir()
    (tmp_path / "Default" / "Preferences").write_text(json.dumps(
        {"webkit": {"webprefs": {"default_font_size": LARGE_TEXT_PX, "default_fixed_font_size": 26}}}))
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path), executable_path=CHROMIUM, args=CHROMIUM_ARGS, java_script_enabled=False, **OLD_PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def _worker_mode(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: the request only takes the filing in
    # Celery keeps its own copy of that setting, which may say "in-process" still; with the flag held no task
    # is sent at all, whatever it says.
    _task_on_its_way()
    yield
    cache.delete(NUDGE_KEY)


def _task_on_its_way() -> None:
    """As while a registering task waits in the queue: the next filings send none (petitions.intake)."""
    cache.set(NUDGE_KEY, 1, None)


def _worker_turn() -> None:
    register_filings_now()
    _task_on_its_way()


def _send(page, category_pk: int) -> None:
    page.fill("input[name=name]", "陈西荣")
    page.fill("input[name=mobile]", "13812345678")
    page.select_option("select[name=category]", str(category_pk))
    page.fill("textarea[name=content]", "村口路灯坏了三盏，晚上出行不便。")
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()


def test_the_receipt_waits_for_the_worker_then_shows_the_code_and_a_resend_files_nothing(
        large_text_no_js, live_server, public_site, _worker_mode):
    page = large_text_no_js
    before = Concern.objects.count()
    backdate_concern_forms(page)
    page.goto(f"{live_server.url}/d/{public_site['deputy'].code}/concern/")
    _send(page, public_site["category"].pk)

    expect(page.locator("#being-registered")).to_be_visible()
    page.wait_for_load_state()
    expect(page.locator("#tracking-code")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot(page, "receipt-being-registered-200pct-no-js")
    tracking = Filing.objects.get().tracking

    _worker_turn()
    # The page's own refresh (a meta tag: no script) brings the code.
    expect(page.locator("#tracking-code")).to_have_text(tracking, timeout=15_000)
    page.wait_for_load_state()  # its styles applied: the text can be there before them (CI, under load)
    assert_no_horizontal_scroll(page)
    screenshot(page, "receipt-registered-200pct-no-js")

    page.go_back()
    _send(page, public_site["category"].pk)  # the same words again, as a villager unsure it went through
    _worker_turn()
    expect(page.locator("#already-received")).to_be_visible(timeout=15_000)
    expect(page.locator("#tracking-code")).to_have_text(tracking)
    assert Concern.objects.count() == before + 1
    assert Filing.objects.get().state == Filing.State.REPEATED
