"""The cockpit's preset views (this month, quarter and year; every site) kept computed: at a county's size
they take seconds to count (bench/cockpit.py), so beat recomputes them a little more often than the cache
forgets them, and officials are served from the cache, the page saying when the figures were computed.
Chosen dates and a single site's views are computed when asked, then cached."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from dashboard.cockpit import PRESET_PERIODS, cockpit_data, period_of
from liaison.scoping import county_townships, county_wide, each_township, in_townships
from petitions import rollups


@shared_task(name="dashboard.warm_cockpits")
def warm_cockpits() -> int:
    """Each township's preset views, and the whole county's rolled up (as a county account sees it)."""
    today = timezone.localdate()
    periods = [(kind, period_of(kind, today=today)) for kind in PRESET_PERIODS]
    warmed = 0
    with county_wide():
        rollups.catch_up()  # the views are then as of now, whenever beat last counted
    with translation.override(settings.LANGUAGE_CODE):
        for _township in each_township():
            for kind, period in periods:
                cockpit_data(kind=kind, period=period, fresh=True)
                warmed += 1
        townships = county_townships(None)
        if len(townships) > 1:
            with in_townships(townships):
                for kind, period in periods:
                    cockpit_data(kind=kind, period=period, roll_up=True, fresh=True)
                    warmed += 1
    return warmed
