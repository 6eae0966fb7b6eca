"""Uploaded photos: checked by content, limited, resized, and stripped of EXIF (GPS) before storing."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs before decoding
LONG_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PHOTOS = 6


def check_photo(upload) -> Image.Image:
    """The upload opened by its header (size, format and pixels checked, nothing decoded). Raises
    ValidationError. The public form checks only this much in the request: the worker cleans it."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Each photo must be smaller than 10 MB."), code="photo_too_large")
    try:
        upload.seek(0)
        image = Image.open(upload)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not a photo we can read."), code="photo_invalid") from exc
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(_("Only JPEG, PNG, WebP or GIF photos are accepted."), code="photo_format")
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(_("This photo has too many pixels."), code="photo_too_large")
    return image


def clean_photo(upload) -> ContentFile:
    """Return a JPEG of at most LONG_SIDE pixels with no metadata. Raises ValidationError."""
    image = check_photo(upload)
    try:
        # A JPEG is decoded straight at the half, quarter or eighth of its size that still covers LONG_SIDE:
        # a phone's 12-megapixel photo decodes in a fraction of the time (a no-op for other formats).
        scale = LONG_SIDE / max(image.width, image.height)
        if scale < 1:
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not a photo we can read."), code="photo_invalid") from exc
    # Turn the picture upright from its EXIF orientation, then drop all metadata (GPS included)
    # by re-encoding only the pixels.
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":  # (a JPEG drafted above is RGB already: converting it again only copied it)
        image = image.convert("RGB")
    # Bilinear: from the drafted size to LONG_SIDE is a small step, where it looks the same as bicubic at half
    # the time, the largest part of a filing with a photo (make bench, pyinstrument).
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.BILINEAR)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")
