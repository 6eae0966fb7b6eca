"""Keeping the cockpit's running totals (petitions.rollup_models) in step with the concerns and receptions.

A concern's figures change only when the concern is saved, and every save stamps its updated_at; a
reception is only ever added (its date, site and visitors fixed): so `catch_up()` recounts the days on
which the concerns changed since the township's RollupMark were filed, or the receptions added since were
held, sums those days' spans of ten, months and quarters anew from the day rows, and moves the mark; then the county's
rows of those days, from every township's. Beat runs it every FIGURES_COUNT_SECONDS
(petitions.count_figures); the cockpit (dashboard.cockpit) runs it too for a township counted longer ago than
that (no beat: the embedded default), and shows the time the totals were counted. The one thing no save
marks is time passing: "overdue" is never kept here but counted live from the open concerns
(petitions.figures).

A write may commit a little after the moment it stamped: each catch-up looks MARGIN further back than its
mark, so such a write is still seen. A township never counted is counted whole (the first catch-up after
migrating, or after `manage.py rebuild_figures`).
"""

import datetime
from bisect import bisect_right
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from liaison.scoping import county_wide, townships_in_scope
from petitions.models import Concern, Reception
from petitions.rollup_models import (
    COUNTED,
    GROUP_COUNTED,
    HISTOGRAMS,
    ConcernDay,
    ConcernDayGroup,
    ConcernMonth,
    ConcernMonthGroup,
    ConcernQuarter,
    ConcernQuarterGroup,
    ConcernTen,
    ConcernTenGroup,
    CountyConcernDay,
    CountyConcernMonth,
    CountyConcernQuarter,
    CountyConcernTen,
    CountyReceptionDay,
    CountyReceptionMonth,
    CountyReceptionQuarter,
    CountyReceptionTen,
    CountyRollupMark,
    ReceptionDay,
    ReceptionMonth,
    ReceptionQuarter,
    ReceptionTen,
    RollupMark,
)
from petitions.selectors import CASE_FIGURES, IS_CASE, LATE_RESOLVED, _aware

MARGIN = datetime.timedelta(minutes=10)
_HOUR = 3600
# The buckets of the times kept for medians, in seconds: bucket i holds [BOUNDS[i-1], BOUNDS[i]). An hour wide
# under a day, two hours under two days, a day under a month, then wider.
BOUNDS = [h * _HOUR for h in (*range(1, 25), *range(26, 49, 2), *range(72, 24 * 31, 24),
                              *(24 * d for d in (45, 60, 90, 180, 365)))]
BREAKDOWN_FIELDS = ("category", "village", "deputy", "unit")  # petitions.figures.BREAKDOWNS' keys
RECEPTION_COUNTED = ("receptions", "visitors")
# Each kind of day row, the ten-day, month and quarter rows summed from it (each from the one before), what is
# summed and what names a row.
_LEVELS = (
    (ConcernDay, (ConcernTen, ConcernMonth, ConcernQuarter), COUNTED, HISTOGRAMS, ("site_id", "all_sites")),
    (ConcernDayGroup, (ConcernTenGroup, ConcernMonthGroup, ConcernQuarterGroup), GROUP_COUNTED, (), ("by", "key")),
    (ReceptionDay, (ReceptionTen, ReceptionMonth, ReceptionQuarter), RECEPTION_COUNTED, (), ("site_id", "all_sites")),
)
# The county's rows: each kind of township day row (its all-sites rows) and the county's day, ten-day, month and
# quarter rows summed from them.
_COUNTY_LEVELS = (
    (ConcernDay, (CountyConcernDay, CountyConcernTen, CountyConcernMonth, CountyConcernQuarter), COUNTED, HISTOGRAMS),
    (ReceptionDay, (CountyReceptionDay, CountyReceptionTen, CountyReceptionMonth, CountyReceptionQuarter),
     RECEPTION_COUNTED, ()),
)


def _counted_figures() -> dict:
    """How each of COUNTED is counted: the same Q as the figure's (petitions.selectors.CASE_FIGURES)."""
    figures = {"total": Count("pk"), "late_resolved": Count("pk", filter=LATE_RESOLVED)}
    figures.update({key: Count("pk", filter=CASE_FIGURES[key]()) for key in COUNTED if key in CASE_FIGURES})
    figures.update({f"channel_{c}": Count("pk", filter=Q(channel=c)) for c in Concern.Channel.values})
    assert set(figures) == set(COUNTED), set(figures) ^ set(COUNTED)
    return figures


def catch_up(*, older_than: datetime.timedelta | None = None) -> int:
    """Recount what changed in the current scope's townships since their marks; returns the days recounted.
    With `older_than`, only townships last counted longer ago than that (beat's task keeps them fresher)."""
    recounted, whole = 0, False
    townships = townships_in_scope()
    if older_than is not None:
        fresh = set(RollupMark.objects.filter(township_id__in=townships, counted_until__gt=timezone.now() - older_than)
                    .values_list("township_id", flat=True))
        townships = [pk for pk in townships if pk not in fresh]
    for township_id in townships:
        with transaction.atomic():
            RollupMark.objects.get_or_create(township_id=township_id)
            # One catch-up at a time per township: a second waits here, then finds little left to do.
            mark = RollupMark.objects.select_for_update().get(township_id=township_id)
            started = timezone.now()
            days = None  # never counted: every day
            if mark.counted_until is not None:
                since = mark.counted_until - MARGIN
                changed = Concern.objects.filter(township_id=township_id, updated_at__gte=since)
                days = set(changed.annotate(day=_day("created_at")).values_list("day", flat=True).distinct())
                received = Reception.objects.filter(township_id=township_id, updated_at__gte=since)
                days |= set(received.values_list("received_on", flat=True).distinct())
            if days is None or days:
                recounted += _recount(township_id, days)
                # In the same transaction: the county's rows move with the township's, or neither does.
                _recount_county(days)
                whole |= days is None
            # Moved even when nothing changed: the totals are as of now, and the cockpit leaves them to beat.
            mark.counted_until = started
            mark.save(update_fields=["counted_until"])
    if whole or not CountyRollupMark.objects.filter(counted_at__isnull=False).exists():
        _recount_county(set())  # the whole county once, if a township was counted whole or it never was
    return recounted


def counted_at() -> datetime.datetime | None:
    """When the current scope's running totals were last brought up to date (the oldest township's mark)."""
    marks = RollupMark.objects.filter(township_id__in=townships_in_scope()).values_list("counted_until", flat=True)
    return None if not marks or None in marks else min(marks)


def forget() -> int:
    """Clear the marks of the current scope's townships: their next catch-up counts everything again."""
    return RollupMark.objects.filter(township_id__in=townships_in_scope()).update(counted_until=None)


def _day(field: str):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _within(days: set[datetime.date] | None) -> Q:
    """The concerns filed on these days (all of them for None): one range per run of consecutive days."""
    if days is None:
        return Q()
    runs, ordered = Q(), sorted(days)
    start = previous = ordered[0]
    for day in [*ordered[1:], None]:
        if day is not None and day == previous + datetime.timedelta(days=1):
            previous = day
            continue
        runs |= Q(created_at__gte=_aware(start), created_at__lt=_aware(previous + datetime.timedelta(days=1)))
        if day is not None:
            start = previous = day
    return runs


def _recount(township_id: int, days: set[datetime.date] | None) -> int:
    """Rebuild the day rows of `days` (every day for None) from the concerns and receptions, then the ten-day
    and month rows of those days' spans from the day rows."""
    kept = {"township_id": township_id}
    cases = Concern.objects.filter(IS_CASE, township_id=township_id).filter(_within(days))
    receptions = Reception.objects.filter(township_id=township_id)
    if days is not None:
        receptions = receptions.filter(received_on__in=days)
    for model, rows in ((ConcernDay, _tallies(cases, kept)), (ConcernDayGroup, _groups(cases, kept)),
                        (ReceptionDay, _reception_days(receptions, kept))):
        stale = model.objects.filter(**kept)
        (stale if days is None else stale.filter(day__in=days)).delete()
        model.objects.bulk_create(rows, batch_size=2000)
    for day_model, wider, counted, histograms, keys in _LEVELS:
        _sum_spans(day_model, wider, days, kept, keys, counted, histograms)
    return len(days) if days is not None else ConcernDay.objects.filter(**kept, all_sites=True).count()


def _recount_county(days: set[datetime.date] | None) -> None:
    """Bring the county's rows of `days` up to date from its townships' all-sites day rows, then its ten-day and
    month rows of those days' spans. Days None (a township counted whole) only marks the county as owed a whole
    count; a county owed one, or never counted, is counted whole here, whatever `days` says.

    One county recount at a time (its mark locked), each after its township's rows were written: the last to
    run sees every township's committed rows."""
    with county_wide(), transaction.atomic():
        CountyRollupMark.objects.get_or_create(pk=1)
        mark = CountyRollupMark.objects.select_for_update().get(pk=1)
        if days is None:  # owed a whole count: the catch-up does it once, at its end
            mark.counted_at = None
            mark.save(update_fields=["counted_at"])
            return
        if mark.counted_at is None:
            days = None  # owed, or never counted: whole, whatever changed
        elif not days:
            return
        for township_model, (day_model, *wider), counted, histograms in _COUNTY_LEVELS:
            (day_model.objects.all() if days is None else day_model.objects.filter(day__in=days)).delete()
            rows = township_model.objects.filter(all_sites=True, **({} if days is None else {"day__in": days}))
            day_model.objects.bulk_create(_summed(day_model, rows.iterator(chunk_size=5000),
                                                  lambda row: {"day": row.day}, {}, counted, histograms),
                                          batch_size=2000)
            _sum_spans(day_model, wider, days, {}, (), counted, histograms)
        mark.counted_at = timezone.now()
        mark.save(update_fields=["counted_at"])


def _sum_spans(day_model, wider, days: set[datetime.date] | None, kept: dict, keys, counted, histograms) -> None:
    """Rebuild the ten-day, month and quarter rows (`wider`, in that order) of the spans holding `days` (every
    span for None), each from the rows before it (the ten-day rows from the day rows, the months from their
    three spans of ten, the quarters from their months): a row per span and value of `keys`."""
    source, source_field = day_model, "day"
    for model in wider:
        field = span_field(model)
        start_of, end_of = SPANS[field]
        spans = None if days is None else {start_of(day) for day in days}
        stale = model.objects.filter(**kept)
        (stale if spans is None else stale.filter(**{f"{field}__in": spans})).delete()
        within = Q()
        for span in spans or ():
            within |= Q(**{f"{source_field}__gte": span, f"{source_field}__lt": end_of(span)})
        rows = source.objects.filter(within, **kept).iterator(chunk_size=5000)
        model.objects.bulk_create(_summed(
            model, rows, lambda row, field=field, start_of=start_of, source_field=source_field: {
                **{key: getattr(row, key) for key in keys}, field: start_of(getattr(row, source_field))},
            kept, counted, histograms), batch_size=2000)
        source, source_field = model, field


def span_field(model) -> str:
    """The field that names a running total's span: day, or a key of SPANS."""
    return next(name for name in ("day", *SPANS) if hasattr(model, name))


def ten_start(day: datetime.date) -> datetime.date:
    """The first day of `day`'s ten-day span (旬): the 1st, 11th or 21st."""
    return day.replace(day=min(21, (day.day - 1) // 10 * 10 + 1))


def next_ten(start: datetime.date) -> datetime.date:
    """The first day of the ten-day span after the one starting on `start`."""
    return next_month(start) if start.day == 21 else start + datetime.timedelta(days=10)


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of `day`'s quarter: January, April, July or October the 1st."""
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def next_quarter(start: datetime.date) -> datetime.date:
    """The first day of the quarter after the one starting on `start`."""
    return next_month(next_month(next_month(start)))


def _reception_days(receptions: QuerySet, kept: dict) -> list[ReceptionDay]:
    """The day rows of these receptions: one per site and day, and one per day of every site together."""
    counted = receptions.values("site_id", "received_on").annotate(n=Count("pk"), visitors=Sum("visitor_count"))
    rows = [ReceptionDay(**kept, site_id=row["site_id"], day=row["received_on"], receptions=row["n"],
                         visitors=row["visitors"] or 0) for row in counted]
    every_site = _summed(ReceptionDay, rows, lambda row: {"all_sites": True, "day": row.day}, kept,
                         counted=RECEPTION_COUNTED, histograms=())
    return [*rows, *every_site]


def next_month(day: datetime.date) -> datetime.date:
    """The first of the month after `day`'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _tallies(cases: QuerySet, kept: dict) -> list[ConcernDay]:
    """The day rows of these concerns: one per site and day, and one per day of every site together."""
    rows = {}
    for row in cases.annotate(span=_day("created_at")).values("site_id", "span").annotate(**_counted_figures()):
        site_id, day = row.pop("site_id"), _date(row.pop("span"))
        rows[(site_id, day)] = ConcernDay(**kept, site_id=site_id, day=day, **row)
    times = cases.values_list("site_id", "created_at", "first_response_at", "resolved_at")
    for site_id, created, responded, resolved in times.iterator(chunk_size=5000):
        row = rows[(site_id, timezone.localtime(created).date())]
        _add(row.first_response_hours, created, responded)
        _add(row.result_hours, created, resolved)
    every_site = _summed(ConcernDay, rows.values(), lambda row: {"all_sites": True, "day": row.day}, kept)
    return [*rows.values(), *every_site]


def _summed(model, rows, key, kept: dict, counted=COUNTED, histograms=HISTOGRAMS) -> list:
    """`rows` added up into one `model` row per key(row) (a dict of the new row's own fields)."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[tuple(key(row).items())].append(row)
    return [model(**kept, **dict(fields), **{name: sum(getattr(row, name) for row in group) for name in counted},
                  **{name: {str(bucket): total for bucket, total in merged(getattr(row, name) for row in group).items()}
                     for name in histograms})
            for fields, group in grouped.items()]


def _date(value) -> datetime.date:
    # TruncDate/TruncMonth give a date or an aware datetime depending on the backend.
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def _add(histogram: dict, start: datetime.datetime, end: datetime.datetime | None) -> None:
    if end is None:
        return
    seconds = max(0, int((end - start).total_seconds()))
    bucket = histogram.setdefault(str(bisect_right(BOUNDS, seconds)), [0, 0])
    bucket[0] += 1
    bucket[1] += seconds


def _groups(cases: QuerySet, kept: dict) -> list[ConcernDayGroup]:
    counted = {"total": Count("pk"), **{key: Count("pk", filter=CASE_FIGURES[key]()) for key in GROUP_COUNTED[1:]}}
    rows = []
    for by in BREAKDOWN_FIELDS:
        grouped = cases.annotate(span=_day("created_at")).values("span", by).annotate(**counted)
        rows += [ConcernDayGroup(**kept, by=by, day=_date(row.pop("span")), key=row.pop(by), **row)
                 for row in grouped]
    return rows


def merged(histograms) -> dict[int, list[int]]:
    """Histograms ({bucket: [cases, seconds]}) added up."""
    total = defaultdict(lambda: [0, 0])
    for histogram in histograms:
        for bucket, (cases, seconds) in histogram.items():
            total[int(bucket)][0] += cases
            total[int(bucket)][1] += seconds
    return total


def median(histogram: dict[int, list[int]]) -> datetime.timedelta | None:
    """The median read from a merged histogram: the mean of the bucket the middle case falls in (of the two
    middle cases' buckets, for an even count), exact when that bucket's cases took the same time."""
    count = sum(cases for cases, _seconds in histogram.values())
    if not count:
        return None
    values, seen = [], 0
    middles = [(count - 1) // 2, count // 2]
    for bucket in sorted(histogram):
        cases, seconds = histogram[bucket]
        while middles and middles[0] < seen + cases:
            values.append(seconds / cases)
            middles.pop(0)
        seen += cases
    return datetime.timedelta(seconds=sum(values) / len(values))



# The spans kept besides days, narrowest first, each holding whole ones of the one before: the field that
# names a row's span (its first day), the first day of the span holding a day, and of the span after one.
SPANS = {"start": (ten_start, next_ten), "month": (_month_start, next_month), "quarter": (quarter_start, next_quarter)}
