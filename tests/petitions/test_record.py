"""Petitions' part of the duty record (petitions/record.py): a deputy's concerns and receptions for a year,
counted against concerns, events and receptions made here."""

import datetime

import pytest
from django.utils.translation import gettext as _

from deputies.record import duty_record, duty_timeline
from petitions import workflow
from petitions.models import Concern
from petitions.receptions import reception_record
from petitions.record import concerns_section, concerns_timeline, receptions_section, receptions_timeline
from petitions.services import concern_assign, concern_rate, concern_resolve, concern_transition
from tests.factories import ConcernFactory, DeputyFactory, SiteFactory

YEAR = 2025


def _figures(section) -> dict[str, int]:
    return {figure.key: figure.value for figure in section.figures}


def _file(deputy, category, **extra) -> Concern:
    return ConcernFactory(deputy=deputy, category=category, name="陈西荣", **extra)


def _receive(deputy, site, on, *, by, visitors=1, satisfaction="", also=()):
    reception, _created = reception_record(
        received_on=on, site=site, deputies=[deputy, *also], mobile="13812345678", name="陈西荣", village=None,
        visitor_count=visitors, matters=f"{on} 咨询医保", answer="已解答", satisfaction=satisfaction,
        recorded_by=by)
    return reception


@pytest.fixture
def year_of_work(db, deputy_user, category, unit, handler, staff, time_machine):
    """A deputy's year: three concerns answered directly (one per outcome the deputy may give), two
    forwarded (one of them resolved, rated not satisfied and so reopened), one forwarded by staff, one held
    and one discarded filing; and what must not count: a concern of the year before, another deputy's."""
    deputy = deputy_user.deputy
    time_machine.move_to(datetime.datetime(YEAR - 1, 12, 31, 23, 0).astimezone())
    _file(deputy, category)  # the year before (station time)
    time_machine.move_to("2025-03-01 10:00 +0800")
    act = {"actor": deputy_user, "role": workflow.DEPUTY}
    fixed, explained, not_feasible = (
        concern_resolve(concern=_file(deputy, category), result="已处理", outcome=outcome, **act)
        for outcome in ("fixed", "explained", "not_feasible"))
    concern_rate(concern=fixed, satisfaction="satisfied")
    concern_rate(concern=explained, satisfaction="basic")
    concern_assign(concern=_file(deputy, category), unit=unit, **act)
    reopened = concern_assign(concern=_file(deputy, category), unit=unit, **act)
    reopened = concern_resolve(concern=reopened, result="修好了", outcome="fixed", actor=handler,
                               role=workflow.HANDLER)
    concern_rate(concern=reopened, satisfaction="unsatisfied")
    by_staff = concern_assign(concern=_file(deputy, category), unit=unit, actor=staff, role=workflow.STAFF)
    concern_transition(concern=by_staff, action="start", actor=handler, role=workflow.HANDLER)
    for status in Concern.NOT_CASES:
        Concern.objects.filter(pk=_file(deputy, category).pk).update(status=status)
    _file(DeputyFactory(), category)
    time_machine.move_to("2026-01-01 08:00 +0800")  # after the year: a forward then is next year's
    return deputy


def test_concerns_are_counted_with_outcomes_apart(year_of_work, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = _figures(concerns_section(year_of_work, YEAR))

    assert figures == {
        "concerns_received": 6, "concerns_forwarded": 2, "concerns_open": 3,
        "concerns_fixed": 1, "concerns_explained": 1, "concerns_not_feasible": 1,
        "concerns_rejected": 0, "concerns_duplicate": 0,
        "rated_satisfied": 1, "rated_basic": 1, "rated_unsatisfied": 1,
    }


def test_other_years_count_nothing_of_this_one(year_of_work):
    assert _figures(concerns_section(year_of_work, YEAR - 1))["concerns_received"] == 1
    assert set(_figures(concerns_section(year_of_work, YEAR + 1)).values()) == {0}


def test_a_forward_is_counted_in_the_year_it_was_made(year_of_work, category, unit, time_machine):
    time_machine.move_to("2025-12-31 20:00 +0800")
    late = _file(year_of_work, category)
    time_machine.move_to("2026-01-02 09:00 +0800")
    concern_assign(concern=late, unit=unit, actor=year_of_work.user, role=workflow.DEPUTY)

    assert _figures(concerns_section(year_of_work, YEAR))["concerns_forwarded"] == 2
    assert _figures(concerns_section(year_of_work, YEAR + 1))["concerns_forwarded"] == 1


def test_a_deputy_without_an_account_has_forwarded_nothing(db, category, time_machine, django_assert_num_queries):
    # Forwarding events of nobody in particular (the system's, a constituent's) must not count as theirs.
    time_machine.move_to("2025-03-01 10:00 +0800")
    deputy = DeputyFactory()
    concern_rate(concern=concern_resolve(concern=_file(deputy, category), result="好", outcome="fixed",
                                         actor=None, role=workflow.STAFF), satisfaction="satisfied")

    with django_assert_num_queries(1):
        figures = _figures(concerns_section(deputy, YEAR))

    assert figures["concerns_received"] == 1 and figures["concerns_forwarded"] == 0


def test_the_duplicate_outcome_is_for_staff_only_and_the_rest_is_public(year_of_work):
    public = {figure.key for figure in concerns_section(year_of_work, YEAR).figures if figure.public}

    assert "concerns_duplicate" not in public
    assert {"concerns_received", "concerns_forwarded", "concerns_fixed", "rated_unsatisfied"} <= public


@pytest.fixture
def receptions(db, deputy_user, staff):
    deputy, site, colleague = deputy_user.deputy, SiteFactory(), DeputyFactory()
    _receive(deputy, site, datetime.date(YEAR, 3, 7), visitors=3, satisfaction="satisfied", also=[colleague], by=staff)
    _receive(deputy, site, datetime.date(YEAR, 12, 31), satisfaction="basic", by=staff)
    _receive(deputy, site, datetime.date(YEAR - 1, 12, 31), satisfaction="unsatisfied", by=staff)  # the year before
    _receive(colleague, site, datetime.date(YEAR, 5, 7), by=staff)  # not on duty that day
    return deputy


def test_receptions_on_duty_are_counted_for_the_year(receptions, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures = _figures(receptions_section(receptions, YEAR))

    assert figures == {"receptions": 2, "reception_visitors": 4, "reception_rated_satisfied": 1,
                       "reception_rated_basic": 1, "reception_rated_unsatisfied": 0}


def test_the_record_holds_both_parts_in_order(year_of_work, receptions):
    keys = [section.key for section in duty_record(year_of_work, YEAR)]

    assert keys.index("concerns") < keys.index("receptions")


def test_the_timeline_names_concerns_by_tracking_code_and_category_never_the_person(year_of_work, category):
    entries = concerns_timeline(year_of_work, YEAR)
    filed = Concern.objects.filter(deputy=year_of_work, created_at__year=YEAR).exclude(status__in=Concern.NOT_CASES)

    received = [e for e in entries if e.kind == _("Concern received")]
    assert sorted(e.text.split(" · ")[0] for e in received) == sorted(filed.values_list("tracking", flat=True))
    assert len(entries) == 6 + 2  # received, and forwarded by the deputy
    assert all(category.name in e.text for e in entries)
    assert not any("陈西荣" in e.text or "138" in e.text for e in entries)
    assert all(e.on.year == YEAR for e in entries)


def test_the_timeline_of_receptions_keeps_to_the_year(receptions):
    entries = receptions_timeline(receptions, YEAR)

    assert sorted(e.on for e in entries) == [datetime.date(YEAR, 3, 7), datetime.date(YEAR, 12, 31)]
    assert not any("陈西荣" in e.text for e in entries)


def test_the_whole_timeline_is_newest_first(year_of_work, receptions):
    days = [entry.on for entry in duty_timeline(year_of_work, YEAR)]

    assert days == sorted(days, reverse=True) and datetime.date(YEAR, 12, 31) in days


def test_timeline_queries_do_not_grow_with_events(year_of_work, category, django_assert_num_queries, time_machine):
    with django_assert_num_queries(3):
        concerns_timeline(year_of_work, YEAR), receptions_timeline(year_of_work, YEAR)
    time_machine.move_to("2025-06-01 10:00 +0800")
    for _n in range(5):
        _file(year_of_work, category)

    with django_assert_num_queries(3):
        concerns_timeline(year_of_work, YEAR), receptions_timeline(year_of_work, YEAR)
