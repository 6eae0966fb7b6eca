"""A deputy on the phone records a visit to a liaison household and raises a concern from it in one
step, then sees the concern's tracking code (issue 9's browser story, the household half)."""

import pytest

from deputies.models import HouseholdContact
from petitions.models import Concern
from tests.browser.conftest import DESKTOP, assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import DeputyFactory, LiaisonHouseholdFactory

NOTES = "户主反映门口水沟堵塞，下雨天积水漫到路上，希望尽快疏通。"


@pytest.mark.django_db(transaction=True)
def test_a_deputy_records_a_household_visit_that_becomes_a_concern(browser, live_server, deputy_user, category):
    deputy = deputy_user.deputy
    household = LiaisonHouseholdFactory(deputy=deputy, head="应春燕", phone="15800001234")
    LiaisonHouseholdFactory(deputy=deputy, head="王立新")
    page = logged_in(browser, live_server, deputy_user)

    page.goto(f"{live_server.url}/desk/households/")
    assert "应春燕" in page.locator("#my-households").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "households-1-my-households")

    page.locator("#my-households li", has_text="应春燕").get_by_role("link").click()
    assert page.locator("#id_kind_0").is_checked()  # a visit, today, unless changed
    page.fill("textarea[name=notes]", NOTES)
    page.check("input[name=raise_concern]")
    page.select_option("select[name=category]", str(category.pk))
    assert_no_horizontal_scroll(page)
    screenshot(page, "households-2-record-a-visit")
    with page.expect_navigation():
        page.locator("#household-contact-form button[type=submit]").click()

    contact, concern = HouseholdContact.objects.get(), Concern.objects.get()
    assert (contact.household, concern.household_contact, concern.channel) == (household, contact, "household")
    assert page.locator("#contact-concerns .tracking-code").inner_text().strip() == concern.tracking
    assert concern.tracking in page.locator(".alert-success").inner_text()
    assert_no_horizontal_scroll(page)
    screenshot(page, "households-3-contact-with-tracking-code")

    page.locator("#contact-concerns .tracking-code").click()
    page.wait_for_url(f"**/desk/concerns/{concern.tracking}/")
    screenshot(page, "households-4-the-concern")
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_the_staff_see_households_per_deputy_and_who_has_not_contacted_theirs(browser, live_server, staff):
    silent = DeputyFactory(name="久未联系")
    for _ in range(3):
        LiaisonHouseholdFactory(deputy=silent)
    in_touch = LiaisonHouseholdFactory(deputy=DeputyFactory(name="常联系"))
    HouseholdContact.objects.create(household=in_touch, deputy=in_touch.deputy, township=in_touch.township)
    page = logged_in(browser, live_server, staff, **DESKTOP)

    page.goto(f"{live_server.url}/staff/deputies/households/")
    assert "久未联系" in page.locator("#household-overview").inner_text()
    screenshot(page, "households-5-staff-overview")
    page.click("#not-contacted-link")
    listed = page.locator("#not-contacted").inner_text()
    assert "久未联系" in listed and "常联系" not in listed
    screenshot(page, "households-6-staff-not-contacted")
    page.context.close()
