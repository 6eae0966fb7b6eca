"""The staff's view of liaison households: households per deputy against the rule, and the deputies
who have not been in touch with theirs lately (docs/households.md)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from deputies.households import contact_cutoff, deputy_household_overview, deputy_list_not_contacting
from liaison import roles
from liaison.roles import role_required


@require_safe
@role_required(roles.STAFF, roles.OFFICIAL)
def households(request: HttpRequest) -> HttpResponse:
    deputies = list(deputy_household_overview())
    rule = settings.HOUSEHOLDS_PER_DEPUTY
    return render(request, "deputies/households.html", {
        "deputies": deputies, "rule": rule, "days": settings.HOUSEHOLD_CONTACT_DAYS,
        "below_rule": sum(d.household_count < rule for d in deputies),
    })


@require_safe
@role_required(roles.STAFF, roles.OFFICIAL)
def not_contacting(request: HttpRequest) -> HttpResponse:
    return render(request, "deputies/households_quiet.html", {
        "deputies": list(deputy_list_not_contacting()), "days": settings.HOUSEHOLD_CONTACT_DAYS,
        "cutoff": contact_cutoff(),
    })
