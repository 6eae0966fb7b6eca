"""An account's access kept in Redis between requests (liaison/access.py): read once, then served until it
changes, and every change shows at the account's next request."""

import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison import access, counters, roles
from liaison import cache as shared_cache
from liaison.models import Membership
from tests.factories import TownshipFactory, UserFactory, the_township

pytestmark = pytest.mark.django_db(transaction=True)

_ACCESS_TABLES = ('"auth_group"', '"auth_permission"', '"liaison_membership"', '"auth_user_groups"')


@pytest.fixture(autouse=True)
def _redis_answers(monkeypatch):
    cache.clear()  # the tier's Redis outlives each test; its database does not
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)  # (an earlier test's frozen Redis)
    monkeypatch.setattr(counters, "_down_until", 0.0)
    yield
    access._unset.clear()


@pytest.fixture
def official(client):
    user = UserFactory(username="official", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.OFFICIAL))
    Membership.objects.create(user=user, township=the_township())
    client.force_login(user)
    return user


def _get(client, name="desk:concerns"):
    """The page, and the queries of it that read the account's access."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    return response, [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in _ACCESS_TABLES)]


def test_access_is_read_once_then_kept(client, official):
    response, read = _get(client)
    assert response.status_code == 200 and read
    response, read = _get(client)
    assert response.status_code == 200
    assert read == []
    assert reverse("deputies_staff:window") in response.content.decode()  # its permission, from the cache


def test_a_role_taken_away_or_given_shows_at_the_next_request(client, official):
    group = Group.objects.get(name=roles.OFFICIAL)
    assert _get(client)[0].status_code == 200
    official.groups.remove(group)
    assert _get(client)[0].status_code == 403
    group.user_set.add(official)  # from the group's side
    assert _get(client)[0].status_code == 200
    group.user_set.clear()
    assert _get(client)[0].status_code == 403


def test_a_groups_permission_taken_away_shows_at_the_next_request(client, official):
    window = reverse("deputies_staff:window")
    assert window in _get(client)[0].content.decode()
    group = Group.objects.get(name=roles.OFFICIAL)
    group.permissions.remove(Permission.objects.get(codename="print_window"))
    assert window not in _get(client)[0].content.decode()


def test_a_membership_moved_shows_at_the_next_request(client, official):
    other = TownshipFactory(name="下各镇", code="xiage", station_name="下各镇人大代表联络站")
    assert "下各镇人大代表联络站" not in _get(client)[0].content.decode()
    membership = Membership.objects.get(user=official)
    membership.township = other
    membership.save()
    assert "下各镇人大代表联络站" in _get(client)[0].content.decode()
    other.station_name = "下各镇人大联络站"
    other.save()  # a township's own change: everyone's access is read again
    assert "下各镇人大联络站</a>" in _get(client)[0].content.decode()


def test_a_kept_record_is_not_given_to_another_account_under_the_same_id(client, official):
    """A restored or emptied database may give an id to another account: its name and creation tell them apart."""
    assert _get(client)[0].status_code == 200
    # Outside Django's signals (as a restore writes): the other account has no role at all.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user_groups WHERE user_id = %s", [official.pk])
        cursor.execute("UPDATE auth_user SET username = 'another' WHERE id = %s", [official.pk])
    response, read = _get(client)
    assert read
    assert response.status_code == 403


def test_a_change_made_while_redis_was_down_shows_once_it_answers(client, official, monkeypatch):
    assert _get(client)[0].status_code == 200
    monkeypatch.setattr(shared_cache, "_down_until", time.monotonic() + 60)
    official.groups.clear()
    assert access._unset
    assert _get(client)[0].status_code == 403  # read from the database meanwhile
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    assert _get(client)[0].status_code == 403
    assert not access._unset


def test_a_superuser_demoted_loses_access_at_the_next_request(client):
    the_township()  # (made on first use after an earlier test emptied the database: a change of everyone's)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert _get(client)[0].status_code == 200
    assert _get(client)[1] == []  # kept
    admin.is_superuser = False
    admin.save()  # no group or permission changed: only the account's own row
    assert _get(client)[0].status_code == 403


def test_access_read_before_the_versions_is_read_again(official):
    """The two-factor step may read the roles before the access is loaded: those are not the ones kept."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=official.pk)
    user._liaison_roles = {roles.OFFICIAL}
    user._home_township = None
    official.groups.clear()  # meanwhile
    access.load(user)
    assert roles.user_roles(user) == set()
    assert user._home_township == the_township()
