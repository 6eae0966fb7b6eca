import hashlib
import logging
from dataclasses import dataclass

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from deputies import qr
from deputies.codes import issue_public_code
from deputies.models import Deputy, HasPublicCode, Site
from deputies.pinyin import name_sort_key
from deputies.portraits import PORTRAIT_SIZES, portrait_jpeg_sized
from liaison.scoping import county_wide, each_township, in_township_of

logger = logging.getLogger(__name__)


def public_record_save(*, record: HasPublicCode) -> HasPublicCode:
    """Validate and save a deputy or site.

    A new record gets a fresh public code; whenever the saved record's QR images
    do not encode its current URL, rendering them is queued after commit. A deputy's
    pinyin sort key follows the name, and the sized portraits follow the photo.
    Raises ValidationError on invalid fields.
    """
    if not record.code:
        record.code = issue_public_code()
    if isinstance(record, Deputy):
        record.name_pinyin = name_sort_key(record.name)
    record.full_clean()
    record.save()
    if isinstance(record, Deputy):
        deputy_portraits_refresh(deputy=record)
    if not record.has_current_qr:
        qr_schedule(record=record)
    return record


def _portrait_name(deputy: Deputy, size: tuple[int, int]) -> str:
    # The deputy and the photo's whole name: two deputies' photos may share a file stem
    # (IMG_0001.jpg), and one deputy's leftover file is the only one ever replaced.
    photo = hashlib.sha1(deputy.photo.name.encode()).hexdigest()[:10]
    return f"deputies/portraits/{deputy.pk}-{photo}-{size[0]}x{size[1]}.jpg"


def deputy_portraits_refresh(*, deputy: Deputy) -> bool:
    """Make the sized portraits from the deputy's photo unless they were made from this very photo.

    Portrait names carry the photo's name, so a new upload (a new name) makes new ones and an
    unchanged photo costs nothing. Old portrait files are removed; with no photo, or a file Pillow
    cannot read, the portraits are cleared (pages then show the photo itself or the placeholder).
    Returns True if anything changed.
    """
    wanted = {}
    if deputy.photo:
        wanted = {kind: _portrait_name(deputy, size) for kind, size in PORTRAIT_SIZES.items()}
    fields = {kind: getattr(deputy, f"portrait_{kind}") for kind in PORTRAIT_SIZES}
    if wanted and all(fields[kind].name == wanted[kind] for kind in PORTRAIT_SIZES):
        return False
    if not wanted and not any(fields.values()):
        return False
    storage = deputy.portrait_small.storage
    names = {}
    try:
        for kind, name in wanted.items():
            deputy.photo.open("rb")
            try:
                content = portrait_jpeg_sized(deputy.photo, PORTRAIT_SIZES[kind])
            finally:
                deputy.photo.close()
            if storage.exists(name):  # left by an earlier attempt for this deputy and this photo
                storage.delete(name)
            names[kind] = storage.save(name, ContentFile(content))
    except (OSError, Image.DecompressionBombError):
        logger.warning("Deputy %s: the photo %s is not a usable picture; no portraits made.",
                       deputy.pk, deputy.photo.name)
        for name in names.values():
            storage.delete(name)
        names = {}
    old = {field.name for field in fields.values() if field} - set(names.values())
    Deputy.objects.filter(pk=deputy.pk).update(**{f"portrait_{kind}": names.get(kind, "") for kind in PORTRAIT_SIZES})
    for kind in PORTRAIT_SIZES:
        getattr(deputy, f"portrait_{kind}").name = names.get(kind, "")
    for name in old:
        storage.delete(name)
    return True


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
    for ext, content in zip(("png", "svg"), qr.render_both(url), strict=True):
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
    with county_wide():
        record = model.objects.filter(pk=pk).first()
    if record is None:
        return False
    with in_township_of(record):
        return qr_render(record=record)


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
    for _township, model in ((t, m) for t in each_township() for m in (Deputy, Site)):
        # A list, not .iterator(): the loop writes to the rows it reads, which SQLite's cursor would see.
        for record in list(model.objects.select_related("township").only(
                "pk", "code", "qr_png", "qr_svg", "qr_target", "township")):
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
