import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from liaison.models import Notification
from liaison.outbox import message_reference, notification_deliver, notification_queue, notifications_pending_ids
from liaison.sms import SmsError
from tests.factories import the_township
from tests.sms_gateway import running_gateway


@pytest.fixture
def gateway():
    with running_gateway() as gateway:
        yield gateway


@pytest.fixture
def sms_gateway(settings, gateway):
    settings.SMS_BACKEND = "liaison.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = gateway["url"]
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    return gateway


@pytest.mark.django_db
def test_queueing_the_same_key_twice_queues_once():
    first = notification_queue(township=the_township(), key="k", channel="sms", recipient="13800000001", body="hi")
    second = notification_queue(township=the_township(), key="k", channel="sms", recipient="13800000001", body="hi")

    assert first is not None and second is None
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_delivery_through_the_http_gateway_sends_once(sms_gateway):
    notification = notification_queue(township=the_township(), key="k", channel="sms", recipient="13800000001", body="【白塔】您好")

    assert notification_deliver(notification_id=notification.pk) is True
    assert notification_deliver(notification_id=notification.pk) is False

    assert sms_gateway["received"] == [{"auth": "Bearer t0ken", "mobile": "13800000001", "text": "【白塔】您好",
                                        "id": message_reference(notification)}]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.sent_at


@pytest.mark.django_db
def test_a_message_left_in_doubt_by_a_dead_worker_is_sent_again_under_the_same_reference(sms_gateway):
    # A worker killed after the gateway took the message but before it was recorded as sent leaves the
    # row "sending"; the sweep hands it back after 10 minutes, and the gateway sees the same id again.
    notification = notification_queue(township=the_township(), key="k", channel="sms", recipient="13800000001",
                                      body="【白塔】您好")
    assert notification_deliver(notification_id=notification.pk) is True
    eleven_minutes_ago = timezone.now() - datetime.timedelta(minutes=11)
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENDING, attempts=0,
                                                           sent_at=None, updated_at=eleven_minutes_ago)

    assert notifications_pending_ids(older_than_seconds=0) == [notification.pk]
    assert notification_deliver(notification_id=notification.pk) is True

    assert [m["id"] for m in sms_gateway["received"]] == [message_reference(notification)] * 2
    assert len(sms_gateway["delivered"]) == 1


def test_a_message_reference_differs_between_installations(settings):
    notification = Notification(pk=7, key="k", created_at=timezone.now())
    here = message_reference(notification)
    settings.SITE_URL = "https://rd.another-town.example.cn"

    assert message_reference(notification) != here and len(here) == 32


@pytest.mark.django_db
def test_a_refused_message_stays_pending_for_a_retry_then_fails_after_five_attempts(sms_gateway):
    sms_gateway["answers"].extend([False] * 5)
    notification = notification_queue(township=the_township(), key="k", channel="sms", recipient="13800000001", body="x")

    for attempt in range(1, 6):
        with pytest.raises(SmsError, match="refused"):
            notification_deliver(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.attempts == attempt

    assert notification.status == Notification.Status.FAILED
    assert "refused" in notification.last_error


@pytest.mark.django_db
def test_email_notifications_use_the_email_backend(mailoutbox):
    notification = notification_queue(township=the_township(), key="e", channel="email", recipient="a@b.cn", subject="s", body="正文")

    notification_deliver(notification_id=notification.pk)

    assert [(m.to, m.body) for m in mailoutbox] == [(["a@b.cn"], "正文")]


@pytest.mark.django_db
def test_nothing_is_queued_while_notifications_are_muted():
    from liaison.outbox import notifications_muted

    with notifications_muted():
        assert notification_queue(township=the_township(), key="m", channel="sms", recipient="13800000001", body="x") is None

    assert not Notification.objects.exists()
    assert notification_queue(township=the_township(), key="m", channel="sms", recipient="13800000001", body="x") is not None



def _queue(n: int) -> Notification:
    return notification_queue(township=the_township(), key=f"g{n}", channel="sms", recipient=f"1380000000{n}",
                              body=f"第{n}条")


@pytest.mark.django_db(transaction=True)
def test_messages_queued_in_a_gathering_go_out_by_one_task_once_it_ends(sms_gateway, tasks_run):
    from liaison.outbox import deliveries_gathered

    with deliveries_gathered():
        for n in range(3):
            with transaction.atomic():  # (as the worker registers each filing)
                _queue(n)
        assert sms_gateway["received"] == [] and tasks_run == []

    assert tasks_run == ["liaison.deliver_notifications"]
    assert sorted(m["mobile"] for m in sms_gateway["delivered"]) == ["13800000000", "13800000001", "13800000002"]
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


@pytest.mark.django_db(transaction=True)
def test_after_a_failure_in_a_gathering_that_message_is_retried_and_the_rest_go_alone(sms_gateway, tasks_run):
    """A silent gateway holds a batch once (its timeout), not once for each message in it."""
    from liaison.outbox import deliveries_gathered

    sms_gateway["answers"].append(False)  # the first message is refused once
    with deliveries_gathered():
        for n in range(3):
            _queue(n)

    assert tasks_run == ["liaison.deliver_notifications"] + ["liaison.deliver_notification"] * 3
    assert len(sms_gateway["delivered"]) == 3 and len(sms_gateway["received"]) == 4
    first = Notification.objects.get(key="g0")
    assert (first.status, first.attempts) == (Notification.Status.SENT, 2)


@pytest.mark.django_db(transaction=True)
def test_a_gathering_sends_one_task_for_each_tasks_worth(sms_gateway, tasks_run, monkeypatch):
    from liaison import outbox

    monkeypatch.setattr(outbox, "GATHERED_PER_TASK", 2)
    with outbox.deliveries_gathered():
        for n in range(5):
            _queue(n)
        assert tasks_run == []

    assert tasks_run == ["liaison.deliver_notifications"] * 3 and len(sms_gateway["delivered"]) == 5


@pytest.mark.django_db(transaction=True)
def test_a_message_committed_after_its_gathering_ended_goes_out_on_its_own(sms_gateway, tasks_run):
    from liaison.outbox import deliveries_gathered

    with transaction.atomic():
        with deliveries_gathered():
            _queue(0)
        assert tasks_run == []

    assert tasks_run == ["liaison.deliver_notification"] and len(sms_gateway["delivered"]) == 1
