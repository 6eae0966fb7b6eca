"""Demo duty roster (issue 9): a year of duty days at the station — the past 12 months and the next 2 — on
the 7th and 21st (and the 15th at the demo deputy's point), filled by the fair rotation, published, most of the
past shifts attended."""

import datetime
import random

from django.utils import timezone

from deputies.duty import duty_days_publish, duty_rule_save, roster_generate
from deputies.models import DutyDay, Shift, Site


def seed_duty(township, *, seed: int = 20260707) -> int:
    """The station's duty rule and roster in `township` (its scope active). Safe to run again: a station
    that has duty days already is left as it is. Returns the duty days made."""
    station = Site.objects.filter(kind=Site.Kind.STATION).first()
    if station is None or DutyDay.objects.filter(site=station).exists():
        return 0
    made = _roster(station, days_of_month="7,21", deputies_per_day=3, seed=seed)
    # The point the demo deputy account belongs to keeps its own day (the 15th), so logging in as `deputy`
    # shows shifts, a feed and a swap to ask for.
    point = Site.objects.filter(deputies__user__username="deputy").exclude(pk=station.pk).first()
    if point is not None:
        made += _roster(point, days_of_month="15", deputies_per_day=2, seed=seed)
    return made


def _roster(site, *, days_of_month: str, deputies_per_day: int, seed: int) -> int:
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)  # 12 months back
    duty_rule_save(site=site, days_of_month=days_of_month, deputies_per_day=deputies_per_day)
    # "today" at the start: every day of the period is open to the rotation, past ones too.
    made = roster_generate(site=site, first=first, months=14, today=first)
    duty_days_publish(days=DutyDay.objects.filter(site=site))
    rng = random.Random(seed)
    past = Shift.objects.filter(day__site=site, day__held_on__lt=today).select_related("day")
    attended = [shift.pk for shift in past.order_by("pk") if rng.random() < 0.9]
    for shift in past.filter(pk__in=attended):
        Shift.objects.filter(pk=shift.pk).update(
            attended=True, checked_in_at=timezone.make_aware(datetime.datetime.combine(shift.day.held_on,
                                                                                       datetime.time(8, 50))))
    return made
