"""The browser tier: Debian's Chromium driven by sync Playwright against Django's live_server.

One browser for the whole session; every test gets a fresh context (cookies,
language choice) through the `phone` fixture. Everything in this folder carries
the `browser` marker, so `pytest -m "not browser"` leaves it out.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import form_opened_long_ago

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# A mid-size phone (an iPhone 12-14 class screen) in a Chinese-language browser.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}

_HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before the -m option deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(request, live_server):  # live_server first, so Chromium closes before the server stops
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise

    def close():
        chromium.close()
        playwright.stop()

    request.addfinalizer(close)
    return chromium


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(10_000)  # fail fast: every page here is local and small
    page = context.new_page()
    yield page
    context.close()


DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}  # the station's desk


def logged_in(browser, live_server, user, **context_options):
    """A new browser page logged in as `user` (password "pw") and landed on the desk. An account that must
    use two-factor login (all but deputies) gets a real authenticator and types the code it shows now."""
    context = browser.new_context(**(context_options or PHONE))
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server, user)
    return page


def log_in(page, live_server, user) -> None:
    """Log `page` in as `user`, as logged_in does, in a context made elsewhere (a profile of its own)."""
    from liaison.accounts.policy import two_factor_required
    from tests.conftest import authenticator, totp_code

    device = authenticator(user) if two_factor_required(user) else None
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("#main button[type=submit]")
    if device is not None:
        page.wait_for_url(f"{live_server.url}/accounts/verify/**")
        page.fill("#id_code", totp_code(device))
        page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/**")


def backdate_concern_forms(page) -> None:
    """Serve this page's concern forms as if opened a minute ago. A test fills one in faster than any
    person, and the fill-time rule would hold its concern for review (FILING_MIN_SECONDS). Rewritten
    on the way, so it works without JavaScript too; POSTs pass untouched (to any route added later)."""
    def rewrite(route) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        response = route.fetch()
        body = re.sub(r'name="started" value="[^"]*"', f'name="started" value="{form_opened_long_ago()}"',
                      response.text())
        # The body is given decoded: drop what described the compressed one.
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")}
        route.fulfill(response=response, body=body, headers=headers)

    page.route(re.compile(r"/(d|s)/[^/]+/concern/$"), rewrite)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot as test-artifacts/screenshots/<name>.png (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_no_horizontal_scroll(page) -> None:
    """The page fits the phone's width.

    Not `window.innerWidth`: with mobile emulation Chromium widens the layout
    viewport to fit overflowing content, so innerWidth grows with scrollWidth and
    the check could never fail. clientWidth and the device viewport stay put.
    """
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    screen_width = page.viewport_size["width"]
    assert scroll_width <= min(client_width, screen_width), (
        f"page scrolls sideways: {scroll_width}px of content on a {screen_width}px screen"
    )
