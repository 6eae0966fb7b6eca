"""A deputy's duty record (履职记录): figures and a timeline for one year, counted from the events themselves.

Each topic contributes its own part — duty days and check-ins, activities, reports to voters, household
contacts here in deputies; concerns and receptions from petitions (an app above this one, so it registers
its part in its AppConfig.ready instead of being imported here). The public deputy page, the staff
timeline and the annual work report all read `duty_record` / `duty_timeline`: one source for every view.

A part must cost a fixed number of queries whatever the number of events (the deputy page and the report
have query-count tests), and counts only what happened — never a typed-in number, never a ranking.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    key: str  # stable, e.g. "duty_days_attended"; tests and templates use it
    label: str | Promise  # translated
    value: int
    of: int | None = None  # "attended 10 of 12": the whole it is part of
    public: bool = True  # shown on the public deputy page (False: staff and the report only)


@dataclass(frozen=True)
class Entry:
    """One event on the staff timeline (or an item a section lists)."""

    on: datetime.date
    kind: str | Promise  # what happened, translated ("Duty day", "Enterprise visit", …)
    text: str  # a short line: place, title, tracking code; never a constituent's name or mobile
    url: str = ""  # the page of the event, if any: the back office's, or for a public entry its public page
    public: bool = False


@dataclass(frozen=True)
class Section:
    """One topic's figures, in the order the topic wants them shown, and the topic's own items to list with
    them (e.g. the deputy's suggestions: the public page links the public ones)."""

    key: str
    title: str | Promise
    figures: list[Figure] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


SectionPart = Callable[..., Section | None]  # (deputy, year) → Section, or None when the topic has nothing
TimelinePart = Callable[..., list[Entry]]  # (deputy, year) → entries

_SECTIONS: list[tuple[int, SectionPart]] = []
_TIMELINES: list[TimelinePart] = []


def register_section(part: SectionPart, *, order: int) -> None:
    """Add a topic's figures; `order` places it among the others (duty 10, activities 20, households 30,
    reports to voters 40, concerns 50, receptions 60, suggestions 70). Registering twice is a no-op."""
    if all(existing is not part for _order, existing in _SECTIONS):
        _SECTIONS.append((order, part))
        _SECTIONS.sort(key=lambda item: item[0])


def register_timeline(part: TimelinePart) -> None:
    if part not in _TIMELINES:
        _TIMELINES.append(part)


def duty_record(deputy, year: int) -> list[Section]:
    """Every topic's figures for `deputy` in `year` (calendar year, station time)."""
    return [section for _order, part in _SECTIONS if (section := part(deputy, year)) is not None]


def duty_timeline(deputy, year: int) -> list[Entry]:
    """Every event of `deputy` in `year`, newest first."""
    return sorted((entry for part in _TIMELINES for entry in part(deputy, year)), key=lambda e: e.on, reverse=True)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of `year`, for date filters (`on__range`)."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- for the pages that read the record -------------------------------------------------------------

# The years a page offers: this one and the four before (a term is five years). Older years are in the
# database still; no page offers them, so no crawler walks the record back to the first day.
YEARS_SHOWN = 5


def record_years(today: datetime.date) -> list[int]:
    """The years a record page offers, newest first."""
    return list(range(today.year, today.year - YEARS_SHOWN, -1))


def chosen_year(value: str | None, today: datetime.date) -> int:
    """The `?year=` a page was asked for, if it is one it offers; else this year."""
    years = record_years(today)
    try:
        year = int(value or "")
    except ValueError:
        return years[0]
    return year if year in years else years[0]


def public_sections(sections: list[Section]) -> list[Section]:
    """The sections as the public deputy page shows them: public figures and entries only; a section left
    with neither is dropped."""
    shown = (replace(section, figures=[f for f in section.figures if f.public],
                     entries=[e for e in section.entries if e.public]) for section in sections)
    return [section for section in shown if section.figures or section.entries]
