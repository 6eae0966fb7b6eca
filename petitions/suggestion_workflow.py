"""The suggestion life cycle (docs/suggestions.md) in one table: which action moves which state, and who may.

Every move goes through `petitions.suggestion_services.suggestion_transition`, which checks this table,
writes the timeline event and raises `WorkflowError` (the concern workflow's) for anything else.

    draft ─submit→ submitted ─assign→ assigned ─accept→ accepted ─answer→ answered ─rate satisfied/basically→ closed
                       ↑                  │                ↑                   │
                       └─── return ───────┘                └── rate not satisfied (re-handling) ──┘
"""

from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

from django.utils.translation import gettext_lazy as _

from petitions.models import Suggestion
from petitions.workflow import DEPUTY, HANDLER, OFFICIAL, STAFF, SYSTEM, WorkflowError

S = Suggestion.Status

__all__ = ["ACTIONS", "DEPUTY", "HANDLER", "OFFICIAL", "STAFF", "SYSTEM", "WorkflowError", "available_actions", "check"]

# Deadlines (docs/suggestions.md): assigned within 5 working days of submission; answered within 3 months
# of assignment (an official may extend); a "not satisfied" rating gives the unit this many working days
# to answer again; units are reminded this many working days before the answer is due.
ASSIGN_WORKING_DAYS = 5
ANSWER_MONTHS = 3
REHANDLE_WORKING_DAYS = 20
REMINDER_WORKING_DAYS = 5
# The units' own limits (issue 10). Counted as the issue words them: a lead unit that is not responsible
# returns the suggestion within 10 *calendar* days of assignment ("about 7–10 days"), co-handling units
# send their view within one calendar *month* ("within a month"); a limit falling on a day off moves to
# the next working day of the shared calendar (liaison/calendar.py). After RETURN_DAYS the return is
# refused and the sweep records the suggestion as accepted.
RETURN_DAYS = 10
CO_VIEW_MONTHS = 1


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset
    form: str = "SuggestionActionForm"  # the form's class in petitions.forms.suggestions

    @cached_property
    def form_class(self):
        # Imported when first needed: the forms call the services, which read this table.
        return getattr(import_module("petitions.forms.suggestions"), self.form)


def _action(name, label, sources, target, roles, **options) -> Action:
    return Action(name, label, frozenset(sources), target, frozenset(roles), **options)


ACTIONS = {
    a.name: a
    for a in [
        # Only once every invited co-signer confirmed (checked by the service).
        _action("submit", _("Submit"), {S.DRAFT}, S.SUBMITTED, {DEPUTY}),
        _action("assign", _("Assign to units"), {S.SUBMITTED}, S.ASSIGNED, {STAFF, OFFICIAL},
                form="SuggestionAssignForm"),
        _action("accept", _("Accept for handling"), {S.ASSIGNED}, S.ACCEPTED, {HANDLER}),
        # A unit that is not responsible returns it with a reason; the station assigns it again.
        _action("return", _("Return: not our responsibility"), {S.ASSIGNED}, S.SUBMITTED, {HANDLER},
                form="SuggestionReasonForm"),
        # Not returned in time: it counts as accepted (the daily sweep; the service checks the limit passed).
        _action("accept_by_default", _("Accepted: not returned in time"), {S.ASSIGNED}, S.ACCEPTED, {SYSTEM}),
        _action("answer", _("Answer in writing"), {S.ACCEPTED}, S.ANSWERED, {HANDLER}, form="SuggestionAnswerForm"),
        _action("extend", _("Extend the answer deadline"), {S.ASSIGNED, S.ACCEPTED}, None, {OFFICIAL},
                form="SuggestionExtendForm"),
        _action("rate_satisfied", _("Rate: satisfied"), {S.ANSWERED}, S.CLOSED, {DEPUTY}),
        _action("rate_basically", _("Rate: basically satisfied"), {S.ANSWERED}, S.CLOSED, {DEPUTY}),
        # Not satisfied: back to the lead unit for re-handling with a new deadline.
        _action("rate_unsatisfied", _("Rate: not satisfied"), {S.ANSWERED}, S.ACCEPTED, {DEPUTY},
                form="SuggestionReasonForm"),
        # Planned or for-reference answers are followed up after closing (checked by the service).
        _action("follow_up", _("Record follow-up"), {S.CLOSED}, None, {STAFF, OFFICIAL, HANDLER},
                form="SuggestionReasonForm"),
    ]
}

RATINGS = {
    "rate_satisfied": Suggestion.Rating.SATISFIED,
    "rate_basically": Suggestion.Rating.BASICALLY,
    "rate_unsatisfied": Suggestion.Rating.UNSATISFIED,
}


def target_of(action: Action, status: str) -> str:
    """The state after the move; None in the table means the move keeps the state."""
    return action.target or status


def check(*, action_name: str, suggestion: Suggestion, role: str) -> Action:
    action = ACTIONS.get(action_name)
    if action is None:
        raise WorkflowError(_("Unknown action."))
    if role not in action.roles:
        raise WorkflowError(_("Your role may not “%(action)s” a suggestion.") % {"action": action.label})
    if suggestion.status not in action.sources:
        raise WorkflowError(
            _("A suggestion that is “%(status)s” cannot be moved with “%(action)s”.")
            % {"status": suggestion.get_status_display(), "action": action.label}
        )
    return action


def available_actions(*, suggestion: Suggestion, roles: set[str]) -> list[Action]:
    """The moves to offer now: a return past its limit is not offered (the service refuses it too)."""
    return [a for a in ACTIONS.values() if suggestion.status in a.sources and a.roles & roles
            and not (a.name == "return" and not suggestion.may_still_be_returned)]
