"""The duty record on a 360 px phone: the public deputy page's counts and the staff timeline."""

import pytest
from playwright.sync_api import expect

from petitions import workflow
from petitions.receptions import reception_record
from petitions.services import concern_assign, concern_resolve
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.browser.public_pages import OLD_PHONE
from tests.factories import ConcernFactory


@pytest.fixture
def worked(db, deputy_user, category, unit, staff):
    deputy = deputy_user.deputy
    act = {"actor": deputy_user, "role": workflow.DEPUTY}
    for outcome in ("fixed", "explained"):
        concern_resolve(concern=ConcernFactory(deputy=deputy, category=category), result="已处理", outcome=outcome,
                        **act)
    concern_assign(concern=ConcernFactory(deputy=deputy, category=category), unit=unit, **act)
    reception_record(received_on=deputy.created_at.date(), site=deputy.site, deputies=[deputy], mobile="13812345678",
                     name="陈西荣", village=None, visitor_count=3, matters="咨询医保", answer="已解答",
                     satisfaction="satisfied", recorded_by=staff)
    return deputy


def test_the_public_deputy_page_shows_the_counts_on_an_old_phone(browser, live_server, worked):
    context = browser.new_context(**OLD_PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/d/{worked.code}/")

    record = page.get_by_role("region", name=f"{worked.created_at.year}年履职记录")
    expect(record.locator('[data-figure="concerns_received"]')).to_have_text("3")
    expect(record.locator('[data-figure="concerns_forwarded"]')).to_have_text("1")
    expect(record.locator('[data-figure="receptions"]')).to_have_text("1")
    expect(record.get_by_text("不在代表之间比较或排名")).to_be_visible()
    assert_no_horizontal_scroll(page)
    record.scroll_into_view_if_needed()
    screenshot(page, "duty-record-phone")
    context.close()


def test_staff_read_the_timeline_on_a_phone(browser, live_server, worked, staff):
    staff.set_password("pw")
    staff.save()
    page = logged_in(browser, live_server, staff, **OLD_PHONE)

    page.goto(f"{live_server.url}/staff/deputies/{worked.code}/record/")

    expect(page.locator(".timeline-entry")).to_have_count(3 + 1 + 1)  # received, forwarded, the reception
    expect(page.get_by_text("不公开").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "duty-record-staff-phone")
    page.context.close()


def test_a_deputy_opens_their_own_work_report_from_the_menu(browser, live_server, worked, deputy_user):
    deputy_user.set_password("pw")
    deputy_user.save()
    page = logged_in(browser, live_server, deputy_user, **OLD_PHONE)

    page.get_by_role("link", name="我的述职报告").first.click()

    page.wait_for_url(f"{live_server.url}/staff/deputies/{worked.code}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{worked.created_at.year}年度述职报告")
    expect(page.locator('[data-figure="concerns_received"]')).to_contain_text("3")
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()
    screenshot(page, "work-report-phone")
    page.context.close()
