"""desk:unit — a handler's queue: their units' open concerns, oldest deadline first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_resolve, concern_transition
from tests.factories import ConcernFactory, UnitFactory

URL = reverse("desk:unit")


def _open(response) -> list[str]:
    return [concern.tracking for concern in response.context["page"].object_list]


def _resolved(response) -> list[str]:
    return [concern.tracking for concern in response.context["resolved"]]


def _assigned(official, unit, category, days: int | None) -> Concern:
    concern = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                             role=workflow.OFFICIAL)
    deadline = None if days is None else timezone.localdate() + datetime.timedelta(days=days)
    Concern.objects.filter(pk=concern.pk).update(deadline_on=deadline)
    return concern


@pytest.mark.django_db
def test_open_concerns_come_oldest_deadline_first_with_no_deadline_last(client, handler, official, unit, category):
    later = _assigned(official, unit, category, 9)
    undated = _assigned(official, unit, category, None)
    overdue = _assigned(official, unit, category, -2)
    sooner = _assigned(official, unit, category, 1)
    client.force_login(handler)

    assert _open(client.get(URL)) == [overdue.tracking, sooner.tracking, later.tracking, undated.tracking]


@pytest.mark.django_db
def test_a_handler_sees_only_their_units_concerns(client, handler, official, unit, category):
    ours = _assigned(official, unit, category, 3)
    theirs = _assigned(official, UnitFactory(), category, 3)
    unassigned = ConcernFactory(category=category)
    client.force_login(handler)

    body = client.get(URL).content.decode()

    assert ours.tracking in body
    assert theirs.tracking not in body and unassigned.tracking not in body


@pytest.mark.django_db
def test_overdue_concerns_are_highlighted(client, handler, official, unit, category):
    _assigned(official, unit, category, -1)
    client.force_login(handler)

    body = client.get(URL).content.decode()

    assert "overdue-badge" in body and "is-overdue" in body


@pytest.mark.django_db
def test_recently_resolved_concerns_follow_the_open_ones(client, handler, official, unit, category):
    done = _assigned(official, unit, category, 3)
    concern_transition(concern=done, action="start", actor=handler, role=workflow.HANDLER)
    concern_resolve(concern=done, result="已修复", outcome=Concern.Outcome.FIXED, actor=handler, role=workflow.HANDLER)
    still_open = _assigned(official, unit, category, 3)
    client.force_login(handler)

    response = client.get(URL)

    assert _open(response) == [still_open.tracking]
    assert _resolved(response) == [done.tracking]


@pytest.mark.django_db
def test_the_queue_runs_the_same_number_of_queries_for_one_or_twelve_concerns(
    client, handler, official, unit, category, django_assert_num_queries, django_assert_max_num_queries
):
    _assigned(official, unit, category, 2)
    client.force_login(handler)
    with django_assert_max_num_queries(12) as one:  # 12 with the township's stamp read (cached_fragment)
        client.get(URL)
    for n in range(11):
        concern = _assigned(official, unit, category, n - 4)
        if n % 3 == 0:
            concern_resolve(concern=concern, result="已修复", outcome=Concern.Outcome.FIXED, actor=handler,
                            role=workflow.HANDLER)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(_open(response)) + len(_resolved(response)) == 12
