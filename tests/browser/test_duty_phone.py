"""The duty roster on a phone: the staff's month calendar fits the screen; a deputy on duty checks in from the
site's page (the page its QR code opens), which then shows who is on duty today."""

import datetime

import pytest
from django.utils import timezone

from deputies.models import DutyDay, DutyRule, Shift
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import DeputyFactory, SiteFactory


def _roster():
    site = SiteFactory(kind="station", name="白塔镇人大代表联络站")
    DutyRule.objects.create(site=site, township=site.township, days_of_month="7,21", deputies_per_day=3)
    deputies = [DeputyFactory(site=site, name=name) for name in ("王建国", "李秀英", "欧阳明辉", "张伟", "陈静", "周敏")]
    today = timezone.localdate()
    days = []
    for offset, group in ((0, deputies[:3]), (4, deputies[3:]), (11, deputies[1:4])):
        day = DutyDay.objects.create(site=site, township=site.township, held_on=today + datetime.timedelta(days=offset),
                                     is_published=offset < 5)
        for deputy in group:
            Shift.objects.create(day=day, deputy=deputy, township=site.township)
        days.append(day)
    return site, deputies, days


@pytest.mark.django_db(transaction=True)
def test_staff_see_the_month_calendar_on_a_phone(browser, live_server, staff):
    site, deputies, _days = _roster()
    page = logged_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/staff/duty/?site={site.code}")
    assert page.locator("#duty-calendar").is_visible()
    assert "王建国" in page.locator("#duty-calendar").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "duty-roster-phone")


@pytest.mark.django_db(transaction=True)
def test_a_deputy_on_duty_checks_in_from_the_site_page(browser, live_server, deputy_user):
    site, deputies, days = _roster()
    deputy = deputy_user.deputy
    deputy.site, deputy.name = site, "吴代表"
    deputy.save()
    Shift.objects.create(day=days[0], deputy=deputy, township=site.township)
    page = logged_in(browser, live_server, deputy_user)
    page.goto(f"{live_server.url}/s/{site.code}/")
    assert "吴代表" in page.locator("#on-duty").inner_text()
    screenshot(page, "duty-site-before-check-in", full_page=False)
    page.click("#check-in")
    page.wait_for_selector(".alert-success")
    assert Shift.objects.get(day=days[0], deputy=deputy).attended
    assert page.locator("#check-in").count() == 0
    assert_no_horizontal_scroll(page)
    screenshot(page, "duty-site-checked-in")
