from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction

from deputies import qr
from deputies.codes import issue_public_code
from deputies.models import Deputy, HasPublicCode, Site


def public_record_save(*, record: HasPublicCode) -> HasPublicCode:
    """Validate and save a deputy or site.

    A new record gets a fresh public code; whenever the saved record's QR images
    do not encode its current URL, rendering them is queued after commit.
    Raises ValidationError on invalid fields.
    """
    if not record.code:
        record.code = issue_public_code()
    record.full_clean()
    record.save()
    if not record.has_current_qr:
        qr_schedule(record=record)
    return record


def deputy_create(**fields) -> Deputy:
    return public_record_save(record=Deputy(**fields))


def site_create(**fields) -> Site:
    return public_record_save(record=Site(**fields))


def public_code_change(*, record: HasPublicCode) -> HasPublicCode:
    """Give a record a new code (the old one stops working and is never reused) and new QR images."""
    record.code = issue_public_code()
    return public_record_save(record=record)


def qr_schedule(*, record: HasPublicCode) -> None:
    from deputies.tasks import render_qr_task

    label = record._meta.label_lower
    # robust: with the broker down the save still stands; the images are then
    # made on first view or by `manage.py regenerate_qr`.
    transaction.on_commit(lambda: render_qr_task.delay(label, record.pk), robust=True)


def qr_render(*, record: HasPublicCode) -> bool:
    """Write the PNG and SVG for the record's current URL. Returns False if they were already current.

    Safe to run twice or concurrently: file names are fixed per code, and the row
    is updated only if its code is still the one rendered.
    """
    if record.has_current_qr:
        return False
    url = record.public_url()
    stem = f"qr/{record._meta.model_name}-{record.code}"
    storage = record.qr_png.storage
    for field, ext, content in (
        (record.qr_png, "png", qr.render_png(url)),
        (record.qr_svg, "svg", qr.render_svg(url)),
    ):
        name = f"{stem}.{ext}"
        if storage.exists(name):
            storage.delete(name)
        field.name = storage.save(name, ContentFile(content))
    type(record).objects.filter(pk=record.pk, code=record.code).update(
        qr_png=record.qr_png.name, qr_svg=record.qr_svg.name, qr_target=url
    )
    record.qr_target = url
    return True


def qr_render_by_id(*, label: str, pk: int) -> bool:
    model = apps.get_model(label)
    record = model.objects.filter(pk=pk).first()
    return bool(record) and qr_render(record=record)


def qr_regenerate_all(*, force: bool = False) -> int:
    """Queue new images for every deputy and site whose QR is missing or stale. Returns how many."""
    queued = 0
    for model in (Deputy, Site):
        for record in model.objects.only("pk", "code", "qr_png", "qr_svg", "qr_target").iterator():
            if force:
                model.objects.filter(pk=record.pk).update(qr_target="")
                record.qr_target = ""
            if not record.has_current_qr:
                qr_schedule(record=record)
                queued += 1
    return queued
