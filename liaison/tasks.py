"""Celery entry points of the outbox: each takes IDs or nothing, calls a service, and is safe to run twice."""

from celery import shared_task

from liaison.celery import send_or_give_up
from liaison.outbox import notification_deliver, notifications_pending_ids, sweep_mark_done


@shared_task(name="liaison.deliver_notification", bind=True, max_retries=4, default_retry_delay=60, acks_late=True)
def deliver_notification_task(self, notification_id: int) -> bool:
    try:
        return notification_deliver(notification_id=notification_id)
    except Exception as exc:
        # Retry only around the outside I/O; the row itself records each attempt.
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries)


@shared_task(name="liaison.deliver_notifications", acks_late=True)
def deliver_notifications_task(notification_ids: list[int]) -> int:
    """Many messages in one task (outbox.deliveries_gathered), each in turn; how many this sent. After a failure
    (the gateway away, most likely) the one that failed is retried and the rest sent as messages sent alone: a
    batch waits on a silent gateway once, not once for each message. The sweep sends what the broker refused."""
    for n, notification_id in enumerate(notification_ids):
        try:
            notification_deliver(notification_id=notification_id)
        except Exception:
            send_or_give_up(deliver_notification_task, notification_id, countdown=60)
            for rest in notification_ids[n + 1:]:
                send_or_give_up(deliver_notification_task, rest)
            return n
    return len(notification_ids)


@shared_task(name="liaison.retry_pending_notifications")
def retry_pending_notifications(older_than_seconds: int = 60) -> int:
    """Hand rows left pending (broker down at commit, or a failed attempt) back to delivery."""
    ids = notifications_pending_ids(older_than_seconds=older_than_seconds)
    for notification_id in ids:
        deliver_notification_task.delay(notification_id)
    sweep_mark_done()  # /healthz shows it: beat is alive and the broker took every row
    return len(ids)
