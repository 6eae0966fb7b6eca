import hashlib
from dataclasses import dataclass

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


def deputy_create(**fields) -> Deputy:  # fields: any Deputy model field
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


def _qr_is_stored(record: HasPublicCode) -> bool:
    storage = record.qr_png.storage
    return bool(record.qr_png and record.qr_svg) and storage.exists(record.qr_png.name) and storage.exists(
        record.qr_svg.name
    )


def qr_render(*, record: HasPublicCode) -> bool:
    """Write the PNG and SVG for the record's current URL. Returns False if they were already there.

    Safe to run twice or concurrently: each (code, URL) gets its own file names, the
    row is switched to them only if its code is unchanged, and the old files are
    removed after the switch, so a reader never sees a half-written image.
    """
    url = record.public_url()
    if record.qr_target == url and _qr_is_stored(record):
        return False
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    stem = f"qr/{record._meta.model_name}-{record.code}-{digest}"
    storage = record.qr_png.storage
    names = {}
    for ext, content in (("png", qr.render_png(url)), ("svg", qr.render_svg(url))):
        name = f"{stem}.{ext}"
        names[ext] = name if storage.exists(name) else storage.save(name, ContentFile(content))
    old = {record.qr_png.name, record.qr_svg.name} - set(names.values()) - {""}
    switched = type(record).objects.filter(pk=record.pk, code=record.code).update(
        qr_png=names["png"], qr_svg=names["svg"], qr_target=url
    )
    if switched:
        for name in old:
            storage.delete(name)
    record.qr_png.name, record.qr_svg.name, record.qr_target = names["png"], names["svg"], url
    return True


def qr_content(*, record: HasPublicCode, fmt: str) -> bytes:
    """The QR image for a scan or a print: the stored file when current, else made in memory
    (and its rendering queued), so a lagging worker or a lost media file never breaks a scan."""
    if record.qr_target == record.public_url() and _qr_is_stored(record):
        field = record.qr_png if fmt == "png" else record.qr_svg
        try:
            with field.open("rb") as image:
                return image.read()
        except FileNotFoundError:
            pass  # removed by a concurrent re-render after we looked
    qr_schedule(record=record)
    return qr.render_png(record.public_url()) if fmt == "png" else qr.render_svg(record.public_url())


def qr_render_by_id(*, label: str, pk: int) -> bool:
    model = apps.get_model(label)
    record = model.objects.filter(pk=pk).first()
    return bool(record) and qr_render(record=record)


@dataclass(frozen=True)
class QrRegeneration:
    total: int  # deputies and sites
    rendered: int  # images written here and now
    queued: int  # left to the Celery worker


def qr_regenerate_all(*, force: bool = False) -> QrRegeneration:
    """New images for every deputy and site whose QR is missing or stale (all of them with `force`).

    Where tasks run in-process (the embedded default) they are rendered here, so the count is of
    images actually written; with a broker each is queued for the worker after commit.
    """
    from deputies.tasks import render_qr_task

    in_process = render_qr_task.app.conf.task_always_eager
    total = rendered = queued = 0
    for model in (Deputy, Site):
        # A list, not .iterator(): the loop writes to the rows it reads, which SQLite's cursor would see.
        for record in list(model.objects.only("pk", "code", "qr_png", "qr_svg", "qr_target")):
            total += 1
            if force:
                model.objects.filter(pk=record.pk).update(qr_target="")
                record.qr_target = ""
            if record.has_current_qr:
                continue
            if in_process:
                rendered += qr_render(record=record)
            else:
                qr_schedule(record=record)
                queued += 1
    return QrRegeneration(total=total, rendered=rendered, queued=queued)
