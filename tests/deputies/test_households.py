"""Liaison households (deputies.households): the contact log, the staff's lists, the reminder, and the
duty record's part, counted against contacts made in the test."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies.households import (
    deputy_household_overview,
    deputy_list_not_contacting,
    household_contact_record,
    household_list_for_deputy,
    household_section,
    household_timeline,
)
from deputies.models import HouseholdContact
from deputies.record import duty_record, duty_timeline
from deputies.tasks import remind_quiet_household_deputies
from liaison.models import Notification
from tests.factories import DeputyFactory, LiaisonHouseholdFactory

TODAY = timezone.localdate()
pytestmark = pytest.mark.usefixtures("on_the_modules_day")


def _contact(household, days_ago: int = 0, kind: str = "visit", deputy=None, **extra) -> HouseholdContact:
    contact, _created = household_contact_record(
        household=household, deputy=deputy or household.deputy, kind=kind,
        contacted_on=TODAY - datetime.timedelta(days=days_ago), notes="说路灯坏了", **extra)
    return contact


@pytest.mark.django_db
def test_the_same_token_records_one_contact():
    household = LiaisonHouseholdFactory()

    first, created = household_contact_record(household=household, deputy=household.deputy, kind="visit",
                                              contacted_on=TODAY, submission_key="k1")
    again, created_again = household_contact_record(household=household, deputy=household.deputy, kind="call",
                                                    contacted_on=TODAY, submission_key="k1")

    assert (created, created_again, again) == (True, False, first)
    assert HouseholdContact.objects.count() == 1


@pytest.mark.django_db
def test_a_contact_in_the_future_is_refused():
    household = LiaisonHouseholdFactory()

    with pytest.raises(ValidationError):
        household_contact_record(household=household, deputy=household.deputy, kind="visit",
                                 contacted_on=TODAY + datetime.timedelta(days=1))
    assert not HouseholdContact.objects.exists()


@pytest.mark.django_db
def test_my_households_show_when_each_was_last_contacted_the_oldest_first():
    deputy = DeputyFactory()
    lately, long_ago, never = (LiaisonHouseholdFactory(deputy=deputy) for _ in range(3))
    _contact(lately, 100)
    _contact(lately, 2)
    _contact(long_ago, 200)

    rows = list(household_list_for_deputy(deputy=deputy))

    assert rows == [never, long_ago, lately]
    assert [r.last_contacted_on for r in rows] == [None, TODAY - datetime.timedelta(days=200),
                                                   TODAY - datetime.timedelta(days=2)]


@pytest.mark.django_db
def test_the_not_contacted_list_holds_deputies_silent_for_the_period_with_households(settings):
    settings.HOUSEHOLD_CONTACT_DAYS = 90
    in_touch, silent, never, no_households = (DeputyFactory(name=n) for n in ("甲", "乙", "丙", "丁"))
    _contact(LiaisonHouseholdFactory(deputy=in_touch), 89)
    silent_households = [LiaisonHouseholdFactory(deputy=silent) for _ in range(2)]
    _contact(silent_households[0], 91)
    LiaisonHouseholdFactory(deputy=never)

    rows = list(deputy_list_not_contacting())

    assert rows == [never, silent]
    assert [(r.household_count, r.last_contacted_on) for r in rows] == [
        (1, None), (2, TODAY - datetime.timedelta(days=91))]
    assert no_households not in rows


@pytest.mark.django_db
def test_the_overview_counts_households_against_the_rule(settings):
    settings.HOUSEHOLD_CONTACT_DAYS = 30
    deputy = DeputyFactory()
    households = [LiaisonHouseholdFactory(deputy=deputy) for _ in range(3)]
    _contact(households[0], 5)
    _contact(households[1], 10)
    _contact(households[1], 40)

    (row,) = [d for d in deputy_household_overview() if d == deputy]

    assert (row.household_count, row.contacts_recent, row.last_contacted_on) == (
        3, 2, TODAY - datetime.timedelta(days=5))


@pytest.mark.django_db
def test_the_reminder_is_sent_once_per_period_to_each_silent_deputy(settings, django_capture_on_commit_callbacks):
    settings.HOUSEHOLD_CONTACT_DAYS = 90
    silent = DeputyFactory(mobile="13900001111")
    LiaisonHouseholdFactory(deputy=silent)
    in_touch = DeputyFactory(mobile="13900002222")
    _contact(LiaisonHouseholdFactory(deputy=in_touch), 1)

    with django_capture_on_commit_callbacks(execute=True):
        first = remind_quiet_household_deputies()
        second = remind_quiet_household_deputies()

    assert (first, second) == (1, 0)
    (sms,) = Notification.objects.all()
    assert sms.recipient == "13900001111" and sms.channel == "sms"
    assert "民情联络户" in sms.body and "90" in sms.body


@pytest.mark.django_db
def test_the_reminder_runs_in_each_township_outside_any_scope(settings):
    from django_scopes.state import state

    LiaisonHouseholdFactory(deputy=DeputyFactory(mobile="13900003333"))
    token = state.set({})  # as the worker runs it: no scope
    try:
        assert remind_quiet_household_deputies() == 1
    finally:
        state.reset(token)


@pytest.mark.django_db
def test_the_record_counts_households_and_the_years_contacts():
    deputy = DeputyFactory()
    a, b, c = (LiaisonHouseholdFactory(deputy=deputy) for _ in range(3))
    year = TODAY.year
    on = datetime.date(year, 1, 1)
    for household, day in ((a, on), (a, on), (b, on), (c, on.replace(year=year - 1))):
        HouseholdContact.objects.create(household=household, deputy=deputy, kind="visit", contacted_on=day,
                                        township=deputy.township)

    section = household_section(deputy, year)
    figures = {f.key: (f.value, f.of) for f in section.figures}

    assert section.key == "households"
    assert figures == {"households": (3, None), "household_contacts": (3, None), "households_contacted": (2, 3)}
    assert [s.key for s in duty_record(deputy, year) if s.key == "households"] == ["households"]
    assert household_section(DeputyFactory(), year) is None  # no households, no section


@pytest.mark.django_db
def test_the_timeline_lists_contacts_by_village_never_by_name():
    deputy = DeputyFactory()
    household = LiaisonHouseholdFactory(deputy=deputy, head="欧阳春燕")
    _contact(household, 0, kind="call")

    entries = household_timeline(deputy, TODAY.year)

    assert [(e.on, str(e.kind), e.text) for e in entries] == [(TODAY, "电话联系联络户", household.village.name)]
    assert "欧阳春燕" not in " ".join(e.text for e in duty_timeline(deputy, TODAY.year))


@pytest.mark.django_db
@pytest.mark.parametrize("contacts", [1, 6])
def test_the_record_part_costs_one_query_each(django_assert_num_queries, contacts):
    deputy = DeputyFactory()
    for _ in range(contacts):
        _contact(LiaisonHouseholdFactory(deputy=deputy))
    with django_assert_num_queries(1):
        household_section(deputy, TODAY.year)
    with django_assert_num_queries(1):
        household_timeline(deputy, TODAY.year)


# --- the staff's pages ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_staff_see_households_per_deputy_and_the_rule(client, staff, settings):
    settings.HOUSEHOLDS_PER_DEPUTY = 2
    few = DeputyFactory(name="少户代表")
    LiaisonHouseholdFactory(deputy=few)
    client.force_login(staff)

    body = client.get(reverse("deputies_staff:households")).content.decode()

    assert "少户代表" in body and "至少联系 2 户" in body and "1 名代表不足" in body


@pytest.mark.django_db
def test_the_staff_see_who_has_not_contacted_their_households(client, official):
    silent = DeputyFactory(name="久未联系")
    LiaisonHouseholdFactory(deputy=silent)
    _contact(LiaisonHouseholdFactory(deputy=DeputyFactory(name="常联系")), 3)
    client.force_login(official)

    body = client.get(reverse("deputies_staff:households_not_contacted")).content.decode()

    assert "久未联系" in body and "常联系" not in body


def _many(deputies: int) -> None:
    for _ in range(deputies):
        household = LiaisonHouseholdFactory()
        _contact(household, 200)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["deputies_staff:households", "deputies_staff:households_not_contacted"])
def test_the_staff_pages_cost_the_same_for_one_deputy_and_many(client, staff, django_assert_num_queries, url_name):
    client.force_login(staff)
    _many(1)
    client.get(reverse(url_name))  # warm: sessions, the menu's permissions
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    _many(5)
    with django_assert_num_queries(len(one)):
        client.get(reverse(url_name))
