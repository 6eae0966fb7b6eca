"""The back-office lists: every concern and the filings held for review (officials, staff), a deputy's
inbox, a handler's unit queue."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from liaison import roles
from liaison.public_pages import cached_fragment, kept_for_township
from liaison.roles import role_required
from petitions import intake, selectors
from petitions.forms.work import BulkForwardForm, ConcernFilterForm
from petitions.models import Concern

PAGE_SIZE = 30
# The sortable columns: (column, the sort its header asks for, the other direction when already sorted so).
_SORTABLE = (("deadline", "deadline", None), ("created", "-created", "created"), ("updated", "-updated", None))


class _CountedPaginator(Paginator):
    """Told its count: the tabs' query has counted the list already."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _tabs(filters: dict, counts: dict[str, int]) -> list[dict]:
    """The tabs above the list: all, one per status, overdue; the link of each keeps the other filters."""
    status, overdue = filters.get("status") or None, bool(filters.get("overdue"))
    tabs = [{"label": _("All"), "status": None, "overdue": None, "count": counts["all"],
             "is_active": not status and not overdue}]
    tabs += [
        {"label": label, "status": value, "overdue": None, "count": counts[value],
         "is_active": status == value and not overdue}
        for value, label in Concern.Status.choices
    ]
    tabs.append({"label": _("Overdue"), "status": None, "overdue": "on", "count": counts["overdue"],
                 "is_active": overdue, "is_warning": True})
    return tabs


def _sort_links(filters: dict) -> dict[str, dict]:
    """Per sortable column: the sort its header links to, and whether (and which way) the list is sorted by it."""
    current = filters.get("sort") or selectors.DEFAULT_SORT
    links = {}
    for column, first, other in _SORTABLE:
        is_active = current in (first, other)
        target = other if other and current == first else first
        links[column] = {"sort": target, "is_active": is_active, "is_descending": current.startswith("-")}
    return links


@require_safe
@role_required(roles.OFFICIAL, roles.STAFF)
def concerns(request: HttpRequest) -> HttpResponse:
    def listing() -> dict:
        form = ConcernFilterForm(request.GET or None)
        filters = form.filters()
        concern_list, counts = selectors.concern_desk_list(user=request.user, filters=filters)
        page = _CountedPaginator(concern_list, PAGE_SIZE, count=counts["current"]).get_page(request.GET.get("page"))
        return {
            "form": form,
            "page": page,
            "tabs": _tabs(filters, counts),
            "sort_links": _sort_links(filters),
            # Its own ids: the filters above have a "unit" field too.
            "bulk_form": BulkForwardForm(auto_id="bulk-%s"),
            "deputy_names": kept_for_township("deputy-names", selectors.deputy_names),
            "has_export_range": bool(filters.get("date_from") and filters.get("date_to")),
            "export_limit": settings.EXPORT_ROW_LIMIT,
            "is_over_export_limit": counts["current"] > settings.EXPORT_ROW_LIMIT,
        }

    listing = cached_fragment(request, "petitions/work/partials/concern_listing.html", listing)
    return render(request, "petitions/work/concerns.html", {"listing": listing})


@require_safe
@role_required(roles.DEPUTY)
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.concern_inbox_open(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "petitions/work/inbox.html",
        {"page": page, "ended": selectors.concern_inbox_ended(user=request.user)},
    )


@require_safe
@role_required(roles.HANDLER)
def unit(request: HttpRequest) -> HttpResponse:
    def queue() -> dict:
        page = Paginator(selectors.concern_unit_open(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "resolved": selectors.concern_unit_resolved(user=request.user)}

    queue = cached_fragment(request, "petitions/work/partials/unit_queue.html", queue)
    return render(request, "petitions/work/unit.html", {"queue": queue})


@require_safe
@role_required(roles.OFFICIAL, roles.STAFF)
def held(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.concern_list_held(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/work/held.html", {"page": page, "failed_filings": intake.failed_count()})
