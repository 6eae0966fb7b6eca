"""The cockpit's figures about deputies' work over periods (dashboard.cockpit): duty attendance, activities by
kind, liaison-household contacts. Each counts all the periods it is given in one query (liaison.periods)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from deputies.models import Activity, HouseholdContact, Shift
from liaison.periods import Periods, counts_each


def duty_attendance(periods: Periods, *, site=None) -> list[dict]:
    """For each [since, until) of `periods`: standing shifts of published duty days in it up to today (later
    ones cannot be attended yet), scheduled, and attended (checked in, or marked so by the staff)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    shifts = Shift.objects.filter(is_cancelled=False, day__is_published=True)
    if site is not None:
        shifts = shifts.filter(day__site=site)
    return counts_each(shifts, "day__held_on", [(since, min(until, tomorrow)) for since, until in periods],
                       scheduled=Q(), attended=Q(attended=True))


def activity_counts(periods: Periods) -> list[dict[str, int]]:
    """For each [since, until) of `periods`: activities held on days in it, per kind (every kind, zero
    included), and "total". Activities are the township's, not a site's."""
    kinds = {kind: Q(kind=kind) for kind in Activity.Kind.values}
    return [{**counts, "total": sum(counts.values())}
            for counts in counts_each(Activity.objects.all(), "held_on", periods, **kinds)]


def household_contact_count(periods: Periods) -> list[int]:
    """For each [since, until) of `periods`: deputies' contacts with their liaison households (visits and
    calls) on days in it."""
    return [counts["n"] for counts in counts_each(HouseholdContact.objects.all(), "contacted_on", periods, n=Q())]
