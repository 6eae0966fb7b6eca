"""The cockpit's figures about cases, receptions and suggestions over a period (dashboard.cockpit puts them
together): aggregate queries, a fixed number of them whatever the rows.

A figure about cases is a key of petitions.selectors.CASE_FIGURES: the count here and the desk list's
`figure` filter read the same condition, so a click on a number lists exactly the rows it counted.
Periods are [since, until) in station time: dates are read as the start of that day in Asia/Shanghai.
"""

import datetime

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.models import Concern, Reception
from petitions.selectors import CASE_FIGURES, IS_CASE, _aware, concern_counts
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


def concern_figures(*, since: datetime.date, until: datetime.date, site=None) -> dict:
    """concern_counts (with channels) and the medians of the concerns filed in [since, until): two queries on
    PostgreSQL, five elsewhere.

    median_first_response and median_result are timedeltas (None without a case to measure): from
    filing to the first response (Concern.first_response_at), and to the latest result (resolved_at,
    cleared when a case is reopened, so a reopened case counts once resolved again).
    """
    figures = concern_counts(since=since, until=until, site=site, channels=True)
    cases = _cases(since, until, site)
    if connection.vendor == "postgresql":  # one pass for both: an ordered-set aggregate (nulls are left out)
        figures.update(cases.aggregate(median_first_response=_Median(F("first_response_at") - F("created_at")),
                                       median_result=_Median(F("resolved_at") - F("created_at"))))
    else:
        figures["median_first_response"] = _median(cases, "created_at", "first_response_at")
        figures["median_result"] = _median(cases, "created_at", "resolved_at")
    return figures


class _Median(Aggregate):
    """PostgreSQL's median of intervals: percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _median(concerns: QuerySet[Concern], start: str, end: str) -> datetime.timedelta | None:
    """The median of end - start over the concerns that have an end, where there is no median aggregate
    (SQLite): a count, then the middle row or two of the sorted durations."""
    measured = concerns.filter(**{f"{end}__isnull": False})
    total = measured.count()
    if not total:
        return None
    durations = measured.annotate(
        duration=ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    ).order_by("duration").values_list("duration", flat=True)
    middle = list(durations[(total - 1) // 2: total // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle)


def concern_trend(*, since: datetime.date, until: datetime.date, site=None) -> list[dict]:
    """Per month of filing in [since, until): received, resolved (any outcome), fixed, in one query; months
    without a concern are there with zeros. `since` is the first of a month."""
    months = (
        _cases(since, until, site)
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(received=Count("pk"), resolved=Count("pk", filter=CASE_FIGURES["resolved"]()),
                  fixed=Count("pk", filter=CASE_FIGURES["fixed"]()))
        .order_by("month")
    )
    found = {_month_of(row.pop("month")): row for row in months}
    rows, month = [], since
    while month < until:
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        rows.append({"month": month, "until": min(following, until),
                     **found.get(month, {"received": 0, "resolved": 0, "fixed": 0})})
        month = following
    return rows


def _month_of(value) -> datetime.date:
    # TruncMonth gives an aware datetime on PostgreSQL and SQLite alike; a date on some backends.
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def concern_breakdown(*, by: str, since: datetime.date, until: datetime.date, site=None) -> list[dict]:
    """The BREAKDOWN_ROWS largest groups of the period's concerns by category, village, deputy or unit:
    [{"id", "name", "total", "open", "overdue", "resolved", "fixed", "satisfied", "basic", "unsatisfied"}],
    the largest first; concerns without a village, deputy or unit make a row of their own (id None)."""
    name = BREAKDOWNS[by]
    keys = ("open", "overdue", "resolved", "fixed", "satisfied", "basic", "unsatisfied")
    rows = (
        _cases(since, until, site).values(by, name)
        .annotate(total=Count("pk"), **{key: Count("pk", filter=CASE_FIGURES[key]()) for key in keys})
        .order_by("-total", name)[:BREAKDOWN_ROWS]
    )
    return [{"id": row.pop(by), "name": row.pop(name) or "", **row} for row in rows]


def concern_overdue_oldest(*, site=None, limit: int = OLDEST_OVERDUE) -> list[Concern]:
    """Open concerns past their deadline now (whenever filed), the longest overdue first: one query."""
    overdue = Concern.objects.filter(CASE_FIGURES["overdue"]())
    if site is not None:
        overdue = overdue.filter(site=site)
    return list(overdue.select_related("category", "village", "unit").order_by("deadline_on", "created_at")[:limit])


def reception_figures(*, since: datetime.date, until: datetime.date, site=None) -> dict:
    """Walk-in receptions on days in [since, until) and the visitors they received: one query."""
    receptions = Reception.objects.filter(received_on__gte=since, received_on__lt=until)
    if site is not None:
        receptions = receptions.filter(site=site)
    figures = receptions.aggregate(receptions=Count("pk"), visitors=Sum("visitor_count"))
    return {"receptions": figures["receptions"], "visitors": figures["visitors"] or 0}


def suggestion_figures(*, since: datetime.date, until: datetime.date) -> dict:
    """Deputies' suggestions submitted in [since, until): made, answered, adopted (answered in a category
    that counts as adopted, as on the public list: suggestion_selectors.PUBLIC), and answered per answer
    category [(label, count)] in the township's order: two queries. Suggestions belong to the township,
    not to a site."""
    submitted = Suggestion.objects.filter(submitted_at__gte=_aware(since), submitted_at__lt=_aware(until))
    answered = SUGGESTION_FIGURES["answered"]
    figures = submitted.aggregate(made=Count("pk"), answered=Count("pk", filter=answered),
                                  adopted=Count("pk", filter=SUGGESTION_FIGURES["adopted"]))
    by_category = (
        submitted.filter(answered, answer_category__isnull=False)
        .values("answer_category__code", "answer_category__label", "answer_category__order")
        .annotate(n=Count("pk")).order_by("answer_category__order", "answer_category__code")
    )
    figures["by_category"] = [(f'{row["answer_category__code"]} {row["answer_category__label"]}', row["n"])
                              for row in by_category]
    return figures
