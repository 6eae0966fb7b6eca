from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from deputies.activities import activity_list_recent_for_deputy
from deputies.duty_selectors import duty_days_public, shift_today_for
from deputies.forms import DirectoryFilterForm
from deputies.models import Deputy, HasPublicCode
from deputies.record import chosen_year, duty_record, public_sections, record_years
from deputies.selectors import (
    deputy_get_public,
    deputy_groups_by_level,
    deputy_initials,
    deputy_level_counts,
    deputy_list_public,
    site_get_public,
    site_list_public,
)
from deputies.services import qr_content
from liaison import roles
from liaison.public_pages import cached_public_page
from liaison.scoping import found_in_township

_PAGE_SIZE = 100


@require_safe
@cached_public_page
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "level": filters.get("level"),
        "site": filters.get("site"),
        "village": filters.get("village"),
        "query": (filters.get("q") or "").strip(),
    }
    letter = filters.get("letter") or ""
    deputies = deputy_list_public(**chosen, letter=letter)
    page = Paginator(deputies, _PAGE_SIZE).get_page(request.GET.get("page"))
    level_counts = deputy_level_counts()
    return render(
        request,
        "deputies/directory.html",
        {
            "form": form,
            "page": page,
            "groups": deputy_groups_by_level(page.object_list),
            "level_counts": [
                {"value": value, "label": label, "count": level_counts.get(value, 0)}
                for value, label in Deputy.Level.choices
                if level_counts.get(value)
            ],
            "total": sum(level_counts.values()),
            "sites": site_list_public(),
            "letter": letter,
            "initials": deputy_initials(**chosen),
            # The level, site and village filters stay folded away on a phone unless one is in use.
            "filters_open": any(chosen[key] for key in ("level", "site", "village")),
        },
    )


@require_safe
@cached_public_page
def profile(request: HttpRequest, code: str) -> HttpResponse:
    deputy = found_in_township(request, deputy_get_public(code=code))
    today = timezone.localdate()
    year = chosen_year(request.GET.get("year"), today)
    return render(request, "deputies/profile.html", {
        "deputy": deputy,
        "recent_activities": activity_list_recent_for_deputy(deputy=deputy),
        # Counts only, this deputy's alone: the page never compares deputies (docs/duty-record.md).
        "record": public_sections(duty_record(deputy, year)),
        "record_year": year,
        "record_years": record_years(today),
        # Staff and officials get a link to the full timeline; nobody else costs a query for it.
        "may_see_timeline": request.user.is_authenticated
        and bool(roles.user_roles(request.user) & {roles.STAFF, roles.OFFICIAL}),
    })


@require_safe
@cached_public_page
def site_page(request: HttpRequest, code: str) -> HttpResponse:
    site = found_in_township(request, site_get_public(code=code))
    deputies = deputy_list_public(site=site)
    return render(request, "deputies/site.html", {
        "site": site, "groups": deputy_groups_by_level(deputies), "duty": duty_days_public(site=site),
        # A deputy on duty here today who scanned the site's QR code: the check-in button.
        "shift_today": shift_today_for(user=request.user, site=site),
    })


def _qr_response(request: HttpRequest, record: HasPublicCode | None, fmt: str) -> HttpResponse:
    record = found_in_township(request, record)
    content_type = "image/png" if fmt == "png" else "image/svg+xml"
    return HttpResponse(qr_content(record=record, fmt=fmt), content_type=content_type)


@require_safe
@cache_control(public=True, max_age=3600)
def deputy_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return _qr_response(request, deputy_get_public(code=code), fmt)


@require_safe
@cache_control(public=True, max_age=3600)
def site_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return _qr_response(request, site_get_public(code=code), fmt)
