"""The concern life cycle (docs/life-cycle.md) in one table: which action moves which state, and who may take it.

Every move goes through `petitions.services.concern_transition`, which checks this
table, writes the timeline event and raises `WorkflowError` with a translated
message for anything else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

from django.utils.translation import gettext_lazy as _

from liaison import roles
from petitions import messages
from petitions.models import Concern

S = Concern.Status

# Roles as the workflow knows them: the back-office roles of liaison.roles, plus the
# constituent (no account) and the system (the periodic sweeps).
CONSTITUENT = "constituent"
DEPUTY = roles.DEPUTY
STAFF = roles.STAFF
HANDLER = roles.HANDLER
OFFICIAL = roles.OFFICIAL
SYSTEM = "system"

ROLE_LABELS = {
    CONSTITUENT: _("Constituent"),
    **{role: roles.LABELS[role] for role in (DEPUTY, STAFF, HANDLER, OFFICIAL)},
    SYSTEM: _("System"),
}


@dataclass(frozen=True)
class Action:
    """One move: everything about it is on this row, so adding a move touches this table only."""

    name: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset
    form: str  # the form's class in petitions.forms.work; its `perform` calls the service
    # Whether the note explains the move to the public (a result, a reason). Other notes are
    # instructions between officials and go on the timeline as internal comments.
    note_is_public: bool = False
    notify: Callable[[Concern, str], None] | None = None  # petitions.messages: who hears of the move
    public: bool = True  # whether the timeline event is shown on the public tracking page

    @cached_property
    def form_class(self):
        # Imported when first needed: the forms call the services, which read this table.
        return getattr(import_module("petitions.forms.work"), self.form)


def _action(name, label, sources, target, roles, form="ActionForm", **options) -> Action:
    return Action(name, label, frozenset(sources), target, frozenset(roles), form, **options)


OPEN = set(Concern.OPEN_STATUSES)

ACTIONS = {
    a.name: a
    for a in [
        _action("accept", _("Accept"), {S.SUBMITTED}, S.ACCEPTED, {DEPUTY, STAFF, OFFICIAL}),
        _action("assign", _("Forward to a unit"), {S.SUBMITTED, S.ACCEPTED}, S.ASSIGNED, {DEPUTY, STAFF, OFFICIAL},
                form="AssignForm", notify=messages.on_assigned),
        _action("reassign", _("Reassign"), {S.ASSIGNED, S.IN_PROGRESS}, S.ASSIGNED, {OFFICIAL, STAFF},
                form="AssignForm", notify=messages.on_assigned),
        _action("start", _("Start work"), {S.ASSIGNED}, S.IN_PROGRESS, {HANDLER}),
        # A deputy may answer directly (e.g. a policy question) without a unit.
        _action("answer", _("Answer directly"), {S.SUBMITTED, S.ACCEPTED}, S.RESOLVED, {DEPUTY, STAFF, OFFICIAL},
                form="ResolveForm", note_is_public=True, notify=messages.on_resolved),
        _action("resolve", _("Resolve"), {S.ASSIGNED, S.IN_PROGRESS}, S.RESOLVED, {HANDLER, OFFICIAL},
                form="ResolveForm", note_is_public=True, notify=messages.on_resolved),
        _action("reopen", _("Reopen"), {S.RESOLVED}, S.IN_PROGRESS, {CONSTITUENT, OFFICIAL},
                note_is_public=True, notify=messages.on_reopened),
        _action("close", _("Close"), {S.RESOLVED}, S.CLOSED, {CONSTITUENT, OFFICIAL, SYSTEM}, note_is_public=True),
        _action("reject", _("Reject"), OPEN, S.REJECTED, {OFFICIAL, STAFF},
                form="RejectForm", note_is_public=True, notify=messages.on_rejected),
        _action("merge", _("Merge into another concern"), OPEN, S.MERGED, {OFFICIAL, STAFF},
                form="MergeForm", note_is_public=True, notify=messages.on_merged),
        # A filing held for review (docs/life-cycle.md): released, it is filed as any other and its
        # messages go out then, once; discarded, it ends without a message and no figure counts it.
        _action("release", _("Release: a real concern"), {S.HELD}, S.SUBMITTED, {OFFICIAL, STAFF},
                notify=messages.on_released),
        _action("discard", _("Discard"), {S.HELD}, S.DISCARDED, {OFFICIAL, STAFF}, public=False),
    ]
}


class WorkflowError(Exception):
    """A refused move; `message` is translated and safe to show to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check(*, action_name: str, concern: Concern, role: str) -> Action:
    action = ACTIONS.get(action_name)
    if action is None:
        raise WorkflowError(_("Unknown action."))
    if role not in action.roles:
        raise WorkflowError(_("Your role may not “%(action)s” a concern.") % {"action": action.label})
    if concern.status not in action.sources:
        raise WorkflowError(
            _("A concern that is “%(status)s” cannot be moved with “%(action)s”.")
            % {"status": concern.get_status_display(), "action": action.label}
        )
    return action


def available_actions(*, concern: Concern, roles: set[str]) -> list[Action]:
    """The actions a person with these roles may take on the concern now, in table order."""
    return [a for a in ACTIONS.values() if concern.status in a.sources and a.roles & roles]
