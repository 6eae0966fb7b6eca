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


@shared_task(name="deputies.publish_duty_days")
def publish_duty_days_task() -> int:
    """Publish, in every township, each duty day within the next three days not yet published."""
    from deputies.duty import duty_publish_due
    from liaison.scoping import each_township

    return sum(duty_publish_due() for _township in each_township())


@shared_task(name="deputies.send_duty_reminders")
def send_duty_reminders_task() -> int:
    """The day before a duty day, an SMS to each deputy on shift, in every township; once per shift."""
    from deputies.duty import duty_reminders_send
    from liaison.scoping import each_township

    return sum(duty_reminders_send() for _township in each_township())
