"""The desk list in Chromium at a station desktop (1366×768): search, tabs, ticking rows, forwarding them;
with JavaScript and without it."""

import pytest

from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_transition
from tests.browser.conftest import DESKTOP, logged_in, screenshot
from tests.factories import ConcernFactory, UnitFactory


@pytest.mark.django_db(transaction=True)
def test_staff_find_cases_by_a_word_tick_them_all_and_forward_them(browser, live_server, staff, official, category):
    target = UnitFactory(name="镇城建办")
    lamps = [ConcernFactory(category=category, content=f"{place}路灯不亮，晚上出行不便。") for place in "东西南"]
    rejected = ConcernFactory(category=category, content="北路灯杆歪斜。")
    concern_transition(concern=rejected, action="reject", actor=official, role=workflow.OFFICIAL,
                       note="重复反映", result="重复反映")
    ConcernFactory(category=category, content="垃圾桶满了没人清运。")
    page = logged_in(browser, live_server, staff, **DESKTOP)

    page.fill("input[name=q]", "路灯")
    page.press("input[name=q]", "Enter")
    assert page.locator("#concern-tabs [data-tab=all] .tab-count").inner_text() == "4"
    assert page.locator("#concern-tabs [data-tab=rejected] .tab-count").inner_text() == "1"
    page.check("[data-select-all]")
    assert page.locator("#bulk-count").inner_text() == "4"
    page.select_option("#bulk-unit", label="镇城建办")
    screenshot(page, "desk-forward-ticked", full_page=False)
    page.click("#bulk-submit")

    page.wait_for_selector(".alert-success")
    assert page.locator(".alert-success").inner_text() == "已将 3 件诉求转交镇城建办。"
    assert rejected.tracking in page.locator(".alert-danger").inner_text()
    assert page.input_value("input[name=q]") == "路灯"  # back on the same filtered list
    assert page.locator("#concern-tabs [data-tab=assigned] .tab-count").inner_text() == "3"
    assert {c.status for c in Concern.objects.filter(pk__in=[c.pk for c in lamps])} == {Concern.Status.ASSIGNED}
    assert set(Concern.objects.filter(pk__in=[c.pk for c in lamps]).values_list("unit", flat=True)) == {target.pk}
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width
    screenshot(page, "desk-forwarded", full_page=False)


@pytest.mark.django_db(transaction=True)
def test_without_javascript_rows_are_ticked_one_by_one_and_forwarded(browser, live_server, official, category):
    first, second = ConcernFactory(category=category), ConcernFactory(category=category)
    unit = UnitFactory(name="白塔村驻村干部组二")
    page = logged_in(browser, live_server, official, **DESKTOP, java_script_enabled=False)

    assert not page.locator("[data-select-all]").is_visible()
    page.check(f"#tick-{first.tracking}")
    page.select_option("#bulk-unit", label=unit.name)
    page.click("#bulk-submit")

    assert page.locator(".alert-success").inner_text() == "已将 1 件诉求转交白塔村驻村干部组二。"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Concern.Status.ASSIGNED, Concern.Status.SUBMITTED)
