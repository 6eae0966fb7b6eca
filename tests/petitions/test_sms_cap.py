"""The daily cap on SMS to a number the public typed in (liaison.outbox, petitions.messages): the form
cannot be used to flood a stranger's phone; over the cap a message is recorded as skipped, never sent,
and nothing raises."""

import pytest

from liaison.models import Notification
from liaison.outbox import notification_queue
from petitions import workflow
from petitions.services import concern_transition
from tests.factories import ConcernFactory, TownshipFactory, the_township

SKIPPED, SMS = Notification.Status.SKIPPED, Notification.Channel.SMS
VICTIM = "13812345678"


def _to_victim() -> list[Notification]:
    return list(Notification.objects.filter(recipient=VICTIM).order_by("pk"))


@pytest.mark.django_db
def test_the_sixth_sms_to_one_number_in_a_day_is_skipped_with_its_reason_and_never_sent(
    deputy, category, settings, django_capture_on_commit_callbacks
):
    settings.SMS_DAILY_CAP_PER_NUMBER = 5
    with django_capture_on_commit_callbacks(execute=True):
        concerns = [ConcernFactory(deputy=deputy, category=category, mobile=VICTIM) for _ in range(6)]

    statuses = [n.status for n in _to_victim()]
    assert statuses == [Notification.Status.SENT] * 5 + [SKIPPED]
    skipped = _to_victim()[-1]
    assert skipped.last_error == "未发送：该号码今天已收到 5 条短信，已达每日上限。"
    assert skipped.sent_at is None
    # The deputy's number is the station's own: every filing still reaches it.
    assert Notification.objects.filter(recipient=deputy.mobile, status=Notification.Status.SENT).count() == 6
    assert all(c.notifications.filter(recipient=deputy.mobile).exists() for c in concerns)


@pytest.mark.django_db
def test_the_cap_counts_every_township_and_resets_the_next_day(settings, time_machine):
    settings.SMS_DAILY_CAP_PER_NUMBER = 2
    time_machine.move_to("2026-03-07 23:00:00+08:00", tick=False)
    other = TownshipFactory()
    for n, township in enumerate([the_township(), other, the_township()]):
        notification_queue(township=township, key=f"k{n}", channel=SMS, recipient=VICTIM, body="x", daily_cap=2)
    notification_queue(township=other, key="uncapped", channel=SMS, recipient=VICTIM, body="x")
    time_machine.move_to("2026-03-08 00:01:00+08:00", tick=False)

    tomorrow = notification_queue(township=other, key="k-next", channel=SMS, recipient=VICTIM, body="x", daily_cap=2)

    assert [n.status for n in _to_victim()][:4] == [Notification.Status.PENDING] * 2 + [SKIPPED] + [
        Notification.Status.PENDING]
    assert tomorrow.status == Notification.Status.PENDING


@pytest.mark.django_db
def test_a_message_over_the_cap_to_a_constituent_is_skipped_not_raised(concern, official, settings):
    settings.SMS_DAILY_CAP_PER_NUMBER = 1  # the receipt already went today

    concern_transition(concern=concern, action="reject", actor=official, role=workflow.OFFICIAL,
                       note="不属于受理范围")

    to_constituent = concern.notifications.filter(recipient=VICTIM).order_by("pk")
    assert [n.status for n in to_constituent] == [Notification.Status.PENDING, SKIPPED]
