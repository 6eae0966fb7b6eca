"""Desk pages of deputies' suggestions (docs/suggestions.md): the list (per role), filing (also from a
concern in one step), the detail with one form per move the user may make, co-signing and co-handlers' views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from liaison import roles
from liaison.roles import role_required, user_roles
from petitions import access, suggestion_access, suggestion_selectors, suggestion_services
from petitions import suggestion_workflow as workflow
from petitions.forms.suggestions import CoViewForm, StatusFilterForm, SuggestionForm
from petitions.models import Suggestion
from petitions.suggestion_workflow import WorkflowError
from petitions.views.work import acting_role, action_perform

PAGE_SIZE = 30


def _own_deputy(request):
    deputy = getattr(request.user, "deputy", None)
    if deputy is None:
        raise PermissionDenied
    return deputy


@require_safe
@role_required(roles.DEPUTY, roles.STAFF, roles.OFFICIAL, roles.HANDLER)
def suggestions(request: HttpRequest) -> HttpResponse:
    """Staff and officials: the township's, by status. A deputy: their own and those to co-sign. A handler:
    their units'. One list, filtered by what the user may see."""
    rows = suggestion_access.suggestions_visible_to(request.user).select_related("deputy", "answer_category")
    filters = StatusFilterForm(request.GET or None)
    if filters.is_valid():
        rows = suggestion_selectors.suggestions_filtered(rows, **filters.cleaned_data)
    held = user_roles(request.user)
    to_cosign = []
    if roles.DEPUTY in held:
        to_cosign = list(suggestion_access.suggestions_visible_to(request.user).filter(
            cosigners__deputy__user=request.user, cosigners__confirmed_at__isnull=True).select_related("deputy"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/work/suggestions.html", {
        "page": page, "filters": filters, "to_cosign": to_cosign,
        "can_file": roles.DEPUTY in held and getattr(request.user, "deputy", None) is not None,
    })


def _own_concern(request, tracking: str):
    """The concern a suggestion grows from: the deputy's own (404 if unseen, 403 if another deputy's)."""
    concern = access.get_concern_for_user(request, tracking)
    if concern.deputy_id is None or concern.deputy.user_id != request.user.pk:
        raise PermissionDenied
    return concern


# The co-signer picker's filter (templates/petitions/work/partials/cosigner_picker.html).
FIND, FIND_ALL, QUERY = "find", "all", "cosigner_q"


@require_http_methods(["GET", "POST"])
@role_required(roles.DEPUTY)
def suggestion_new(request: HttpRequest) -> HttpResponse:
    """A new suggestion from the phone; with ?concern=<tracking> (the case page's button) the form comes
    filled from the concern and the suggestion is linked to it: one step from a concern.

    The co-signer picker filters by name, village or pinyin without JavaScript: its "Find" button posts the
    whole form (a GET would carry the suggestion's text in the URL, past length limits and into logs), and
    the page comes back with everything typed and ticked kept, unsaved, showing the matching deputies.
    static/js/cosigner-picker.js filters the same list as one types."""
    deputy = _own_deputy(request)
    tracking = request.POST.get("concern") or request.GET.get("concern") or ""
    concern = _own_concern(request, tracking) if tracking else None
    data = request.POST if request.method == "POST" else request.GET
    query = "" if data.get(FIND) == FIND_ALL else data.get(QUERY, "").strip()[:50]
    if request.method == "POST" and FIND in request.POST:
        typed = {name: request.POST.get(name, "") for name in ("title", "content", "kind")}
        form = SuggestionForm(deputy=deputy, initial={**typed, "cosigners": request.POST.getlist("cosigners")})
    else:
        initial = suggestion_services.from_concern_initial(concern) if concern else {}
        form = SuggestionForm(request.POST or None, deputy=deputy, initial=initial)
        if request.method == "POST" and form.is_valid():
            suggestion = form.save(actor=request.user, concerns=[concern] if concern else [])
            messages.success(request, _("Saved as a draft. Submit it when the co-signers have confirmed."))
            return redirect("desk:suggestion", suggestion.pk)
    options = form.cosigner_options(query)
    return render(request, "petitions/work/suggestion_new.html", {
        "form": form, "concern": concern, "cosigner_options": options, "cosigner_query": query,
        "cosigners_shown": sum(1 for option in options if option.shown),
    })


def _action_form(action, suggestion, user, data=None) -> forms.Form:
    return action.form_class(data, prefix=action.name, suggestion=suggestion, user=user)


def _render(request, suggestion: Suggestion, *, bound_action: str = "", bound_form=None) -> HttpResponse:
    held = suggestion_access.roles_on(request.user, suggestion)
    action_forms = [
        {"action": action, "url": reverse("desk:suggestion_act", args=[suggestion.pk, action.name]),
         "form": bound_form if action.name == bound_action else _action_form(action, suggestion, request.user),
         "is_open": action.name == bound_action}
        for action in workflow.available_actions(suggestion=suggestion, roles=held)
    ]
    cosigner = suggestion_access.cosigner_of(request.user, suggestion)
    co_unit = suggestion_access.co_unit_of(request.user, suggestion)
    return render(request, "petitions/work/suggestion.html", {
        "suggestion": suggestion, "action_forms": action_forms,
        "can_cosign": cosigner is not None and cosigner.confirmed_at is None,
        "co_unit": co_unit if suggestion.status in (Suggestion.Status.ASSIGNED, Suggestion.Status.ACCEPTED) else None,
        "co_view_form": CoViewForm(), "is_deputy": workflow.DEPUTY in held,
    })


@require_safe
@role_required(roles.DEPUTY, roles.STAFF, roles.OFFICIAL, roles.HANDLER)
def suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, suggestion_access.get_for_user(request, pk))


@require_POST
@role_required(roles.DEPUTY, roles.STAFF, roles.OFFICIAL, roles.HANDLER)
def suggestion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        raise Http404
    suggestion = suggestion_access.get_for_user(request, pk)
    role = acting_role(suggestion_access.roles_on(request.user, suggestion), spec.roles)
    if role is None:
        raise PermissionDenied
    url = reverse("desk:suggestion", args=[suggestion.pk])
    try:
        workflow.check(action_name=action, suggestion=suggestion, role=role)
    except WorkflowError as err:
        messages.error(request, err.message)
        return redirect(url)
    form = _action_form(spec, suggestion, request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _render(request, suggestion, bound_action=action, bound_form=form)
    action_perform(request, form, action=action, role=role, label=spec.label)
    return redirect(url)


@require_POST
@role_required(roles.DEPUTY)
def suggestion_cosign(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_access.get_for_user(request, pk)
    cosigner = suggestion_access.cosigner_of(request.user, suggestion)
    if cosigner is None:
        raise PermissionDenied
    suggestion_services.suggestion_cosign(suggestion=suggestion, deputy=cosigner.deputy, actor=request.user)
    messages.success(request, _("You co-signed the suggestion."))
    return redirect("desk:suggestion", suggestion.pk)


@require_POST
@role_required(roles.HANDLER)
def suggestion_co_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_access.get_for_user(request, pk)
    unit = suggestion_access.co_unit_of(request.user, suggestion)
    if unit is None:
        raise PermissionDenied
    form = CoViewForm(request.POST)
    if form.is_valid():
        try:
            suggestion_services.suggestion_co_view(suggestion=suggestion, unit=unit, view=form.cleaned_data["view"],
                                                   actor=request.user, role=workflow.HANDLER)
        except WorkflowError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Your view was sent to the lead unit."))
    else:
        messages.error(request, _("Write the view."))
    return redirect("desk:suggestion", suggestion.pk)


