"""Township A gets nothing of township B, nor B of A, on any route (issue 7).

Two townships, each with a row of every kind (tests/isolation.py). The matrix takes every route of the
URL resolver — a route it cannot place fails test_every_route_is_in_the_matrix — and every desk role of
both townships, all logged in on A's host (the default one), and asks for:

- OWN: the route with the viewer's own rows, or none, or offering the other township's rows as choices
  (a unit of B in A's forward form): any answer, holding nothing of the other township;
- FOREIGN: the route naming the other township's rows: 302, 403 or 404, holding nothing of it either.

After each township's accounts have posted, the other township's rows are exactly as they were, and no
row anywhere is tied to another township's. About 1,800 checks over 135 routes and 8 accounts; county
accounts, the choices forms offer, the public host rules (issue 7, item 2), figures, periodic tasks and
cache keys follow the matrix.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
import zxingcpp
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image

from liaison import roles
from liaison.models import CalendarDay, TownshipHost
from liaison.scoping import TownshipScoped, county_wide
from petitions.models import Concern
from tests.factories import TownshipFactory, UserFactory, the_township
from tests.isolation import (
    DESK_ROLES,
    Town,
    build_town,
    cross_township_references,
    response_text,
    snapshot,
)
from tests.routes import ROUTES, admin_routes, sample, township_row_getter

B_HOST = "b.example.cn"
UNKNOWN_HOST = "unknown.example.org"
HOSTS = ("testserver", B_HOST, UNKNOWN_HOST)
VIEWERS = [(town, role) for town in "AB" for role in DESK_ROLES]
OWN, FOREIGN = "own", "foreign"
REFUSED = {302, 403, 404}
EVER = {"date_from": "2000-01-01", "date_to": "2100-12-31"}


@pytest.fixture(scope="module")
def towns(django_db_setup, django_db_blocker):
    """Built once for the module (two stations' worth of rows, photos and QR images), emptied after."""
    with django_db_blocker.unblock(), county_wide():
        a = build_town(the_township(), marker="甲镇", tag="jiazhen", digit="1")
        # Named apart from its rows' marker: a county account's township chooser names every township.
        b_township = TownshipFactory(name="下各镇", code="xiage", station_name="下各镇人大代表联络站",
                                     site_url=f"https://{B_HOST}")
        TownshipHost.objects.create(township=b_township, host=B_HOST)
        b = build_town(b_township, marker="乙镇", tag="yizhen", digit="2")
        county_official = UserFactory(username="county-official", is_staff=True)
        county_official.groups.add(Group.objects.get(name=roles.COUNTY_OFFICIAL))
        superuser = UserFactory(username="county-admin", is_staff=True, is_superuser=True)
        CalendarDay.objects.get_or_create(date=datetime.date(2026, 10, 1), defaults={"is_workday": False})
        yield {"A": a, "B": b, "county_official": county_official, "superuser": superuser}
        call_command("flush", interactive=False, verbosity=0)


# --- the requests -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ask:
    kind: str  # OWN or FOREIGN
    method: str
    path: str
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    shows_own: bool = False  # a page of the viewer's own rows: when it answers 200, they are on it
    follow: bool = False
    fresh_client: bool = False
    public: bool = False  # a public page: its header is the host's township's (A's, on testserver)


def _get(kind, path, shows_own=False, **query) -> Ask:
    return Ask(kind, "GET", path, query=query, shows_own=shows_own)


def _post(kind, path, data=None, follow=False, fresh_client=False) -> Ask:
    return Ask(kind, "POST", path, data=data or {}, follow=follow, fresh_client=fresh_client)


def _csv_upload(rows) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("deputies.csv", buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def _reception(own: Town, other: Town) -> dict:
    """The desk's reception form, naming the other township's site, deputy, village and category."""
    return {
        "received_on": "2026-03-07", "site": other.site.pk, "deputies": [other.deputy.pk], "name": "来访者",
        "mobile": "13800001111", "village": other.village.pk, "visitor_count": "1", "matters": "反映路灯",
        "answer": "", "satisfaction": "", "token": "5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b",
        "concerns-TOTAL_FORMS": "1", "concerns-INITIAL_FORMS": "0", "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "10", "concerns-0-content": "路灯不亮", "concerns-0-category": other.category.pk,
    }


def _url(name, *args) -> str:
    return reverse(name, args=args)


def _case(tracking, action=None) -> str:
    return _url("desk:act", tracking, action) if action else _url("desk:concern", tracking)


# Every route but the admin's, by URL name: what to ask of it. `own` and `other` are Towns.
OFFICE = {
    "desk:home": lambda own, other: [_get(OWN, "/desk/")],
    # County accounts only: a township's account is refused, whatever it asks.
    "desk:county": lambda own, other: [_get(OWN, "/desk/county/")],
    # Its breakdowns name the township's categories, villages, deputies and units.
    "dashboard:cockpit": lambda own, other: [
        _get(OWN, "/cockpit/", shows_own=True),
        _get(OWN, "/cockpit/", site=other.rows["site"].code),
    ],
    "dashboard:cockpit_export": lambda own, other: [
        _get(OWN, "/cockpit/export.xlsx", shows_own=True),
        _get(OWN, "/cockpit/export.xlsx", site=other.rows["site"].code),
    ],
    "desk:concerns": lambda own, other: [
        _get(OWN, "/desk/concerns/", shows_own=True),
        _get(OWN, "/desk/concerns/", q=other.concerns["new"].tracking),
        _get(OWN, "/desk/concerns/", q=other.mobiles[2]),
        _get(OWN, "/desk/concerns/", q=other.mobiles[2][-4:]),
        _get(OWN, "/desk/concerns/", q=other.marker),
        _get(OWN, "/desk/concerns/", deputy=other.deputy.name),
        _get(OWN, "/desk/concerns/", unit=other.unit.pk, village=other.village.pk, category=other.category.pk),
    ],
    "desk:export": lambda own, other: [
        _get(OWN, "/desk/concerns/export.xlsx", shows_own=True, **EVER),
        _get(OWN, "/desk/concerns/export.xlsx", q=other.marker, **EVER),
    ],
    "desk:forward": lambda own, other: [
        _post(FOREIGN, "/desk/concerns/forward/", {"concerns": [c.tracking for c in other.concerns.values()],
                                                   "unit": own.unit.pk}),
        _post(OWN, "/desk/concerns/forward/", {"concerns": [own.concerns["new"].tracking], "unit": other.unit.pk}),
    ],
    "desk:held": lambda own, other: [_get(OWN, "/desk/held/")],
    "desk:inbox": lambda own, other: [_get(OWN, "/desk/inbox/", shows_own=True)],
    # Deputies' suggestions (petitions.views.work_suggestions)
    "desk:suggestions": lambda own, other: [_get(OWN, "/desk/suggestions/", shows_own=True)],
    "desk:suggestion_new": lambda own, other: [
        _get(OWN, "/desk/suggestions/new/"),
        _get(FOREIGN, "/desk/suggestions/new/", concern=other.concerns["new"].tracking),
        _post(FOREIGN, "/desk/suggestions/new/", {"title": "看看", "content": "看看", "kind": "other",
                                                  "concern": other.concerns["new"].tracking}),
        _post(OWN, "/desk/suggestions/new/", {"title": "看看", "content": "看看", "kind": "other",
                                              "cosigners": [other.deputy.pk]}),
    ],
    "desk:suggestion": lambda own, other: [
        _get(OWN, _url("desk:suggestion", own.suggestion.pk), shows_own=True),
        _get(FOREIGN, _url("desk:suggestion", other.suggestion.pk)),
    ],
    "desk:suggestion_act": lambda own, other: [
        _post(FOREIGN, _url("desk:suggestion_act", other.suggestion.pk, "accept")),
        _post(FOREIGN, _url("desk:suggestion_act", other.suggestion.pk, "extend"), {"extend-answer_by": "2100-01-01"}),
    ],
    "desk:suggestion_cosign": lambda own, other: [_post(FOREIGN, _url("desk:suggestion_cosign", other.suggestion.pk))],
    "desk:suggestion_co_view": lambda own, other: [
        _post(FOREIGN, _url("desk:suggestion_co_view", other.suggestion.pk), {"view": "看看"})],
    "desk:unit": lambda own, other: [_get(OWN, "/desk/unit/", shows_own=True)],
    "desk:patrol": lambda own, other: [
        _get(OWN, "/desk/patrol/"),
        _post(OWN, "/desk/patrol/", {"category": other.category.pk, "village": other.village.pk, "content": "看到",
                                     "token": "6f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
    ],
    "desk:concern": lambda own, other: [
        # The working case offers "reassign": its units are the viewer's township's.
        _get(OWN, _case(own.concerns["working"].tracking), shows_own=True),
        _get(OWN, _case(own.concerns["new"].tracking), shows_own=True),
        *(_get(FOREIGN, _case(c.tracking)) for c in other.concerns.values()),
    ],
    "desk:act": lambda own, other: [
        _post(FOREIGN, _case(other.concerns["new"].tracking, "accept")),
        _post(FOREIGN, _case(other.concerns["new"].tracking, "assign"),
              {"assign-unit": own.unit.pk, "assign-deadline_on": "2100-01-01"}),
        _post(FOREIGN, _case(other.concerns["working"].tracking, "resolve"),
              {"resolve-result": "办好了", "resolve-outcome": "fixed"}),
        _post(FOREIGN, _case(other.concerns["resolved"].tracking, "reopen")),
        _post(OWN, _case(own.concerns["new"].tracking, "assign"),
              {"assign-unit": other.unit.pk, "assign-deadline_on": "2100-01-01"}),
        _post(OWN, _case(own.concerns["working"].tracking, "reassign"),
              {"reassign-unit": other.unit.pk, "reassign-deadline_on": "2100-01-01"}),
        _post(OWN, _case(own.concerns["new"].tracking, "merge"), {"merge-into": other.concerns["new"].tracking}),
    ],
    "desk:comment": lambda own, other: [
        _post(FOREIGN, _url("desk:comment", other.concerns["working"].tracking), {"comment-note": "看看"}),
    ],
    # Personal data (docs/privacy.md): the other township's constituent is neither shown, corrected nor erased.
    "desk:reveal_mobile": lambda own, other: [
        _post(FOREIGN, _url("desk:reveal_mobile", other.concerns["new"].tracking))],
    "desk:correct": lambda own, other: [
        _post(FOREIGN, _url("desk:correct", other.concerns["new"].tracking),
              {"correct-content": "改写", "correct-reason": "试试"})],
    "desk:correct_constituent": lambda own, other: [
        _post(FOREIGN, _url("desk:correct_constituent", other.concerns["new"].tracking),
              {"person-name": "改名", "person-mobile": "13900001234", "person-reason": "试试"})],
    "desk:erase_constituent": lambda own, other: [
        _post(FOREIGN, _url("desk:erase_constituent", other.concerns["resolved"].tracking), {"erase-reason": "试试"})],
    "receptions:reveal_mobile": lambda own, other: [
        _post(OWN, _url("receptions:reveal_mobile"), {"reception": other.reception.pk, "next": "/desk/receptions/"})],
    "petitions:photo": lambda own, other: [
        Ask(FOREIGN, "GET", other.photos["private"].get_absolute_url(), public=True)],
    # Activities (deputies.views.activities): the other township's internal ones, their photos and opinions.
    "activities:photo": lambda own, other: [
        Ask(FOREIGN, "GET", other.internal_activity_photo.get_absolute_url(), public=True)],
    "activities_staff:list": lambda own, other: [
        _get(OWN, "/staff/activities/", shows_own=True),
        Ask(OWN, "GET", "/staff/activities/", query={"kind": "study_training"})],
    "activities_staff:activity": lambda own, other: [
        _get(OWN, _url("activities_staff:activity", own.activity.code), shows_own=True),
        _get(FOREIGN, _url("activities_staff:activity", other.internal_activity.code))],
    "activities_staff:edit": lambda own, other: [
        _get(FOREIGN, _url("activities_staff:edit", other.activity.code)),
        _post(FOREIGN, _url("activities_staff:edit", other.activity.code),
              {"held_on": "2026-03-07", "title": "改写", "deputies": [own.deputy.pk], "enterprise": "改写"})],
    "activities_staff:new": lambda own, other: [
        _get(OWN, "/staff/activities/new/"),
        _post(OWN, "/staff/activities/new/", {"kind": "inspection", "held_on": "2026-03-07", "title": "视察",
                                              "deputies": [other.deputy.pk], "is_public": "on"})],
    "activities_staff:report_new": lambda own, other: [
        _get(OWN, "/staff/activities/new/report/"),
        _post(OWN, "/staff/activities/new/report/", {"deputy": other.deputy.pk, "held_on": "2026-03-07",
                                                     "voters_present": "10", "report": "述职", "satisfied": "1",
                                                     "basically_satisfied": "0", "dissatisfied": "0"})],
    "desk:opinion_concern": lambda own, other: [
        _get(FOREIGN, _url("desk:opinion_concern", other.opinion.key)),
        _post(FOREIGN, _url("desk:opinion_concern", other.opinion.key),
              {"content": "改写", "category": own.category.pk}),
        _post(OWN, _url("desk:opinion_concern", own.opinion.key),
              {"content": "企业意见", "category": other.category.pk, "deputy": other.deputy.pk})],
    # The vote on livelihood projects (projects.views): the other township's sessions, ballots and deputies.
    "projects_staff:sessions": lambda own, other: [_get(OWN, "/staff/projects/", shows_own=True)],
    "projects_staff:candidates": lambda own, other: [_get(OWN, "/staff/projects/candidates/", shows_own=True)],
    "projects_staff:candidate_new": lambda own, other: [
        _get(OWN, "/staff/projects/candidates/new/"),
        _post(OWN, "/staff/projects/candidates/new/", {"title": "新项目", "source": "concerns", "status": "reserve"})],
    "projects_staff:session_new": lambda own, other: [
        _get(OWN, "/staff/projects/votes/new/"),
        _post(OWN, "/staff/projects/votes/new/", {"title": "票决", "held_on": "2026-03-07", "seats": "1",
                                                  "candidates": [other.candidate.pk, other.open_vote.candidates.first().pk]})],
    "projects_staff:session": lambda own, other: [
        _get(OWN, _url("projects_staff:session", own.vote.code), shows_own=True),
        _get(FOREIGN, _url("projects_staff:session", other.open_vote.code))],
    "projects_staff:project": lambda own, other: [
        _get(OWN, _url("projects_staff:project", own.livelihood_project.pk), shows_own=True),
        _get(FOREIGN, _url("projects_staff:project", other.livelihood_project.pk)),
        _post(FOREIGN, _url("projects_staff:project", other.livelihood_project.pk), {"budget": "1"}),
        _post(OWN, _url("projects_staff:project", own.livelihood_project.pk),
              {"responsible_unit": other.unit.pk, "supervisors": [other.deputy.pk], "budget": "1"})],
    "projects_staff:progress": lambda own, other: [_get(OWN, "/staff/projects/progress/", shows_own=True)],
    "projects_staff:milestone_new": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:milestone_new", other.livelihood_project.pk),
              {"milestone-title": "看看", "milestone-progress": "90"})],
    "projects_staff:milestone_reach": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:milestone_reach", other.milestone.pk),
              {f"reach-{other.milestone.pk}-reached_on": "2026-03-07"})],
    "projects_staff:comment": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:comment", other.livelihood_project.pk), {"comment-text": "看看"})],
    "projects_staff:answer": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:answer", other.supervision_comment.pk),
              {f"answer-{other.supervision_comment.pk}-answer": "看看"})],
    "projects_staff:rate": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:rate", other.livelihood_project.pk),
              {"rating-deputy": other.deputy.pk, "rating-year": other.vote.held_on.year, "rating-grade": "satisfied"})],
    "projects_staff:ratings_publish": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:ratings_publish", other.livelihood_project.pk),
              {"year": other.vote.held_on.year})],
    "projects_staff:move": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:move", other.open_vote.code, "close"))],
    "projects_staff:paper_ballot": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:paper_ballot", other.open_vote.code),
              {"paper-choices": [other.open_vote.candidates.first().pk]}),
        _post(OWN, _url("projects_staff:paper_ballot", own.open_vote.code),
              {"paper-choices": [other.open_vote.candidates.first().pk]})],
    "projects_staff:paper_voters": lambda own, other: [
        _post(FOREIGN, _url("projects_staff:paper_voters", other.open_vote.code), {"deputies": [other.deputy.pk]}),
        _post(OWN, _url("projects_staff:paper_voters", own.open_vote.code), {"deputies": [other.deputy.pk]})],
    # Study materials (dashboard.study_views): the other township's deputies-only ones and their files, on A's host;
    # its materials in the back office; its categories offered in the form.
    "study:material": lambda own, other: [
        Ask(FOREIGN, "GET", _url("study:material", other.deputies_material.code), public=True),
        Ask(FOREIGN, "GET", _url("study:material", other.draft_material.code), public=True)],
    "study:pdf": lambda own, other: [
        Ask(FOREIGN, "GET", _url("study:pdf", other.deputies_material.code), public=True)],
    "study_staff:list": lambda own, other: [_get(OWN, "/staff/study/", shows_own=True)],
    "study_staff:new": lambda own, other: [
        _get(OWN, "/staff/study/new/"),
        _post(OWN, "/staff/study/new/", {"category": other.study_category.pk, "title": "学习", "body": "学习",
                                         "audience": "public", "is_published": "on"})],
    "study_staff:material": lambda own, other: [
        _get(OWN, _url("study_staff:material", own.deputies_material.code), shows_own=True),
        _get(FOREIGN, _url("study_staff:material", other.deputies_material.code)),
        _get(FOREIGN, _url("study_staff:material", other.draft_material.code))],
    "study_staff:edit": lambda own, other: [
        _get(FOREIGN, _url("study_staff:edit", other.study_material.code)),
        _post(FOREIGN, _url("study_staff:edit", other.study_material.code),
              {"category": own.study_category.pk, "title": "改写", "body": "改写", "audience": "public"}),
        _post(OWN, _url("study_staff:edit", own.draft_material.code),
              {"category": other.study_category.pk, "title": "改写", "body": "改写", "audience": "public"})],
    "study_staff:publish": lambda own, other: [
        _post(FOREIGN, _url("study_staff:publish", other.draft_material.code))],
    "study_staff:unpublish": lambda own, other: [
        _post(FOREIGN, _url("study_staff:unpublish", other.study_material.code))],
    "projects_ballot:ballot": lambda own, other: [
        _get(FOREIGN, _url("projects_ballot:ballot", other.open_vote.code)),
        _post(FOREIGN, _url("projects_ballot:ballot", other.open_vote.code),
              {"choices": [other.open_vote.candidates.first().pk]})],
    "receptions:list": lambda own, other: [
        _get(OWN, "/desk/receptions/", shows_own=True),
        _get(OWN, "/desk/receptions/", q=other.marker),
        _get(OWN, "/desk/receptions/", deputy=other.deputy.pk, village=other.village.pk),
    ],
    "receptions:new": lambda own, other: [
        _get(OWN, "/desk/receptions/new/", shows_own=True),
        _post(OWN, "/desk/receptions/new/", _reception(own, other)),
    ],
    "receptions:export": lambda own, other: [_get(OWN, "/desk/receptions/export.xlsx", shows_own=True, **EVER)],
    "receptions:print": lambda own, other: [_get(OWN, "/desk/receptions/print/", shows_own=True, **EVER)],
    "receptions:phone": lambda own, other: [
        _get(OWN, "/desk/receptions/phone/", shows_own=True),
        _post(OWN, "/desk/receptions/phone/", {"mobile": "13800002222", "category": other.category.pk,
                                               "village": other.village.pk, "content": "来电反映",
                                               "token": "7f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
    ],
    "deputies_staff:window": lambda own, other: [
        _get(OWN, "/staff/deputies/window/", shows_own=True),
        _get(OWN, "/staff/deputies/window/", site=other.site.pk),
    ],
    "deputies_staff:window_pdf": lambda own, other: [_get(OWN, "/staff/deputies/window.pdf", shows_own=True)],
    "deputies_staff:import": lambda own, other: [
        _get(OWN, "/staff/deputies/import/"),
        # A new deputy, then one named by the other township's deputy's mobile: both land in the viewer's.
        _post(OWN, "/staff/deputies/import/", {"file": _csv_upload([
            ["姓名", "层级", "手机", "村（社区）"], [f"{own.marker}新代表", "乡镇级", "13900009999", ""],
            [f"{own.marker}同号代表", "乡镇级", other.deputy.mobile, ""]])}),
    ],
    "deputies_staff:households": lambda own, other: [_get(OWN, "/staff/deputies/households/", shows_own=True)],
    "deputies_staff:households_not_contacted": lambda own, other: [
        _get(OWN, "/staff/deputies/households/not-contacted/")],
    # A deputy's own households: the other township's household and contact are not found.
    "desk:households": lambda own, other: [_get(OWN, "/desk/households/", shows_own=True)],
    "desk:household_contact_new": lambda own, other: [
        _get(OWN, _url("desk:household_contact_new", own.household.pk), shows_own=True),
        _get(FOREIGN, _url("desk:household_contact_new", other.household.pk)),
        _post(FOREIGN, _url("desk:household_contact_new", other.household.pk),
              {"kind": "visit", "contacted_on": "2026-03-07", "notes": "看看", "raise_concern": "on",
               "category": own.category.pk, "token": "8f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
        _post(OWN, _url("desk:household_contact_new", own.household.pk),
              {"kind": "visit", "contacted_on": "2026-03-07", "notes": "看看", "raise_concern": "on",
               "category": other.category.pk, "token": "9f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
    ],
    "desk:household_contact": lambda own, other: [
        _get(OWN, _url("desk:household_contact", own.household_contact.pk), shows_own=True),
        _get(FOREIGN, _url("desk:household_contact", other.household_contact.pk)),
    ],
    "desk:household_contact_raise": lambda own, other: [
        _post(FOREIGN, _url("desk:household_contact_raise", other.household_contact.pk),
              {"category": own.category.pk, "content": "看看", "token": "af0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
        _post(OWN, _url("desk:household_contact_raise", own.household_contact.pk),
              {"category": other.category.pk, "content": "看看", "token": "bf0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}),
    ],
    "deputies_staff:import_template": lambda own, other: [
        _get(OWN, _url("deputies_staff:import_template", "csv")),
        _get(OWN, _url("deputies_staff:import_template", "xlsx")),
    ],
    # The duty roster: a row of the other township is not found; the site and month choice stays in one's own.
    "duty:roster": lambda own, other: [_get(OWN, "/staff/duty/", shows_own=True),
                                       _get(OWN, "/staff/duty/", site=other.site.code)],
    "duty:rule": lambda own, other: [_post(OWN, "/staff/duty/rule/", {"site": other.site.code})],
    "duty:generate": lambda own, other: [_post(OWN, "/staff/duty/generate/", {
        "site": other.site.code, "first": "2099-01-01", "months": "1"})],
    "duty:publish": lambda own, other: [_post(OWN, "/staff/duty/publish/", {"site": other.site.code})],
    "duty:day": lambda own, other: [_get(FOREIGN, _url("duty:day", other.rows["duty_day"].pk))],
    **{f"duty:{name}": (lambda name: lambda own, other: [
        _post(FOREIGN, _url(f"duty:{name}", other.rows["duty_day"].pk)),
        _post(OWN, _url(f"duty:{name}", own.rows["duty_day"].pk), {
            "deputies": [other.deputy.pk], "shift": other.rows["shift"].pk, "deputy": other.deputy.pk,
            "other": other.rows["future_shift"].pk}),
    ])(name) for name in ("override", "replace", "swap")},
    "duty:attendance": lambda own, other: [_post(FOREIGN, _url("duty:attendance", other.rows["duty_day"].pk),
                                                 {"present": [other.deputy.pk]})],
    "duty:balance": lambda own, other: [_get(OWN, "/staff/duty/balance/", shows_own=True),
                                        _get(OWN, "/staff/duty/balance/", site=other.site.code)],
    "duty:swaps": lambda own, other: [_get(OWN, "/staff/duty/swaps/", shows_own=True)],
    "duty:swap_move": lambda own, other: [_post(FOREIGN, _url("duty:swap_move", other.rows["swap"].pk, "refuse"))],
    "duty:mine": lambda own, other: [_get(OWN, "/staff/duty/mine/")],
    "duty:ask": lambda own, other: [_post(FOREIGN, _url("duty:ask", other.rows["future_shift"].pk))],
    "duty:feed_revoke": lambda own, other: [_post(OWN, "/staff/duty/feed/revoke/")],
    "duty:feed_revoke_for": lambda own, other: [_post(FOREIGN, _url("duty:feed_revoke_for", other.deputy.code))],
    "duty:check_in": lambda own, other: [_post(FOREIGN, _url("duty:check_in", other.site.code))],
    **{f"deputies_staff:{name}": (lambda name: lambda own, other: [
        _get(OWN, _url(f"deputies_staff:{name}", own.deputy.code), shows_own=True),
        _get(FOREIGN, _url(f"deputies_staff:{name}", other.deputy.code)),
    ])(name) for name in ("record", "report", "report_pdf")},
    "deputies_staff:my_report": lambda own, other: [_get(OWN, "/staff/deputies/my-report/")],
    # A township's account cannot choose a township: it still sees its own.
    "county-choose": lambda own, other: [
        _post(OWN, "/county/township/", {"township": other.township.code, "next": "/desk/concerns/"}, follow=True,
              fresh_client=True),
    ],
    "view-on-site": lambda own, other: [
        _get(FOREIGN, f"/admin/r/{ContentType.objects.get_for_model(row).pk}/{row.pk}/")
        for row in (other.concerns["new"], other.deputy, other.site, other.photos["private"])
    ],
    "admin:view_on_site": lambda own, other: OFFICE["view-on-site"](own, other),  # served by view-on-site
    # Logging in (liaison/accounts/): one's own second step and two-factor page; a township's accounts.
    "accounts:verify": lambda own, other: [_get(OWN, "/accounts/verify/")],
    "accounts:enrol": lambda own, other: [_get(OWN, "/accounts/two-factor/setup/")],
    "accounts:two_factor": lambda own, other: [_get(OWN, "/accounts/two-factor/")],
    "accounts:recovery_codes": lambda own, other: [_post(OWN, "/accounts/two-factor/recovery-codes/")],
    # Not posted: it would end the shared client's verified session for every route after it.
    "accounts:reset_own": lambda own, other: [_get(OWN, "/accounts/two-factor/reset/")],
    "accounts:township": lambda own, other: [_get(OWN, "/accounts/township/")],
    "accounts:unlock": lambda own, other: [
        _post(FOREIGN, _url("accounts:unlock", other.users[role].pk)) for role in ("staff", "official")],
    "accounts:reset_two_factor": lambda own, other: [
        _post(FOREIGN, _url("accounts:reset_two_factor", other.users[role].pk)) for role in ("staff", "official")],
    "admin:index": lambda own, other: [_get(OWN, "/admin/")],
    "admin:app_list": lambda own, other: [_get(OWN, f"/admin/{app}/") for app in ("deputies", "petitions", "liaison")],
    "admin:autocomplete": lambda own, other: [
        _get(OWN, "/admin/autocomplete/", shows_own=True, app_label=m._meta.app_label, model_name=m._meta.model_name,
             field_name=name)
        for m, model_admin in admin.site._registry.items() for name in model_admin.autocomplete_fields
        if issubclass(m, TownshipScoped) and issubclass(m._meta.get_field(name).related_model, TownshipScoped)
    ],
    "admin:auth_user_password_change": lambda own, other: [
        _get(FOREIGN, f"/admin/auth/user/{other.users['staff'].pk}/password/"),
    ],
    "admin:jsi18n": lambda own, other: [_get(OWN, "/admin/jsi18n/")],
    "admin:password_change": lambda own, other: [_get(OWN, "/admin/password_change/")],
    "admin:password_change_done": lambda own, other: [_get(OWN, "/admin/password_change/done/")],
    "admin:login": lambda own, other: [_get(OWN, "/admin/login/")],
    "admin:logout": lambda own, other: [_post(OWN, "/admin/logout/", fresh_client=True)],
    "admin:catch_all": lambda own, other: [_get(OWN, "/admin/no-such-page/")],
}

# Public pages: for the host's township, or for the township of the row their code names.
PUBLIC_HOST = {
    "dashboard:portal": ("GET", "/"), "deputies:directory": ("GET", "/d/"), "petitions:lookup": ("GET", "/t/"),
    "activities:list": ("GET", "/activities/"), "projects:list": ("GET", "/projects/"),
    "petitions:suggestions": ("GET", "/suggestions/"),
    "study:list": ("GET", "/study/"),
    "login": ("GET", "/accounts/login/"), "healthz": ("GET", "/healthz"), "logout": ("POST", "/accounts/logout/"),
    "set_language": ("POST", "/i18n/setlang/"),
    "dashboard:screen": ("GET", "/screen/"), "dashboard:screen_json": ("GET", "/screen/data.json"),
}
PUBLIC_CODE = {
    "deputies:profile": lambda town: ("GET", _url("deputies:profile", town.deputy.code)),
    "deputies:qr_png": lambda town: ("GET", _url("deputies:qr_png", town.deputy.code)),
    "deputies:qr_svg": lambda town: ("GET", _url("deputies:qr_svg", town.deputy.code)),
    "sites:site": lambda town: ("GET", _url("sites:site", town.site.code)),
    "sites:qr_png": lambda town: ("GET", _url("sites:qr_png", town.site.code)),
    "sites:qr_svg": lambda town: ("GET", _url("sites:qr_svg", town.site.code)),
    "dashboard:site_screen": lambda town: ("GET", _url("dashboard:site_screen", town.site.code)),
    "dashboard:site_screen_json": lambda town: ("GET", _url("dashboard:site_screen_json", town.site.code)),
    "duty_feed:ics": lambda town: ("GET", _url("duty_feed:ics", town.rows["duty_feed"].token)),
    "petitions:file_to_deputy": lambda town: ("GET", _url("petitions:file_to_deputy", town.deputy.code)),
    "petitions:file_to_site": lambda town: ("GET", _url("petitions:file_to_site", town.site.code)),
    "petitions:track": lambda town: ("GET", _url("petitions:track", town.concerns["working"].tracking)),
    "petitions:receipt": lambda town: ("GET", _url("petitions:receipt", town.concerns["working"].tracking)),
    "petitions:verify": lambda town: ("POST", _url("petitions:verify", town.concerns["working"].tracking)),
    "petitions:rate": lambda town: ("POST", _url("petitions:rate", town.concerns["resolved"].tracking)),
    "petitions:photo": lambda town: ("GET", town.photos["public"].get_absolute_url()),
    "activities:activity": lambda town: ("GET", _url("activities:activity", town.activity.code)),
    "activities:photo": lambda town: ("GET", town.activity_photo.get_absolute_url()),
    "projects:result": lambda town: ("GET", _url("projects:result", town.vote.code)),
    "petitions:suggestion": lambda town: ("GET", _url("petitions:suggestion", town.public_suggestion.code)),
    "study:material": lambda town: ("GET", _url("study:material", town.study_material.code)),
    "study:pdf": lambda town: ("GET", _url("study:pdf", town.study_material.code)),
    "projects:detail": lambda town: ("GET", _url("projects:detail", town.livelihood_project.pk)),
    "projects:photo": lambda town: ("GET", town.project_photo.get_absolute_url()),
}
# Routes no township owns anything of.
BY_DESIGN = {
    "media": "public uploads (QR images, portraits) under their own unguessable names",
    # The open API names its township in each call (jurisdiction_id): tests/petitions/test_open311.py.
    **{f"open311:{name}": "the jurisdiction_id names the township" for name in (
        "root", "discovery", "services", "service", "requests", "request", "open311/v2/^(?P<rest>.*)$")},
}


# --- the admin's routes, made from its registry -----------------------------------------------------

def _admin_asks(model, action: str):
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    row = township_row_getter(model)  # None: the county's own (the calendar, groups), nothing of a township's

    def asks(own: Town, other: Town) -> list[Ask]:
        if action == "changelist":
            return [_get(OWN, base, shows_own=issubclass(model, TownshipScoped)), _get(OWN, base, q=other.marker)]
        if action == "add":
            return [_get(OWN, f"{base}add/")]
        if row is None:
            some = model.objects.order_by("pk").first()
            return [_get(OWN, f"{base}{some.pk}/change/")] if some and action == "change" else []
        mine, theirs = row(own), row(other)
        page = {"change": "change/", "history": "history/", "delete": "delete/", "redirect": ""}[action]
        found = [_get(FOREIGN, f"{base}{theirs.pk}/{page}")]
        if action == "change":  # the change form's choices: nothing of the other township
            found += [_get(OWN, f"{base}{mine.pk}/change/"), _post(FOREIGN, f"{base}{theirs.pk}/change/")]
        if action == "delete":
            found.append(_post(FOREIGN, f"{base}{theirs.pk}/delete/", {"post": "yes"}))
        return found

    return asks


MATRIX = {**OFFICE, **{key: _admin_asks(model, action) for key, (model, action) in admin_routes().items()}}


# --- the resolver ----------------------------------------------------------------------------------

def test_every_route_is_in_the_matrix():
    keys = {key for key, _path in ROUTES}
    placed = set(MATRIX) | set(PUBLIC_HOST) | set(PUBLIC_CODE) | set(BY_DESIGN)

    assert sorted(keys - placed) == [], "say in tests/test_isolation.py what to ask of these routes"
    assert sorted((set(OFFICE) | set(PUBLIC_HOST) | set(PUBLIC_CODE)) - keys) == [], "routes that no longer exist"


def test_every_logged_in_route_works_in_the_users_township():
    """The back office is the user's township, never the host's: only the pages liaison.urls declares
    public take the host's township (an account of B would read and write A on A's host otherwise)."""
    from liaison.urls import PUBLIC_NAMESPACES, PUBLIC_VIEWS

    public = set(PUBLIC_HOST) | set(PUBLIC_CODE) | set(BY_DESIGN) | {"county-choose"}
    for key, path in ROUTES:
        if key == "media":  # Django's static file view: no township's rows at all
            continue
        match = resolve("/" + re.sub(r"<(\w+:)?(\w+)>", sample, path))
        declared_public = match.namespace in PUBLIC_NAMESPACES or match.view_name in PUBLIC_VIEWS
        assert declared_public == (key in public), f"{key}: public in liaison.urls is {declared_public}"


# --- the matrix ------------------------------------------------------------------------------------

def _ask(client: Client, ask: Ask):
    for value in ask.data.values():
        if hasattr(value, "seek"):  # an upload, read by the ask of the role before
            value.seek(0)
    if ask.method == "GET":
        return client.get(ask.path, ask.query)
    return client.post(ask.path, ask.data, follow=ask.follow)


def _asked_for(ask: Ask) -> str:
    return " ".join([ask.path, *map(str, ask.query.values()), *map(str, ask.data.values())])


def _check(client, ask: Ask, own: Town, other: Town, who: str, host_town: Town) -> None:
    client.cookies.pop("messages", None)  # a message left by the ask before (it may quote what was asked)
    response = _ask(client, ask)
    where = f"{who} {ask.method} {ask.path} {ask.query or ask.data or ''}"
    status = response.status_code
    if ask.kind == FOREIGN:
        assert status in REFUSED, f"{where}: answered {status} for the other township's row"
    text = response_text(response)
    asked = _asked_for(ask) + (host_town.township.station_name if ask.public else "")
    leaked = sorted(s for s in other.secrets if s in text and s not in asked)
    assert leaked == [], f"{where}: shows the other township's {leaked}"
    if ask.shows_own and status == 200:
        assert any(s in text for s in own.secrets), f"{where}: shows none of the viewer's own rows"


@pytest.fixture(scope="module")
def clients(towns, django_db_blocker):
    """A logged-in client per desk role of each township, all on A's host (the default)."""
    with django_db_blocker.unblock():
        logged_in = {}
        for town, role in VIEWERS:
            logged_in[town, role] = Client()
            logged_in[town, role].force_login(towns[town].users[role])
        return logged_in


CHECKS = {"count": 0}


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_no_township_sees_or_touches_the_others_rows(towns, clients, route):
    asked = 0
    for town in "AB":
        own, other = towns[town], towns["B" if town == "A" else "A"]
        asks = MATRIX[route](own, other)
        writes = any(ask.method == "POST" for ask in asks)
        before = snapshot(other.township) if writes else None
        for role in DESK_ROLES:
            client = clients[town, role]
            for ask in asks:
                if ask.fresh_client:  # logging out ends the shared client's session
                    client = Client()
                    client.force_login(own.users[role])
                _check(client, ask, own, other, f"{town}-{role}", towns["A"])
                asked += 1
        if writes:
            assert snapshot(other.township) == before, f"{route}: township {town}'s accounts changed the other's rows"
        if any(ask.method == "POST" and ask.kind == OWN for ask in asks):  # offering the other's rows as choices
            assert cross_township_references() == [], f"{route}: township {town}'s accounts tied two townships"
    CHECKS["count"] += asked
    assert asked or route.endswith(("_history", "_delete", "_redirect")), f"{route}: nothing asked"


# --- county accounts --------------------------------------------------------------------------------

_COUNTY_PAGES = ("/desk/concerns/", "/desk/receptions/", "/admin/deputies/deputy/", "/admin/petitions/concern/")


def _sees(client, *towns: Town) -> list[dict[str, bool]]:
    """For each township, per page: whether the page shows any of its rows."""
    texts = {page: response_text(client.get(page)) for page in _COUNTY_PAGES}
    return [{page: any(s in text for s in town.secrets - {town.tag}) for page, text in texts.items()}
            for town in towns]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["county_official", "superuser"])
def test_a_county_account_sees_the_whole_county_or_the_township_it_chose(towns, who):
    a, b = towns["A"], towns["B"]
    client = Client()
    client.force_login(towns[who])
    every_page = dict.fromkeys(_COUNTY_PAGES, True)
    no_page = dict.fromkeys(_COUNTY_PAGES, False)

    assert _sees(client, a, b) == [every_page, every_page]

    client.post("/county/township/", {"township": b.township.code, "next": "/desk/concerns/"})
    assert _sees(client, a, b) == [no_page, every_page]

    client.post("/county/township/", {"township": a.township.code})
    assert _sees(client, a, b) == [every_page, no_page]

    client.post("/county/township/", {"township": ""})
    assert _sees(client, a, b) == [every_page, every_page]


@pytest.mark.django_db
def test_a_county_account_looking_at_the_whole_county_cannot_forward_one_townships_case_to_anothers_unit(towns):
    # The whole county's desk offers every township's units: B's case must not go to A's unit.
    a, b = towns["A"], towns["B"]
    client = Client()
    client.force_login(towns["superuser"])
    before = snapshot(b.township)

    response = client.post("/desk/concerns/forward/", {"concerns": [b.concerns["new"].tracking], "unit": a.unit.pk})

    assert response.status_code == 409  # choose a township first (liaison.scoping.one_township_required)
    assert snapshot(b.township) == before
    assert cross_township_references() == []


@pytest.mark.django_db
def test_a_county_account_looking_at_the_whole_county_cannot_record_a_visit_across_townships(towns):
    a, b = towns["A"], towns["B"]
    client = Client()
    client.force_login(towns["superuser"])
    mixed = {**_reception(b, a), "site": b.site.pk}  # B's site; A's deputy, village and category
    a_deputy_only = {**_reception(b, b), "deputies": [a.deputy.pk], "concerns-0-content": "", "concerns-0-category": ""}

    for data in (mixed, a_deputy_only):
        response = client.post("/desk/receptions/new/", data)

        assert response.status_code == 409  # choose a township first, the chooser right there
        assert 'name="township"' in response.content.decode()
        assert cross_township_references() == []


# --- the choices forms offer ------------------------------------------------------------------------

def _choices(html: str, name: str) -> set[str]:
    """The values offered for field `name`: its <option>s (every <select> so named) or its checkboxes."""
    offered = set()
    for select in re.findall(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S):
        offered |= set(re.findall(r'<option value="([^"]*)"', select))
    offered |= set(re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html))
    return offered - {""}


def _pks(*rows) -> set[str]:
    return {str(row.pk) for row in rows}


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("town", "AB")
def test_back_office_forms_offer_only_the_users_townships_rows(towns, clients, town):
    own = towns[town]
    staff, official, deputy = clients[town, "staff"], clients[town, "official"], clients[town, "deputy"]

    new_case = _page(staff, _case(own.concerns["new"].tracking))
    working_case = _page(official, _case(own.concerns["working"].tracking))
    desk = _page(staff, "/desk/concerns/")
    reception = _page(staff, "/desk/receptions/new/")
    phone = _page(staff, "/desk/receptions/phone/")
    patrol = _page(deputy, "/desk/patrol/")
    register = _page(official, "/desk/receptions/")

    assert _choices(new_case, "assign-unit") == _pks(own.unit)
    assert _choices(working_case, "reassign-unit") == _pks(own.unit)
    assert _choices(desk, "unit") == _pks(own.unit)  # the filter and the bulk forward form
    assert (_choices(desk, "village"), _choices(desk, "category")) == (_pks(own.village), _pks(own.category))
    assert _choices(reception, "site") == _pks(own.site)
    assert _choices(reception, "deputies") == _pks(own.deputy)
    assert _choices(reception, "village") == _pks(own.village)
    assert _choices(reception, "concerns-0-category") == _pks(own.category)
    assert (_choices(phone, "village"), _choices(phone, "category")) == (_pks(own.village), _pks(own.category))
    assert (_choices(patrol, "village"), _choices(patrol, "category")) == (_pks(own.village), _pks(own.category))
    assert (_choices(register, "deputy"), _choices(register, "village")) == (_pks(own.deputy), _pks(own.village))


@pytest.mark.django_db
@pytest.mark.parametrize("town", "AB")
def test_admin_forms_offer_only_the_users_townships_rows_and_accounts(towns, clients, town):
    own = towns[town]
    official, staff = clients[town, "official"], clients[town, "staff"]

    category = _page(official, "/admin/petitions/category/add/")
    unit = _page(official, f"/admin/petitions/unit/{own.unit.pk}/change/")
    reception = _page(staff, f"/admin/petitions/reception/{own.reception.pk}/change/")

    assert _choices(category, "default_unit") == _pks(own.unit)
    assert _choices(unit, "members") == _pks(*own.users.values())
    assert _choices(reception, "deputies") == _pks(own.deputy)
    assert _choices(reception, "recorded_by") == _pks(*own.users.values())


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("town", "AB")
def test_a_public_concern_form_offers_its_deputys_townships_choices_on_any_host(towns, town, host):
    own = towns[town]
    for path in (_url("petitions:file_to_deputy", own.deputy.code), _url("petitions:file_to_site", own.site.code)):
        html = Client().get(path, HTTP_HOST=host).content.decode()

        assert (_choices(html, "village"), _choices(html, "category")) == (_pks(own.village), _pks(own.category))


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
def test_the_directory_filters_offer_the_hosts_township(towns, host):
    own = towns["B"] if host == B_HOST else towns["A"]
    html = Client().get("/d/", HTTP_HOST=host).content.decode()

    assert (_choices(html, "site"), _choices(html, "village")) == (_pks(own.site), _pks(own.village))


# --- public pages: the host's township, or the township of the code ---------------------------------

def _host_town(towns, host: str) -> Town:
    return towns["B"] if host.split(":")[0].lower() == B_HOST else towns["A"]


@pytest.mark.django_db
@pytest.mark.parametrize("host", [*HOSTS, "B.Example.CN:8443"])
@pytest.mark.parametrize("route", sorted(PUBLIC_HOST))
def test_a_public_page_is_the_hosts_township_and_any_other_host_gets_the_default_one(towns, route, host):
    own = _host_town(towns, host)
    other = towns["A"] if own is towns["B"] else towns["B"]
    method, path = PUBLIC_HOST[route]

    response = Client().generic(method, path, HTTP_HOST=host)
    text = response_text(response)

    assert response.status_code in (200, 302), response.status_code
    assert sorted(s for s in other.secrets if s in text) == []
    if route in ("dashboard:portal", "deputies:directory"):
        assert own.township.station_name in text
    if route == "deputies:directory":
        assert own.deputy.name in text


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("town", "AB")
@pytest.mark.parametrize("route", sorted(PUBLIC_CODE))
def test_a_printed_code_resolves_on_any_host_to_its_own_township(towns, route, town, host):
    own, other = towns[town], towns["B" if town == "A" else "A"]
    method, path = PUBLIC_CODE[route](own)

    response = Client().generic(method, path, data="last4=0000" if method == "POST" else "",
                                content_type="application/x-www-form-urlencoded", HTTP_HOST=host)
    text = response_text(response)

    assert response.status_code in (200, 302), response.status_code
    assert sorted(s for s in other.secrets if s in text) == []
    if response.status_code == 302:  # receipt, verify, rate: back to the case's page
        assert response["Location"] == _url("petitions:track", path.split("/")[2])
    elif response["Content-Type"].startswith("text/html"):
        assert own.township.station_name in text  # the header is the row's township's, not the host's
    elif route.endswith("qr_png"):  # the printed code's address: its township's, whatever host served it
        row = own.deputy if route.startswith("deputies") else own.site
        address = f"https://{B_HOST}" if town == "B" else settings.SITE_URL
        assert _decode_qr(response.content) == address + row.get_absolute_url()


def _decode_qr(png: bytes) -> str:
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
def test_an_unknown_code_or_a_private_photo_is_not_found_on_any_host(towns, host):
    photo = towns["B"].photos["private"].get_absolute_url()
    for path in ("/d/nosuch23/", "/d/nosuch23/qr.png", "/s/nosuch23/", "/t/nosuch2345/", "/d/nosuch23/concern/", photo):
        assert Client().get(path, HTTP_HOST=host).status_code == 404, path


@pytest.mark.django_db
def test_hosts_no_township_claims_are_the_default_townships(towns):
    from liaison.scoping import township_for_host

    assert township_for_host("station.example.cn") == towns["A"].township == township_for_host("localhost:8000")
    assert township_for_host(f"{B_HOST.upper()}:80") == towns["B"].township
    assert towns["A"].township.is_default and not towns["B"].township.is_default


def test_printed_codes_are_unique_across_the_county_not_per_township():
    from deputies.models import Deputy, Site

    for model, name in ((Deputy, "code"), (Site, "code"), (Concern, "tracking")):
        assert model._meta.get_field(name).unique, f"{model.__name__}.{name}"


# --- figures ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_figures_count_the_scopes_townships_in_one_query(towns, django_assert_num_queries):
    from liaison.scoping import in_township, in_townships
    from petitions.selectors import concern_counts, concern_counts_by_township, county_totals

    a, b = towns["A"].township, towns["B"].township
    with county_wide():
        filed = {t.code: Concern.objects.filter(township=t).count() for t in (a, b)}
    assert filed[a.code] and filed[b.code]
    each = {}
    for township in (a, b):
        with in_township(township):
            each[township.code] = concern_counts()
        assert each[township.code]["total"] == filed[township.code]

    with in_townships([a, b]), django_assert_num_queries(1):
        rows = concern_counts_by_township()

    assert {row["township"]: row["name"] for row in rows} == {a.code: a.name, b.code: b.name}
    for row in rows:
        assert {k: v for k, v in row.items() if k not in ("township", "name")} == each[row["township"]]
    assert county_totals(rows) == {k: each[a.code][k] + each[b.code][k] for k in each[a.code]}


# --- periodic tasks ---------------------------------------------------------------------------------

def _recipients(town: Town) -> set[str]:
    """Whom a township's case may be told about: its people."""
    return {*town.mobiles, town.site.phone, *(f"{u.username}@example.cn" for u in town.users.values())}


def _run_outside_any_scope(task):
    # As the Celery worker runs it: no scope at all, so a task that forgot to enter one fails.
    from django_scopes.state import state

    token = state.set({})
    try:
        return task()
    finally:
        state.reset(token)


def _messages_about(concern, prefix: str) -> set[str]:
    from liaison.models import Notification

    return set(Notification.objects.filter(subject_id=concern.pk, key__startswith=prefix)
               .values_list("recipient", flat=True))


@pytest.mark.django_db
def test_escalation_goes_to_each_townships_own_officials_and_mobiles(towns, time_machine):
    from petitions.tasks import escalate_overdue_concerns

    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=60), tick=False)

    escalated = _run_outside_any_scope(escalate_overdue_concerns)

    assert escalated == 4  # the new and the working case of each township
    assert _run_outside_any_scope(escalate_overdue_concerns) == 0
    for town in ("A", "B"):
        own, other = towns[town], towns["B" if town == "A" else "A"]
        for case in ("new", "working"):
            told = _messages_about(own.concerns[case], "overdue:")
            assert {f"{own.tag}-official@example.cn", own.township.escalation_mobiles, own.deputy.mobile} <= told
            assert told <= _recipients(own) and not told & _recipients(other)


@pytest.mark.django_db
def test_each_township_escalates_and_closes_by_its_own_settings(towns, time_machine):
    from liaison.models import Township
    from petitions.tasks import close_unrated_concerns, escalate_overdue_concerns

    a, b = towns["A"], towns["B"]
    Township.objects.filter(pk=a.township.pk).update(accept_within_working_days=1, auto_close_days=30)
    Township.objects.filter(pk=b.township.pk).update(accept_within_working_days=60, auto_close_days=3)
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=6), tick=False)

    _run_outside_any_scope(escalate_overdue_concerns)
    _run_outside_any_scope(close_unrated_concerns)

    statuses = {town.tag: Concern.objects.get(pk=town.concerns["resolved"].pk).status for town in (a, b)}
    assert statuses == {a.tag: Concern.Status.RESOLVED, b.tag: Concern.Status.CLOSED}
    assert _messages_about(a.concerns["new"], "overdue:") and not _messages_about(b.concerns["new"], "overdue:")


@pytest.mark.django_db
def test_reminders_go_to_each_townships_own_unit(towns, time_machine):
    from petitions.tasks import send_deadline_reminders

    deadline = towns["A"].concerns["working"].deadline_on
    assert deadline == towns["B"].concerns["working"].deadline_on
    time_machine.move_to(datetime.datetime.combine(deadline, datetime.time(9), tzinfo=datetime.UTC), tick=False)

    assert _run_outside_any_scope(send_deadline_reminders) == 2
    for town in ("A", "B"):
        own, other = towns[town], towns["B" if town == "A" else "A"]
        told = _messages_about(own.concerns["working"], "reminder:")
        assert {own.unit.phone, f"{own.tag}-handler@example.cn"} == told
        assert not told & _recipients(other)


# --- the cache, and repeats -------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_guess_counters_of_a_case_carry_its_township_whatever_the_host(towns, rf):
    from petitions import throttle

    for town in ("A", "B"):
        concern = towns[town].concerns["working"]
        for host in HOSTS:
            client_key, *case_keys = (limit.key for limit in
                                      throttle.verify_limits(rf.get("/", HTTP_HOST=host), concern))
            assert all(f":{concern.township.code}:{concern.tracking}" in key for key in case_keys)
            # One address guessing at several townships' codes is one guesser: that counter is the county's.
            assert concern.township.code not in client_key


@pytest.mark.django_db
def test_a_case_locked_on_one_host_is_locked_on_every_host(towns):
    concern = towns["B"].concerns["working"]
    verify = _url("petitions:verify", concern.tracking)
    for _ in range(5):
        Client().post(verify, {"last4": "0000"}, HTTP_HOST="testserver", REMOTE_ADDR="10.0.0.1")

    response = Client().get(_url("petitions:track", concern.tracking), HTTP_HOST=B_HOST, REMOTE_ADDR="10.0.0.1")

    assert 'id="verify-locked"' in response.content.decode()


@pytest.mark.django_db
def test_the_same_words_phoned_in_to_two_townships_are_two_concerns(towns, clients):
    # A repeat is caught within a township: the same caller may raise the same matter with two stations.
    filed = {}
    for town in ("A", "B"):
        own = towns[town]
        response = clients[town, "staff"].post("/desk/receptions/phone/", {
            "mobile": "13800003333", "category": own.category.pk, "content": "村口的桥栏杆断了",
            "token": f"8f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2{town.lower()}"})
        assert response.status_code == 302
        filed[town] = response["Location"].split("/")[-2]

    with county_wide():
        assert {Concern.objects.get(tracking=filed[t]).township for t in filed} == {
            towns["A"].township, towns["B"].township}
