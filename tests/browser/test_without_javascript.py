"""The public pages with JavaScript off (old phones, chat-app browsers with scripts blocked):
the menu, the language switch, the way to the staff login, the directory's filters and
letters, and filing a concern all work with plain links, forms and <details>."""

import pytest
from playwright.sync_api import expect

from petitions.models import Concern
from tests.browser.conftest import backdate_concern_forms
from tests.browser.public_pages import OLD_PHONE, public_site  # noqa: F401

DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}


def _page(browser, screen: dict):
    context = browser.new_context(**screen, java_script_enabled=False)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def no_js_phone(browser):
    page = _page(browser, OLD_PHONE)
    yield page
    page.context.close()


@pytest.mark.parametrize("screen", [OLD_PHONE, DESKTOP], ids=["phone", "desktop"])
def test_menu_opens_and_leads_to_the_staff_login_without_javascript(browser, live_server, public_site, screen):
    page = _page(browser, screen)
    page.goto(f"{live_server.url}/d/{public_site['deputy'].code}/")
    menu_link = page.get_by_role("navigation", name="主菜单").get_by_role("link", name="人大代表", exact=True)
    if screen is OLD_PHONE:  # folded behind the menu button
        expect(menu_link).to_be_hidden()
        page.locator("#site-menu > summary").click()
    else:  # in the bar, no button
        expect(page.locator("#site-menu > summary")).to_be_hidden()

    expect(menu_link).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="工作人员登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    page.context.close()


def test_language_switch_works_without_javascript(no_js_phone, live_server, public_site):
    no_js_phone.goto(f"{live_server.url}/d/")

    no_js_phone.locator("#site-menu > summary").click()
    with no_js_phone.expect_navigation():
        no_js_phone.get_by_role("button", name="English", exact=True).click()

    assert no_js_phone.url == f"{live_server.url}/d/"
    expect(no_js_phone.get_by_role("heading", level=1)).to_have_text("Deputy directory")
    no_js_phone.locator("#site-menu > summary").click()
    with no_js_phone.expect_navigation():
        no_js_phone.get_by_role("button", name="中文", exact=True).click()
    expect(no_js_phone.get_by_role("heading", level=1)).to_have_text("人大代表名录")


def test_directory_filters_and_letters_work_without_javascript(no_js_phone, live_server, public_site):
    no_js_phone.goto(f"{live_server.url}/d/")

    with no_js_phone.expect_navigation():
        no_js_phone.get_by_role("navigation", name="按姓名拼音首字母查找").get_by_role("link", name="W", exact=True).click()
    expect(no_js_phone.locator(".deputy-card-name")).to_have_text(["吴立新", "王智慧"])  # by level: city, county

    no_js_phone.locator(".directory-filters > summary").click()
    no_js_phone.get_by_label("层级").select_option(label="县级")
    with no_js_phone.expect_navigation():
        no_js_phone.get_by_role("button", name="显示这些代表").click()
    expect(no_js_phone.locator(".deputy-card-name")).to_have_text(["单雄信", "王智慧"])


def test_a_constituent_files_and_sees_their_own_text_without_javascript(no_js_phone, browser, live_server,
                                                                        public_site):
    deputy = public_site["deputy"]
    backdate_concern_forms(no_js_phone)
    no_js_phone.goto(f"{live_server.url}/d/{deputy.code}/")
    with no_js_phone.expect_navigation():
        no_js_phone.click("#raise-concern")
    no_js_phone.fill("input[name=name]", "陈西荣")
    no_js_phone.fill("input[name=mobile]", "13812345678")
    no_js_phone.select_option("select[name=category]", str(public_site["category"].pk))
    no_js_phone.fill("textarea[name=content]", "村口路灯坏了三盏，晚上出行不便。")
    with no_js_phone.expect_navigation():
        no_js_phone.locator("#main form button[type=submit]").click()
    tracking = no_js_phone.locator("#tracking-code").inner_text().strip()
    assert not Concern.objects.get(tracking=tracking).is_public

    with no_js_phone.expect_navigation():
        no_js_phone.get_by_role("link", name="查看办理进度").click()

    # The browser that filed it sees its own words at once, without typing the last four digits...
    expect(no_js_phone.locator("#concern-content")).to_have_text("村口路灯坏了三盏，晚上出行不便。")
    stranger = _page(browser, OLD_PHONE)
    stranger.goto(f"{live_server.url}/t/{tracking}/")
    # ...while to anyone else the text stays private.
    expect(stranger.locator("#concern-content")).to_have_count(0)
    expect(stranger.get_by_text("反映人未同意公开内容")).to_be_visible()
    stranger.context.close()
