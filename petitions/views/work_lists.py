"""The three back-office lists: every concern (officials, staff), a deputy's inbox, a handler's unit queue."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liaison import roles
from petitions import selectors
from liaison.roles import role_required
from petitions.forms.work import ConcernFilterForm

PAGE_SIZE = 30


def _filters(form: ConcernFilterForm) -> dict:
    if not form.is_bound:
        return {}
    # A stale link with one bad value (a deleted village) still filters by the others.
    form.is_valid()
    return form.cleaned_data


@require_GET
@role_required(roles.OFFICIAL, roles.STAFF)
def concerns(request: HttpRequest) -> HttpResponse:
    form = ConcernFilterForm(request.GET or None)
    concern_list = selectors.concern_list(user=request.user, filters=_filters(form))
    page = Paginator(concern_list, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "petitions/work/concerns.html",
        {"form": form, "page": page},
    )


@require_GET
@role_required(roles.DEPUTY)
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.concern_inbox_open(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "petitions/work/inbox.html",
        {"page": page, "ended": selectors.concern_inbox_ended(user=request.user)},
    )


@require_GET
@role_required(roles.HANDLER)
def unit(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.concern_unit_open(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "petitions/work/unit.html",
        {"page": page, "resolved": selectors.concern_unit_resolved(user=request.user)},
    )
