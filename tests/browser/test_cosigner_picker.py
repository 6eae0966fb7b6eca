"""The co-signer picker on an old phone (360 px): typing filters the deputies at once (static script, under the
CSP); with JavaScript off, "Find" posts the form back with everything typed and ticked kept."""

import pytest

from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.browser.public_pages import OLD_PHONE
from tests.factories import DeputyFactory, VillageFactory


@pytest.fixture
def many_deputies(db):
    east, west = VillageFactory(name="东岙村"), VillageFactory(name="西坑村")
    names = [surname + given for surname in "王李张刘陈杨赵黄周吴" for given in ("建国", "秀英", "海燕")]
    return [DeputyFactory(name=name, village=east if i % 2 else west) for i, name in enumerate(names)]


def _visible(page) -> list[str]:
    return page.locator("#cosigner-options li:not([hidden]) label").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_typing_filters_the_deputies_and_the_ticked_ones_stay(browser, live_server, deputy_user, many_deputies):
    page = logged_in(browser, live_server, deputy_user, **OLD_PHONE)
    page.goto(f"{live_server.url}/desk/suggestions/new/")
    assert len(_visible(page)) == 30

    page.locator("#cosigner-options li", has_text="李秀英").locator("input").check()
    page.fill("#cosigner-q", "wjg")  # by the initials of the pinyin: 王建国 and 吴建国
    assert [text.split(" ")[0] for text in _visible(page)] == ["李秀英", "王建国", "吴建国"]
    page.fill("#cosigner-q", "wangjian")  # by the pinyin
    assert [text.split(" ")[0] for text in _visible(page)] == ["李秀英", "王建国"]
    page.fill("#cosigner-q", "西坑 张")
    assert {text.split(" ")[0] for text in _visible(page)} == {"李秀英", "张建国", "张海燕"}
    assert "显示 3 位" in page.inner_text("#cosigner-status")
    page.press("#cosigner-q", "Enter")  # filters; does not post the form
    assert page.url.endswith("/desk/suggestions/new/") and page.input_value("#cosigner-q") == "西坑 张"
    assert_no_horizontal_scroll(page)
    screenshot(page, "cosigner-picker-typed", full_page=False)
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_find_posts_back_and_keeps_the_form(browser, live_server, deputy_user, many_deputies):
    page = logged_in(browser, live_server, deputy_user, **OLD_PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/desk/suggestions/new/")
    page.fill("#id_title", "关于修缮村道的建议")
    page.fill("#id_content", "村道破损严重，雨天积水。")
    page.locator("#cosigner-options li", has_text="李秀英").locator("input").check()
    page.fill("#cosigner-q", "陈")
    with page.expect_navigation():
        page.click("#cosigner-find")

    assert page.input_value("#id_title") == "关于修缮村道的建议"
    assert page.input_value("#id_content") == "村道破损严重，雨天积水。"
    assert {text.split(" ")[0] for text in _visible(page)} == {"李秀英", "陈建国", "陈秀英", "陈海燕"}
    assert page.locator("#cosigner-options li", has_text="李秀英").locator("input").is_checked()
    assert_no_horizontal_scroll(page)
    screenshot(page, "cosigner-picker-no-js")
    page.context.close()
