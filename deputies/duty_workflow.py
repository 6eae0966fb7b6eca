"""The swap request's life cycle in one table, the shape of petitions/workflow.py: a deputy asks to give up
a shift, another deputy of the site takes it, staff confirm (the taker then holds the shift) or refuse.
Every move goes through `deputies.duty.swap_transition`."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from deputies.models import SwapRequest
from liaison import roles

S = SwapRequest.Status
DEPUTY, STAFF, OFFICIAL = roles.DEPUTY, roles.STAFF, roles.OFFICIAL


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset


def _action(name, label, sources, target, who) -> Action:
    return Action(name, label, frozenset(sources), target, frozenset(who))


ACTIONS = {
    a.name: a
    for a in [
        _action("take", _("Take this day"), {S.REQUESTED}, S.TAKEN, {DEPUTY}),
        _action("confirm", _("Confirm the swap"), {S.TAKEN}, S.CONFIRMED, {STAFF, OFFICIAL}),
        _action("refuse", _("Refuse the swap"), {S.REQUESTED, S.TAKEN}, S.REFUSED, {STAFF, OFFICIAL}),
        _action("cancel", _("Cancel the request"), {S.REQUESTED, S.TAKEN}, S.CANCELLED, {DEPUTY, STAFF, OFFICIAL}),
    ]
}


class DutyError(Exception):
    """A refused roster change; `message` is translated and safe to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check(*, action_name: str, request: SwapRequest, role: str) -> Action:
    action = ACTIONS.get(action_name)
    if action is None:
        raise DutyError(_("Unknown action."))
    if role not in action.roles:
        raise DutyError(_("Your role may not “%(action)s”.") % {"action": action.label})
    if request.status not in action.sources:
        raise DutyError(_("A swap request that is “%(status)s” cannot be moved with “%(action)s”.")
                        % {"status": request.get_status_display(), "action": action.label})
    return action
