"""Writes for deputies' suggestions (docs/suggestions.md): filing, co-signing, the one transition service,
co-handlers' views. Keyword-only arguments; each returns the object. The deadline sweeps (reminders,
escalation, "accepted: not returned in time") are petitions.suggestion_deadlines."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.codes import issue_public_code
from deputies.models import Deputy
from liaison.calendar import add_working_days
from liaison.scoping import check_same_township, current_township
from petitions import suggestion_notices as notices
from petitions import suggestion_workflow as workflow
from petitions.models import (
    AnswerCategory,
    Concern,
    Suggestion,
    SuggestionCoSigner,
    SuggestionEvent,
    SuggestionUnit,
    Unit,
)
from petitions.suggestion_workflow import WorkflowError

S = Suggestion.Status

# The set a township starts with (on first use); its officials may edit them in the admin.
DEFAULT_ANSWER_CATEGORIES = [
    ("A", gettext_lazy("Solved or adopted"), True, False),
    ("B", gettext_lazy("Planned"), True, True),
    ("C", gettext_lazy("For reference"), False, True),
    ("D", gettext_lazy("Not adopted (explained)"), False, False),
]


def answer_categories(*, township=None):
    """A township's answer categories (the current one's by default), creating the default set the first time."""
    township = township or current_township()
    categories = AnswerCategory.objects.filter(township=township)
    if not categories.exists():
        for order, (code, label, adopted, follow_up) in enumerate(DEFAULT_ANSWER_CATEGORIES):
            AnswerCategory.objects.get_or_create(
                township=township, code=code,
                defaults={"label": str(label), "is_adopted": adopted, "needs_follow_up": follow_up, "order": order},
            )
    return categories


def _on_a_working_day(day: datetime.date) -> datetime.date:
    """`day`, or the next working day if it is a day off."""
    return add_working_days(day - datetime.timedelta(days=1), 1)


def answer_deadline(start: datetime.date) -> datetime.date:
    """Three calendar months after `start`, moved to the next working day if it falls on a day off."""
    return _on_a_working_day(start + relativedelta(months=workflow.ANSWER_MONTHS))


def return_deadline(start: datetime.date) -> datetime.date:
    """The lead unit's last day to return it: RETURN_DAYS calendar days after assignment, on a working day."""
    return _on_a_working_day(start + datetime.timedelta(days=workflow.RETURN_DAYS))


def view_deadline(start: datetime.date) -> datetime.date:
    """A co-handling unit's view is due one calendar month after assignment, on a working day."""
    return _on_a_working_day(start + relativedelta(months=workflow.CO_VIEW_MONTHS))


def _event(*, suggestion, kind, actor=None, role: str, note: str = "", action: str = "", from_status: str = "",
           to_status: str = "", at=None) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        suggestion=suggestion, township_id=suggestion.township_id, kind=kind, actor=actor, actor_role=role, note=note, action=action,
        from_status=from_status, to_status=to_status, created_at=at or timezone.now(),
    )


@transaction.atomic
def suggestion_create(
    *, deputy: Deputy, title: str, content: str, kind: str = Suggestion.Kind.LIVELIHOOD, concerns=(),
    cosigners=(), actor=None,
) -> Suggestion:
    """A draft by `deputy`, optionally grown from concerns and with co-signers invited."""
    suggestion = Suggestion(township_id=deputy.township_id, deputy=deputy, title=title, content=content, kind=kind,
                            created_by=actor, code=issue_public_code())
    suggestion.full_clean(exclude=["township"])
    suggestion.save()
    concerns = list(concerns)
    check_same_township(suggestion, *concerns)
    suggestion.concerns.set(concerns)
    for other in cosigners:
        suggestion_invite(suggestion=suggestion, deputy=other)
    _event(suggestion=suggestion, kind=SuggestionEvent.Kind.TRANSITION, actor=actor, role=workflow.DEPUTY,
           to_status=S.DRAFT, action="create")
    return suggestion


def from_concern_initial(concern: Concern) -> dict:
    """A suggestion's title and content taken from a concern (the deputy edits them before saving)."""
    title = (concern.content.strip().splitlines() or [""])[0][:60] or str(concern.category)
    return {"title": title, "content": concern.content}


def suggestion_from_concern(*, concern: Concern, actor=None, cosigners=()) -> Suggestion:
    """One step from a concern: its deputy's draft with the concern's text, linked to it."""
    if concern.deputy_id is None:
        raise WorkflowError(_("Only a concern filed to a deputy can become that deputy's suggestion."))
    return suggestion_create(deputy=concern.deputy, concerns=[concern], cosigners=cosigners, actor=actor,
                             **from_concern_initial(concern))


def suggestion_invite(*, suggestion: Suggestion, deputy: Deputy) -> SuggestionCoSigner:
    suggestion.refresh_from_db(fields=["status"])
    if suggestion.status != S.DRAFT:
        raise WorkflowError(_("Co-signers are invited while the suggestion is a draft."))
    if deputy.pk == suggestion.deputy_id:
        raise WorkflowError(_("The lead deputy does not co-sign their own suggestion."))
    check_same_township(suggestion, deputy)
    cosigner, _created = SuggestionCoSigner.objects.get_or_create(
        suggestion=suggestion, deputy=deputy, defaults={"township_id": suggestion.township_id})
    return cosigner


@transaction.atomic
def suggestion_cosign(*, suggestion: Suggestion, deputy: Deputy, actor=None) -> SuggestionCoSigner:
    """An invited deputy confirms; confirming twice changes nothing."""
    cosigner = SuggestionCoSigner.objects.select_for_update().filter(suggestion=suggestion, deputy=deputy).first()
    if cosigner is None:
        raise WorkflowError(_("You were not invited to co-sign this suggestion."))
    if cosigner.confirmed_at is None:
        cosigner.confirmed_at = timezone.now()
        cosigner.save(update_fields=["confirmed_at"])
        _event(suggestion=suggestion, kind=SuggestionEvent.Kind.COSIGN, actor=actor, role=workflow.DEPUTY,
               note=deputy.name)
    return cosigner


@transaction.atomic
def suggestion_transition(
    *, suggestion: Suggestion, action: str, actor=None, role: str, note: str = "", lead_unit: Unit | None = None,
    co_units=(), answer: str = "", answer_category: AnswerCategory | None = None,
    answer_by: datetime.date | None = None,
) -> Suggestion:
    """Move a suggestion by one action of petitions.suggestion_workflow; the only place its status changes.

    Locks the row, checks the action against the table and its guards (WorkflowError with a translated
    message), applies the action's changes, and records the timeline event in the same transaction."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    spec = workflow.check(action_name=action, suggestion=suggestion, role=role)
    previous = suggestion.status
    now = timezone.now()
    today = timezone.localdate()
    if action == "submit":
        if suggestion.cosigners.filter(confirmed_at__isnull=True).exists():
            raise WorkflowError(_("Every invited co-signer must confirm before the suggestion is submitted."))
        suggestion.submitted_at = now
        suggestion.assign_by = add_working_days(today, workflow.ASSIGN_WORKING_DAYS)
    elif action == "assign":
        if lead_unit is None:
            raise WorkflowError(_("Choose the lead unit."))
        co_units = [unit for unit in co_units if unit.pk != lead_unit.pk]
        check_same_township(suggestion, lead_unit, *co_units)
        assigned = SuggestionUnit.objects.bulk_create(
            [SuggestionUnit(suggestion=suggestion, unit=lead_unit, role=SuggestionUnit.Role.LEAD,
                            township_id=suggestion.township_id, assigned_at=now)]
            + [SuggestionUnit(suggestion=suggestion, unit=unit, role=SuggestionUnit.Role.CO,
                              view_by=view_deadline(today), township_id=suggestion.township_id, assigned_at=now)
               for unit in co_units]
        )
        suggestion.assigned_at = now
        suggestion.return_by = return_deadline(today)
        suggestion.answer_by = answer_by or answer_deadline(today)
        suggestion.reminded_at = suggestion.escalated_at = None
        note = "\n".join(filter(None, [", ".join(u.name for u in [lead_unit, *co_units]), note]))
        _tell_assigned(suggestion, assigned)
    elif action == "accept":
        suggestion.assignments.filter(role=SuggestionUnit.Role.LEAD, returned_at__isnull=True).update(accepted_at=now)
    elif action == "accept_by_default":
        if suggestion.may_still_be_returned:
            raise WorkflowError(_("The lead unit may still return it until %(date)s.")
                                % {"date": suggestion.return_by.isoformat() if suggestion.return_by else "—"})
        suggestion.assignments.filter(role=SuggestionUnit.Role.LEAD, returned_at__isnull=True).update(accepted_at=now)
        note = note or _("Not returned by %(date)s: it counts as accepted.") % {
            "date": suggestion.return_by.isoformat()}
    elif action == "return":
        if not suggestion.may_still_be_returned:
            raise WorkflowError(_(
                "The time to return this suggestion ended on %(date)s: it counts as accepted by your unit. "
                "If it really is not your unit's responsibility, ask the township's officials."
            ) % {"date": suggestion.return_by.isoformat()})
        if not note.strip():
            raise WorkflowError(_("Give the reason for returning it."))
        # Every current assignment ends: the station assigns the suggestion again.
        suggestion.assignments.filter(returned_at__isnull=True).update(returned_at=now)
        suggestion.assignments.filter(role=SuggestionUnit.Role.LEAD, returned_at=now).update(return_reason=note)
        suggestion.assigned_at = suggestion.answer_by = suggestion.return_by = None
        suggestion.assign_by = add_working_days(today, workflow.ASSIGN_WORKING_DAYS)
    elif action == "answer":
        if not answer.strip() or answer_category is None:
            raise WorkflowError(_("Write the answer and choose its category."))
        check_same_township(suggestion, answer_category)
        suggestion.answer, suggestion.answer_category, suggestion.answered_at = answer, answer_category, now
        note = note or answer
    elif action == "extend":
        if answer_by is None or (suggestion.answer_by and answer_by <= suggestion.answer_by):
            raise WorkflowError(_("The new deadline must be later than the current one."))
        note = "\n".join(filter(None, [_("New deadline: %(date)s") % {"date": answer_by.isoformat()}, note]))
        suggestion.answer_by = answer_by
        suggestion.reminded_at = suggestion.escalated_at = None
    elif action in workflow.RATINGS:
        suggestion.rating = workflow.RATINGS[action]
        if action == "rate_unsatisfied":
            suggestion.rehandle_count += 1
            suggestion.answer_by = add_working_days(today, workflow.REHANDLE_WORKING_DAYS)
            suggestion.reminded_at = suggestion.escalated_at = None
        else:
            suggestion.closed_at = now
    elif action == "follow_up":
        if suggestion.answer_category is None or not suggestion.answer_category.needs_follow_up:
            raise WorkflowError(_("Only planned or for-reference answers are followed up."))
        if not note.strip():
            raise WorkflowError(_("Write what was found on follow-up."))
        suggestion.follow_up_note = "\n".join(filter(None, [suggestion.follow_up_note, note]))
        suggestion.followed_up_at = now
    suggestion.status = workflow.target_of(spec, previous)
    suggestion.full_clean(exclude=["township"])
    suggestion.save()
    kind = SuggestionEvent.Kind.FOLLOW_UP if action == "follow_up" else SuggestionEvent.Kind.TRANSITION
    _event(suggestion=suggestion, kind=kind, actor=actor, role=role, note=note, action=action,
           from_status=previous, to_status=suggestion.status, at=now)
    return suggestion


def _tell_assigned(suggestion: Suggestion, assignments: list[SuggestionUnit]) -> None:
    """Each unit hears of its assignment at once, through the outbox (saved in this transaction: a message
    for every assignment that is kept, none for one rolled back; its key is the assignment's)."""
    url = notices.desk_url(suggestion)
    for assignment in assignments:
        if assignment.role == SuggestionUnit.Role.LEAD:
            text = _("Your unit leads the handling of the deputy's suggestion “%(title)s”. If it is not your unit's "
                     "responsibility, return it with the reason by %(return_by)s; answer in writing by %(answer_by)s: "
                     "%(url)s") % {"title": suggestion.title, "return_by": suggestion.return_by.isoformat(),
                                    "answer_by": suggestion.answer_by.isoformat(), "url": url}
        else:
            text = _("Your unit co-handles the deputy's suggestion “%(title)s”: send your view to the lead unit by "
                     "%(date)s: %(url)s") % {"title": suggestion.title, "date": assignment.view_by.isoformat(),
                                               "url": url}
        notices.to_unit(suggestion, assignment.unit, f"suggestion-assigned:{assignment.pk}", text)


def current_lead(suggestion: Suggestion) -> SuggestionUnit | None:
    return suggestion.assignments.filter(role=SuggestionUnit.Role.LEAD, returned_at__isnull=True).first()


@transaction.atomic
def suggestion_co_view(*, suggestion: Suggestion, unit: Unit, view: str, actor=None, role: str) -> SuggestionUnit:
    """A co-handling unit sends its view to the lead unit (while the suggestion is being handled)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status not in (S.ASSIGNED, S.ACCEPTED):
        raise WorkflowError(_("Views are sent while the suggestion is being handled."))
    assignment = suggestion.assignments.select_for_update().filter(
        unit=unit, role=SuggestionUnit.Role.CO, returned_at__isnull=True
    ).first()
    if assignment is None:
        raise WorkflowError(_("This unit is not a co-handling unit of the suggestion."))
    if not view.strip():
        raise WorkflowError(_("Write the view."))
    assignment.view, assignment.view_at = view, timezone.now()
    assignment.save(update_fields=["view", "view_at"])
    _event(suggestion=suggestion, kind=SuggestionEvent.Kind.VIEW, actor=actor, role=role,
           note=f"{unit.name}: {view}")
    return assignment
