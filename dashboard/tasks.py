"""The cockpit's default view (this year, every site) kept computed: at a county's size it takes seconds
(bench/cockpit.py), so beat recomputes it a little more often than the cache forgets it, and the first
official of the morning does not wait. Other periods and sites are computed when asked, then cached."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from dashboard.cockpit import DEFAULT_PERIOD, cockpit_data, period_of
from liaison.scoping import county_townships, each_township, in_townships


@shared_task(name="dashboard.warm_cockpits")
def warm_cockpits() -> int:
    """Each township's default cockpit, and the county's rolled up (as a county account sees it)."""
    period = period_of(DEFAULT_PERIOD, today=timezone.localdate())
    warmed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for _township in each_township():
            cockpit_data(kind=DEFAULT_PERIOD, period=period, fresh=True)
            warmed += 1
        townships = county_townships(None)  # the whole county, as a county account sees it
        if len(townships) > 1:
            with in_townships(townships):
                cockpit_data(kind=DEFAULT_PERIOD, period=period, roll_up=True, fresh=True)
                warmed += 1
    return warmed
