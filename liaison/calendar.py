"""Working days: Monday to Friday, except the holidays and make-up days in CalendarDay (county-wide)."""

import datetime
import logging

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import CalendarDay

logger = logging.getLogger("liaison.calendar")
# How far ahead staff are warned that the calendar is about to run out.
WARN_AHEAD = datetime.timedelta(days=90)


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def is_workday(day: datetime.date, exceptions: dict[datetime.date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    # Golden Week and Spring Festival add at most ~9 days off; 3× plus a margin always suffices.
    # Whole years are read (a year has about 35 rows), so the same query tells whether the
    # calendar knows the deadline's year at all.
    end = start + datetime.timedelta(days=days * 3 + 20)
    exceptions = _exceptions(start.replace(month=1, day=1), end.replace(month=12, day=31))
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    if not any(known.year == day.year for known in exceptions):
        # Past the calendar every weekday counts as a working day: the deadline may fall on a holiday.
        logger.warning("Deadline %s is in a year the holiday calendar does not know yet: add its holidays.", day)
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


def calendar_warning() -> str | None:
    """A message for staff while the holiday calendar ends within WARN_AHEAD or holds provisional days."""
    today = timezone.localdate()
    facts = CalendarDay.objects.aggregate(
        last=Max("date"), provisional=Max("date__year", filter=Q(is_provisional=True, date__gte=today))
    )
    horizon = today + WARN_AHEAD
    if facts["last"] is None or facts["last"].year < horizon.year:
        return _(
            "The holiday calendar has no days for %(year)s yet: deadlines there count every weekday as a working "
            "day. Add that year's holidays and make-up working days from the State Council's notice."
        ) % {"year": horizon.year}
    if facts["provisional"]:
        return _(
            "The holidays of %(year)s are provisional: check them against the State Council's notice, correct "
            "them and untick “provisional”."
        ) % {"year": facts["provisional"]}
    return None
