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


@shared_task(name="petitions.anonymise_ended_cases")
def anonymise_ended_cases() -> int:
    """Nightly: every township's cases past PERSONAL_DATA_RETENTION_DAYS (as `manage.py anonymise_ended_cases`)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from liaison.scoping import each_township
    from petitions.privacy import anonymise_ended

    cutoff = timezone.now() - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    return sum(anonymise_ended(cutoff=cutoff) for _township in each_township())


@shared_task(name="petitions.remind_suggestion_units")
def remind_suggestion_units() -> int:
    """Daily, in each township: suggestions not returned in time count as accepted; lead units are reminded
    of answers and co-handling units of views due soon; overdue ones are escalated to the officials
    (petitions.suggestion_deadlines, docs/suggestions.md). Returns how many rows it acted on; a second run
    the same day acts on none."""
    from liaison.scoping import each_township
    from petitions.suggestion_deadlines import suggestion_deadlines_sweep

    return sum(sum(suggestion_deadlines_sweep().values()) for _township in each_township())


@shared_task(name="petitions.count_figures")
def count_figures() -> int:
    """Every minute: bring each township's running totals of cases up to date (petitions.rollups). Returns the
    days recounted."""
    from liaison.scoping import county_wide
    from petitions.rollups import catch_up

    with county_wide():
        return catch_up()


@shared_task(name="petitions.register_filings")
def register_filings() -> int:
    """Nudged by the public form: register the filings it took in (petitions.intake)."""
    from petitions.intake import register_filings_now

    return register_filings_now()


@shared_task(name="petitions.sweep_filings")
def sweep_filings() -> int:
    """Every minute: register filings no nudge reached; forget old repeats (petitions.intake)."""
    from petitions.intake import sweep

    return sweep()
