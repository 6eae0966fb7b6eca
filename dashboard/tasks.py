"""The cockpit's preset views (this month, quarter and year; every site) kept computed: at a county's size
they take seconds to count (bench/cockpit.py), so beat counts them again a little more often than the cache
forgets them (or keeps them longer where nothing changed), and officials are served from the cache, the page
saying when the figures were computed.
Chosen dates and a single site's views are computed when asked, then cached."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from dashboard.cockpit import PRESET_PERIODS, cockpit_data, cockpit_kept, period_of
from liaison.public_pages import township_stamps
from liaison.scoping import county_townships, county_wide, each_township, in_townships
from petitions import rollups


@shared_task(name="dashboard.warm_cockpits")
def warm_cockpits() -> int:
    """Each township's preset views, and the whole county's rolled up (as a county account sees it); how many
    were counted again. A view nothing has changed under since it was counted is kept, not counted again: at
    a county's size counting all of them took the worker and the database many seconds each run, and a
    township's view changes only with its own writes (its page stamp, liaison.public_pages) or the date."""
    today = timezone.localdate()
    periods = [(kind, period_of(kind, today=today)) for kind in PRESET_PERIODS]
    warmed = 0
    # Before the running totals are caught up: a change committed meanwhile leaves a newer stamp than these,
    # and the next run counts its township's views again.
    stamps = township_stamps()
    with county_wide():
        rollups.catch_up()  # the views are then as of now, whenever beat last counted
    with translation.override(settings.LANGUAGE_CODE):
        for township in each_township():
            as_of = (stamps[township.pk], today) if township.pk in stamps else None
            warmed += _warm(f"township-{township.pk}", as_of, periods, roll_up=False)
        townships = county_townships(None)
        if len(townships) > 1:
            with in_townships(townships):
                counted = [stamps.get(township.pk) for township in townships]
                as_of = None if None in counted else (counted, today)
                warmed += _warm("county", as_of, periods, roll_up=True)
    return warmed


def _warm(scope: str, as_of, periods: list, *, roll_up: bool) -> int:
    """The scope's preset views counted again, unless they were counted as of the same stamps and day and the
    cache still holds them: then kept another while. as_of None (a township without a stamp): counted."""
    key = f"cockpit:warmed:{scope}"
    if as_of is not None and cache.get(key) == as_of and all(
            cockpit_kept(kind=kind, period=period, roll_up=roll_up) for kind, period in periods):
        return 0
    for kind, period in periods:
        cockpit_data(kind=kind, period=period, roll_up=roll_up, fresh=True)
    cache.set(key, as_of, None)
    return len(periods)
