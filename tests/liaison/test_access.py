"""What a user holds, kept across requests (liaison/accounts/access.py): the same answers as Django's own
permission checks, read from the database once, and read again from the next request after any change of
groups, memberships or permissions."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import roles
from liaison.accounts.access import KeptPermissionsBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A block whose writes commit as a request's would (the version is replaced once committed)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _auth_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in context.captured_queries if "auth_group" in q["sql"] or "auth_permission" in q["sql"]]


def test_a_page_asked_again_reads_neither_groups_nor_permissions(client, staff):
    client.force_login(staff)
    assert _auth_queries(client, "/desk/concerns/")  # the menu asks for a permission (the image window)
    assert _auth_queries(client, "/desk/concerns/") == []


@pytest.mark.parametrize("who", ["staff", "official", "handler", "admin_user"])
def test_the_kept_permissions_are_djangos_own(request, who):
    user = User.objects.get(pk=request.getfixturevalue(who).pk)
    expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    assert KeptPermissionsBackend().get_all_permissions(user) == expected
    again = User.objects.get(pk=user.pk)
    assert KeptPermissionsBackend().get_all_permissions(again) == expected  # from the cache
    assert again.has_perm("deputies.print_window") == ModelBackend().has_perm(user, "deputies.print_window")


def test_a_membership_changed_counts_from_the_next_request(client, official, handler, commit):
    client.force_login(official)
    assert client.get("/cockpit/").status_code == 200
    with commit():
        official.groups.remove(Group.objects.get(name=roles.OFFICIAL))
    assert client.get("/cockpit/").status_code == 403

    client.force_login(handler)
    assert client.get("/cockpit/").status_code == 403
    with commit():
        handler.groups.add(Group.objects.get(name=roles.OFFICIAL))
    assert client.get("/cockpit/").status_code == 200


def test_a_groups_permissions_changed_count_from_the_next_request(official, commit):
    assert User.objects.get(pk=official.pk).has_perm("deputies.print_window")
    window = Permission.objects.get(codename="print_window")
    with commit():
        Group.objects.get(name=roles.OFFICIAL).permissions.remove(window)
    assert not User.objects.get(pk=official.pk).has_perm("deputies.print_window")

    with commit():
        official.user_permissions.add(window)
    assert User.objects.get(pk=official.pk).has_perm("deputies.print_window")


def test_a_superuser_made_or_unmade_counts_at_once(official):
    user = User.objects.get(pk=official.pk)
    assert not user.has_perm("liaison.delete_township")
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert User.objects.get(pk=user.pk).has_perm("liaison.delete_township")
    User.objects.filter(pk=user.pk).update(is_superuser=False)
    assert not User.objects.get(pk=user.pk).has_perm("liaison.delete_township")
