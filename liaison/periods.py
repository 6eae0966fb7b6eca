"""Counting rows over several periods in one query: the cockpit sets each figure beside the period before and
the same period a year before. One statement of a count per period (UNION ALL): each count still reads only
its own range of the index, where one scan with a filter per period would read every row of all three."""

import datetime

from django.db.models import Count, IntegerField, Q, QuerySet, Value

Periods = list[tuple[datetime.date | datetime.datetime, datetime.date | datetime.datetime]]


def windows(field: str, periods: Periods) -> list[Q]:
    """The condition that a row's `field` falls in each [since, until) of `periods`."""
    return [Q(**{f"{field}__gte": since, f"{field}__lt": until}) for since, until in periods]


def counts_each(rows: QuerySet, field: str, periods: Periods, **counted: Q) -> list[dict[str, int]]:
    """For each period, the number of `rows` whose `field` falls in it and that meet each of `counted`'s
    conditions (Q() counts them all, and from the index alone where it can): [{name: n}] in the order of
    `periods`, one query."""
    parts = [rows.filter(window).annotate(period=Value(index, output_field=IntegerField())).values("period")
             .annotate(**{name: Count("pk", filter=condition) if condition else Count("*")
                          for name, condition in counted.items()}).order_by()
             for index, window in enumerate(windows(field, periods))]
    if not parts:
        return []
    found = {row.pop("period"): row for row in parts[0].union(*parts[1:], all=True)}
    # A part that can have no row (a scope without townships) is left out of the statement: none counted.
    return [found.get(index, dict.fromkeys(counted, 0)) for index in range(len(parts))]
