"""Reminders, escalation and notifications on a real Celery worker, Redis and PostgreSQL.

The worker delivers SMS to a real HTTP gateway in this process; what the gateway
received is what was sent.
"""

import datetime

import pytest
from django.utils import timezone

from liaison.calendar import add_working_days
from liaison.models import Notification
from liaison.tasks import retry_pending_notifications
from petitions import workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import concern_assign
from petitions.tasks import escalate_overdue_concerns, send_deadline_reminders
from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory, UnitFactory
from tests.production.conftest import wait_for
from tests.production.test_qr_worker import broker_down


def _texts_to(gateway, mobile: str, about: str = "") -> list[str]:
    """What the gateway received for `mobile`, about one concern if `about` (its tracking code) is given."""
    return [m["text"] for m in gateway["received"] if m["mobile"] == mobile and about in m["text"]]


def _run_twice(task) -> list[int]:
    """Two runs on the worker at once; returns what each did, sorted, once both have finished."""
    runs = [task.apply_async(ignore_result=False) for _ in range(2)]
    return sorted(run.get(timeout=60) for run in runs)


@pytest.fixture
def assigned(db, official):
    unit = UnitFactory(phone="13700000042")
    category = CategoryFactory(default_unit=unit)
    concern = ConcernFactory(category=category, deputy=DeputyFactory(mobile="13900000042"), mobile="13800000042")
    return concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL,
                          deadline_on=add_working_days(timezone.localdate(), 1))


@pytest.mark.django_db(transaction=True)
def test_filing_notifies_the_constituent_and_the_deputy_through_the_worker(celery_worker, sms_gateway, assigned):
    code = assigned.tracking
    wait_for(lambda: _texts_to(sms_gateway, "13800000042", code) and _texts_to(sms_gateway, "13900000042", code))

    assert len(_texts_to(sms_gateway, "13800000042", code)) == 1
    assert sms_gateway["received"][0]["auth"] == "Bearer worker-token"


@pytest.mark.django_db(transaction=True)
def test_a_reminder_run_twice_on_the_worker_sends_one_message(celery_worker, sms_gateway, assigned):
    code = assigned.tracking
    wait_for(lambda: _texts_to(sms_gateway, "13700000042", code))  # the assignment message
    before = len(_texts_to(sms_gateway, "13700000042", code))

    reminded = _run_twice(send_deadline_reminders)

    assert reminded == [0, 1]
    wait_for(lambda: not Notification.objects.exclude(status=Notification.Status.SENT).exists())
    assert len(_texts_to(sms_gateway, "13700000042", code)) == before + 1
    assert ConcernEvent.objects.filter(concern=assigned, kind=ConcernEvent.Kind.REMINDER).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_escalation_run_twice_on_the_worker_tells_the_deputy_once(celery_worker, sms_gateway, assigned):
    Concern.objects.filter(pk=assigned.pk).update(deadline_on=timezone.localdate() - datetime.timedelta(days=2))
    code = assigned.tracking
    wait_for(lambda: _texts_to(sms_gateway, "13900000042", code))  # the filing message
    before = len(_texts_to(sms_gateway, "13900000042", code))

    escalated = _run_twice(escalate_overdue_concerns)

    assert escalated == [0, 1]
    wait_for(lambda: not Notification.objects.exclude(status=Notification.Status.SENT).exists())
    assert len(_texts_to(sms_gateway, "13900000042", code)) == before + 1
    assert ConcernEvent.objects.filter(concern=assigned, kind=ConcernEvent.Kind.ESCALATION).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_concern_filed_while_the_broker_is_down_is_kept_and_notified_once_it_is_back(
    celery_worker, sms_gateway, category
):
    with broker_down():
        concern = ConcernFactory(category=category, mobile="13800000077")

    assert Concern.objects.filter(pk=concern.pk).exists()
    assert Notification.objects.filter(recipient="13800000077", status=Notification.Status.PENDING).exists()
    assert not _texts_to(sms_gateway, "13800000077")

    retry_pending_notifications.delay(0)

    wait_for(lambda: _texts_to(sms_gateway, "13800000077"))
    assert len(_texts_to(sms_gateway, "13800000077")) == 1
