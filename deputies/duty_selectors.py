"""Reads of the duty roster: the month calendar, the balance report, what the public sees, a deputy's shifts."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from deputies.models import Deputy, DutyDay, Shift, Site, SwapRequest
from deputies.record import year_bounds


def _standing() -> Prefetch:
    """Each day's shifts standing, with their deputies, as `day.standing` (made per call: a scoped query)."""
    return Prefetch("shifts", queryset=Shift.objects.filter(is_cancelled=False).select_related("deputy").order_by(
        "deputy__level", "deputy__name_pinyin"), to_attr="standing")


def duty_days_of_month(*, site: Site, year: int, month: int) -> list[DutyDay]:
    """The site's duty days of a month, each with `standing` (its shifts standing, with deputies): two queries."""
    return list(DutyDay.objects.filter(site=site, held_on__year=year, held_on__month=month)
                .order_by("held_on").prefetch_related(_standing()))


def duty_month_grid(*, year: int, month: int, days: list[DutyDay]) -> list[list[dict]]:
    """Weeks (Monday first) of {"date", "day"} cells for the calendar table; cells outside the month have date None."""
    by_date = {day.held_on: day for day in days}
    return [[{"date": date if date.month == month else None, "day": by_date.get(date) if date.month == month else None}
             for date in week] for week in calendar.Calendar().monthdatescalendar(year, month)]


@dataclass(frozen=True)
class BalanceRow:
    deputy: Deputy
    rostered_to_date: int
    attended_to_date: int
    rostered_in_year: int
    attended_in_year: int


def duty_balance(*, site: Site, year: int, today: datetime.date | None = None) -> list[BalanceRow]:
    """Per active deputy of the site: days rostered and attended up to today, and in `year` (rostered
    counts every standing shift of the year, coming ones too), least rostered first, so cover goes to
    whoever has done least. Shifts given up by a swap, replacement or override are not counted. One query."""
    today = today or timezone.localdate()
    first, last = year_bounds(year)
    standing = Q(shifts__is_cancelled=False)
    past = standing & Q(shifts__day__held_on__lte=today)
    in_year = standing & Q(shifts__day__held_on__range=(first, last))
    deputies = Deputy.objects.filter(site=site, is_active=True).annotate(
        rostered_to_date=Count("shifts", filter=past),
        attended_to_date=Count("shifts", filter=past & Q(shifts__attended=True)),
        rostered_in_year=Count("shifts", filter=in_year),
        attended_in_year=Count("shifts", filter=in_year & Q(shifts__attended=True) & Q(shifts__day__held_on__lte=today)),
    ).order_by("rostered_to_date", "level", "name_pinyin")
    return [BalanceRow(d, d.rostered_to_date, d.attended_to_date, d.rostered_in_year, d.attended_in_year)
            for d in deputies]


def duty_days_public(*, site: Site | None = None, today: datetime.date | None = None) -> dict:
    """{"today": [published duty days held today], "next": the next published duty day after today or
    None}, of one site or of every site of the township; each day with `standing` and its site. One query
    when nothing is published ahead, else three."""
    today = today or timezone.localdate()
    days = DutyDay.objects.filter(is_published=True, held_on__gte=today, site__is_active=True)
    if site is not None:
        days = days.filter(site=site)
    dates = list(days.order_by("held_on").values_list("held_on", flat=True).distinct()[:2])
    if today not in dates:
        dates = dates[:1]
    found = list(days.filter(held_on__in=dates).select_related("site").order_by("held_on", "site__kind", "site__name")
                 .prefetch_related(_standing())) if dates else []
    today_days = [day for day in found if day.held_on == today]
    next_days = [day for day in found if day.held_on != today]
    return {"today": today_days, "next": next_days}


def shift_today_for(*, user, site: Site, today: datetime.date | None = None) -> Shift | None:
    """The logged-in deputy's shift standing at `site` today, or None (one query; none for other users)."""
    deputy = getattr(user, "deputy", None) if user is not None and user.is_authenticated else None
    if deputy is None or deputy.township_id != site.township_id:
        return None
    return Shift.objects.filter(deputy=deputy, day__site=site, day__held_on=today or timezone.localdate(),
                                is_cancelled=False).first()


def shifts_of_deputy(*, deputy: Deputy, since: datetime.date) -> QuerySet[Shift]:
    """The deputy's shifts standing from `since`, with their open swap request if any."""
    return (Shift.objects.filter(deputy=deputy, is_cancelled=False, day__held_on__gte=since)
            .select_related("day__site").order_by("day__held_on")
            .prefetch_related(Prefetch("swap_requests", queryset=SwapRequest.objects.filter(
                status__in=[SwapRequest.Status.REQUESTED, SwapRequest.Status.TAKEN]), to_attr="open_requests")))


def swap_requests_open(*, site: Site | None = None) -> QuerySet[SwapRequest]:
    requests = SwapRequest.objects.filter(status__in=[SwapRequest.Status.REQUESTED, SwapRequest.Status.TAKEN],
                                          shift__day__held_on__gte=timezone.localdate())
    if site is not None:
        requests = requests.filter(shift__day__site=site)
    return requests.select_related("shift__day__site", "requested_by", "taken_by").order_by("shift__day__held_on")


def feed_shifts(*, deputy: Deputy) -> QuerySet[Shift]:
    """What the calendar feed shows: final shifts only (published, not given up), a year back and ahead."""
    today = timezone.localdate()
    return (Shift.objects.filter(deputy=deputy, is_cancelled=False, day__is_published=True,
                                 day__held_on__range=(today - datetime.timedelta(days=365),
                                                      today + datetime.timedelta(days=400)))
            .select_related("day__site__duty_rule", "township").order_by("day__held_on"))


# --- the duty record's part (deputies.record; registered in DeputiesConfig.ready) ----------------------

def duty_record_section(deputy: Deputy, year: int):
    """Duty days attended of those rostered in `year`, up to today (one query)."""
    from django.utils.translation import gettext_lazy as _

    from deputies.record import Figure, Section

    first, last = year_bounds(year)
    last = min(last, timezone.localdate())
    counts = Shift.objects.filter(deputy=deputy, is_cancelled=False, day__held_on__range=(first, last)).aggregate(
        rostered=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    return Section(key="duty", title=_("Duty"), figures=[
        Figure(key="duty_days_rostered", label=_("Duty days rostered"), value=counts["rostered"]),
        Figure(key="duty_days_attended", label=_("Duty days attended"), value=counts["attended"],
               of=counts["rostered"]),
    ])


def duty_record_timeline(deputy: Deputy, year: int) -> list:
    """Each duty day attended in `year` (one query)."""
    from django.utils.translation import gettext_lazy as _

    from deputies.record import Entry

    first, last = year_bounds(year)
    shifts = Shift.objects.filter(deputy=deputy, is_cancelled=False, attended=True,
                                  day__held_on__range=(first, last)).select_related("day__site")
    return [Entry(on=s.day.held_on, kind=_("Duty day"), text=s.day.site.name, public=True) for s in shifts]
