import datetime

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
        CalendarDay.objects.create(date=D(2026, 10, day), is_workday=False, name="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 10), is_workday=True, name="国庆节调休上班")

    # From Tuesday 2026-09-29: Wed 30 Sep, then the holiday, then Thu 8, Fri 9, Sat 10 (make-up day).
    assert add_working_days(D(2026, 9, 29), 4) == D(2026, 10, 10)
    assert working_days_between(D(2026, 9, 29), D(2026, 10, 10)) == 4
