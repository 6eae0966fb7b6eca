"""Celery entry points: each takes IDs or nothing, calls a service, and is safe to run twice."""

from celery import shared_task

from petitions import periodic
from petitions.notifications import notification_deliver, notifications_pending_ids


@shared_task(
    name="petitions.deliver_notification", bind=True, max_retries=4, default_retry_delay=60, acks_late=True,
)
def deliver_notification_task(self, notification_id: int) -> bool:
    try:
        return notification_deliver(notification_id=notification_id)
    except Exception as exc:
        # Retry only around the outside I/O; the row itself records each attempt.
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries)


@shared_task(name="petitions.retry_pending_notifications")
def retry_pending_notifications(older_than_seconds: int = 60) -> int:
    """Hand rows left pending (broker down at commit, or a failed attempt) back to delivery."""
    ids = notifications_pending_ids(older_than_seconds=older_than_seconds)
    for notification_id in ids:
        deliver_notification_task.delay(notification_id)
    return len(ids)


@shared_task(name="petitions.send_deadline_reminders")
def send_deadline_reminders() -> int:
    return periodic.send_deadline_reminders()


@shared_task(name="petitions.escalate_overdue_concerns")
def escalate_overdue_concerns() -> int:
    return periodic.escalate_overdue_concerns()


@shared_task(name="petitions.close_unrated_concerns")
def close_unrated_concerns() -> int:
    return periodic.close_unrated_concerns()
