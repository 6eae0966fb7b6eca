"""The desk's lists drawn once per user while their township is unchanged (liaison.public_pages.cached_fragment):
a repeat view reads no concern, a committed change shows at once, and nobody gets another's entry or token."""

import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies.models import Deputy, Site, Village
from liaison.public_pages import unseen_tables
from petitions import workflow
from petitions.models import Category, Concern, Unit
from petitions.services import concern_assign
from tests.factories import ConcernFactory, TownshipFactory, UnitFactory

pytestmark = pytest.mark.django_db

LIST, QUEUE = reverse("desk:concerns"), reverse("desk:unit")
CONCERNS = f'"{Concern._meta.db_table}"'


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Writes that commit as a request's would, stamping their township (the test's own transaction never does).
    The fixtures' writes before them are committed first: their pending stamping would take these writes' in."""

    def block():
        pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for _savepoints, callback, _robust in pending:
            callback()
        return django_capture_on_commit_callbacks(execute=True)

    return block


def _get(client, path, **params) -> tuple[str, bool]:
    """The page, and whether drawing it read the concerns table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode(), any(CONCERNS in q["sql"] for q in queries)


def _token(page: str) -> str:
    """The bulk-forward form's token (the list's own; the page's header has another)."""
    return re.search(r'id="bulk-forward">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def _without_token(page: str) -> str:
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page)


def test_a_repeat_view_reads_no_concern_and_shows_the_same_list(client, official, category, commit):
    with commit():
        concern = ConcernFactory(category=category)
    client.force_login(official)

    first, first_read = _get(client, LIST, status="submitted")
    again, again_read = _get(client, LIST, status="submitted")

    assert first_read and not again_read
    assert concern.tracking in again and _without_token(again) == _without_token(first)


def test_a_committed_change_shows_on_the_next_view(client, official, category, unit, commit):
    with commit():
        concern = ConcernFactory(category=category)
    client.force_login(official)
    assert 'data-tab="assigned">' in _get(client, LIST)[0]

    with commit():
        concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
    page, read = _get(client, LIST)

    assert read and unit.name in page
    with commit():
        added = ConcernFactory(category=category)
    assert added.tracking in _get(client, LIST)[0]


def test_each_user_and_each_query_has_its_own_entry(client, official, category, commit):
    with commit():
        ConcernFactory(category=category)
    client.force_login(official)
    _get(client, LIST)

    assert _get(client, LIST, page="1")[1], "another query string is another entry"
    colleague = type(official).objects.create_user("official-2", is_staff=True)
    colleague.groups.set(official.groups.all())
    client.force_login(colleague)
    assert _get(client, LIST)[1], "another user is drawn their own list"


def test_each_handler_gets_their_own_units_queue(client, official, handler, unit, category, commit):
    other = UnitFactory(name="河西村驻村干部组")
    with commit():
        ours = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                              role=workflow.OFFICIAL)
        theirs = concern_assign(concern=ConcernFactory(category=category), unit=other, actor=official,
                                role=workflow.OFFICIAL)
    client.force_login(handler)
    _get(client, QUEUE)
    page, read = _get(client, QUEUE)
    assert not read and ours.tracking in page and theirs.tracking not in page

    colleague = type(handler).objects.create_user("hexi-handler")
    colleague.groups.set(handler.groups.all())
    other.members.add(colleague)
    client.force_login(colleague)
    page, read = _get(client, QUEUE)
    assert read and theirs.tracking in page and ours.tracking not in page


def test_a_county_wide_view_is_drawn_each_time(client, county_official, category, commit):
    """A county official sees many townships: no one stamp says their list is unchanged."""
    TownshipFactory(name="河西镇")
    with commit():
        ConcernFactory(category=category)
    client.force_login(county_official)
    _get(client, LIST)

    assert _get(client, LIST)[1]


def test_each_view_gets_a_working_token_of_its_own_and_none_is_stored(official, category, unit, commit):
    with commit():
        concern = ConcernFactory(category=category)
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)
    first, _ = _get(client, LIST)
    again, read = _get(client, LIST)

    assert not read and _token(first) != _token(again)
    stored = [pickle.loads(value) for value in cache._cache.values()]  # (the local-memory cache's entries)
    assert not [value for value in stored if isinstance(value, str) and "csrfmiddlewaretoken" in value
                and (_token(first) in value or _token(again) in value or 'value="\x00' not in value)]
    response = client.post(reverse("desk:forward"), {"csrfmiddlewaretoken": _token(again),
                                                     "concerns": [concern.tracking], "unit": unit.pk})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.unit == unit


def _tables(client, path) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return {table for q in queries for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"])}


@pytest.mark.parametrize("path", [LIST, QUEUE])
def test_a_stored_list_reads_no_table_whose_writes_stamp_nothing(client, official, handler, unit, category, commit,
                                                                 path):
    """What only drawing the list reads (a first view's tables less a repeat view's) must be stamped when written."""
    with commit():
        concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official, role=workflow.OFFICIAL)
    client.force_login(official if path == LIST else handler)

    drawn, served = _tables(client, path), _tables(client, path)

    assert Concern._meta.db_table in drawn - served
    assert not (drawn - served) & unseen_tables()


def test_a_first_view_reads_the_township_s_choices_only_until_it_changes(client, official, unit, category, commit):
    """The filters' selects and the deputies' names are the same for all of a township: kept while it is
    unchanged (liaison.public_pages.kept_for_township), so another query string reads them no more."""
    choices = {f'FROM "{model._meta.db_table}"' for model in (Category, Village, Unit, Site, Deputy)}

    def lists_read(query: str) -> set[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{LIST}?{query}").status_code == 200
        return {table for table in choices for q in queries if table in q["sql"]}  # (the rows' joins excluded)

    with commit():
        ConcernFactory(category=category)
    client.force_login(official)
    assert lists_read("status=") == choices

    assert not lists_read("status=submitted")
    with commit():
        unit.name = "白塔村驻村干部组（新）"
        unit.save()
    page = client.get(LIST, {"status": "assigned"}).content.decode()
    assert page.count("白塔村驻村干部组（新）") == 2, "renamed in both the filter and the bulk forward at once"
