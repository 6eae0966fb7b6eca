import datetime
from importlib import import_module

import pytest

from liaison.calendar import add_working_days, working_days_between
from liaison.models import CalendarDay

D = datetime.date


@pytest.mark.django_db
def test_working_days_skip_weekends():
    # Friday 2026-11-27 + 1 working day is Monday 2026-11-30.
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    assert add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)


@pytest.mark.django_db
def test_holidays_are_skipped_and_make_up_saturdays_count():
    for day in range(1, 8):
        CalendarDay.objects.update_or_create(date=D(2026, 10, day), defaults={"is_workday": False, "name": "国庆节"})
    CalendarDay.objects.update_or_create(date=D(2026, 10, 10), defaults={"is_workday": True, "name": "调休上班"})

    # From Tuesday 2026-09-29: Wed 30 Sep, then the holiday, then Thu 8, Fri 9, Sat 10 (make-up day).
    assert add_working_days(D(2026, 9, 29), 4) == D(2026, 10, 10)
    assert working_days_between(D(2026, 9, 29), D(2026, 10, 10)) == 4


@pytest.fixture
def migrated_holidays(db):
    """The calendar the migrations load (loaded again: a transactional test elsewhere may have emptied it)."""
    from django.apps import apps

    import_module("liaison.migrations.0004_holidays_2026_2027").load(apps, None)


def test_every_install_knows_2026_and_2027(migrated_holidays):
    # National Day: Wednesday 2027-09-29 + 2 working days skips the week off to Friday 8 October.
    assert add_working_days(D(2027, 9, 29), 2) == D(2027, 10, 8)
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_workday  # a make-up Saturday


def test_a_deadline_past_the_calendar_is_logged(migrated_holidays, caplog):
    with caplog.at_level("WARNING", logger="liaison.calendar"):
        add_working_days(D(2027, 12, 30), 1)
    assert caplog.messages == []

    with caplog.at_level("WARNING", logger="liaison.calendar"):
        add_working_days(D(2027, 12, 31), 1)
    assert caplog.messages == ["Deadline 2028-01-03 is in a year the holiday calendar does not know yet: add its holidays."]


def test_staff_are_warned_on_the_admin_when_the_calendar_runs_out(migrated_holidays, client, admin_user, time_machine):
    time_machine.move_to("2027-09-01 09:00 +0800")  # three months ahead is 2027: still known
    client.force_login(admin_user)
    assert "节假日日历还没有" not in client.get("/admin/").content.decode()

    time_machine.move_to("2027-10-15 09:00 +0800")  # 2028 is within three months and unknown
    client.force_login(admin_user)
    for page in ("/admin/", "/admin/liaison/calendarday/"):
        body = client.get(page).content.decode()
        assert "节假日日历还没有 2028 年" in body, page


def test_provisional_holidays_are_flagged_until_staff_confirm_them(migrated_holidays, client, admin_user, time_machine):
    time_machine.move_to("2026-12-02 09:00 +0800")
    client.force_login(admin_user)
    assert "2027 年的节假日为暂定" in client.get("/admin/").content.decode()

    CalendarDay.objects.filter(date__year=2027).update(is_provisional=False)
    assert "暂定" not in client.get("/admin/").content.decode()
