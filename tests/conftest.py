"""The cast, as in HC's hc/test.py:

- staff: station staff; edits the directory, imports, prints the image window.
- official: township official; reads everything, prints the image window.
- deputy_user: a deputy's login; sees only their own things (more in later issues).
- handler: a village cadre; member of `unit`, sees only that unit's concerns.
- admin_user: superuser.

Two-factor login is required here as in production (staff, handlers, officials, admins; settings.DEMO_MODE
is off): `client.force_login(user)` logs in as a finished login does, password and code — an account that
must give a code gets a real confirmed authenticator and its session is verified with it
(`_two_factor_logins`). The login steps themselves are tested in tests/liaison/test_two_factor.py.
- concern: a concern filed by constituent 陈西荣 (13600000000-ish) to deputy_user's deputy,
  in a category whose default unit is `unit`.
"""

import datetime
import os

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import override_settings

from liaison import roles
from liaison.scoping import county_wide
from tests.factories import (
    CategoryFactory,
    ConcernFactory,
    DeputyFactory,
    SiteFactory,
    UnitFactory,
    UserFactory,
    VillageFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with sync Playwright


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    from django.conf import settings

    private = {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path_factory.mktemp("private"))}}
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
                           STORAGES={**settings.STORAGES, "private": private}):
        yield


def authenticator(user):
    """The user's confirmed authenticator (django-otp TOTP), made if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device) -> str:
    """The code the user's phone shows now. The device takes each 30 s step once: a second login within the
    same step (a test logging in twice) would be refused as a replay, so the step counter is rewound."""
    from django_otp.oath import totp

    device.last_t = -1
    device.save(update_fields=["last_t"])
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


@pytest.fixture(scope="session", autouse=True)
def _two_factor_logins():
    """force_login finishes both login steps (see the module docstring). Session-wide, so module-scoped
    fixtures that log clients in (tests/test_isolation.py) get verified sessions too."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from liaison.accounts.policy import second_step

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if second_step(user) is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
            session.save()

    def login(self, **credentials):
        # Django's Client.login authenticates without a request, which django-axes refuses (it counts
        # failures per address): pass one, as the login page does.
        from django.contrib.auth import authenticate
        from django.test import RequestFactory

        user = authenticate(RequestFactory().post("/accounts/login/"), **credentials)
        if user is None:
            return False
        force_login(self, user, user.backend)
        return True

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login)
        patch.setattr(Client, "login", login)
        yield


@pytest.fixture(autouse=True)
def _no_page_from_an_earlier_test():
    """A test's writes are rolled back, never committed, so they never stamp a cached public page stale
    (liaison/public_pages.py): a page an earlier test cached would still look current. The local-memory cache
    starts empty for each test; the Redis one (production tier) is left to its tests, which commit."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield


@pytest.fixture
def on_the_modules_day(request, time_machine):
    """A module that reads ``TODAY = timezone.localdate()`` at collection keeps that date while the clock runs on:
    a run crossing the station's midnight (00:00 Beijing is 16:00 UTC, when CI often runs) compared yesterday's
    date with today's. The module's tests run at noon of its TODAY, the clock still ticking."""
    from django.utils import timezone

    noon = datetime.datetime.combine(request.module.TODAY, datetime.time(12), tzinfo=timezone.get_current_timezone())
    time_machine.move_to(noon, tick=True)
    yield


@pytest.fixture(autouse=True)
def _county_wide():
    """Test code sees every township, as a migration does; the code under test enters its own scope
    (requests through TownshipMiddleware, tasks through liaison.scoping.each_township)."""
    with county_wide():
        yield


def _user_in(role: str, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff(db):
    return _user_in(roles.STAFF, username="staff", is_staff=True)


@pytest.fixture
def official(db):
    return _user_in(roles.OFFICIAL, username="official", is_staff=True)


@pytest.fixture
def county_official(db):
    """Of the county people's congress: no township of their own (no Membership)."""
    return _user_in(roles.COUNTY_OFFICIAL, username="county", is_staff=True)


@pytest.fixture
def handler(db):
    return _user_in(roles.HANDLER, username="handler")


@pytest.fixture
def deputy_user(db):
    user = _user_in(roles.DEPUTY, username="deputy")
    DeputyFactory(user=user)
    return user


@pytest.fixture
def unit(db, handler):
    unit = UnitFactory(name="白塔村驻村干部组")
    unit.members.add(handler)
    return unit


@pytest.fixture
def category(db, unit):
    return CategoryFactory(name="环境卫生", default_unit=unit, deadline_days=5)


@pytest.fixture
def concern(db, deputy_user, category):
    return ConcernFactory(deputy=deputy_user.deputy, category=category, mobile="13812345678", name="陈西荣",
                          content="家门口葡萄园环境卫生差，影响生活。")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def village(db):
    return VillageFactory()


@pytest.fixture
def site(db):
    return SiteFactory()


@pytest.fixture
def deputy(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return DeputyFactory()


@pytest.fixture
def tasks_run():
    """The names of the tasks run (in-process, as the embedded default runs them), in order."""
    from celery.signals import task_prerun

    ran = []

    def note(sender=None, **_kwargs) -> None:
        ran.append(sender.name)

    task_prerun.connect(note, weak=False)
    yield ran
    task_prerun.disconnect(note)
