"""The cockpit's data (驾驶舱, /cockpit/): every figure of a period, of the previous period and of the same
period a year before, with the link to the records behind each, read from the other apps' aggregates.

Computed in a fixed number of queries whatever the rows, the concerns' figures summed from their running
totals (petitions.rollups, caught up first: as of the moment of computing), then cached for
COCKPIT_CACHE_SECONDS per scope (one township, or a county user's whole county), site, period and
language: the page says when its figures were computed. Nothing invalidates the cache early: a
figure is at most that old, and the page says so.
"""

import datetime
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from deputies.figures import activity_counts, duty_attendance, household_contact_count
from deputies.models import Activity
from liaison.db import without_parallel_workers
from liaison.scoping import scope_key
from petitions import figures as case_figures
from petitions import rollups
from petitions.models import Concern
from projects.selectors import project_list_public

PRESET_PERIODS = ("month", "quarter", "year")  # kept computed by dashboard.tasks
PERIOD_KINDS = (*PRESET_PERIODS, "custom")
# Figures where more is worse news: their rise is shown red, their fall green.
LOWER_IS_BETTER = frozenset({"overdue", "late", "reopened", "unsatisfied", "rejected", "median_first_response",
                             "median_result"})
DEFAULT_PERIOD = "year"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @property
    def until(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> dict[str, str]:
        """The desk list's filing-date filters for this period."""
        return {"date_from": self.start.isoformat(), "date_to": self.end.isoformat()}


def _year_earlier(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, *, today: datetime.date, date_from=None, date_to=None) -> Period:
    """This month, quarter or year up to today, or the chosen dates (today when an end is missing)."""
    if kind == "custom" and date_from:
        return Period(date_from, max(date_from, date_to or today))
    if kind == "month":
        return Period(today.replace(day=1), today)
    if kind == "quarter":
        return Period(datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1), today)
    return Period(datetime.date(today.year, 1, 1), today)


def previous_of(kind: str, period: Period) -> Period:
    """The period before: the previous month, quarter or year over the same days elapsed (1–3 December
    against 1–3 November), or as many days just before chosen dates."""
    months = {"month": 1, "quarter": 3, "year": 12}.get(kind)
    if months is None:
        return Period(period.start - datetime.timedelta(days=period.days), period.start - datetime.timedelta(days=1))
    start = _months_back(period.start, months)
    day = datetime.timedelta(days=1)
    return Period(start, min(start + (period.days - 1) * day, period.start - day))


def last_year_of(period: Period) -> Period:
    return Period(_year_earlier(period.start), _year_earlier(period.end))


def cockpit_data(*, kind: str, period: Period, site=None, roll_up: bool = False, fresh: bool = False) -> dict:
    """The cockpit's data for the current scope; from the cache unless `fresh` (dashboard.tasks keeps the
    preset periods' fresh)."""
    key = _key(kind, period, site, roll_up)
    data = None if fresh else cache.get(key)
    if data is None:
        data = _compute(kind, period, site, roll_up)
        data["count"] = secrets.token_hex(8)  # this count's name: a page drawn from it is kept (cockpit_views)
        cache.set(key, data, settings.COCKPIT_CACHE_SECONDS)
    return data


def cockpit_kept(*, kind: str, period: Period, roll_up: bool = False) -> bool:
    """Keep the current scope's cached view another COCKPIT_CACHE_SECONDS, as counted; False if it is gone."""
    return cache.touch(_key(kind, period, None, roll_up), settings.COCKPIT_CACHE_SECONDS)


def _key(kind: str, period: Period, site, roll_up: bool) -> str:
    return (f"cockpit:{scope_key()}:{site.pk if site else ''}:{kind}:{period.start}:{period.end}:{int(roll_up)}:"
            f"{get_language()}")


def _compute(kind: str, period: Period, site, roll_up: bool) -> dict:
    # The concerns' running totals (petitions.rollups): beat keeps them counted; without beat, counted here.
    rollups.catch_up(older_than=datetime.timedelta(seconds=settings.FIGURES_COUNT_SECONDS))
    with without_parallel_workers():
        return _figures(kind, period, site, roll_up)


def _figures(kind: str, period: Period, site, roll_up: bool) -> dict:
    now = timezone.now()
    periods = {"current": period, "previous": previous_of(kind, period), "last_year": last_year_of(period)}
    values = _values(periods, site)
    base = {"site": site.code} if site else {}
    return {
        # As old as its oldest part: the running totals may have been counted a little before now.
        "generated_at": min(now, rollups.counted_at() or now),
        "periods": periods,
        "sections": _sections(values, periods, base),
        "channels": [_row(f"channel_{value}", label, values, periods, {**base, "channel": value})
                     for value, label in Concern.Channel.choices],
        "answer_categories": _answer_categories(values, periods),
        "activities": [_linked(_row(f"activities_{value}", label, values, periods, None),
                                _link("activities_staff:list", {"kind": value, **periods["current"].dates()}))
                       for value, label in Activity.Kind.choices],
        "trend": _trend(period, site, base),
        "breakdowns": _breakdowns(period, site, base),
        "overdue": _overdue(site),
        "overdue_link": _link("desk:concerns", {**base, "overdue": "on", "sort": "deadline"}),
        "projects": [{"title": p.candidate.title, "progress": p.progress, "unit": str(p.responsible_unit or ""),
                      "link": reverse("projects_staff:project", args=[p.pk])} for p in project_list_public()],
        "townships": _townships(period) if roll_up else [],
    }


def _values(periods: dict[str, Period], site) -> dict[str, dict]:
    """Every figure of each period, flat: each kind of figure counted for all the periods together (about a
    dozen queries). A year's previous period is the same period last year: counted once."""
    distinct = list(dict.fromkeys(periods.values()))
    spans = [(one.start, one.until) for one in distinct]
    each = zip(distinct, case_figures.concern_figures_each(spans, site=site),
               case_figures.reception_figures_each(spans, site=site), case_figures.suggestion_figures(spans),
               duty_attendance(spans, site=site), household_contact_count(spans), activity_counts(spans), strict=True)
    values = {one: _flat(concerns, receptions, suggestions, duty, households, activities)
              for one, concerns, receptions, suggestions, duty, households, activities in each}
    return {name: values[one] for name, one in periods.items()}


def _flat(concerns: dict, receptions: dict, suggestions: dict, duty: dict, households: int, activities: dict) -> dict:
    return {
        **concerns,
        "on_time_rate": _share(concerns["on_time"], concerns["on_time"] + concerns["late"]),
        "satisfaction_rate": _share(concerns["satisfied"] + concerns["basic"],
                                    concerns["satisfied"] + concerns["basic"] + concerns["unsatisfied"]),
        **receptions,
        "household_contacts": households,
        "duty_scheduled": duty["scheduled"], "duty_attended": duty["attended"],
        "duty_rate": _share(duty["attended"], duty["scheduled"]),
        **{f"activities_{k}": n for k, n in activities.items()},
        "suggestions_made": suggestions["made"], "suggestions_answered": suggestions["answered"],
        "suggestions_adopted": suggestions["adopted"], "suggestions_by_category": suggestions["by_category"],
    }


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _link(name: str, params: dict | None) -> str:
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def _concerns_link(period: Period, params: dict | None) -> str:
    return _link("desk:concerns", {**period.dates(), **params}) if params is not None else ""


# The sections of figures: (key in _values, label, format, the desk list's filters for its records or None).
def _figure_rows() -> list[tuple[str, list[tuple]]]:
    f = case_figures.FIGURE_LABELS
    return [
        (_("Concerns"), [
            ("total", _("Received"), "count", {}),
            ("open", f["open"], "count", {"figure": "open"}),
            ("overdue", _("Overdue now (of those received)"), "count", {"figure": "overdue"}),
            ("reopened", f["reopened"], "count", {"figure": "reopened"}),
        ]),
        (_("Outcomes (each apart)"), [
            ("resolved", f["resolved"], "count", {"figure": "resolved"}),
            *[(o.value, o.label, "count", {"figure": o.value}) for o in Concern.Outcome],
        ]),
        (_("Timeliness"), [
            ("on_time_rate", _("On-time rate"), "percent", {"figure": "late"}),
            ("late", f["late"], "count", {"figure": "late"}),
            ("median_first_response", _("Median time to first response"), "duration", {"figure": "responded"}),
            ("median_result", _("Median time to a result"), "duration", {"figure": "resolved"}),
        ]),
        (_("Satisfaction"), [
            ("satisfaction_rate", _("Satisfied or basically satisfied"), "percent", {"figure": "satisfied"}),
            ("satisfied", f["satisfied"], "count", {"figure": "satisfied"}),
            ("basic", f["basic"], "count", {"figure": "basic"}),
            ("unsatisfied", f["unsatisfied"], "count", {"figure": "unsatisfied"}),
        ]),
        (_("Suggestions"), [
            ("suggestions_made", _("Suggestions made"), "count", "suggestions"),
            ("suggestions_answered", _("Answered"), "count", "suggestions:answered"),
            ("suggestions_adopted", _("Adopted"), "count", "suggestions:adopted"),
        ]),
        (_("Receptions, visits and duty"), [
            ("receptions", _("Walk-in receptions"), "count", "receptions"),
            ("visitors", _("Visitors received"), "count", "receptions"),
            ("household_contacts", _("Contacts with liaison households"), "count", "households"),
            ("duty_rate", _("Duty attendance"), "percent", "duty"),
            ("activities_total", _("Deputies' activities"), "count", "activities"),
        ]),
    ]


def _other_link(target: str, period: Period, site_params: dict) -> str:
    if target == "receptions":
        return _link("receptions:list", {**period.dates(), **site_params})
    if target.startswith("suggestions"):
        figure = target.partition(":")[2]
        return _link("desk:suggestions", {**period.dates(), **({"figure": figure} if figure else {})})
    if target == "activities":
        return _link("activities_staff:list", period.dates())
    # Not narrowed to the period: the households' overview and the site's roster (a month at a time).
    return {"households": lambda: _link("deputies_staff:households", None),
            "duty": lambda: _link("duty:roster", site_params or None)}[target]()


def _sections(values: dict, periods: dict, base: dict) -> list[dict]:
    sections = []
    for title, rows in _figure_rows():
        shown = []
        for key, label, form, target in rows:
            row = _row(key, label, values, periods, {**base, **target} if isinstance(target, dict) else None, form)
            if isinstance(target, str):
                row = _linked(row, _other_link(target, periods["current"], base))
            shown.append(row)
        sections.append({"title": title, "rows": shown})
    return sections


def _linked(row: dict, link: str) -> dict:
    """A row whose records are not the desk list's: this period's value links to `link`."""
    row["cells"][0]["link"] = row["link"] = link
    return row


def _row(key: str, label, values: dict, periods: dict, params: dict | None, form: str = "count") -> dict:
    """One figure in the three periods: each value with its text and the link to its records."""
    cells = [{"period": name, "value": _plain(values[name][key]), "text": _text(values[name][key], form),
              "link": _concerns_link(periods[name], params)} for name in ("current", "previous", "last_year")]
    for cell in cells[1:]:
        cell["change"] = _change(values["current"][key], values[cell["period"]][key], form,
                                 lower_is_better=key in LOWER_IS_BETTER)
    return {"key": key, "label": str(label), "form": form, "cells": cells, "link": cells[0]["link"]}


def _plain(value):
    """A JSON- and spreadsheet-ready value: durations in hours."""
    return round(value.total_seconds() / 3600, 1) if isinstance(value, datetime.timedelta) else value


def _text(value, form: str) -> str:
    if value is None:
        return "—"
    if form == "percent":
        return f"{value:g}%"
    if form == "duration":
        hours = value.total_seconds() / 3600
        if hours < 48:
            return ngettext("%(n)s hour", "%(n)s hours", round(hours)) % {"n": round(hours)}
        return _("%(n)s days") % {"n": f"{hours / 24:.1f}"}
    return str(value)


def _change(now, then, form: str, *, lower_is_better: bool = False) -> dict:
    """The change against an earlier period: its text (+3, −2.5 points, +12%), whether it went up, and
    whether that is for the better ("good"), the worse ("bad") or neither ("same")."""
    if now is None or then is None:
        return {"text": "", "direction": "", "tone": "same"}
    if form == "duration":
        now, then = now.total_seconds() / 3600, then.total_seconds() / 3600
    difference = now - then
    direction = "up" if difference > 0 else "down" if difference < 0 else ""
    if form == "percent":
        text = _("%(n)s points") % {"n": f"{difference:+.1f}"}
    elif form == "duration":
        text = ngettext("%(n)s hour", "%(n)s hours", abs(round(difference))) % {"n": f"{round(difference):+d}"}
    else:
        text = f"{difference:+d}" + (f" ({difference / then:+.0%})" if then else "")
    tone = "same" if not direction else "good" if (direction == "up") != lower_is_better else "bad"
    return {"text": text.replace("-", "−"), "direction": direction, "tone": tone}


def _answer_categories(values: dict, periods: dict) -> list[dict]:
    labels = dict.fromkeys(label for name in values for label, _n in values[name]["suggestions_by_category"])
    counts = {name: dict(values[name]["suggestions_by_category"]) for name in values}
    return [{"label": label, "cells": [counts[name].get(label, 0) for name in ("current", "previous", "last_year")],
             "link": _link("desk:suggestions", {**periods["current"].dates(), "figure": "answered"})}
            for label in labels]


def _trend(period: Period, site, base: dict) -> list[dict]:
    """The twelve months up to the period's end, by month of filing."""
    first = _months_back(period.end, case_figures.TREND_MONTHS - 1)
    months = case_figures.concern_trend(since=first, until=period.until, site=site)
    return [{"month": f"{row['month']:%Y-%m}", "received": row["received"], "resolved": row["resolved"],
             "fixed": row["fixed"],
             "link": _concerns_link(Period(row["month"], row["until"] - datetime.timedelta(days=1)), base)}
            for row in months]


def _breakdowns(period: Period, site, base: dict) -> list[dict]:
    titles = {"category": _("By category"), "village": _("By village"), "deputy": _("By deputy"),
              "unit": _("By handling unit")}
    missing = {"village": _("No village given"), "deputy": _("To the station"), "unit": _("Not forwarded")}
    tables = []
    breakdowns = case_figures.concern_breakdowns(since=period.start, until=period.until, site=site)
    for by, title in titles.items():
        rows = breakdowns[by]
        for row in rows:
            row["name"] = row["name"] or str(missing.get(by, "—"))
            # A group without a village, deputy or unit has no filter of its own on the desk list.
            target = None if row["id"] is None else {**base, by: row["name"] if by == "deputy" else row["id"]}
            row["link"] = _concerns_link(period, target)
            row["open_link"] = _concerns_link(period, target and {**target, "figure": "open"})
            row["satisfaction_rate"] = _share(row["satisfied"] + row["basic"],
                                              row["satisfied"] + row["basic"] + row["unsatisfied"])
        tables.append({"by": by, "title": str(title), "rows": rows})
    return tables


def _overdue(site) -> list[dict]:
    today = timezone.localdate()
    return [{"tracking": c.tracking, "category": c.category.name, "village": c.village.name if c.village else "",
             "unit": c.unit.name if c.unit else "", "deadline": c.deadline_on, "days": (today - c.deadline_on).days,
             "link": reverse("desk:concern", args=[c.tracking])}
            for c in case_figures.concern_overdue_oldest(site=site)]


def _townships(period: Period) -> list[dict]:
    """The county's townships side by side (a county user looking at the whole county)."""
    rows = case_figures.concern_figures_by_township(since=period.start, until=period.until)
    for row in rows:
        row["on_time_rate"] = _share(row["on_time"], row["on_time"] + row["late"])
        row["satisfaction_rate"] = _share(row["satisfied"] + row["basic"],
                                          row["satisfied"] + row["basic"] + row["unsatisfied"])
    return rows


def chart_data(data: dict) -> dict:
    """What static/js/cockpit.js draws (the tables beside the charts hold the same numbers): labels,
    series, and for each bar the link to its records."""
    outcomes = next(s for s in data["sections"] if any(r["key"] == "fixed" for r in s["rows"]))["rows"][1:]
    categories = data["breakdowns"][0]["rows"]
    return {
        "trend": {"labels": [m["month"] for m in data["trend"]], "links": [m["link"] for m in data["trend"]],
                  "series": [{"name": name, "data": [m[key] for m in data["trend"]]} for key, name in (
                      ("received", _("Received")), ("resolved", _("Resolved (any outcome)")), ("fixed", _("Fixed")))]},
        "channels": _bars(data["channels"]),
        "outcomes": _bars(outcomes),
        "categories": {"labels": [r["name"] for r in categories], "links": [r["link"] for r in categories],
                       "series": [{"name": _("Received"), "data": [r["total"] for r in categories]}]},
    }


def _bars(rows: list[dict]) -> dict:
    return {"labels": [r["label"] for r in rows], "links": [r["link"] for r in rows],
            "series": [{"name": _("This period"), "data": [r["cells"][0]["value"] for r in rows]},
                       {"name": _("Same period last year"), "data": [r["cells"][2]["value"] for r in rows]}]}
