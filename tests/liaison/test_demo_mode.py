"""Demo mode (settings.DEMO_MODE, on under `make run`): the pages say so and two-factor login is optional.
Anywhere else the station refuses to start while demo accounts keep the published password."""

import importlib
import io
import sys

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.accounts.demo_guard import demo_passwords_check, refuse_demo_passwords
from liaison.demo import DEMO_PASSWORD
from tests.factories import UserFactory


@pytest.fixture
def demo_admin(db):
    return UserFactory(username="admin", password=DEMO_PASSWORD, is_staff=True, is_superuser=True)


def _start_web_application():
    sys.modules.pop("liaison.wsgi", None)
    importlib.import_module("liaison.wsgi")


@pytest.mark.django_db
def test_the_web_application_refuses_to_start_while_a_demo_account_has_the_demo_password(demo_admin):
    with pytest.raises(ImproperlyConfigured, match="admin.*DEMO_MODE=true.*changepassword"):
        _start_web_application()


@pytest.mark.django_db
def test_the_deploy_check_names_the_accounts_and_the_fix(demo_admin):
    [error] = demo_passwords_check(None)

    assert isinstance(error, Error) and error.id == "liaison.E101"
    assert "admin" in error.msg and "DEMO_MODE=true" in error.hint


@pytest.mark.django_db
@pytest.mark.parametrize("fix", ["demo_mode", "new_password", "deactivated"])
def test_the_station_starts_once_fixed(demo_admin, settings, fix):
    if fix == "demo_mode":
        settings.DEMO_MODE = True
    elif fix == "new_password":
        demo_admin.set_password("a new and long passphrase")
        demo_admin.save()
    else:
        demo_admin.is_active = False
        demo_admin.save()

    refuse_demo_passwords()
    _start_web_application()
    assert demo_passwords_check(None) == []


@pytest.mark.django_db
def test_seed_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    from django.contrib.auth import get_user_model

    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("demo", [True, False])
def test_the_pages_say_when_they_are_a_demo(client, settings, demo):
    settings.DEMO_MODE = demo

    body = client.get("/").content.decode()

    assert ('class="demo-banner' in body) is demo
    if demo:
        assert "演示" in body
