"""The whole path of issue 3 in Chromium on a phone: QR → concern with a photo → tracking page →
the deputy forwards it → the handler resolves it → the constituent rates it → closed;
and a walk-in reception that becomes a concern."""

import pytest
from PIL import Image

from petitions.models import Concern, ConcernPhoto
from tests.browser.conftest import assert_no_horizontal_scroll, backdate_concern_forms, logged_in, screenshot
from tests.deputies.test_qr import decode_png


def _photo(tmp_path) -> str:
    path = tmp_path / "manhole.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 50.0, 0.0), 3: "E", 4: (120.0, 44.0, 0.0)}  # GPS that must not survive
    Image.new("RGB", (1200, 900), "#777").save(path, format="JPEG", exif=exif)
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_a_concern_from_qr_scan_to_rated_and_closed(phone, browser, live_server, settings, deputy_user, handler,
                                                     unit, category, tmp_path, client):
    settings.SITE_URL = live_server.url
    deputy = deputy_user.deputy
    deputy.refresh_from_db()

    # 1. Scan the poster: the QR leads to the deputy's page.
    url = decode_png(client.get(f"/d/{deputy.code}/qr.png").content)
    backdate_concern_forms(phone)
    phone.goto(url)
    phone.click("#raise-concern")

    # 2. File a concern with a photo.
    phone.fill("input[name=name]", "陈西荣")
    phone.fill("input[name=mobile]", "138 1234 5678")
    phone.select_option("select[name=category]", str(category.pk))
    phone.fill("textarea[name=content]", "村口窨井盖下沉破损，晚上很危险。")
    phone.set_input_files("input[name=photos]", _photo(tmp_path))
    screenshot(phone, "path-1-file")
    phone.locator("#main form button[type=submit]").click()
    tracking = phone.locator("#tracking-code").inner_text().strip()
    screenshot(phone, "path-2-receipt")
    concern = Concern.objects.get(tracking=tracking)
    assert concern.constituent.mobile == "13812345678"
    assert not Image.open(ConcernPhoto.objects.get(concern=concern).image).getexif()

    # 3. The public tracking page: the status, no name, no number.
    phone.goto(f"{live_server.url}/t/{tracking}/")
    body = phone.locator("body").inner_text()
    assert "已提交" in body and "陈西荣" not in body and "13812345678" not in body
    assert_no_horizontal_scroll(phone)

    # 4. The deputy forwards it to the unit from their phone.
    desk = logged_in(browser, live_server, deputy_user)
    desk.goto(f"{live_server.url}/desk/concerns/{tracking}/")
    desk.locator("details[data-action=assign] summary").click()
    desk.select_option("#form-assign select[name=assign-unit]", str(unit.pk))
    desk.locator("#form-assign button[type=submit]").click()
    desk.wait_for_load_state()
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.ASSIGNED
    screenshot(desk, "path-3-deputy-forwarded")
    desk.context.close()

    # 5. The handler resolves it with a result.
    work = logged_in(browser, live_server, handler)
    assert tracking in work.locator("body").inner_text()  # on the unit's list
    work.goto(f"{live_server.url}/desk/concerns/{tracking}/")
    work.locator("details[data-action=resolve] summary").click()
    work.fill("#form-resolve textarea[name=resolve-result]", "已更换新井盖，两天内修复完毕。")
    work.select_option("#form-resolve select[name=resolve-outcome]", "fixed")
    work.locator("#form-resolve button[type=submit]").click()
    work.wait_for_load_state()
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.RESOLVED
    work.context.close()

    # 6. Days later, from the link in the SMS on a browser that did not file it, the constituent
    #    proves it is theirs and rates it: closed.
    from tests.browser.conftest import PHONE

    later = browser.new_context(**PHONE).new_page()
    later.goto(f"{live_server.url}/t/{tracking}/")
    assert "已更换新井盖" in later.locator("body").inner_text()
    later.fill("#verify-form input[name=last4]", "5678")
    later.locator("#verify-form button[type=submit]").click()
    later.locator("#rate-form input[name=satisfaction][value=satisfied]").check()
    screenshot(later, "path-4-rate")
    later.locator("#rate-form button[type=submit]").click()
    later.wait_for_load_state()
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.satisfaction) == ("closed", "fixed", "satisfied")
    screenshot(later, "path-5-closed")
    later.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_walk_in_reception_becomes_a_concern(browser, live_server, staff, site, deputy, category):
    desk = logged_in(browser, live_server, staff)
    desk.goto(f"{live_server.url}/desk/receptions/new/")
    desk.select_option("select[name=site]", str(site.pk))
    desk.fill("input[name=name]", "王大伯")
    desk.fill("input[name=mobile]", "13900001111")
    desk.fill("textarea[name=matters]", "反映村道路灯不亮，另咨询医保缴费。")
    desk.fill("textarea[name=answer]", "医保缴费标准已当场解释。")
    desk.fill("textarea[name=concerns-0-content]", "村道三盏路灯不亮。")
    desk.select_option("select[name=concerns-0-category]", str(category.pk))
    screenshot(desk, "reception-new")
    desk.locator("form.reception-form button[type=submit]").first.click()
    desk.wait_for_load_state()

    concern = Concern.objects.get(channel=Concern.Channel.WALK_IN)
    assert concern.reception.matters.startswith("反映村道路灯不亮")
    assert concern.constituent.mobile == "13900001111"
    assert concern.tracking in desk.locator("body").inner_text()  # listed in the register with its code
    screenshot(desk, "reception-register")
