"""Activities on a phone: staff record an enterprise visit with a photo at the enterprise, the public reads it
(issue 9, item 3)."""


from PIL import Image
from playwright.sync_api import expect

from deputies.activities import report_to_voters_record
from liaison.scoping import in_township
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import DeputyFactory, UserFactory, the_township


def _jpeg(tmp_path):
    path = tmp_path / "visit.jpg"
    Image.new("RGB", (640, 480), "#7b8d5c").save(path, format="JPEG")
    return path


def test_staff_record_a_visit_on_a_phone_and_the_public_reads_it(browser, phone, live_server, tmp_path, db):
    from django.contrib.auth.models import Group

    from liaison import roles

    deputy = DeputyFactory(name="吴立新")
    with in_township(the_township()):
        report_to_voters_record(deputy=deputy, held_on="2026-01-10", place="东岙村文化礼堂", voters_present=40,
                                report="一年来履职情况。", satisfied=30, basically_satisfied=8, dissatisfied=2)
    staff = UserFactory(username="phone-staff", is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    desk = logged_in(browser, live_server, staff)

    desk.goto(f"{live_server.url}/staff/activities/new/")
    desk.get_by_label("类型").select_option(label="企业走访")
    desk.get_by_label("日期").fill("2026-03-07")
    desk.get_by_label("标题").fill("走访白塔葡萄专业合作社")
    desk.get_by_label("参加代表").select_option(label="吴立新")
    desk.get_by_label("企业", exact=True).fill("白塔葡萄专业合作社")
    desk.get_by_label("收集的意见").fill("希望修通机耕路\n采摘季用工难")
    desk.locator("input[type=file]").set_input_files(str(_jpeg(tmp_path)))
    assert_no_horizontal_scroll(desk)
    screenshot(desk, "activity-record-phone")
    desk.get_by_role("button", name="保存").click()

    expect(desk.get_by_text("活动已登记。")).to_be_visible()
    expect(desk.get_by_role("link", name="转为诉求")).to_have_count(2)
    screenshot(desk, "activity-office-phone")

    phone.goto(f"{live_server.url}/activities/")
    expect(phone.get_by_role("heading", level=2).first).to_have_text("走访白塔葡萄专业合作社")
    expect(phone.locator(".activity-photo")).to_have_count(1)
    # Served to the public: the picture decodes (waited for: a loaded machine takes a moment to fetch it).
    phone.wait_for_function("() => { const img = document.querySelector('.activity-photo');"
                            " return img && img.complete && img.naturalWidth > 0; }")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "activities-phone")
    phone.goto(f"{live_server.url}{deputy.get_absolute_url()}")
    expect(phone.get_by_role("heading", name="最近的履职活动")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    phone.get_by_role("link", name="吴立新述职").click()
    expect(phone.locator("#report-rating")).to_contain_text("40")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "report-to-voters-phone")
