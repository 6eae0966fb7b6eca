"""The case page: everything about one concern, and one form per move the user may make on it now."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from petitions import access, selectors, services, workflow
from petitions.access import role_required
from petitions.forms.work import (
    AssignForm,
    CommentForm,
    MergeForm,
    NoteForm,
    RejectForm,
    ResolveForm,
)
from petitions.models import Concern
from petitions.views.work import acting_role
from petitions.workflow import WorkflowError

_ACTION_FORMS: dict[str, type[forms.Form]] = {
    "accept": NoteForm,
    "assign": AssignForm,
    "reassign": AssignForm,
    "start": NoteForm,
    "answer": ResolveForm,
    "resolve": ResolveForm,
    "reopen": NoteForm,
    "close": NoteForm,
    "reject": RejectForm,
    "merge": MergeForm,
}
_COMMENT_PREFIX = "comment"


def _action_form(action: str, concern: Concern, user, data=None, files=None) -> forms.Form:
    form_class = _ACTION_FORMS[action]
    # The action as prefix keeps field ids unique when several forms share the page.
    kwargs = {"prefix": action}
    if form_class is AssignForm:
        kwargs["default_deadline"] = services.default_deadline(concern.category)
    if form_class is MergeForm:
        kwargs["concern"] = concern
        kwargs["candidates"] = access.concerns_visible_to(user).exclude(pk=concern.pk)
    return form_class(data, files, **kwargs)


def _render_case(
    request: HttpRequest, concern: Concern, *, bound_action: str = "", bound_form: forms.Form | None = None
) -> HttpResponse:
    """The case page; a bound form with errors replaces its empty twin so nothing typed is lost."""
    held = access.roles_on(request.user, concern)
    action_forms = [
        {
            "action": action,
            "form": bound_form if action.name == bound_action else _action_form(action.name, concern, request.user),
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
        },
    )


@require_GET
@role_required()
def concern(request: HttpRequest, tracking: str) -> HttpResponse:
    return _render_case(request, access.get_concern_for_user(request.user, tracking))


def _perform(action: str, *, concern: Concern, actor, role: str, data: dict) -> None:
    if action in ("assign", "reassign"):
        services.concern_assign(concern=concern, unit=data["unit"], deadline_on=data["deadline_on"],
                                actor=actor, role=role, note=data["note"], action=action)
    elif action in ("answer", "resolve"):
        services.concern_resolve(concern=concern, result=data["result"], outcome=data["outcome"],
                                 actor=actor, role=role, photos=data["photos"], action=action)
    elif action == "reject":
        # The reason is the public result of a rejected concern: the constituent is told why.
        services.concern_transition(concern=concern, action=action, actor=actor, role=role,
                                    note=data["reason"], result=data["reason"])
    elif action == "merge":
        services.concern_merge(concern=concern, into=data["into"], actor=actor, role=role)
    else:
        services.concern_transition(concern=concern, action=action, actor=actor, role=role, note=data["note"])


@require_POST
@role_required()
def act(request: HttpRequest, tracking: str, action: str) -> HttpResponse:
    spec = workflow.ACTIONS.get(action)
    if spec is None:
        raise Http404
    concern = access.get_concern_for_user(request.user, tracking)
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
    form = _action_form(action, concern, request.user, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _render_case(request, concern, bound_action=action, bound_form=form)
    try:
        _perform(action, concern=concern, actor=request.user, role=role, data=form.cleaned_data)
    except WorkflowError as err:
        # Someone else moved the concern between the page and the click.
        messages.error(request, err.message)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
    return redirect(case_url)


@require_POST
@role_required()
def comment(request: HttpRequest, tracking: str) -> HttpResponse:
    concern = access.get_concern_for_user(request.user, tracking)
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
