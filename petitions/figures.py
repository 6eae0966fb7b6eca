"""The cockpit's figures about cases, receptions and suggestions over a period (dashboard.cockpit puts them
together): aggregate queries, a fixed number of them whatever the rows.

A figure about cases is a key of petitions.selectors.CASE_FIGURES: the count here and the desk list's
`figure` filter read the same condition, so a click on a number lists exactly the rows it counted.
Periods are [since, until) in station time: dates are read as the start of that day in Asia/Shanghai.
"""

import datetime
import operator
from collections import Counter, defaultdict
from functools import reduce

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.models import Township
from liaison.periods import counts_each, windows
from liaison.scoping import covers_county
from petitions import rollups
from petitions.models import (
    Concern,
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
    ReceptionDay,
    ReceptionMonth,
    ReceptionQuarter,
    ReceptionTen,
)
from petitions.rollup_models import COUNTED, GROUP_COUNTED, HISTOGRAMS
from petitions.selectors import CASE_FIGURES, IS_CASE, _aware
from petitions.suggestion_models import Suggestion
from petitions.suggestion_selectors import SUGGESTION_FIGURES

# What each figure is called wherever it is shown (the cockpit, the desk list it clicks through to).
FIGURE_LABELS = {
    "open": _("Being handled"),
    "overdue": _("Overdue"),
    "resolved_awaiting_rating": _("Awaiting rating"),
    "resolved": _("Resolved (any outcome)"),
    **{outcome.value: outcome.label for outcome in Concern.Outcome},
    "satisfied": _("Satisfied"),
    "basic": _("Basically satisfied"),
    "unsatisfied": _("Rated not satisfied"),
    "reopened": _("Reopened"),
    "on_time": _("Resolved on time"),
    "late": _("Late (resolved after the deadline, or overdue)"),
    "responded": _("Responded to"),
}
# The breakdowns: the concern's field, and what a row is named by.
BREAKDOWNS = {"category": "category__name", "village": "village__name", "deputy": "deputy__name",
              "unit": "unit__name"}
BREAKDOWN_ROWS = 10  # the largest; the cockpit says so
TREND_MONTHS = 12
OLDEST_OVERDUE = 10


def _cases(since, until, site) -> QuerySet[Concern]:
    concerns = Concern.objects.filter(IS_CASE, created_at__gte=_aware(since), created_at__lt=_aware(until))
    return concerns.filter(site=site) if site is not None else concerns


def _spans(since: datetime.date, until: datetime.date, fields=("quarter", "month", "start")) -> list[Q]:
    """[since, until) as the running totals' spans that add up to it, a Q for each kind of row (`fields`, the
    widest first: rollups.SPANS; then the day rows): the whole spans of the widest kind it holds, then in what
    is left either side the whole spans of the next kind, and so on down to single days. A year and a half cut
    anywhere is at most 20 days, 4 spans of ten, 4 months and the quarters."""
    *starts, days = _starts(since, until, fields)
    within = Q(pk__in=[])
    for first, last in days:
        within |= Q(day__gte=first, day__lt=last)
    return [*(Q(**{f"{field}__in": each}) for field, each in zip(fields, starts, strict=True)), within]


def _starts(since: datetime.date, until: datetime.date, fields) -> list[list]:
    """_spans as the first day of each span of each kind, then the days left as [first, last) ranges."""
    if not fields:
        return [[(since, until)] if since < until else []]
    field, *narrower = fields
    start_of, next_of = rollups.SPANS[field]
    first = since if start_of(since) == since else next_of(start_of(since))
    starts, end = [], first
    while next_of(end) <= until:
        starts.append(end)
        end = next_of(end)
    if not starts:
        return [[], *_starts(since, until, narrower)]
    before, after = _starts(since, first, narrower), _starts(end, until, narrower)
    return [starts, *(left + right for left, right in zip(before, after, strict=True))]


# The whole county's rows in place of its townships' (petitions.rollup_models._CountyTally).
COUNTY_ROWS = {ConcernQuarter: CountyConcernQuarter, ConcernMonth: CountyConcernMonth, ConcernTen: CountyConcernTen,
               ConcernDay: CountyConcernDay, ReceptionQuarter: CountyReceptionQuarter,
               ReceptionMonth: CountyReceptionMonth, ReceptionTen: CountyReceptionTen, ReceptionDay: CountyReceptionDay}
CONCERN_ROWS = (ConcernQuarter, ConcernMonth, ConcernTen, ConcernDay)


def _tallies(since, until, site, models=CONCERN_ROWS, *, county: bool | None = None) -> tuple[QuerySet, ...]:
    """The running totals' rows that add up to [since, until) (`models`: a kind of row per span, the widest
    first, the day rows last; _spans), of one site or (None) of all sites together: the county's own rows
    when the scope covers every township (`county` None: found out here; False: rows that name their
    township)."""
    spans = _spans(since, until, [rollups.span_field(model) for model in models[:-1]])
    chosen = {"all_sites": True} if site is None else {"site": site}
    if site is None and (covers_county() if county is None else county):
        models, chosen = [COUNTY_ROWS[model] for model in models], {}
    return tuple(model.objects.filter(span, **chosen) for model, span in zip(models, spans, strict=True))


def concern_figures(*, since: datetime.date, until: datetime.date, site=None) -> dict:
    """concern_figures_each of one period."""
    return concern_figures_each([(since, until)], site=site)[0]


def concern_figures_each(periods: list[tuple[datetime.date, datetime.date]], *, site=None) -> list[dict]:
    """The figures of the concerns filed in each [since, until) of `periods`, as petitions.selectors.concern_counts
    counts them (with channels), and the medians: summed from the running totals (petitions.rollups: the caller
    catches them up first), with what time changes (overdue, and so late) counted live from the open concerns.
    Three queries whatever the rows and however many periods (the cockpit asks for three at once; on SQLite
    the histograms are read a query per kind of row and period).

    median_first_response and median_result are timedeltas (None without a case to measure): from
    filing to the first response (Concern.first_response_at), and to the latest result (resolved_at,
    cleared when a case is reopened, so a reopened case counts once resolved again), read from hour and
    day buckets (petitions.rollups.median).
    """
    tallies = _tallies_each(periods, site)
    sums = {index: values for index, *values in _sums(tallies, COUNTED, by="period")}
    overdue = _overdue_each(periods, site)
    times = _times(tallies)
    each = []
    for index in range(len(periods)):
        figures = {key: value or 0 for key, value in zip(COUNTED, sums.get(index) or (0,) * len(COUNTED), strict=True)}
        figures["overdue"] = overdue[index]
        figures["late"] = figures.pop("late_resolved") + figures["overdue"]
        figures["median_first_response"] = rollups.median(times[index]["first_response_hours"])
        figures["median_result"] = rollups.median(times[index]["result_hours"])
        each.append(figures)
    return each


def _tallies_each(periods, site, models=CONCERN_ROWS) -> list[QuerySet]:
    """_tallies of each period, each row marked with its period's index (`period`)."""
    county = site is None and covers_county()
    return [rows.annotate(period=Value(index, output_field=IntegerField())) for index, (since, until)
            in enumerate(periods) for rows in _tallies(since, until, site, models, county=county)]


def _overdue_each(periods, site) -> list[int]:
    """The cases filed in each period that are overdue now: one query."""
    concerns = Concern.objects.filter(IS_CASE, CASE_FIGURES["overdue"]())
    if site is not None:
        concerns = concerns.filter(site=site)
    aware = [(_aware(since), _aware(until)) for since, until in periods]
    return [counts["n"] for counts in counts_each(concerns, "created_at", aware, n=Q())]


def _union(querysets, fields) -> tuple[str, list] | None:
    """The querysets' rows (their `fields`) as one subquery's SQL and parameters; None when none can have a
    row (a period without a whole month has no month rows)."""
    parts, params = [], []
    for rows in querysets:
        try:
            sql, more = rows.values(*fields).query.sql_with_params()
        except EmptyResultSet:
            continue
        parts.append(sql)
        params.extend(more)
    return (" UNION ALL ".join(parts), params) if parts else None


def _sums(querysets, fields, *, by: str = "", ranked: int = 0) -> list[tuple]:
    """The sums of `fields` over the rows of all the querysets together, one query: one row, or with `by` a row
    per value of that field (its value first); with `ranked`, only that many, the largest total first."""
    union = _union(querysets, (*([by] if by else []), *fields))
    if union is None:
        return []
    sql, params = union
    q = connection.ops.quote_name
    columns = ", ".join([*([q(by)] if by else []), *(f"SUM({q(name)})" for name in fields)])
    tail = f" GROUP BY {q(by)}" if by else ""
    if ranked:
        tail += f" ORDER BY SUM({q('total')}) DESC, {q(by)} LIMIT %s"
        params = [*params, ranked]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM ({sql}) AS t{tail}", params)  # noqa: S608
        return cursor.fetchall()


def _times(tallies) -> dict[int, dict[str, dict]]:
    """The rows' histograms (rollup_models.HISTOGRAMS) added up per period (the rows' `period`): by PostgreSQL
    (a county's year is hundreds of rows of ~40 buckets, too many to decode and add in Python on every
    computation), by Python elsewhere."""
    times = defaultdict(lambda: {name: {} for name in HISTOGRAMS})
    if connection.vendor != "postgresql":
        found = defaultdict(list)
        for rows in tallies:
            for index, *histograms in rows.values_list("period", *HISTOGRAMS):
                found[index].append(histograms)
        for index, rows in found.items():
            times[index] = {name: rollups.merged(row[column] for row in rows)
                            for column, name in enumerate(HISTOGRAMS)}
        return times
    union = _union(tallies, ("period", *HISTOGRAMS))
    if union is None:
        return times
    sql, params = union
    each = " UNION ALL ".join(
        f"SELECT '{name}', t.period, b.key, SUM((b.value->>0)::bigint)::bigint, SUM((b.value->>1)::bigint)::bigint "
        f"FROM t CROSS JOIN LATERAL jsonb_each(t.{name}) AS b GROUP BY t.period, b.key" for name in HISTOGRAMS)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH t AS ({sql}) {each}", params)  # noqa: S608
        for name, index, key, cases, seconds in cursor.fetchall():
            times[index][name][int(key)] = [cases, seconds]
    return times


def concern_figures_by_township(*, since: datetime.date, until: datetime.date) -> list[dict]:
    """concern_figures' counts (no medians) for each township of the current scope, in the townships' order:
    [{"township": code, "name", "total", ...}]. A township with no concerns in the window has no row."""
    found = {township_id: {key: value or 0 for key, value in zip(COUNTED, sums, strict=True)}
             for township_id, *sums in _sums(_tallies(since, until, None, county=False), COUNTED,
                                             by="township_id")}
    overdue = dict(_cases(since, until, None).filter(CASE_FIGURES["overdue"]()).values("township_id")
                   .annotate(n=Count("pk")).values_list("township_id", "n"))
    rows = []
    for township in Township.objects.filter(pk__in=[pk for pk, counts in found.items() if counts["total"]]):
        counts = found[township.pk]
        late = counts.pop("late_resolved") + overdue.get(township.pk, 0)
        rows.append({"township": township.code, "name": township.name, **counts,
                     "overdue": overdue.get(township.pk, 0), "late": late})
    return rows


def concern_trend(*, since: datetime.date, until: datetime.date, site=None) -> list[dict]:
    """Per month of filing in [since, until): received, resolved (any outcome), fixed, from the running totals
    (months, not quarters: a quarter's row cannot be told apart by month); months without a concern are there
    with zeros. `since` is the first of a month."""
    found = defaultdict(lambda: {"received": 0, "resolved": 0, "fixed": 0})
    month_rows, ten_rows, day_rows = _tallies(since, until, site, (ConcernMonth, ConcernTen, ConcernDay))
    sums = {"received": Sum("total"), "resolved": Sum("resolved"), "fixed": Sum("fixed")}
    for row in [*month_rows.values(span=F("month")).annotate(**sums),
                *ten_rows.values(span=TruncMonth("start")).annotate(**sums),
                *day_rows.values(span=TruncMonth("day")).annotate(**sums)]:
        counts = found[_month_of(row.pop("span"))]
        for key, value in row.items():
            counts[key] += value
    rows, month = [], since
    while month < until:
        following = rollups.next_month(month)
        rows.append({"month": month, "until": min(following, until), **found[month]})
        month = following
    return rows


def _month_of(value) -> datetime.date:
    # TruncMonth gives an aware datetime on PostgreSQL and SQLite alike; a date on some backends.
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def concern_breakdowns(*, since: datetime.date, until: datetime.date, site=None) -> dict[str, list[dict]]:
    """The BREAKDOWN_ROWS largest groups of the period's concerns by category, village, deputy and unit:
    {by: [{"id", "name", "total", "open", "overdue", "resolved", "fixed", "satisfied", "basic", "unsatisfied"}]},
    the largest first (equal ones by name; at the cut, the first registered); concerns without a village,
    deputy or unit make a row of their own (id None). Ranked by the database (a county has thousands of
    deputies): a query per breakdown, one for the overdue of all, and one per breakdown for the names.

    The township's or townships' groups are summed from the running totals (the month, ten-day and day rows
    that make up the period: _spans); a single site's are counted from its concerns; overdue is
    counted live."""
    spans = _spans(since, until) if site is None else None
    tops = {by: _top_groups(by, *spans) if spans else _top_site_groups(by, since, until, site) for by in BREAKDOWNS}
    overdue = _overdue_in_groups(tops, since, until, site)
    breakdowns = {}
    for by, top in tops.items():
        keys = [row["key"] for row in top if row["key"] is not None]
        names = dict(Concern._meta.get_field(by).related_model.objects.filter(pk__in=keys).values_list("pk", "name"))
        rows = [{"id": row.pop("key"), **row} for row in top]
        for row in rows:
            row.update(name=names.get(row["id"], ""), overdue=overdue[by][row["id"]])
        breakdowns[by] = sorted(rows, key=lambda row: (-row["total"], row["name"]))
    return breakdowns


def _top_site_groups(by: str, since: datetime.date, until: datetime.date, site) -> list[dict]:
    counted = {key: Count("pk", filter=CASE_FIGURES[key]()) for key in GROUP_COUNTED[1:]}
    return list(_cases(since, until, site).values(key=F(by)).annotate(total=Count("pk"), **counted)
                .order_by("-total", "key")[:BREAKDOWN_ROWS])


def _overdue_in_groups(tops: dict[str, list[dict]], since, until, site) -> dict[str, Counter]:
    """The period's overdue cases in each of the shown groups: one query over the overdue cases in any of them
    (at most the period's overdue: a few thousand in a county), counted here."""
    chosen = Q(pk__in=[])
    for by, top in tops.items():
        keys = [row["key"] for row in top]
        chosen |= Q(**{f"{by}__in": [key for key in keys if key is not None]})
        if None in keys:
            chosen |= Q(**{f"{by}__isnull": True})
    overdue = {by: Counter() for by in tops}
    for row in _cases(since, until, site).filter(CASE_FIGURES["overdue"](), chosen).values_list(*tops):
        for by, key in zip(tops, row, strict=True):
            overdue[by][key] += 1
    return overdue


def _top_groups(by: str, *spans: Q) -> list[dict]:
    """The BREAKDOWN_ROWS groups with the most concerns, their quarter, month, ten-day and day rows (`spans`:
    _spans) added up: one query."""
    rows = [model.objects.filter(span, by=by) for model, span
            in zip((ConcernQuarterGroup, ConcernMonthGroup, ConcernTenGroup, ConcernDayGroup), spans, strict=True)]
    return [dict(zip(("key", *GROUP_COUNTED), row, strict=True))
            for row in _sums(rows, GROUP_COUNTED, by="key", ranked=BREAKDOWN_ROWS)]


def concern_overdue_oldest(*, site=None, limit: int = OLDEST_OVERDUE) -> list[Concern]:
    """Open concerns past their deadline now (whenever filed), the longest overdue first: one query. The ten
    are chosen before their category, village and unit are joined: a county has thousands overdue."""
    overdue = Concern.objects.filter(CASE_FIGURES["overdue"]())
    if site is not None:
        overdue = overdue.filter(site=site)
    oldest = ("deadline_on", "created_at")
    chosen = overdue.order_by(*oldest).values("pk")[:limit]
    return list(Concern.objects.filter(pk__in=chosen).select_related("category", "village", "unit").order_by(*oldest))


def reception_figures(*, since: datetime.date, until: datetime.date, site=None) -> dict:
    """reception_figures_each of one period."""
    return reception_figures_each([(since, until)], site=site)[0]


def reception_figures_each(periods: list[tuple[datetime.date, datetime.date]], *, site=None) -> list[dict]:
    """Walk-in receptions on days in each [since, until) of `periods` and the visitors they received, summed
    from the running totals (petitions.rollups: the caller catches them up first): one query."""
    tallies = _tallies_each(periods, site, (ReceptionQuarter, ReceptionMonth, ReceptionTen, ReceptionDay))
    sums = {index: values for index, *values in _sums(tallies, ("receptions", "visitors"), by="period")}
    return [dict(zip(("receptions", "visitors"), (n or 0 for n in sums.get(index, (0, 0))), strict=True))
            for index in range(len(periods))]


def suggestion_figures(periods: list[tuple[datetime.date, datetime.date]]) -> list[dict]:
    """For each [since, until) of `periods`, deputies' suggestions submitted in it: made, answered, adopted
    (answered in a category that counts as adopted, as on the public list: suggestion_selectors.PUBLIC), and
    answered per answer category [(label, count)] in the township's order: two queries for all the periods.
    Suggestions belong to the township, not to a site."""
    aware = [(_aware(since), _aware(until)) for since, until in periods]
    answered = SUGGESTION_FIGURES["answered"]
    each = [{**counts, "by_category": []} for counts in counts_each(
        Suggestion.objects.all(), "submitted_at", aware, made=Q(), answered=answered,
        adopted=SUGGESTION_FIGURES["adopted"])]
    within = windows("submitted_at", aware)
    by_category = (
        Suggestion.objects.filter(answered, reduce(operator.or_, within), answer_category__isnull=False)
        .values("answer_category__code", "answer_category__label", "answer_category__order")
        .annotate(**{f"n{index}": Count("pk", filter=window) for index, window in enumerate(within)})
        .order_by("answer_category__order", "answer_category__code")
    )
    for row in by_category:
        for index, figures in enumerate(each):
            if row[f"n{index}"]:
                label = f'{row["answer_category__code"]} {row["answer_category__label"]}'
                figures["by_category"].append((label, row[f"n{index}"]))
    return each
