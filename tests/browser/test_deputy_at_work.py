"""Issue 9's story on a phone, end to end: a deputy on duty checks in from the site's page (the page its QR code
opens), visits a liaison household and raises a concern from the visit in one step; the deputy's public page
(the page the deputy's own QR code opens) then counts the duty day, the contact and the concern."""

import pytest
from django.utils import timezone

from deputies.models import DutyDay, DutyRule, Shift
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import LiaisonHouseholdFactory, SiteFactory

COUNTED = ("duty_days_attended", "household_contacts", "concerns_received")


def _counts(page) -> dict[str, str]:
    """Each figure as shown, e.g. "1 （共 1）" for a duty day attended of one rostered."""
    return {key: page.locator(f'[data-figure="{key}"]').inner_text().strip() for key in COUNTED}


@pytest.mark.django_db(transaction=True)
def test_a_deputy_checks_in_visits_a_household_and_the_public_page_counts_it(
        browser, live_server, deputy_user, category):
    site = SiteFactory(kind="station", name="白塔镇人大代表联络站")
    DutyRule.objects.create(site=site, township=site.township, days_of_month="7,21", deputies_per_day=1)
    deputy = deputy_user.deputy
    deputy.site, deputy.name = site, "吴代表"
    deputy.save()
    today = DutyDay.objects.create(site=site, township=site.township, held_on=timezone.localdate(), is_published=True)
    Shift.objects.create(day=today, deputy=deputy, township=site.township)
    LiaisonHouseholdFactory(deputy=deputy, head="应春燕", phone="15800001234")
    public = browser.new_page(viewport={"width": 360, "height": 740})
    public.goto(f"{live_server.url}/d/{deputy.code}/")
    before = _counts(public)

    page = logged_in(browser, live_server, deputy_user)
    page.goto(f"{live_server.url}/s/{site.code}/")
    page.click("#check-in")
    page.wait_for_selector(".alert-success")
    page.goto(f"{live_server.url}/desk/households/")
    page.locator("#my-households li", has_text="应春燕").get_by_role("link").click()
    page.fill("textarea[name=notes]", "户主反映村口路灯坏了一个星期，晚上看不见路。")
    page.check("input[name=raise_concern]")
    page.select_option("select[name=category]", str(category.pk))
    with page.expect_navigation():
        page.locator("#household-contact-form button[type=submit]").click()
    assert page.locator("#contact-concerns .tracking-code").count() == 1

    public.goto(f"{live_server.url}/d/{deputy.code}/")
    assert before == {"duty_days_attended": "0 （共 1）", "household_contacts": "0", "concerns_received": "0"}
    assert _counts(public) == {"duty_days_attended": "1 （共 1）", "household_contacts": "1", "concerns_received": "1"}
    body = public.locator("main").inner_text()
    assert "应春燕" not in body and "15800001234" not in body  # the household stays private
    assert_no_horizontal_scroll(public)
    screenshot(public, "deputy-at-work-public-page")
    page.context.close()
    public.close()
