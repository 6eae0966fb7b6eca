"""A deputy's liaison households on the phone: the list with when each was last contacted, recording a
visit or call, and raising a concern from it in the same step (docs/households.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from deputies.households import household_contacts_recent, household_get_for_deputy, household_list_for_deputy
from deputies.models import Deputy
from liaison import roles
from liaison.roles import role_required
from petitions.forms.work import HouseholdConcernForm, HouseholdContactForm
from petitions.households import household_concern_raise, household_contact_get_for_deputy, household_contact_submit


def _deputy_of(request: HttpRequest) -> Deputy:
    deputy = getattr(request.user, "deputy", None)
    if deputy is None or not deputy.is_active:
        raise PermissionDenied  # a deputy login not linked to an active deputy has no households
    return deputy


@require_safe
@role_required(roles.DEPUTY)
def households(request: HttpRequest) -> HttpResponse:
    deputy = _deputy_of(request)
    return render(request, "petitions/work/households.html", {
        "households": list(household_list_for_deputy(deputy=deputy)),
        "recent": list(household_contacts_recent(deputy=deputy, limit=10)),
    })


# never_cache: the form carries a one-time token (see work_patrol.patrol).
@never_cache
@require_http_methods(["GET", "POST"])
@role_required(roles.DEPUTY)
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = _deputy_of(request)
    household = household_get_for_deputy(deputy=deputy, pk=pk)
    if household is None:
        raise Http404
    if request.method == "POST":
        form = HouseholdContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contact, concern, created = household_contact_submit(
                    household=household, deputy=deputy, kind=data["kind"], contacted_on=data["contacted_on"],
                    notes=data["notes"], recorded_by=request.user, category=data["category"],
                    content=data["content"], submission_key=form.submission_key(request.user))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not created:
                    messages.info(request, _("This contact was already recorded; nothing was recorded twice."))
                elif concern is not None:
                    messages.success(request, _("Contact recorded, and the concern filed as %(code)s.")
                                     % {"code": concern.tracking})
                else:
                    messages.success(request, _("Contact recorded."))
                return redirect("desk:household_contact", contact.pk)
        messages.error(request, _("Please correct the form below."))
    else:
        form = HouseholdContactForm(initial={"token": HouseholdContactForm.new_token()})
    return render(request, "petitions/work/household_contact_new.html", {"household": household, "form": form})


@never_cache
@require_safe
@role_required(roles.DEPUTY)
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    found = household_contact_get_for_deputy(deputy=_deputy_of(request), pk=pk)
    if found is None:
        raise Http404
    form = HouseholdConcernForm(initial={"token": HouseholdConcernForm.new_token(), "content": found.notes})
    return render(request, "petitions/work/household_contact.html", {
        "contact": found, "concerns": list(found.concerns.all()), "form": form})


@require_POST
@role_required(roles.DEPUTY)
def contact_raise(request: HttpRequest, pk: int) -> HttpResponse:
    found = household_contact_get_for_deputy(deputy=_deputy_of(request), pk=pk)
    if found is None:
        raise Http404
    form = HouseholdConcernForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        concern, created = household_concern_raise(contact=found, category=data["category"], content=data["content"],
                                                   recorded_by=request.user,
                                                   submission_key=form.submission_key(request.user))
        if created:
            messages.success(request, _("The concern is filed as %(code)s.") % {"code": concern.tracking})
        else:
            messages.info(request, _("This concern was already filed as %(code)s; it was not filed again.")
                          % {"code": concern.tracking})
        return redirect("desk:household_contact", found.pk)
    messages.error(request, _("Please correct the form below."))
    return render(request, "petitions/work/household_contact.html", {
        "contact": found, "concerns": list(found.concerns.all()), "form": form})
