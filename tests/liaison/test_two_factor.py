"""Two-factor login (liaison/accounts/): who must, the setup with its recovery codes, the second step,
and resets. These log in through the forms; other tests' force_login finishes both steps (tests/conftest.py)."""

import datetime
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import authenticator, totp_code

REQUIRED = ["staff", "handler", "official", "county_official", "admin_user"]


def _password(client, user, next_url="/desk/concerns/"):
    return client.post(f"/accounts/login/?next={next_url}", {"username": user.username, "password": "pw"})


def _code_for(client) -> str:
    """Read the key off the setup page, as the phone's camera would."""
    page = client.get("/accounts/two-factor/setup/").content.decode()
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page)[1].replace(" ", "")
    device = TOTPDevice.objects.get(confirmed=False)
    assert device.config_url.startswith("otpauth://totp/") and secret in device.config_url
    return f"{totp(device.bin_key):06d}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", REQUIRED)
def test_the_roles_that_must_use_two_factor_are_sent_to_set_it_up_after_the_password(client, who, request):
    user = request.getfixturevalue(who)

    response = _password(client, user)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/setup/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/desk/concerns/", "/desk/receptions/", "/admin/", "/admin/auth/user/",
                                  "/staff/deputies/window/", "/accounts/township/"])
def test_until_the_second_step_nothing_of_the_back_office_or_admin_opens(client, staff, path):
    _password(client, staff)

    response = client.get(path)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/setup/")


@pytest.mark.django_db
def test_two_factor_is_optional_for_a_deputy(client, deputy_user):
    response = _password(client, deputy_user, next_url="/desk/inbox/")

    assert response["Location"] == "/desk/inbox/"
    assert client.get("/desk/inbox/").status_code == 200


@pytest.mark.django_db
def test_a_deputy_who_set_it_up_is_asked_for_the_code(client, deputy_user):
    device = authenticator(deputy_user)

    response = _password(client, deputy_user, next_url="/desk/inbox/")
    assert response["Location"].startswith("/accounts/verify/")
    assert client.get("/desk/inbox/").status_code == 302

    client.post("/accounts/verify/", {"code": totp_code(device), "next": "/desk/inbox/"})
    assert client.get("/desk/inbox/").status_code == 200


@pytest.mark.django_db
def test_setting_up_shows_a_qr_code_and_ten_recovery_codes_once(client, staff):
    _password(client, staff)
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page and "<path" in page and "<script" not in page

    response = client.post("/accounts/two-factor/setup/", {"code": _code_for(client), "next": "/desk/concerns/"},
                           follow=True)

    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10 and sorted(codes) == sorted(StaticToken.objects.values_list("token", flat=True))
    assert not re.findall(r"<li>([a-z2-7]{8})</li>", client.get("/accounts/two-factor/").content.decode())
    assert client.get("/desk/concerns/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_setup_code_confirms_nothing(client, staff):
    _password(client, staff)
    client.get("/accounts/two-factor/setup/")

    response = client.post("/accounts/two-factor/setup/", {"code": "000000"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/desk/concerns/").status_code == 302


@pytest.mark.django_db
def test_the_second_step_takes_the_code_the_phone_shows(client, official):
    device = authenticator(official)
    response = _password(client, official)
    assert response["Location"] == "/accounts/verify/?next=%2Fdesk%2Fconcerns%2F"

    wrong = client.post("/accounts/verify/", {"code": "123456"})
    assert wrong.status_code == 200 and client.get("/desk/concerns/").status_code == 302
    # Each wrong code doubles the wait before the next try (django-otp's throttling, kept in the database):
    # even the right code is refused at once after a wrong one.
    throttled = client.post("/accounts/verify/", {"code": totp_code(device)})
    assert "稍等" in throttled.content.decode() and client.get("/desk/concerns/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - datetime.timedelta(seconds=2))

    right = client.post("/accounts/verify/", {"code": totp_code(device), "next": "/desk/concerns/"})
    assert right["Location"] == "/desk/concerns/"
    assert client.get("/desk/concerns/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(staff):
    from liaison.accounts.services import recovery_codes_issue

    authenticator(staff)
    code = recovery_codes_issue(user=staff)[0]
    first, second = Client(), Client()

    _password(first, staff)
    first.post("/accounts/verify/", {"code": code.upper()})  # as typed: case and spaces do not matter
    _password(second, staff)
    refused = second.post("/accounts/verify/", {"code": code})

    assert first.get("/desk/concerns/").status_code == 200
    assert refused.status_code == 200 and second.get("/desk/concerns/").status_code == 302
    assert StaticToken.objects.count() == 9


@pytest.mark.django_db
def test_the_code_step_gives_the_session_a_new_key(client, official):
    device = authenticator(official)
    _password(client, official)
    before = client.session.session_key

    client.post("/accounts/verify/", {"code": totp_code(device)})

    assert client.session.session_key != before


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old(client, staff):
    from liaison.accounts.services import recovery_codes_issue

    authenticator(staff)
    old = set(recovery_codes_issue(user=staff))
    client.force_login(staff)

    response = client.post("/accounts/two-factor/recovery-codes/", follow=True)

    new = set(re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode()))
    assert len(new) == 10 and not old & new
    assert set(StaticToken.objects.values_list("token", flat=True)) == new


@pytest.mark.django_db
def test_removing_ones_own_authenticator_sends_a_required_role_to_set_up_the_new_phone(client, staff):
    client.force_login(staff)

    response = client.post("/accounts/two-factor/reset/")

    assert response["Location"] == "/accounts/two-factor/setup/"
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert client.get("/desk/concerns/")["Location"].startswith("/accounts/two-factor/setup/")


@pytest.mark.django_db
def test_an_official_resets_a_colleagues_two_factor_and_that_ends_their_verified_session(staff, official):
    colleague, office = Client(), Client()
    colleague.force_login(staff)
    office.force_login(official)

    office.post(f"/accounts/township/{staff.pk}/reset-two-factor/")

    assert not TOTPDevice.objects.filter(user=staff).exists()
    # Logged out, not sent to set up a new authenticator: the open browser may be on the lost phone.
    assert colleague.get("/desk/concerns/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_admin_resets_two_factor_from_the_user_list(client, admin_user, staff):
    authenticator(staff)
    client.force_login(admin_user)

    client.post("/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [staff.pk]})

    assert not TOTPDevice.objects.filter(user=staff).exists()


@pytest.mark.django_db
def test_in_demo_mode_two_factor_is_optional_for_every_role(client, staff, settings):
    settings.DEMO_MODE = True

    response = _password(client, staff)

    assert response["Location"] == "/desk/concerns/"
    assert client.get("/desk/concerns/").status_code == 200


@pytest.mark.django_db
def test_client_login_in_tests_also_finishes_both_steps_and_still_counts_failures(client, staff):
    from axes.models import AccessAttempt

    assert not client.login(username="staff", password="wrong")
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 1
    assert client.login(username="staff", password="pw")

    assert client.get("/desk/concerns/").status_code == 200


@pytest.mark.django_db
def test_station_staff_cannot_reset_or_unlock_an_officials_account(staff, official):
    office = Client()
    office.force_login(staff)
    authenticator(official)

    page = office.get("/accounts/township/").content.decode()
    reset = office.post(f"/accounts/township/{official.pk}/reset-two-factor/")
    unlock = office.post(f"/accounts/township/{official.pk}/unlock/")

    assert official.username not in page
    assert (reset.status_code, unlock.status_code) == (404, 404)
    assert TOTPDevice.objects.filter(user=official).exists()
