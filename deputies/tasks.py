from celery import shared_task

from deputies.services import qr_render_by_id


@shared_task(name="deputies.render_qr")
def render_qr_task(label: str, pk: int) -> bool:
    """Render the QR images of one deputy or site (label 'deputies.deputy' or 'deputies.site')."""
    return qr_render_by_id(label=label, pk=pk)


@shared_task(name="deputies.remind_quiet_household_deputies")
def remind_quiet_household_deputies() -> int:
    """Daily: SMS the deputies who have not contacted their liaison households within
    HOUSEHOLD_CONTACT_DAYS, every township, once per period (deputies.households)."""
    from deputies.households import household_reminders_send

    return household_reminders_send()
