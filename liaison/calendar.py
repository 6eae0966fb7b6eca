"""Working days: Monday to Friday, except the holidays and make-up days in CalendarDay."""

import datetime

from liaison.models import CalendarDay


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def is_workday(day: datetime.date, exceptions: dict[datetime.date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    # Golden Week and Spring Festival add at most ~9 days off; 3× plus a margin always suffices.
    exceptions = _exceptions(start, start + datetime.timedelta(days=days * 3 + 20))
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    return day


def subtract_working_days(end: datetime.date, days: int) -> datetime.date:
    """The date `days` working days before `end`."""
    exceptions = _exceptions(end - datetime.timedelta(days=days * 3 + 20), end)
    day, left = end, days
    while left > 0:
        day -= datetime.timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    return sum(
        1 for n in range(1, (end - start).days + 1)
        if is_workday(start + datetime.timedelta(days=n), exceptions)
    )
