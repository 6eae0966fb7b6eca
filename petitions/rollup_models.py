"""The cockpit's running totals of cases and receptions (petitions.rollups keeps them, petitions.figures reads
them): what a county's year of concerns and walk-in receptions adds up to, kept per day, per ten days, per
month and per quarter, per township and for the whole county, so a figure over any dates sums a few hundred
rows instead of counting half a million (bench/cockpit.py).

Derived rows only: petitions.rollups deletes and rebuilds them from the records, never edits them by hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from deputies.models import Site
from liaison.scoping import TownshipScoped

# The counts kept on a day's or a month's row: petitions.rollups.COUNTED says how each is counted.
COUNTED = (
    "total", "open", "resolved_awaiting_rating", "resolved", "fixed", "explained", "not_feasible", "rejected",
    "duplicate", "satisfied", "basic", "unsatisfied", "reopened", "on_time", "late_resolved", "responded",
    "channel_qr", "channel_walk_in", "channel_phone", "channel_visit", "channel_household", "channel_patrol",
    "channel_online", "channel_enterprise",
)
HISTOGRAMS = ("first_response_hours", "result_hours")
# The counts of a breakdown's row (a category's, village's, deputy's or unit's share of a month).
GROUP_COUNTED = ("total", "open", "resolved", "fixed", "satisfied", "basic", "unsatisfied")


class _Tally(TownshipScoped):
    """The cases filed in one span at one site (site None: filed without a site), or (all_sites) at all of the
    township's: a township's or a county's figures read those, a tenth of the rows."""

    site = models.ForeignKey(Site, models.CASCADE, null=True, blank=True, related_name="+")
    all_sites = models.BooleanField(default=False)
    # The times to a first response and to a result as {bucket: [cases, seconds]} (petitions.rollups.BOUNDS):
    # medians are read from them, to within the width of the bucket the middle case falls in.
    first_response_hours = models.JSONField(default=dict)
    result_hours = models.JSONField(default=dict)

    class Meta:
        abstract = True


class ConcernDay(_Tally):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "day"], name="concernday_township_day_idx"),
                   models.Index(fields=["township", "day"], condition=models.Q(all_sites=True),
                                name="concernday_all_sites_idx")]


class ConcernTen(_Tally):
    """A ten-day span (旬: the 1st to 10th, 11th to 20th, 21st to the month's end): the days of a chosen
    period outside its whole months are mostly whole spans of ten, so a county sums a quarter of the rows."""

    start = models.DateField()  # the 1st, 11th or 21st

    class Meta:
        indexes = [models.Index(fields=["township", "start"], condition=models.Q(all_sites=True),
                                name="concernten_all_sites_idx"),
                   models.Index(fields=["township", "start"], name="concernten_township_idx")]


class ConcernMonth(_Tally):
    month = models.DateField()  # the first of the month

    class Meta:
        indexes = [models.Index(fields=["township", "month"], name="concernmonth_township_idx"),
                   models.Index(fields=["township", "month"], condition=models.Q(all_sites=True),
                                name="concernmonth_all_sites_idx")]


class ConcernQuarter(_Tally):
    """A quarter (January to March, April to June, ...): a chosen period's whole quarters are read from these, a
    third of the month rows."""

    quarter = models.DateField()  # the first of its first month

    class Meta:
        indexes = [models.Index(fields=["township", "quarter"], name="concernquarter_township_idx"),
                   models.Index(fields=["township", "quarter"], condition=models.Q(all_sites=True),
                                name="concernquarter_all_sites_idx")]


for _key in COUNTED:
    for _model in (ConcernDay, ConcernTen, ConcernMonth, ConcernQuarter):
        _model.add_to_class(_key, models.PositiveIntegerField(default=0))


class _Group(TownshipScoped):
    """One category's, village's, deputy's or unit's cases filed in a span, over every site (a single site's
    breakdown is counted from its concerns: a site holds few)."""

    by = models.CharField(max_length=10)  # a key of petitions.figures.BREAKDOWNS
    key = models.PositiveBigIntegerField(null=True)  # its id; None: no village, deputy or unit

    class Meta:
        abstract = True


class ConcernDayGroup(_Group):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "by", "day"], name="concerndaygroup_township_idx")]


class ConcernTenGroup(_Group):
    start = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "by", "start"], name="concerntengroup_township_idx")]


class ConcernMonthGroup(_Group):
    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "by", "month"], name="concerngroup_township_idx")]


class ConcernQuarterGroup(_Group):
    quarter = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "by", "quarter"], name="concernqgroup_township_idx")]


for _key in GROUP_COUNTED:
    for _model in (ConcernDayGroup, ConcernTenGroup, ConcernMonthGroup, ConcernQuarterGroup):
        _model.add_to_class(_key, models.PositiveIntegerField(default=0))


class _Receptions(TownshipScoped):
    """The walk-in receptions of one span at one site, or (all_sites) at all of the township's. Receptions are
    only ever added, their date, site and visitors fixed (petitions.receptions): a catch-up sees each one."""

    site = models.ForeignKey(Site, models.CASCADE, null=True, blank=True, related_name="+")
    all_sites = models.BooleanField(default=False)
    receptions = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ReceptionDay(_Receptions):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "day"], name="receptionday_township_idx")]


class ReceptionTen(_Receptions):
    start = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "start"], name="receptionten_township_idx")]


class ReceptionMonth(_Receptions):
    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "month"], name="receptionmonth_township_idx")]


class ReceptionQuarter(_Receptions):
    quarter = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["township", "quarter"], name="receptionquarter_township_idx")]


class _CountyTally(models.Model):
    """The cases filed in one span in every township together: the whole county's figures read these, a
    twentieth of the rows of its townships' own (petitions.rollups sums them from those). County-wide
    (liaison.scoping.COUNTY_WIDE): read only in a scope that covers every township."""

    first_response_hours = models.JSONField(default=dict)
    result_hours = models.JSONField(default=dict)

    class Meta:
        abstract = True


class CountyConcernDay(_CountyTally):
    day = models.DateField(unique=True)


class CountyConcernTen(_CountyTally):
    start = models.DateField(unique=True)


class CountyConcernMonth(_CountyTally):
    month = models.DateField(unique=True)


class CountyConcernQuarter(_CountyTally):
    quarter = models.DateField(unique=True)


for _key in COUNTED:
    for _model in (CountyConcernDay, CountyConcernTen, CountyConcernMonth, CountyConcernQuarter):
        _model.add_to_class(_key, models.PositiveIntegerField(default=0))


class _CountyReceptions(models.Model):
    """The walk-in receptions of one span in every township together (county-wide, as _CountyTally)."""

    receptions = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class CountyReceptionDay(_CountyReceptions):
    day = models.DateField(unique=True)


class CountyReceptionTen(_CountyReceptions):
    start = models.DateField(unique=True)


class CountyReceptionMonth(_CountyReceptions):
    month = models.DateField(unique=True)


class CountyReceptionQuarter(_CountyReceptions):
    quarter = models.DateField(unique=True)


class CountyRollupMark(models.Model):
    """The county's rows (one row, pk 1): when they were last counted whole or in part; None, or no row, when
    they are owed a whole count (never counted, or a township counted whole since). Its row is also the lock
    that lets one county recount run at a time (petitions.rollups._recount_county). County-wide."""

    counted_at = models.DateTimeField(_("counted at"), null=True)


class RollupMark(TownshipScoped):
    """How far a township's running totals have been brought up to date: the concerns changed since were not
    counted yet. None: never counted (a new township, or after `manage.py rebuild_figures`)."""

    counted_until = models.DateTimeField(_("counted until"), null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["township"], name="rollupmark_one_per_township")]
