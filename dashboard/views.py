from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from deputies.activities import activity_list_latest_public
from deputies.duty_selectors import duty_days_public
from deputies.selectors import deputy_level_counts, site_list_public


@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    """The pocket liaison station (掌上联络站): its columns, mobile first."""
    return render(
        request,
        "dashboard/portal.html",
        {"deputy_total": sum(deputy_level_counts().values()), "sites": site_list_public(),
         "duty": duty_days_public(),
         "activities": activity_list_latest_public()},
    )
