"""The navbar language switch, used as a phone user would: open the menu, tap a language."""

from playwright.sync_api import expect


def _choose_language(page, button: str, menu: str) -> None:
    page.locator("#site-menu > summary", has_text=menu).click()  # the menu is folded on a phone
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_directory_switches_between_chinese_and_english(phone, live_server, db):
    phone.goto(f"{live_server.url}/d/")
    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_have_text("人大代表名录")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")

    _choose_language(phone, "English", menu="菜单")

    assert phone.url == f"{live_server.url}/d/"  # the switch returns to the same page
    expect(heading).to_have_text("Deputy directory")
    expect(phone.locator("html")).to_have_attribute("lang", "en")

    _choose_language(phone, "中文", menu="Menu")

    expect(heading).to_have_text("人大代表名录")
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
