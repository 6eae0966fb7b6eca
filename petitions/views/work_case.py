"""The case page: everything about one concern, and one form per move the user may make on it now."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from liaison.roles import role_required
from petitions import access, selectors, services, workflow
from petitions.forms.work import CommentForm
from petitions.models import Concern
from petitions.views import work_privacy
from petitions.views.work import acting_role, action_perform
from petitions.workflow import WorkflowError

_COMMENT_PREFIX = "comment"


def _action_form(action: workflow.Action, concern: Concern, user, data=None, files=None) -> forms.Form:
    # The action as prefix keeps field ids unique when several forms share the page.
    return action.form_class(data, files, prefix=action.name, concern=concern, user=user)


def _render_case(
    request: HttpRequest, concern: Concern, *, bound_action: str = "", bound_form: forms.Form | None = None,
    privacy_bound: dict | None = None,
) -> HttpResponse:
    """The case page; a bound form with errors replaces its empty twin so nothing typed is lost."""
    held = access.roles_on(request.user, concern)
    action_forms = [
        {
            "action": action,
            "form": bound_form if action.name == bound_action else _action_form(action, concern, request.user),
            "url": reverse("desk:act", args=[concern.tracking, action.name]),
            "is_open": action.name == bound_action,
        }
        for action in workflow.available_actions(concern=concern, roles=held)
    ]
    comment_form = bound_form if bound_action == _COMMENT_PREFIX else CommentForm(prefix=_COMMENT_PREFIX)
    return render(
        request,
        "petitions/work/concern.html",
        {
            "concern": concern,
            "timeline": selectors.concern_timeline(concern=concern),
            "photos": selectors.concern_photos(concern=concern),
            "duplicates": concern.duplicates.only("tracking", "created_at"),
            "action_forms": action_forms,
            "comment_form": comment_form,
            "comment_open": bound_action == _COMMENT_PREFIX,
            # The concern's own deputy may turn it into a suggestion in one step (docs/suggestions.md).
            "can_make_suggestion": workflow.DEPUTY in held,
            **work_privacy.case_privacy_context(request, concern, held, privacy_bound),
        },
    )


@require_safe
@role_required()
def concern(request: HttpRequest, tracking: str) -> HttpResponse:
    concern = access.get_concern_for_user(request, tracking)
    work_privacy.case_opened(request, concern)
    return _render_case(request, concern)


@require_POST
@role_required()
def act(request: HttpRequest, tracking: str, action: str) -> HttpResponse:
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        raise Http404
    concern = access.get_concern_for_user(request, tracking)
    role = acting_role(access.roles_on(request.user, concern), spec.roles)
    if role is None:
        raise PermissionDenied
    case_url = reverse("desk:concern", args=[concern.tracking])
    try:
        # Refuse a move the workflow forbids before judging the form: its message is the one that helps.
        workflow.check(action_name=action, concern=concern, role=role)
    except WorkflowError as err:
        messages.error(request, err.message)
        return redirect(case_url)
    form = _action_form(spec, concern, request.user, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _render_case(request, concern, bound_action=action, bound_form=form)
    action_perform(request, form, action=action, role=role, label=spec.label)
    return redirect(case_url)


@require_POST
@role_required()
def comment(request: HttpRequest, tracking: str) -> HttpResponse:
    concern = access.get_concern_for_user(request, tracking)
    role = acting_role(access.roles_on(request.user, concern))
    if role is None:
        raise PermissionDenied
    form = CommentForm(request.POST, request.FILES, prefix=_COMMENT_PREFIX)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _render_case(request, concern, bound_action=_COMMENT_PREFIX, bound_form=form)
    data = form.cleaned_data
    services.concern_comment(concern=concern, actor=request.user, role=role, note=data["note"],
                             is_public=data["is_public"], photos=data["photos"])
    if data["is_public"]:
        messages.success(request, _("Progress posted; the public can see it."))
    else:
        messages.success(request, _("Comment saved; only the back office can see it."))
    return redirect("desk:concern", concern.tracking)
