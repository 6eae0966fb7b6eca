"""The public pages of deputies' suggestions: the adopted ones with their answers (docs/suggestions.md,
"Public pages"). No personal data: petitions.suggestion_selectors decides what is public and masks."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from liaison.scoping import found_in_township
from petitions.suggestion_selectors import suggestion_get_public, suggestion_list_public, suggestion_public

PAGE_SIZE = 20


@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    page = Paginator(suggestion_list_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/public/suggestions.html", {
        "page": page, "suggestions": [suggestion_public(row) for row in page.object_list],
    })


@require_safe
def suggestion(request: HttpRequest, code: str) -> HttpResponse:
    row = found_in_township(request, suggestion_get_public(code=code))
    return render(request, "petitions/public/suggestion.html", {"suggestion": suggestion_public(row)})
