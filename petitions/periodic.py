"""The periodic sweeps behind the beat schedule. Each claims a row with a conditional
update before acting, so a second run (or a second worker) does nothing twice."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from liaison.calendar import add_working_days, subtract_working_days
from liaison.scoping import each_township
from petitions import messages, workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import concern_event_record, concern_transition
from petitions.workflow import WorkflowError

S = Concern.Status
_WORKING = [S.ASSIGNED, S.IN_PROGRESS]
_UNTAKEN = [S.SUBMITTED, S.ACCEPTED]


def send_deadline_reminders() -> int:
    """Remind the unit of concerns due within each township's reminder_working_days. Returns how many."""
    return sum(_remind(township) for township in each_township())


def _remind(township) -> int:
    today = timezone.localdate()
    horizon = add_working_days(today, township.reminder_working_days)
    due = Concern.objects.filter(status__in=_WORKING, reminded_at__isnull=True, deadline_on__range=(today, horizon))
    sent = 0
    for concern in due.select_related("unit", "category").iterator():
        with transaction.atomic():
            # Claim it only if it is still due: resolved or reassigned meanwhile means no reminder.
            claimed = due.filter(pk=concern.pk, deadline_on=concern.deadline_on).update(reminded_at=timezone.now())
            if not claimed:
                continue
            concern_event_record(concern=concern, kind=ConcernEvent.Kind.REMINDER, role=workflow.SYSTEM,
                                 note=str(concern.deadline_on))
            messages.on_deadline_near(concern)
        sent += 1
    return sent


def escalate_overdue_concerns() -> int:
    """Tell the deputy and the township officials about open concerns past their deadline, and
    about concerns nobody has forwarded the township's accept_within_working_days after filing."""
    return sum(_escalate(township) for township in each_township())


def _escalate(township) -> int:
    today = timezone.localdate()
    untaken_since = subtract_working_days(today, township.accept_within_working_days)
    # A filing held for review and released counts from its release, not from when it was typed in.
    released_lately = Exists(ConcernEvent.objects.filter(
        concern=OuterRef("pk"), from_status=Concern.Status.HELD, created_at__date__gte=untaken_since))
    overdue = Concern.objects.filter(escalated_at__isnull=True).filter(
        Q(status__in=Concern.OPEN_STATUSES, deadline_on__lt=today)
        | (Q(status__in=_UNTAKEN, deadline_on__isnull=True, created_at__date__lt=untaken_since) & ~released_lately)
    )
    escalated = 0
    for concern in overdue.select_related("unit", "deputy", "category").iterator():
        with transaction.atomic():
            if not overdue.filter(pk=concern.pk).update(escalated_at=timezone.now()):
                continue  # taken, resolved or escalated meanwhile
            concern_event_record(concern=concern, kind=ConcernEvent.Kind.ESCALATION, role=workflow.SYSTEM,
                                 note=str(concern.deadline_on))
            messages.on_overdue(concern)
        escalated += 1
    return escalated


def close_unrated_concerns() -> int:
    """Close resolved concerns the constituent has not rated within the township's auto_close_days."""
    return sum(_close_unrated(township) for township in each_township())


def _close_unrated(township) -> int:
    cutoff = timezone.now() - timezone.timedelta(days=township.auto_close_days)
    closed = 0
    for concern in Concern.objects.filter(status=S.RESOLVED, satisfaction="", resolved_at__lt=cutoff).iterator():
        try:
            concern_transition(concern=concern, action="close", role=workflow.SYSTEM,
                               note=messages.auto_close_note(township))
        except WorkflowError:
            continue  # rated or reopened meanwhile; the row lock decided
        closed += 1
    return closed
