"""The back office ("desk"): who may open which page, and the landing page that sends each role to its list.

Pages live in work_lists.py (the three lists), work_case.py (the case page and its
actions) and work_patrol.py (a deputy's patrol report).
"""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from liaison import roles
from petitions import workflow
from petitions.workflow import WorkflowError

# When a person holds several roles on one concern, they act in the most senior one that the action allows.
_ACTING_PREFERENCE = (workflow.OFFICIAL, workflow.STAFF, workflow.DEPUTY, workflow.HANDLER)


def action_perform(request: HttpRequest, form, *, action: str, role: str, label) -> None:
    """Carry out a valid action form (a concern's or a suggestion's) and say how it went: the move may still
    be refused if someone else moved the record between the page and the click."""
    try:
        form.perform(action=action, actor=request.user, role=role)
    except WorkflowError as err:
        messages.error(request, err.message)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, gettext("Done: %(action)s.") % {"action": label})


def acting_role(held: Iterable[str], allowed: Iterable[str] = roles.DESK_ROLES) -> str | None:
    """The role to act in: the most senior held role the action allows.

    Failing that, the most senior held role, so that the workflow refuses the move with
    its own message ("your role may not …") instead of the page guessing one.
    """
    held, allowed = set(held), set(allowed)
    for preferred in (held & allowed, held):
        for role in _ACTING_PREFERENCE:
            if role in preferred:
                return role
    return None


@require_safe
@roles.role_required()
def home(request: HttpRequest) -> HttpResponse:
    held = roles.user_roles(request.user)
    if held & {roles.OFFICIAL, roles.STAFF}:
        return redirect("desk:concerns")
    if roles.DEPUTY in held:
        return redirect("desk:inbox")
    return redirect("desk:unit")
