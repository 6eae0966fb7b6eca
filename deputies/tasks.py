from celery import shared_task

from deputies.services import qr_render_by_id


@shared_task(name="deputies.render_qr")
def render_qr_task(label: str, pk: int) -> bool:
    """Render the QR images of one deputy or site (label 'deputies.deputy' or 'deputies.site')."""
    return qr_render_by_id(label=label, pk=pk)
