"""The deputy directory and a profile on a phone; also makes the README screenshots."""

import pytest
from playwright.sync_api import expect

from deputies.models import Deputy
from tests.browser.conftest import assert_no_horizontal_scroll, screenshot
from tests.factories import DeputyFactory, SiteFactory, VillageFactory

COUNTY = ["王建国", "陈秀英", "李志强", "张丽华"]
TOWNSHIP = ["吴立新", "周海燕", "徐国平", "朱晓燕", "胡永明", "郑美玲", "何建华", "林春生"]
# As a Chinese reader looks them up: by pinyin (chen, li, wang, zhang), not by code point.
COUNTY_IN_PINYIN_ORDER = ["陈秀英", "李志强", "王建国", "张丽华"]
TOWNSHIP_IN_PINYIN_ORDER = ["何建华", "胡永明", "林春生", "吴立新", "徐国平", "郑美玲", "周海燕", "朱晓燕"]


@pytest.fixture
def directory(db):
    site = SiteFactory(name="白塔镇人大代表联络站", kind="station")
    village = VillageFactory(name="白塔村")
    for name in COUNTY:
        DeputyFactory(name=name, level=Deputy.Level.COUNTY, post="白塔镇党委委员", site=site, village=village)
    for name in TOWNSHIP:
        DeputyFactory(name=name, level=Deputy.Level.TOWNSHIP, post="村党支部书记", site=site, village=village)


def test_directory_on_a_phone_is_grouped_by_level_and_filters(phone, live_server, directory):
    phone.goto(f"{live_server.url}/d/")

    county = phone.get_by_role("region", name="县级代表")
    township = phone.get_by_role("region", name="乡镇级代表")
    expect(phone.get_by_role("heading", level=2).filter(has_text="代表").first).to_have_text("县级代表")
    expect(county.get_by_role("heading", level=3)).to_have_text(COUNTY_IN_PINYIN_ORDER)
    expect(township.get_by_role("heading", level=3)).to_have_text(TOWNSHIP_IN_PINYIN_ORDER)
    expect(phone.get_by_text("共有 12 名代表进站")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "directory-phone")

    phone.get_by_text("按层级、联络站或村（社区）筛选").click()  # folded away on a phone
    phone.get_by_label("层级").select_option(label="县级")
    with phone.expect_navigation():
        phone.get_by_role("button", name="显示这些代表").click()

    assert "level=4" in phone.url
    expect(county.get_by_role("link")).to_have_count(len(COUNTY))
    expect(township).to_have_count(0)
    expect(phone.get_by_label("层级")).to_have_value("4")  # the form keeps the choice
    assert_no_horizontal_scroll(phone)


def test_directory_portraits_keep_their_4_to_5_shape_on_a_phone(phone, live_server, directory):
    phone.goto(f"{live_server.url}/d/")

    sizes = phone.locator(".deputy-card img").evaluate_all(
        "images => images.map(i => { const r = i.getBoundingClientRect(); return [r.width, r.height]; })"
    )

    assert len(sizes) == len(COUNTY) + len(TOWNSHIP)
    for width, height in sizes:
        assert abs(height - width * 5 / 4) <= 1, f"portrait drawn {width:.0f}x{height:.0f}px, not 4:5"


def test_profile_on_a_phone(phone, live_server, db):
    deputy = DeputyFactory(
        name="吴立新",
        level=Deputy.Level.TOWNSHIP,
        post="白塔村党支部书记",
        organisation="仙居县白塔镇白塔村村民委员会",
        term="白塔镇第十八届人大代表",
        site=SiteFactory(name="白塔镇人大代表联络站", kind="station", phone="0576-87810001"),
        village=VillageFactory(name="白塔村"),
        biography="扎根基层二十年，带领村民发展葡萄产业。\n每月7日、21日在联络站接待选民。",
    )

    phone.goto(f"{live_server.url}/d/{deputy.code}/")

    expect(phone.get_by_role("heading", level=1)).to_have_text("吴立新")
    site_link = phone.locator("#main").get_by_role("link", name="白塔镇人大代表联络站", exact=True)
    expect(site_link).to_have_attribute("href", deputy.site.get_absolute_url())
    expect(phone.get_by_role("link", name="致电白塔镇人大代表联络站 0576-87810001")).to_have_attribute(
        "href", "tel:0576-87810001"
    )
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "profile-phone")
