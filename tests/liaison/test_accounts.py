"""Logging in (liaison/accounts/): throttled passwords, unlocking, strong passwords, session rotation,
idle timeout, deactivation."""

import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from liaison import roles
from liaison.accounts.middleware import LAST_SEEN_SESSION_KEY
from liaison.models import AuditEntry, Membership
from tests.factories import TownshipFactory, UserFactory, the_township

OFFICE = "10.1.2.3"  # a township office: everyone behind one NAT address
ELSEWHERE = "10.9.9.9"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


def _login(client, username, password="pw", *, page="/accounts/login/", address=OFFICE):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(response) -> bool:
    # The password was taken: the next stop is the second step (or the page asked for), never the form again.
    return response.status_code == 302 and "/login/" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_25_wrong_passwords_lock_the_account_and_the_right_one_is_refused_with_the_chinese_lockout_page(
    client, staff, page
):
    for _ in range(25):
        _login(client, "staff", "wrong-password", page=page)

    response = _login(client, "staff", page=page)

    assert response.status_code == 429
    body = response.content.decode()
    assert "登录已锁定" in body and "30 分钟" in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_starts_at_the_fifth_wrong_password(client, staff):
    answers = [_login(client, "staff", "wrong-password").status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]


@pytest.mark.django_db
def test_a_locked_name_does_not_lock_out_a_colleague_behind_the_same_address(client, staff, official):
    for _ in range(6):
        _login(client, "staff", "wrong-password")

    assert _logged_in(_login(Client(), "official"))
    assert _login(Client(), "staff").status_code == 429


@pytest.mark.django_db
def test_a_stranger_guessing_elsewhere_does_not_lock_the_real_user_out(client, staff):
    for _ in range(6):
        _login(client, "staff", "wrong-password", address=ELSEWHERE)

    assert _logged_in(_login(Client(), "staff", address=OFFICE))


def _member(township, username, role, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=role))
    Membership.objects.create(user=user, township=township)
    return user


@pytest.fixture
def two_stations(db):
    a, b = the_township(), TownshipFactory()
    return {
        "a_staff": _member(a, "a-staff", roles.STAFF, is_staff=True),
        "a_official": _member(a, "a-official", roles.OFFICIAL, is_staff=True),
        "b_staff": _member(b, "b-staff", roles.STAFF, is_staff=True),
    }


@pytest.mark.django_db
def test_an_official_of_the_township_unlocks_the_account_and_it_logs_in_again(two_stations):
    for _ in range(5):
        _login(Client(), "a-staff", "wrong-password")
    assert _login(Client(), "a-staff").status_code == 429
    official = Client()
    official.force_login(two_stations["a_official"])

    page = official.get("/accounts/township/").content.decode()
    unlocked = official.post(f"/accounts/township/{two_stations['a_staff'].pk}/unlock/")

    assert "a-staff" in page and "已锁定" in page
    assert unlocked.status_code == 302
    assert _logged_in(_login(Client(), "a-staff"))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK)
    assert (entry.actor, entry.subject_id, entry.township) == (
        two_stations["a_official"], two_stations["a_staff"].pk, two_stations["a_staff"].membership.township)


@pytest.mark.django_db
def test_another_townships_staff_cannot_unlock_or_see_the_account(two_stations):
    for _ in range(5):
        _login(Client(), "a-staff", "wrong-password")
    other = Client()
    other.force_login(two_stations["b_staff"])

    page = other.get("/accounts/township/").content.decode()
    response = other.post(f"/accounts/township/{two_stations['a_staff'].pk}/unlock/")

    assert "a-staff" not in page
    assert response.status_code == 404
    assert _login(Client(), "a-staff").status_code == 429


@pytest.mark.django_db
def test_township_staff_cannot_unlock_a_superuser(client, staff, admin_user):
    client.force_login(staff)

    assert client.post(f"/accounts/township/{admin_user.pk}/unlock/").status_code == 404


@pytest.mark.django_db
def test_a_deputy_has_no_accounts_page(client, deputy_user):
    client.force_login(deputy_user)

    assert client.get("/accounts/township/").status_code == 403


@pytest.mark.parametrize("password", ["short1!", "1234567890123", "password1234", "baitazhen"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_password_is_accepted():
    validate_password("白塔-duty-rota-7 July")


@pytest.mark.django_db
def test_logging_in_gives_the_session_a_new_key(client, deputy_user):
    client.get("/accounts/login/")
    session = client.session
    session["before"] = "visitor"
    session.save()
    before = session.session_key

    assert _logged_in(_login(client, "deputy"))
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def _idle(client, minutes):
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - minutes * 60
    session.save()


@pytest.mark.django_db
def test_an_idle_back_office_session_is_logged_out_with_a_message(client, staff):
    client.force_login(staff)
    _idle(client, 31)

    response = client.get("/desk/concerns/", follow=True)

    assert response.redirect_chain[0][0] == "/accounts/login/?next=%2Fdesk%2Fconcerns%2F"
    assert "30 分钟" in response.content.decode()
    assert client.get("/desk/concerns/").status_code == 302


@pytest.mark.django_db
def test_a_session_used_within_the_timeout_stays(client, staff):
    client.force_login(staff)
    _idle(client, 29)

    assert client.get("/desk/concerns/").status_code == 200
    assert client.session[LAST_SEEN_SESSION_KEY] > time.time() - 5  # the clock starts again


@pytest.mark.django_db
def test_an_idle_session_on_a_public_page_sees_the_page_logged_out(client, staff):
    client.force_login(staff)
    _idle(client, 31)

    response = client.get("/")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_visitors_session_has_no_idle_clock(client):
    client.get("/")

    assert LAST_SEEN_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions_at_once(client, staff):
    client.force_login(staff)
    assert client.get("/desk/concerns/").status_code == 200

    staff.is_active = False
    staff.save()

    response = client.get("/desk/concerns/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(staff.pk)]
