"""The deadlines of deputies' suggestions (docs/suggestions.md), swept daily in each township by the task
petitions.remind_suggestion_units:

- a lead unit that did not return the suggestion by `return_by` has accepted it (`accept_by_default`);
- a lead unit whose answer is due within REMINDER_WORKING_DAYS is reminded; an overdue answer is
  escalated to the unit and the township's officials;
- a co-handling unit whose view is due within REMINDER_WORKING_DAYS is reminded; one whose view is overdue
  is escalated to the unit and the officials.

Everything goes through the outbox (liaison.outbox): e-mail to the unit's members and an SMS to the unit's
own contact number when it is a mobile; officials by e-mail and on the township's escalation mobiles.
Each sweep claims its row with a conditional update before it sends, and the outbox keys carry the
deadline, so a sweep run twice (or by two workers at once) has one effect; a new deadline (assign,
extend, re-handling) clears the marks.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.calendar import working_days_between
from liaison.models import Notification
from petitions import suggestion_notices as notices
from petitions import suggestion_workflow as workflow
from petitions.models import Suggestion, SuggestionEvent, SuggestionUnit
from petitions.suggestion_services import _event, current_lead, suggestion_transition
from petitions.suggestion_workflow import WorkflowError

S = Suggestion.Status
SMS, EMAIL = Notification.Channel.SMS, Notification.Channel.EMAIL
OPEN = (S.ASSIGNED, S.ACCEPTED)


def suggestion_deadlines_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Every sweep of the current township, in order; returns how many rows each acted on."""
    today = today or timezone.localdate()
    accepted = suggestions_accept_unreturned(today=today)
    reminded, escalated = suggestion_reminders(today=today)
    views_reminded, views_escalated = suggestion_view_reminders(today=today)
    return {"accepted_by_default": accepted, "reminded": reminded, "escalated": escalated,
            "views_reminded": views_reminded, "views_escalated": views_escalated}


def suggestions_accept_unreturned(*, today: datetime.date | None = None) -> int:
    """Assigned suggestions whose lead unit let `return_by` pass: accepted by the system, the unit told."""
    today = today or timezone.localdate()
    done = 0
    for suggestion in Suggestion.objects.filter(status=S.ASSIGNED, return_by__lt=today).select_related("township"):
        with transaction.atomic():
            try:
                # The transition locks the row and checks the state again: a unit that accepted (or returned
                # it in time) a moment ago wins, and a second run finds nothing assigned any more.
                suggestion = suggestion_transition(suggestion=suggestion, action="accept_by_default",
                                                   role=workflow.SYSTEM)
            except WorkflowError:
                continue
            lead = current_lead(suggestion)
            if lead is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    notices.to_unit(suggestion, lead.unit, f"suggestion-accepted:{suggestion.return_by.isoformat()}", _(
                        "Suggestion “%(title)s” was not returned by %(return_by)s: it counts as accepted by your "
                        "unit. Answer it in writing by %(answer_by)s. %(url)s"
                    ) % {"title": suggestion.title, "return_by": suggestion.return_by.isoformat(),
                         "answer_by": suggestion.answer_by.isoformat(), "url": notices.desk_url(suggestion)})
        done += 1
    return done


def suggestion_reminders(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Lead units: remind those whose answer is due within REMINDER_WORKING_DAYS, escalate the overdue
    ones to the unit and the officials. Returns (reminded, escalated)."""
    today = today or timezone.localdate()
    reminded = escalated = 0
    open_ = Suggestion.objects.filter(status__in=OPEN, answer_by__isnull=False).select_related("township")
    for suggestion in open_.filter(reminded_at__isnull=True, answer_by__gte=today):
        if working_days_between(today, suggestion.answer_by) > workflow.REMINDER_WORKING_DAYS:
            continue
        with transaction.atomic():
            if not Suggestion.objects.filter(pk=suggestion.pk, reminded_at__isnull=True).update(
                    reminded_at=timezone.now()):
                continue  # another run claimed it
            lead = current_lead(suggestion)
            with translation.override(settings.LANGUAGE_CODE):
                if lead is not None:
                    notices.to_unit(suggestion, lead.unit, f"suggestion-remind:{suggestion.answer_by.isoformat()}", _(
                        "Suggestion “%(title)s” is to be answered by %(date)s. %(url)s"
                    ) % {"title": suggestion.title, "date": suggestion.answer_by.isoformat(),
                         "url": notices.desk_url(suggestion)})
            _event(suggestion=suggestion, kind=SuggestionEvent.Kind.REMINDER, role=workflow.SYSTEM,
                   note=suggestion.answer_by.isoformat())
        reminded += 1
    for suggestion in open_.filter(escalated_at__isnull=True, answer_by__lt=today):
        with transaction.atomic():
            if not Suggestion.objects.filter(pk=suggestion.pk, escalated_at__isnull=True).update(
                    escalated_at=timezone.now()):
                continue
            lead = current_lead(suggestion)
            occasion = f"suggestion-escalate:{suggestion.answer_by.isoformat()}"
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Suggestion “%(title)s” was to be answered by %(date)s and is overdue (lead unit: "
                         "%(unit)s). %(url)s") % {"title": suggestion.title, "date": suggestion.answer_by.isoformat(),
                                                 "unit": lead.unit.name if lead else "—", "url": notices.desk_url(suggestion)}
                if lead is not None:
                    notices.to_unit(suggestion, lead.unit, occasion, text)
                notices.to_officials(suggestion, occasion, text)
            _event(suggestion=suggestion, kind=SuggestionEvent.Kind.ESCALATION, role=workflow.SYSTEM,
                   note=suggestion.answer_by.isoformat())
        escalated += 1
    return reminded, escalated


def suggestion_view_reminders(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Co-handling units that have not sent their view: remind those due within REMINDER_WORKING_DAYS,
    escalate the overdue ones to the unit and the officials. Returns (reminded, escalated)."""
    today = today or timezone.localdate()
    reminded = escalated = 0
    waiting = SuggestionUnit.objects.filter(
        role=SuggestionUnit.Role.CO, returned_at__isnull=True, view_at__isnull=True, view_by__isnull=False,
        suggestion__status__in=OPEN,
    ).select_related("suggestion__township", "unit")
    for assignment in waiting.filter(reminded_at__isnull=True, view_by__gte=today):
        if working_days_between(today, assignment.view_by) > workflow.REMINDER_WORKING_DAYS:
            continue
        with transaction.atomic():
            if not _view_claim(assignment, "reminded_at"):
                continue
            suggestion = assignment.suggestion
            with translation.override(settings.LANGUAGE_CODE):
                notices.to_unit(suggestion, assignment.unit, f"suggestion-view-remind:{assignment.view_by.isoformat()}", _(
                    "Suggestion “%(title)s”: your unit's view as co-handling unit is due by %(date)s. %(url)s"
                ) % {"title": suggestion.title, "date": assignment.view_by.isoformat(), "url": notices.desk_url(suggestion)})
                note = _("%(unit)s: view due by %(date)s") % {"unit": assignment.unit.name,
                                                              "date": assignment.view_by.isoformat()}
            _event(suggestion=suggestion, kind=SuggestionEvent.Kind.REMINDER, role=workflow.SYSTEM, note=note)
            reminded += 1
    for assignment in waiting.filter(escalated_at__isnull=True, view_by__lt=today):
        with transaction.atomic():
            if not _view_claim(assignment, "escalated_at"):
                continue
            suggestion = assignment.suggestion
            occasion = f"suggestion-view-escalate:{assignment.view_by.isoformat()}"
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Suggestion “%(title)s”: the view of co-handling unit %(unit)s was due by %(date)s and "
                         "is overdue. %(url)s") % {"title": suggestion.title, "unit": assignment.unit.name,
                                                   "date": assignment.view_by.isoformat(), "url": notices.desk_url(suggestion)}
                notices.to_unit(suggestion, assignment.unit, occasion, text)
                notices.to_officials(suggestion, f"{occasion}:unit{assignment.unit_id}", text)
                note = _("%(unit)s: view overdue (due %(date)s)") % {"unit": assignment.unit.name,
                                                                     "date": assignment.view_by.isoformat()}
            _event(suggestion=suggestion, kind=SuggestionEvent.Kind.ESCALATION, role=workflow.SYSTEM, note=note)
            escalated += 1
    return reminded, escalated


def _view_claim(assignment: SuggestionUnit, mark: str) -> bool:
    """Claim one co-handling unit's reminder or escalation: True for the one run that set the mark."""
    return bool(SuggestionUnit.objects.filter(pk=assignment.pk, **{f"{mark}__isnull": True}).update(
        **{mark: timezone.now()}))


