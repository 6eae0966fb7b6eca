"""petitions.selectors.concern_counts — the cockpit's figures: outcomes apart, in one query."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from petitions import workflow
from petitions.models import Concern
from petitions.selectors import concern_counts
from petitions.services import (
    concern_assign,
    concern_merge,
    concern_rate,
    concern_resolve,
    concern_transition,
)
from tests.factories import ConcernFactory

O = Concern.Outcome
SAT = Concern.Satisfaction
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ZERO = {
    "total": 0, "open": 0, "overdue": 0, "resolved_awaiting_rating": 0,
    "fixed": 0, "explained": 0, "not_feasible": 0, "rejected": 0, "duplicate": 0,
    "satisfied": 0, "basic": 0, "unsatisfied": 0,
    "resolved": 0, "reopened": 0, "on_time": 0, "late": 0, "responded": 0,
}


@pytest.fixture
def file(category):
    return lambda: ConcernFactory(category=category)


@pytest.fixture
def assigned(file, unit, official):
    def make(deadline_on=None):
        return concern_assign(concern=file(), unit=unit, deadline_on=deadline_on, actor=official,
                              role=workflow.OFFICIAL)
    return make


@pytest.fixture
def resolved(assigned, handler):
    def make(outcome):
        return concern_resolve(concern=assigned(), result="已处理。", outcome=outcome, actor=handler,
                               role=workflow.HANDLER)
    return make


@pytest.fixture
def answered(file, official):
    """Answered directly by an official, without a unit."""
    def make(outcome):
        return concern_resolve(concern=file(), result="已答复。", outcome=outcome, actor=official,
                               role=workflow.OFFICIAL)
    return make


@pytest.mark.django_db
def test_no_concerns_counts_zero_everywhere():
    assert concern_counts() == ZERO


@pytest.mark.django_db
def test_counts_every_state_and_outcome_apart(file, assigned, resolved, answered, official):
    today = timezone.localdate()
    submitted = file()
    assigned(deadline_on=today - datetime.timedelta(days=1))  # overdue
    assigned(deadline_on=today)  # due today: not overdue yet
    resolved(O.FIXED)  # awaiting its rating
    concern_rate(concern=answered(O.EXPLAINED), satisfaction=SAT.SATISFIED)
    concern_rate(concern=resolved(O.FIXED), satisfaction=SAT.BASIC)
    concern_rate(concern=resolved(O.NOT_FEASIBLE), satisfaction=SAT.UNSATISFIED)  # reopened
    concern_transition(concern=file(), action="reject", actor=official, role=workflow.OFFICIAL,
                       note="不属于受理范围", result="不属于受理范围")
    concern_merge(concern=file(), into=submitted, actor=official, role=workflow.OFFICIAL)

    assert concern_counts() == {
        "total": 9, "open": 4, "overdue": 1, "resolved_awaiting_rating": 1,
        "fixed": 2, "explained": 1, "not_feasible": 0, "rejected": 1, "duplicate": 1,
        "satisfied": 1, "basic": 1, "unsatisfied": 1,
        # Any outcome (2 fixed, explained, rejected, merged); the reopened one has none until resolved again.
        "resolved": 5, "reopened": 1,
        # The fixed one awaiting its rating, the two rated ones (within their deadlines, or none); the overdue one.
        "on_time": 3, "late": 1,
        # Every one but the first, still submitted: accepted, assigned, answered, rejected or merged by the station.
        "responded": 8,
    }


@pytest.mark.django_db
def test_an_explained_case_never_counts_as_fixed(answered):
    explained = answered(O.EXPLAINED)
    concern_rate(concern=explained, satisfaction=SAT.SATISFIED)
    assert Concern.objects.get(pk=explained.pk).status == Concern.Status.CLOSED

    counts = concern_counts()

    assert (counts["explained"], counts["fixed"]) == (1, 0)


@pytest.mark.django_db
def test_a_fixed_case_closed_after_its_rating_still_counts_as_fixed(resolved):
    fixed = resolved(O.FIXED)
    assert concern_counts()["fixed"] == 1
    concern_rate(concern=fixed, satisfaction=SAT.SATISFIED)
    assert Concern.objects.get(pk=fixed.pk).status == Concern.Status.CLOSED

    counts = concern_counts()

    assert (counts["fixed"], counts["resolved_awaiting_rating"], counts["satisfied"]) == (1, 0, 1)


@pytest.mark.django_db
def test_a_not_satisfied_rating_counts_although_the_reopening_clears_it(resolved, handler):
    concern = resolved(O.FIXED)
    concern_rate(concern=concern, satisfaction=SAT.UNSATISFIED)
    assert Concern.objects.get(pk=concern.pk).satisfaction == ""

    reopened = concern_counts()
    assert (reopened["unsatisfied"], reopened["open"], reopened["fixed"]) == (1, 1, 0)

    concern_resolve(concern=concern, result="已重新修复。", outcome=O.FIXED, actor=handler, role=workflow.HANDLER)
    concern_rate(concern=concern, satisfaction=SAT.SATISFIED)

    fixed_at_last = concern_counts()
    assert (fixed_at_last["unsatisfied"], fixed_at_last["satisfied"], fixed_at_last["fixed"]) == (1, 1, 1)


@pytest.mark.django_db
def test_counts_run_in_exactly_one_query(file, assigned, resolved, answered, django_assert_num_queries):
    file()
    assigned()
    concern_rate(concern=resolved(O.FIXED), satisfaction=SAT.UNSATISFIED)
    concern_rate(concern=answered(O.EXPLAINED), satisfaction=SAT.BASIC)

    with django_assert_num_queries(1):
        concern_counts()
    with django_assert_num_queries(1):
        concern_counts(since=datetime.date(2025, 1, 1), until=timezone.localdate() + datetime.timedelta(days=1))


@pytest.mark.django_db
def test_the_window_takes_concerns_filed_from_since_up_to_but_not_including_until(file, answered):
    def filed_at(concern, *moment):
        Concern.objects.filter(pk=concern.pk).update(created_at=datetime.datetime(*moment, tzinfo=SHANGHAI))

    filed_at(file(), 2025, 1, 31, 23, 59)  # the day before, in station time (still 31 January in UTC too)
    filed_at(file(), 2025, 2, 1, 0, 0)  # the first minute of February in station time: 31 January in UTC
    filed_at(answered(O.EXPLAINED), 2025, 2, 28, 23, 59)
    filed_at(file(), 2025, 3, 1, 0, 0)  # the first minute after the window

    february = concern_counts(since=datetime.date(2025, 2, 1), until=datetime.date(2025, 3, 1))
    assert (february["total"], february["open"], february["explained"]) == (2, 1, 1)

    assert concern_counts(since=datetime.date(2025, 2, 1))["total"] == 3
    assert concern_counts(until=datetime.date(2025, 2, 1))["total"] == 1
    assert concern_counts()["total"] == 4
    late_february = concern_counts(
        since=datetime.datetime(2025, 2, 28, 12, 0, tzinfo=SHANGHAI),
        until=datetime.datetime(2025, 2, 28, 23, 59, tzinfo=SHANGHAI),
    )
    assert late_february["total"] == 0
    assert concern_counts(since=datetime.datetime(2025, 2, 28, 23, 59, tzinfo=SHANGHAI))["total"] == 2


@pytest.mark.django_db
def test_a_not_satisfied_rating_counts_in_the_window_of_its_concern(resolved):
    concern = resolved(O.FIXED)
    concern_rate(concern=concern, satisfaction=SAT.UNSATISFIED)
    filed_on = timezone.localdate(concern.created_at)
    next_day = filed_on + datetime.timedelta(days=1)

    assert concern_counts(since=filed_on, until=next_day)["unsatisfied"] == 1
    assert concern_counts(since=next_day)["unsatisfied"] == 0
    assert concern_counts(until=filed_on)["unsatisfied"] == 0
