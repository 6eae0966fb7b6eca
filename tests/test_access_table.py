"""Every route × every role answers as tests/access_table.py says (issue 8, item 1).

The rows are built once for the module: one township with a row of every kind (tests/isolation.py), a
second, empty one (so the county's accounts look at the whole county), and a logged-in client per role.
Each ask runs inside a savepoint rolled back after it, so a POST that does its work leaves the next role
the same rows to ask about.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve

from liaison import roles
from liaison.models import Membership
from liaison.scoping import county_wide
from petitions.models import Concern
from tests import access_table as table
from tests.factories import TownshipFactory, UserFactory, the_township
from tests.isolation import build_town
from tests.routes import ROUTES, admin_routes, admin_row

ASKS: dict[str, list[table.Ask]] = {
    **table.ROUTES,
    **{key: table.admin_model_asks(model._meta.label_lower, action) for key, (model, action) in admin_routes().items()},
}


def test_every_route_is_in_the_table():
    keys = {key for key, _path in ROUTES}

    assert sorted(keys - set(ASKS)) == [], "say in tests/access_table.py who gets what on these routes"
    assert sorted(set(ASKS) - keys) == [], "tests/access_table.py names routes that no longer exist"
    assert set(table.ADMIN_MODELS) == {model._meta.label_lower for model in admin.site._registry}


def test_every_ask_says_what_each_role_gets():
    for key, asks in ASKS.items():
        assert asks, key
        for ask in asks:
            assert set(ask.expect) == set(table.ROLES), f"{key} {ask.method} {ask.path}"


# --- the rows, the accounts, the clients ------------------------------------------------------------

def _user(username: str, group: str, township=None, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group))
    if township is not None:
        Membership.objects.create(user=user, township=township)
    return user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), county_wide():
        town = build_town(the_township(), marker="甲镇", tag="jiazhen", digit="1")
        TownshipFactory(name="下各镇", code="xiage")  # two townships: a county account sees the whole county
        accounts = {
            **town.users,
            "county_official": _user("county-official", roles.COUNTY_OFFICIAL, is_staff=True),
            "admin": UserFactory(username="county-admin", is_staff=True, is_superuser=True),
            "deactivated": _user("gone-staff", roles.STAFF, town.township, is_staff=True),
        }
        clients = {"anonymous": Client()}
        for role, user in accounts.items():
            clients[role] = Client()
            clients[role].force_login(user)
        accounts["deactivated"].is_active = False  # after logging in: the session outlives the account
        accounts["deactivated"].save()
        working = town.concerns["working"]
        values = {
            "case": working.tracking, "resolved": town.concerns["resolved"].tracking,
            "deputy_code": town.deputy.code, "site_code": town.site.code,
            "public_photo": town.photos["public"].get_absolute_url(),
            "private_photo": town.photos["private"].get_absolute_url(),
            "media_file": _public_upload(), "township": town.township.code, "category_code": town.category.code,
            "user": town.users["staff"].pk,
            "concern_type": ContentType.objects.get_for_model(Concern).pk, "concern_pk": working.pk,
        }
        pks = {model._meta.label_lower: admin_row(model, town).pk for model in admin.site._registry}
        yield {"accounts": accounts, "clients": clients, "values": values, "pks": pks}
        call_command("flush", interactive=False, verbosity=0)
        cache.clear()
        _public_upload(remove=True)


def _public_upload(remove=False) -> str:
    """A file where the media route serves from (the folder its pattern was made with, not the tests'
    own MEDIA_ROOT, which tests/conftest.py moves later)."""
    path = Path(resolve("/media/x").kwargs["document_root"]) / "access-table.txt"
    if remove:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("public")
    return "/media/access-table.txt"


# --- asking -----------------------------------------------------------------------------------------

def _answer(response):
    """The answer as the table writes it: a status, or where a 302 goes."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(resolve_url(settings.LOGIN_URL) + "?next="):
        return table.LOGIN
    if location.startswith(resolve_url("admin:login") + "?next="):
        return table.ADMIN_LOGIN
    return table.REDIRECT


def _ask(world, ask: table.Ask, role: str):
    values = {**world["values"], "pk": world["pks"].get(ask.model)}
    path = ask.path.format(**values)
    data = {name: value.format(**values) for name, value in ask.data.items()}
    with transaction.atomic():
        client = world["clients"][role]
        if ask.fresh:
            client = Client()
            if role != "anonymous":
                client.force_login(world["accounts"][role])
        response = client.get(path, data) if ask.method == "GET" else client.post(path, data)
        answer = _answer(response)
        response.close()
        transaction.set_rollback(True)
    return path, answer


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ASKS))
def test_each_role_gets_what_the_table_says(world, route):
    wrong = []
    try:
        for ask in ASKS[route]:
            for role in table.ROLES:
                path, got = _ask(world, ask, role)
                if got != ask.expect[role]:
                    wrong.append(f"{role}: {ask.method} {path} answered {got}, the table says {ask.expect[role]}")
    finally:
        cache.clear()  # the tracking page's guess counters: wrong digits asked by every role
    assert not wrong, "\n".join(wrong)

