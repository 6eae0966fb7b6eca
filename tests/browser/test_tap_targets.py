"""Every control on the public pages is a target a finger can hit (44x44 CSS px, WCAG 2.5.5)
and body text is at least 16 px, on a 360x640 phone at the browser's normal text size.

The menu is opened first, so its links and buttons are measured too. A radio button or
checkbox counts with its label when the label's box encloses it: tapping the label ticks it.
"""

import pytest

from tests.browser.public_pages import OLD_PHONE, PAGES, open_public_page, public_site, text_report  # noqa: F401

TAP_PX = 44

_SMALL_TARGETS = """(tap) => {
  const encloses = (outer, inner) => outer.left <= inner.left + 0.5 && outer.right >= inner.right - 0.5
    && outer.top <= inner.top + 0.5 && outer.bottom >= inner.bottom - 0.5;
  const small = [];
  for (const control of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!control.checkVisibility()) continue;
    if (control.closest('.visually-hidden-focusable')) continue;  // the skip link, full size once focused
    let box = control.getBoundingClientRect();
    if (['checkbox', 'radio'].includes(control.type) && control.labels.length) {
      const label = control.labels[0].getBoundingClientRect();
      if (encloses(label, box)) box = label;
    }
    if (box.width < tap - 0.5 || box.height < tap - 0.5) {
      const text = (control.innerText || control.value || control.name || control.type || '').trim().slice(0, 30);
      small.push(`<${control.tagName.toLowerCase()}> "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.fixture
def old_phone(browser):
    context = browser.new_context(**OLD_PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _open_menu(page) -> None:
    page.locator("#site-menu > summary").click()
    assert page.locator(".site-menu-body").is_visible()


@pytest.mark.parametrize("name", PAGES)
def test_every_control_on_a_public_page_is_44_px_to_tap(old_phone, live_server, public_site, name):
    open_public_page(old_phone, live_server.url, public_site, name)
    _open_menu(old_phone)

    small = old_phone.evaluate(_SMALL_TARGETS, TAP_PX)

    assert not small, f"controls under {TAP_PX}x{TAP_PX} px on {name}: {small}"


@pytest.mark.parametrize("name", PAGES)
def test_text_on_a_public_page_is_at_least_16_px(old_phone, live_server, public_site, name):
    open_public_page(old_phone, live_server.url, public_site, name)
    _open_menu(old_phone)

    report = text_report(old_phone, smallest_px=16)

    assert not report["small"], f"text under 16 px on {name}: {report['small']}"
    assert not report["clipped"], f"text cut off on {name}: {report['clipped']}"
