"""The big screen's data (大屏, /screen/): one JSON-ready dict read from the other apps' selectors, the same for
the page's first render and for its refresh every minute. Nothing in it is personal: deputies' names are
public, and a concern shows only its category, village, status and its masked public text, and only when
its constituent agreed to show it.

Counted every SCREEN_CACHE_SECONDS per township, site and language, by one request at a time
(liaison.counted): every screen of a township polling once a minute costs one computation a minute, and
`generated_at` tells the screen how old what it shows is."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from deputies.activities import activity_list_with_photos_public
from deputies.duty_selectors import duty_days_public
from liaison.counted import counted_once
from liaison.scoping import current_township
from petitions.models import Concern
from petitions.selectors import concern_counts, concern_list_public, concern_public_text, reception_count
from petitions.suggestion_selectors import suggestion_adopted_count, suggestion_list_public, suggestion_public
from projects.selectors import project_list_public

LIST_LENGTH = 8
CASES_SHOWN = 6  # a column of a 1080-line screen
RESOLVED = (Concern.Status.RESOLVED, Concern.Status.CLOSED)
PROJECTS_SHOWN = 8  # a township votes on about eight a year
TEXT_LENGTH = 60


def screen_data(*, site=None) -> dict:
    return counted_once(f"screen:{current_township().pk}:{site.pk if site else ''}:{get_language()}",
                        lambda: _compute(site), settings.SCREEN_CACHE_SECONDS)


def _compute(site) -> dict:
    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    counts = concern_counts(since=year_start, site=site)
    rated = sum(counts[k] for k in ("satisfied", "basic", "unsatisfied"))
    resolved = sum(counts[outcome.value] for outcome in Concern.Outcome)
    figures = [
        ("received", _("Concerns this year"), counts["total"]),
        ("resolved", _("Resolved"), resolved),
        ("fixed", _("Fixed"), counts["fixed"]),
        ("open", _("Being handled"), counts["open"]),
        ("satisfaction", _("Satisfied or fairly satisfied"),
         f"{round(100 * (counts['satisfied'] + counts['basic']) / rated)}%" if rated else "—"),
        ("suggestions", _("Suggestions adopted this year"), suggestion_adopted_count(since=year_start)),
        ("receptions", _("Walk-in receptions this year"),
         reception_count(since=year_start, until=today + datetime.timedelta(days=1), site=site)),
    ]
    duty = duty_days_public(site=site, today=today)
    projects = [{"title": p.candidate.title, "unit": p.responsible_unit.name if p.responsible_unit else "",
                 "progress": p.progress, "percent": f"{p.progress}%", "photo": _cover(p)}
                for p in project_list_public()[:PROJECTS_SHOWN]]
    figures.insert(0, ("projects", _("Livelihood projects completed"),
                       f"{sum(p['progress'] == 100 for p in projects)}/{len(projects)}" if projects else "—"))
    return {
        "generated_at": timezone.now().isoformat(),
        "year": today.year,
        "figures": [{"key": key, "label": label, "value": value} for key, label, value in figures],
        "duty": [_duty(day) for day in duty["today"]],
        "next_duty": [{"date": _day(day.held_on), **_duty(day)} for day in duty["next"]],
        "activities": [
            {"title": a.title, "date": _day(a.held_on), "place": a.place,
             "photo": a.photos_shown[0].get_absolute_url() if a.photos_shown else ""}
            for a in activity_list_with_photos_public(limit=LIST_LENGTH)],
        "projects": projects,
        "suggestions": [{"title": s.title, "deputy": s.deputy.name, "unit": s.unit, "category": s.category}
                        for s in map(suggestion_public, suggestion_list_public()[:CASES_SHOWN])],
        "open_cases": cases_public(Concern.OPEN_STATUSES),
        "resolved_cases": cases_public(RESOLVED),
    }


def _cover(project) -> str:
    return reverse("projects:photo", args=[project.cover]) if project.cover else ""


def _duty(day) -> dict:
    return {"site": day.site.name, "deputies": "、".join(shift.deputy.name for shift in day.standing)}


def cases_public(statuses, limit: int = CASES_SHOWN) -> list[dict]:
    """The newest concerns of `statuses` whose constituents agreed to show them: category, village, status,
    date and the masked text; no tracking code, nothing personal. Two queries."""
    return [{"category": c.category.name, "village": c.village.name if c.village else "",
             "status": c.get_status_display(), "date": _day(timezone.localtime(c.created_at).date()),
             "text": _short(concern_public_text(concern=c, text=c.content))}
            for c in concern_list_public(statuses=list(statuses), limit=limit)]


def _day(day: datetime.date) -> str:
    return date_format(day, "n月j日") if get_language().startswith("zh") else date_format(day, "MONTH_DAY_FORMAT")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LENGTH else text[:TEXT_LENGTH - 1] + "…"
