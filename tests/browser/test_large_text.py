"""The public pages on an old phone with large text: 360x640 CSS px, text at 200 %.

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
from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_horizontal_scroll, screenshot
from tests.browser.public_pages import PAGES, open_public_page, public_site  # noqa: F401

OLD_PHONE = {
    "viewport": {"width": 360, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}
LARGE_TEXT_PX = 32  # 200 % of the browsers' 16 px


@pytest.fixture(scope="module")
def _large_text_browser(live_server, tmp_path_factory):  # live_server first: Chromium closes before it stops
    profile = tmp_path_factory.mktemp("large-text-profile")
    (profile / "Default").mkdir()
    (profile / "Default" / "Preferences").write_text(json.dumps(
        {"webkit": {"webprefs": {"default_font_size": LARGE_TEXT_PX, "default_fixed_font_size": 26}}}
    ))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
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


# Visible text nodes: their element's font size, and whether a box around them cuts them off.
_TEXT_REPORT = """() => {
  const clipped = [], small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    // Not rendered: hidden, or inside a closed <details> (whose boxes Chromium still lays out).
    if (box.width === 0 || box.height === 0 || !element.checkVisibility()) continue;
    if (element.closest('.visually-hidden, .visually-hidden-focusable')) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < SMALLEST) small.push(`${size}px: ${node.textContent.trim().slice(0, 30)}`);
    // Cut off by an ancestor that hides its overflow, or running past the screen's right edge.
    for (let box_owner = element; box_owner && box_owner !== document.body; box_owner = box_owner.parentElement) {
      const style = getComputedStyle(box_owner);
      if (['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY)) {
        const outer = box_owner.getBoundingClientRect();
        if (box.right > outer.right + 1 || box.bottom > outer.bottom + 1 || box.left < outer.left - 1) {
          clipped.push(`${node.textContent.trim().slice(0, 30)} (in ${box_owner.tagName.toLowerCase()}.${box_owner.className})`);
        }
        break;
      }
    }
    if (box.right > window.innerWidth + 1) clipped.push(`${node.textContent.trim().slice(0, 30)} runs off the screen`);
  }
  // A select shows its chosen option on one line, cut off where the box ends.
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!select.checkVisibility() || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (canvas.measureText(text).width > room + 1) clipped.push(`${text} (cut off in its select)`);
  }
  return {clipped, small};
}"""


def text_report(page, smallest_px: float) -> dict:
    return page.evaluate(_TEXT_REPORT.replace("SMALLEST", str(smallest_px)))


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
