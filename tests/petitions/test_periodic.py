"""Reminders, escalation and auto-close: each run twice must act once."""

import datetime

import pytest

from liaison.models import Notification, Township
from petitions import workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import concern_assign, concern_resolve, concern_transition
from petitions.tasks import (
    close_unrated_concerns,
    escalate_overdue_concerns,
    send_deadline_reminders,
)

S = Concern.Status


@pytest.fixture
def assigned(concern, deputy_user, unit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY,
                              deadline_on=datetime.date(2026, 12, 2))


def _sms_to(mobile: str) -> list[str]:
    return list(Notification.objects.filter(recipient=mobile).values_list("body", flat=True))


@pytest.mark.django_db
def test_reminder_goes_to_the_unit_once_before_the_deadline(assigned, unit, time_machine,
                                                            django_capture_on_commit_callbacks):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.timezone.utc))
    before = len(_sms_to(unit.phone))

    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders() == 1
        assert send_deadline_reminders() == 0

    reminders = [body for body in _sms_to(unit.phone)[: len(_sms_to(unit.phone)) - before]]
    assert len(_sms_to(unit.phone)) == before + 1
    assert assigned.tracking in reminders[0]
    assert ConcernEvent.objects.filter(concern=assigned, kind=ConcernEvent.Kind.REMINDER).count() == 1


@pytest.mark.django_db
def test_no_reminder_while_the_deadline_is_far(assigned, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.timezone.utc))

    assert send_deadline_reminders() == 0


@pytest.mark.django_db
def test_overdue_concern_escalates_to_the_deputy_once(assigned, official, time_machine,
                                                      django_capture_on_commit_callbacks):
    official.email = "zhuxi@baita.example.cn"
    official.save()
    time_machine.move_to(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.timezone.utc))

    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_concerns() == 1
        assert escalate_overdue_concerns() == 0

    assert len([b for b in _sms_to(assigned.deputy.mobile) if "超期" in b or "Overdue" in b]) == 1
    assert Notification.objects.filter(recipient="zhuxi@baita.example.cn").count() == 1
    assert ConcernEvent.objects.filter(concern=assigned, kind=ConcernEvent.Kind.ESCALATION, is_public=False).count() == 1


@pytest.mark.django_db
def test_reassigning_with_a_new_deadline_allows_a_new_reminder(assigned, unit, official, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.timezone.utc))
    send_deadline_reminders()

    concern_assign(concern=assigned, unit=unit, actor=official, role=workflow.OFFICIAL,
                   deadline_on=datetime.date(2026, 12, 2))

    assert send_deadline_reminders() == 1


@pytest.mark.django_db
def test_unrated_resolved_concern_closes_after_14_days_and_only_then(assigned, handler, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.timezone.utc))
    concern_resolve(concern=assigned, result="已清理", outcome=Concern.Outcome.FIXED, actor=handler,
                    role=workflow.HANDLER)

    time_machine.move_to(datetime.datetime(2026, 12, 14, 8, 0, tzinfo=datetime.timezone.utc))
    assert close_unrated_concerns() == 0
    time_machine.move_to(datetime.datetime(2026, 12, 16, 8, 0, tzinfo=datetime.timezone.utc))
    assert close_unrated_concerns() == 1
    assert close_unrated_concerns() == 0

    assigned.refresh_from_db()
    assert (assigned.status, assigned.outcome) == (S.CLOSED, Concern.Outcome.FIXED)
    assert assigned.events.last().actor_role == workflow.SYSTEM


@pytest.mark.django_db
def test_a_concern_nobody_took_up_escalates_after_two_working_days(concern, official, time_machine, settings,
                                                                   django_capture_on_commit_callbacks):
    Township.objects.filter(pk=concern.township_id).update(escalation_mobiles="13900000001")
    Concern.objects.filter(pk=concern.pk).update(created_at=datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.timezone.utc))

    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.timezone.utc))
    assert escalate_overdue_concerns() == 0  # Monday → Wednesday: one working day in between
    time_machine.move_to(datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.timezone.utc))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_concerns() == 1
        assert escalate_overdue_concerns() == 0

    assert Notification.objects.filter(recipient="13900000001").count() == 1


@pytest.mark.django_db
def test_a_filing_released_from_review_counts_from_its_release(concern, staff, time_machine):
    monday = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.timezone.utc)
    Concern.objects.filter(pk=concern.pk).update(created_at=monday, status=Concern.Status.HELD)
    concern.refresh_from_db()
    time_machine.move_to(datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.timezone.utc))  # Thursday
    concern_transition(concern=concern, action="release", actor=staff, role=workflow.STAFF)

    assert escalate_overdue_concerns() == 0  # released today: two working days from now
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.timezone.utc))  # Tuesday
    assert escalate_overdue_concerns() == 1


@pytest.mark.django_db
def test_a_concern_resolved_before_its_reminder_gets_none(assigned, handler, time_machine):
    concern_resolve(concern=assigned, result="已处理", outcome=Concern.Outcome.FIXED, actor=handler,
                    role=workflow.HANDLER)
    time_machine.move_to(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.timezone.utc))

    assert send_deadline_reminders() == 0
