"""The cockpit's figures about deputies' work over a period (dashboard.cockpit): duty attendance,
activities by kind, liaison-household contacts. Aggregates, one query each."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from deputies.models import Activity, HouseholdContact, Shift


def duty_attendance(*, since: datetime.date, until: datetime.date, site=None) -> dict:
    """Standing shifts of published duty days in [since, until) up to today (later ones cannot be attended
    yet): scheduled, and attended (checked in, or marked so by the staff)."""
    last = min(until, timezone.localdate() + datetime.timedelta(days=1))
    shifts = Shift.objects.filter(is_cancelled=False, day__is_published=True, day__held_on__gte=since,
                                  day__held_on__lt=last)
    if site is not None:
        shifts = shifts.filter(day__site=site)
    return shifts.aggregate(scheduled=Count("pk"), attended=Count("pk", filter=Q(attended=True)))


def activity_counts(*, since: datetime.date, until: datetime.date) -> dict[str, int]:
    """Activities held on days in [since, until), per kind (every kind, zero included), and "total".
    Activities are the township's, not a site's."""
    found = dict(Activity.objects.filter(held_on__gte=since, held_on__lt=until)
                 .values_list("kind").annotate(n=Count("pk")).order_by())
    counts = {kind: found.get(kind, 0) for kind in Activity.Kind.values}
    return {**counts, "total": sum(counts.values())}


def household_contact_count(*, since: datetime.date, until: datetime.date) -> int:
    """Deputies' contacts with their liaison households (visits and calls) on days in [since, until)."""
    return HouseholdContact.objects.filter(contacted_on__gte=since, contacted_on__lt=until).count()
