import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dashboard.screen import RESOLVED, cases_public, screen_data
from dashboard.study import latest_public_materials
from deputies.activities import activity_list_latest_public
from deputies.duty_selectors import duty_days_public
from deputies.models import Site
from deputies.selectors import deputy_level_counts, site_get_public, site_list_public
from liaison.public_pages import cached_public_page
from liaison.scoping import found_in_township
from projects.selectors import project_list_public

PORTAL_PROJECTS = 8  # a township's projects of a year


@require_safe
@cached_public_page
def portal(request: HttpRequest) -> HttpResponse:
    """The pocket liaison station (掌上联络站): its columns, mobile first."""
    sites = list(site_list_public())
    return render(
        request,
        "dashboard/portal.html",
        {"deputy_total": sum(deputy_level_counts().values()), "sites": sites,
         "station": next((s for s in sites if s.kind == Site.Kind.STATION), None),
         "duty": duty_days_public(),
         "activities": activity_list_latest_public(),
         "materials": latest_public_materials(3),
         "projects": list(project_list_public()[:PORTAL_PROJECTS]),
         "results": cases_public(RESOLVED, limit=3)},
    )


def _site(request: HttpRequest, code: str | None) -> Site | None:
    """The site a screen's address names (its printed code resolves on any host), or None for the township's."""
    return None if code is None else found_in_township(request, site_get_public(code=code))


@require_safe
def screen(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The big screen for a 1920×1080 wall (the township's, or one site's): rendered with its data, then kept
    fresh by static/js/screen.js from `screen_data` without reloading."""
    site = _site(request, code)
    data = screen_data(site=site)
    return render(request, "dashboard/screen.html", {
        "site": site, "data": data, "generated_at": datetime.datetime.fromisoformat(data["generated_at"]),
        "case_lists": [("open_cases", _("Being handled"), data["open_cases"]),
                       ("resolved_cases", _("Resolved"), data["resolved_cases"])],
        # What the script writes itself, translated here: %(minutes)s and %(time)s are filled in by it.
        "strings": {"updated": _("Updated %(time)s"),
                    "stale": _("No connection to the server: showing the data of %(minutes)s minutes ago. "
                               "Reconnecting…"),
                    "stale_now": _("No connection to the server: showing the last data. Reconnecting…")},
        "refresh_seconds": settings.SCREEN_REFRESH_SECONDS, "rotate_seconds": settings.SCREEN_ROTATE_SECONDS,
        "reload_in_minutes": _minutes_until(settings.SCREEN_RELOAD_HOUR), "time_zone": settings.TIME_ZONE})


def _minutes_until(hour: int) -> int:
    """Minutes from now to the next `hour` o'clock in station time."""
    now = timezone.localtime()
    then = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if then <= now:
        then += datetime.timedelta(days=1)
    return int((then - now).total_seconds() // 60)


@require_safe
def screen_json(request: HttpRequest, code: str | None = None) -> JsonResponse:
    response = JsonResponse(screen_data(site=_site(request, code)), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"  # always ask: the server's cache decides how fresh it is
    return response
