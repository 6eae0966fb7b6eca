"""Celery entry points: each takes IDs or nothing, calls a service, and is safe to run twice."""

from celery import shared_task

from petitions import periodic


@shared_task(name="petitions.send_deadline_reminders")
def send_deadline_reminders() -> int:
    return periodic.send_deadline_reminders()


@shared_task(name="petitions.escalate_overdue_concerns")
def escalate_overdue_concerns() -> int:
    return periodic.escalate_overdue_concerns()


@shared_task(name="petitions.close_unrated_concerns")
def close_unrated_concerns() -> int:
    return periodic.close_unrated_concerns()
