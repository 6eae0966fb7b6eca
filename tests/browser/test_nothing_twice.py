"""Nothing twice, in a real browser: Back and Submit again, or a resent POST, files one concern or
reception and sends one set of messages; the person is told it was already received, with its code."""

import pytest

from liaison.models import Notification
from petitions.models import Concern, Reception
from tests.browser.conftest import DESKTOP, backdate_concern_forms, logged_in, screenshot

CONTENT = "村口窨井盖下沉破损，晚上很危险。"


def _fill_concern(page, category) -> None:
    # Filled again after Back as a person would: whatever the browser restored is overwritten.
    page.fill("input[name=name]", "陈西荣")
    page.fill("input[name=mobile]", "138 1234 5678")
    page.select_option("select[name=category]", str(category.pk))
    page.fill("textarea[name=content]", CONTENT)


def _submit_concern(page) -> None:
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_back_and_submit_again_files_one_concern_and_says_it_was_already_received(
    phone, live_server, deputy, category, django_capture_on_commit_callbacks
):
    backdate_concern_forms(phone)
    phone.goto(f"{live_server.url}/d/{deputy.code}/concern/")
    _fill_concern(phone, category)
    _submit_concern(phone)
    tracking = phone.locator("#tracking-code").inner_text().strip()
    sent = Notification.objects.count()

    phone.go_back()
    # Chromium (Debian 12) fetches the no-store form again with a new token: the content check catches it.
    phone.wait_for_selector("textarea[name=content]")
    _fill_concern(phone, category)
    _submit_concern(phone)

    assert Concern.objects.count() == 1 and sent == 2  # the constituent and the deputy, once each
    assert Notification.objects.count() == sent
    assert phone.locator("#tracking-code").inner_text().strip() == tracking
    assert "已收到" in phone.locator("#already-received").inner_text()
    screenshot(phone, "twice-1-concern-already-received")


@pytest.mark.django_db(transaction=True)
def test_reloading_after_a_lost_answer_resends_the_post_and_files_one_concern(phone, live_server, deputy, category):
    """The answer to the POST is lost on the way (a proxy answers 502 instead); the person reloads,
    and the browser sends the same POST (the same token) again."""
    backdate_concern_forms(phone)
    phone.goto(f"{live_server.url}/d/{deputy.code}/concern/")
    _fill_concern(phone, category)
    posts = []

    def drop_the_first_answer(route):
        posts.append(route.request.post_data)
        if len(posts) == 1:
            route.fetch()  # the server files it...
            route.fulfill(status=502, body="Bad Gateway")  # ...but the phone never hears back
        else:
            route.continue_()

    phone.route("**/concern/", lambda route: drop_the_first_answer(route) if route.request.method == "POST"
                else route.continue_())
    with phone.expect_navigation():
        phone.locator("#main form button[type=submit]").click()
    assert "Bad Gateway" in phone.locator("body").inner_text()
    assert Concern.objects.count() == 1
    tracking = Concern.objects.get().tracking

    phone.reload()

    assert len(posts) == 2 and posts[0] == posts[1]  # the reload really sent the same form again
    assert Concern.objects.count() == 1
    assert phone.locator("#tracking-code").inner_text().strip() == tracking
    assert "已收到" in phone.locator("#already-received").inner_text()


def _fill_reception(page, site, category) -> None:
    page.select_option("select[name=site]", str(site.pk))
    page.fill("input[name=name]", "王大伯")
    page.fill("input[name=mobile]", "13900001111")
    page.fill("textarea[name=matters]", "反映村道路灯不亮，另咨询医保缴费。")
    page.fill("textarea[name=concerns-0-content]", "村道三盏路灯不亮。")
    page.select_option("select[name=concerns-0-category]", str(category.pk))


@pytest.mark.django_db(transaction=True)
def test_back_and_save_again_at_the_desk_records_one_reception_and_says_already_recorded(
    browser, live_server, staff, site, category
):
    desk = logged_in(browser, live_server, staff, **DESKTOP)
    desk.goto(f"{live_server.url}/desk/receptions/new/")
    _fill_reception(desk, site, category)
    with desk.expect_navigation():
        desk.locator("form.reception-form button[type=submit]").first.click()
    tracking = Concern.objects.get().tracking
    sent = Notification.objects.count()

    desk.go_back()
    desk.wait_for_selector("textarea[name=matters]")
    _fill_reception(desk, site, category)
    with desk.expect_navigation():
        desk.locator("form.reception-form button[type=submit]").first.click()

    assert Reception.objects.count() == 1 and Concern.objects.count() == 1
    assert Notification.objects.count() == sent
    alert = desk.locator("#main .alert-info").inner_text()
    assert "已记录" in alert and tracking in alert
    screenshot(desk, "twice-2-reception-already-recorded", full_page=False)
    desk.context.close()
