"""Issue 10 on a phone: a deputy turns their concern into a suggestion (the case page's button, the form
filled from the concern) inviting a colleague, the colleague co-signs from their desk, and the deputy submits."""

import pytest
from django.contrib.auth.models import Group

from liaison import roles
from petitions.models import Suggestion
from tests.browser.conftest import assert_no_horizontal_scroll, logged_in, screenshot
from tests.factories import ConcernFactory, DeputyFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_deputy_turns_a_concern_into_a_suggestion_a_colleague_cosigns_it_is_submitted(
        browser, live_server, deputy_user, category):
    colleague_user = UserFactory(username="colleague")
    colleague_user.set_password("pw")
    colleague_user.save()
    colleague_user.groups.add(Group.objects.get(name=roles.DEPUTY))
    colleague = DeputyFactory(user=colleague_user, name="应代表")
    concern = ConcernFactory(deputy=deputy_user.deputy, category=category, content="村口路灯坏了三盏，晚上出行不便。")

    page = logged_in(browser, live_server, deputy_user)
    page.goto(f"{live_server.url}/desk/concerns/{concern.tracking}/")
    page.click("#make-suggestion")
    assert page.input_value("#id_title") == "村口路灯坏了三盏，晚上出行不便。"
    page.check(f"input[name=cosigners][value='{colleague.pk}']")
    assert_no_horizontal_scroll(page)
    screenshot(page, "suggestion-new-from-concern")
    with page.expect_navigation():
        page.locator("#suggestion-save").click()
    suggestion = Suggestion.objects.get()
    assert list(suggestion.concerns.all()) == [concern]
    assert "尚未确认" in page.locator("#suggestion-cosigners").inner_text()

    other = logged_in(browser, live_server, colleague_user)
    other.goto(f"{live_server.url}/desk/suggestions/")
    other.locator("#to-cosign a").click()
    with other.expect_navigation():
        other.locator("#form-cosign button").click()
    assert "✓" in other.locator("#suggestion-cosigners").inner_text()

    page.reload()
    page.locator("details[data-action=submit] summary").click()
    with page.expect_navigation():
        page.locator("#form-submit button[type=submit]").click()
    assert page.locator("#suggestion-status").inner_text().startswith("已提交")
    assert_no_horizontal_scroll(page)
    screenshot(page, "suggestion-submitted")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.SUBMITTED
    page.context.close()
    other.context.close()
