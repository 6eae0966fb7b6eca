"""Every route × every role answers as tests/access_table.py says (issue 8, item 1).

The rows are built once for the module: one township with a row of every kind (tests/isolation.py), a
second, empty one (so the county's accounts look at the whole county), and a logged-in client per role.
Each ask runs inside a savepoint rolled back after it, so a POST that does its work leaves the next role
the same rows to ask about.
"""

import datetime
import os
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
from liaison.models import CalendarDay, Membership
from liaison.scoping import county_wide
from petitions.models import Concern
from tests import access_table as table
from tests.factories import TownshipFactory, UserFactory, the_township
from tests.isolation import build_town
from tests.routes import ROUTES, admin_routes, admin_row

ASKS: dict[str, list[table.Ask]] = {
    **table.ROUTES,
    # A model the table does not know yet: its pages are routes missing from the table (below).
    **{key: table.admin_model_asks(model._meta.label_lower, action) for key, (model, action) in admin_routes().items()
       if model._meta.label_lower in table.ADMIN_MODELS},
}


def test_every_route_is_in_the_table():
    keys = {key for key, _path in ROUTES}

    assert sorted(keys - set(ASKS)) == [], "say in tests/access_table.py who gets what on these routes"
    assert sorted(set(ASKS) - keys) == [], "tests/access_table.py names routes that no longer exist"
    assert sorted(set(table.ADMIN_MODELS) - {model._meta.label_lower for model in admin.site._registry}) == [], (
        "tests/access_table.py names admin models no longer registered")


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
        # The calendar's rows come with the migrations, and are gone after another module's flush.
        CalendarDay.objects.get_or_create(date=datetime.date(2026, 10, 1), defaults={"is_workday": False})
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
            "household": town.household.pk, "household_contact": town.household_contact.pk,
            "activity": town.activity.code, "internal_activity": town.internal_activity.code,
            "opinion": town.opinion.key, "activity_photo": town.activity_photo.get_absolute_url(),
            "internal_activity_photo": town.internal_activity_photo.get_absolute_url(),
            "concern_type": ContentType.objects.get_for_model(Concern).pk, "concern_pk": working.pk,
            "duty_day": town.rows["duty_day"].pk, "shift": town.rows["future_shift"].pk, "swap": town.rows["swap"].pk,
            "feed_token": town.rows["duty_feed"].token, "suggestion": town.suggestion.pk,
            "public_suggestion": town.public_suggestion.code, "suggestion_code": town.suggestion.code,
            "vote": town.vote.code, "open_vote": town.open_vote.code,
            "livelihood_project": town.livelihood_project.pk,
            "study_material": town.study_material.code, "deputies_material": town.deputies_material.code,
            "draft_material": town.draft_material.code,
            "milestone": town.milestone.pk, "supervision_comment": town.supervision_comment.pk,
            "project_photo": town.project_photo.get_absolute_url(),
        }
        pks = {}
        for model in admin.site._registry:
            row = admin_row(model, town)
            assert row is not None, f"make a row of {model._meta.label} here: the table opens its admin pages"
            pks[model._meta.label_lower] = row.pk
        yield {"town": town, "accounts": accounts, "clients": clients, "values": values, "pks": pks}
        call_command("flush", interactive=False, verbosity=0)
        cache.clear()
        _public_upload(remove=True)


def _public_upload(remove=False) -> str:
    """A file where the media route serves from (the folder its pattern was made with, not the tests'
    own MEDIA_ROOT, which tests/conftest.py moves later)."""
    # One file per process: the folder is shared by every test process on the machine (pytest-xdist's too).
    name = f"access-table-{os.getpid()}.txt"
    path = Path(resolve("/media/x").kwargs["document_root"]) / name
    if remove:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("public")
    return f"/media/{name}"


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
        if response.streaming:
            # Read to the end: the test client then closes the file the way a server would, without the
            # request_finished signal closing the database connection inside this transaction (PostgreSQL).
            b"".join(response.streaming_content)
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



# --- object scoping: a deputy's own cases, a handler's unit's, on every path to them -----------------

@pytest.fixture(scope="module")
def cases(world, django_db_blocker):
    """The township's cases by whose they are: the deputy's own (one in another unit), the handler's unit's
    (one of another deputy), and another deputy's in another unit; open and ended; each with an internal
    photo. Named by tracking code: {name: tracking}, and what the deputy and the handler may see."""
    from petitions import workflow
    from petitions.services import concern_assign, concern_resolve
    from tests.factories import ConcernFactory, DeputyFactory, UnitFactory
    from tests.isolation import _jpeg

    town = world["town"]
    with django_db_blocker.unblock(), county_wide():
        official, t = town.users["official"], {"township": town.township}
        other_deputy = DeputyFactory(**t, village=town.village, site=town.site)
        other_unit = UnitFactory(**t)

        def file(deputy, unit=None, resolved=False):
            concern = ConcernFactory(deputy=deputy, category=town.category, is_public=False, photos=[_jpeg()])
            if unit is not None:
                concern = concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL)
            if resolved:
                concern = concern_resolve(concern=concern, result="已办", outcome="fixed", actor=official,
                                          role=workflow.OFFICIAL)
            return concern.tracking

        # The town's own: the deputy's, "working" in the handler's unit.
        found = {name: concern.tracking for name, concern in town.concerns.items()}
        found |= {
            "mine_elsewhere": file(town.deputy, other_unit),
            "units_other_deputy": file(other_deputy, town.unit),
            "units_ended": file(other_deputy, town.unit, resolved=True),
            "neither": file(other_deputy),
            "neither_assigned": file(other_deputy, other_unit),
            "neither_ended": file(other_deputy, other_unit, resolved=True),
        }
    with_photo = set(found.values()) - {found["new"], found["resolved"]}
    deputy = {found[n] for n in ("new", "working", "resolved", "mine_elsewhere")}
    handler = {found[n] for n in ("working", "units_other_deputy", "units_ended")}
    ended = {found[n] for n in ("resolved", "units_ended", "neither_ended")}
    return {"all": set(found.values()), "deputy": deputy, "handler": handler, "ended": ended, "with_photo": with_photo}


def _shown(client, path: str, known: set[str], **query) -> set[str]:
    """The known tracking codes a page shows (a refused page shows none)."""
    response = client.get(path, query)
    return {tracking for tracking in known if tracking in response.content.decode(errors="replace")}


def _pages(client, path: str, known: set[str], monkeypatch) -> set[str]:
    """Every page of a list, a case a page: until a page adds nothing (past the last, the last again)."""
    from petitions.views import work_lists

    monkeypatch.setattr(work_lists, "PAGE_SIZE", 1)
    shown, page = set(), 1
    while new := _shown(client, path, known, page=page) - shown:
        shown |= new
        page += 1
    assert page > 2, "the list fits one page: nothing was paged through"
    return shown


def _finds(client, tracking: str) -> bool:
    """Whether the desk's search finds the case (a refused page may still echo what was asked)."""
    response = client.get("/desk/concerns/", {"q": tracking})
    return response.status_code == 200 and f'data-tracking="{tracking}"' in response.content.decode()


def _photos(client, known: set[str]) -> set[str]:
    from petitions.models import ConcernPhoto

    with county_wide():
        photos = [(photo.concern.tracking, photo.get_absolute_url()) for photo in
                  ConcernPhoto.objects.filter(concern__tracking__in=known, is_public=False).select_related("concern")]
    return {tracking for tracking, url in photos if client.get(url).status_code == 200}


def _admin(client, known: set[str]) -> set[str]:
    with county_wide():
        pks = list(Concern.objects.filter(tracking__in=known).values_list("pk", flat=True))
    paths = ["/admin/petitions/concern/", *(f"/admin/petitions/concern/{pk}/change/" for pk in pks),
             *(f"/admin/r/{ContentType.objects.get_for_model(Concern).pk}/{pk}/" for pk in pks)]
    return set().union(*(_shown(client, path, known) for path in paths))


_LIST = {"deputy": "/desk/inbox/", "handler": "/desk/unit/"}

# Each path to a case's data: what it shows the viewer (the set of cases it reveals, or a count).
SCOPED_PATHS = {
    "detail": lambda client, role, cases, mp: {
        t for t in cases["all"] if client.get(f"/desk/concerns/{t}/").status_code == 200},
    "list": lambda client, role, cases, mp: _shown(client, _LIST[role], cases["all"]),
    "pagination": lambda client, role, cases, mp: _pages(client, _LIST[role], cases["all"], mp),
    # The heading's "n open concerns": the viewer's open cases, not the township's
    "counts": lambda client, role, cases, mp: client.get(_LIST[role]).context["page"].paginator.count,
    "photos": lambda client, role, cases, mp: _photos(client, cases["all"]),
    # The desk list, its search, its tab counts and its export are the office's: refused, nothing shown
    "search": lambda client, role, cases, mp: {t for t in cases["all"] if _finds(client, t)},
    "export": lambda client, role, cases, mp: _shown(client, "/desk/concerns/export.xlsx", cases["all"], **table.EVER),
    # Deputies and handlers have no admin account (is_staff): its lists, pages and "view on site" send them away
    "admin": lambda client, role, cases, mp: _admin(client, cases["all"]),
}


def _expected(path: str, role: str, cases) -> set[str] | int:
    if path in ("search", "export", "admin"):
        return set()
    if path == "counts":
        return len(cases[role] - cases["ended"])
    if path == "photos":
        return cases[role] & cases["with_photo"]
    return cases[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["deputy", "handler"])
@pytest.mark.parametrize("path", sorted(SCOPED_PATHS))
def test_deputies_and_handlers_reach_only_their_own_cases_on_every_path(world, cases, role, path, monkeypatch):
    client = world["clients"][role]

    shown = SCOPED_PATHS[path](client, role, cases, monkeypatch)

    assert shown == _expected(path, role, cases)


# --- a plain look at a public page ------------------------------------------------------------------

@pytest.mark.django_db
def test_a_plain_look_at_a_public_page_writes_no_row_and_no_session(world):
    """Issue 12: a page anyone may open is looked at by crowds (a QR code in a chat group); a look writes
    nothing, so it can be served from a cache and costs no write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wrote = []
    try:
        for key, asks in sorted(ASKS.items()):
            for ask in asks:
                if ask.method != "GET" or ask.expect["anonymous"] != table.OK:
                    continue
                values = {**world["values"], "pk": world["pks"].get(ask.model)}
                path = ask.path.format(**values)
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    response = Client().get(path, {name: value.format(**values) for name, value in ask.data.items()})
                    if response.streaming:
                        b"".join(response.streaming_content)
                    transaction.set_rollback(True)
                writes = [q["sql"][:80] for q in queries.captured_queries
                          if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
                if writes or settings.SESSION_COOKIE_NAME in response.cookies:
                    wrote.append(f"{key} {path}: {writes or 'a session'}")
    finally:
        cache.clear()
    assert not wrote, "\n".join(wrote)
