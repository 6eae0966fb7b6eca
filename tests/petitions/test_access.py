"""Who gets into the case desk beyond the route × role table (tests/access_table.py, which asks every route
as every role): an account without any role, and the object-level rules of one case.

- deputy_user: the deputy `concern` is addressed to.
- handler: member of `unit`, which `concern` is assigned to.
- staff, official: see every concern; staff also record receptions.
- county_official: an official of the county people's congress, acting as an official of each township.
- admin_user: a superuser, who acts as staff and official.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver, reverse

from liaison import roles
from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign
from tests.factories import ConcernFactory, DeputyFactory, UnitFactory, UserFactory

NAMESPACES = ("desk", "receptions")
ROLES = ("deputy_user", "handler", "staff", "official", "county_official", "admin_user")

IN, DENIED, HIDDEN = "in", 403, 404  # IN: the page answers (200) or does its work and redirects (302, not to login)
GET, POST = "GET", "POST"

_OFFICE = {"deputy_user": DENIED, "handler": DENIED, "staff": IN, "official": IN, "county_official": IN,
           "admin_user": IN}
_EVERYONE = dict.fromkeys(ROLES, IN)
_READERS = _OFFICE  # the reception register: staff and officials read it
_RECORDERS = {**_OFFICE, "official": DENIED, "county_official": DENIED}  # only staff record receptions

EXPECTED: dict[str, tuple[str, dict]] = {
    "desk:home": (GET, _EVERYONE),
    "desk:concerns": (GET, _OFFICE),
    "desk:held": (GET, _OFFICE),
    "desk:forward": (POST, _OFFICE),
    "desk:export": (GET, _OFFICE),
    "desk:inbox": (GET, {**dict.fromkeys(ROLES, DENIED), "deputy_user": IN}),
    "desk:unit": (GET, {**dict.fromkeys(ROLES, DENIED), "handler": IN}),
    "desk:patrol": (GET, {**dict.fromkeys(ROLES, DENIED), "deputy_user": IN}),
    "desk:county": (GET, {**dict.fromkeys(ROLES, DENIED), "county_official": IN, "admin_user": IN}),
    "desk:concern": (GET, _EVERYONE),
    "desk:act": (POST, _EVERYONE),
    "desk:comment": (POST, _EVERYONE),
    # Personal data (docs/privacy.md): whoever sees the case may see the number (audited); staff and
    # officials correct or erase at the constituent's request.
    "desk:reveal_mobile": (POST, _EVERYONE),
    "desk:correct": (POST, _OFFICE),
    "desk:correct_constituent": (POST, _OFFICE),
    "desk:erase_constituent": (POST, _OFFICE),
    "receptions:reveal_mobile": (POST, _READERS),
    "receptions:list": (GET, _READERS),
    "receptions:new": (GET, _RECORDERS),
    "receptions:export": (GET, _READERS),
    "receptions:print": (GET, _READERS),
    "receptions:phone": (GET, _RECORDERS),
}


def _back_office_routes() -> list[tuple[str, list[str]]]:
    """The desk's and the register's routes named in EXPECTED (those whose URL a case alone fills in)."""
    resolver = get_resolver()
    routes = []
    for namespace in NAMESPACES:
        _prefix, sub_resolver = resolver.namespace_dict[namespace]
        for pattern in sub_resolver.url_patterns:
            if f"{namespace}:{pattern.name}" in EXPECTED:
                routes.append((f"{namespace}:{pattern.name}", list(pattern.pattern.regex.groupindex)))
    return routes


ROUTES = _back_office_routes()


@pytest.fixture
def assigned_concern(concern, deputy_user, unit) -> Concern:
    """The case every role (but anonymous) may see: addressed to deputy_user, assigned to handler's unit."""
    return concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)


def _url(name: str, arguments: list[str], concern: Concern) -> str:
    values = {"tracking": concern.tracking, "action": "start"}
    missing = set(arguments) - set(values)
    assert not missing, f"{name}: give test_access a real value for {sorted(missing)}"
    return reverse(name, kwargs={argument: values[argument] for argument in arguments})


def _request(client, method: str, url: str):
    return client.get(url) if method == GET else client.post(url)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arguments"), ROUTES, ids=[name for name, _arguments in ROUTES])
def test_a_logged_in_account_without_a_role_is_refused(client, assigned_concern, name, arguments):
    client.force_login(UserFactory(username="nobody"))
    method = EXPECTED.get(name, (GET, {}))[0]

    response = _request(client, method, _url(name, arguments, assigned_concern))

    assert response.status_code == 403


@pytest.mark.django_db
def test_post_only_endpoints_refuse_get(client, official, assigned_concern):
    client.force_login(official)

    assert client.get(reverse("desk:act", args=[assigned_concern.tracking, "start"])).status_code == 405
    assert client.get(reverse("desk:comment", args=[assigned_concern.tracking])).status_code == 405
    assert client.get(reverse("desk:forward")).status_code == 405


@pytest.mark.django_db
def test_a_deputy_gets_404_on_another_deputys_concern(client, deputy_user, category):
    others = ConcernFactory(deputy=DeputyFactory(), category=category)
    client.force_login(deputy_user)

    assert client.get(reverse("desk:concern", args=[others.tracking])).status_code == 404
    assert client.post(reverse("desk:act", args=[others.tracking, "accept"])).status_code == 404
    assert client.post(reverse("desk:comment", args=[others.tracking]), {"comment-note": "看看"}).status_code == 404
    others.refresh_from_db()
    assert others.status == Concern.Status.SUBMITTED and others.events.count() == 1


@pytest.mark.django_db
def test_a_handler_gets_404_on_a_concern_of_another_unit(client, handler, official, category):
    other_unit = UnitFactory()
    theirs = concern_assign(concern=ConcernFactory(category=category), unit=other_unit, actor=official,
                            role=workflow.OFFICIAL)
    client.force_login(handler)

    assert client.get(reverse("desk:concern", args=[theirs.tracking])).status_code == 404
    assert client.post(reverse("desk:act", args=[theirs.tracking, "start"])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Concern.Status.ASSIGNED


@pytest.mark.django_db
def test_a_handler_can_post_progress_on_their_units_concern(client, handler, assigned_concern):
    client.force_login(handler)

    response = client.post(
        reverse("desk:comment", args=[assigned_concern.tracking]),
        {"comment-note": "已联系村里保洁员，明天清理。", "comment-is_public": "on"},
    )

    assert response.status_code == 302
    event = assigned_concern.events.latest("created_at")
    assert (event.note, event.is_public, event.actor, event.actor_role) == (
        "已联系村里保洁员，明天清理。", True, handler, workflow.HANDLER,
    )


@pytest.mark.django_db
def test_a_deputy_who_is_also_a_handler_sees_both_their_inbox_and_their_unit(client, deputy_user, unit):
    deputy_user.groups.add(Group.objects.get(name=roles.HANDLER))
    unit.members.add(deputy_user)
    client.force_login(deputy_user)

    assert client.get(reverse("desk:inbox")).status_code == 200
    assert client.get(reverse("desk:unit")).status_code == 200
    assert client.get(reverse("desk:concerns")).status_code == 403
