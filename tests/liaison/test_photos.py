import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.photos import clean_photo


def _jpeg_with_gps(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, "#6a8")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display upright
    exif[0x8825] = {1: "N", 2: (28.0, 50.0, 0.0), 3: "E", 4: (120.0, 44.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_loses_its_location_and_is_resized_and_turned_upright():
    cleaned = clean_photo(SimpleUploadedFile("IMG_0001.JPG", _jpeg_with_gps()))

    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert image.size == (1067, 1600)  # portrait after applying the orientation, long side 1600


def test_a_non_image_with_a_photo_name_is_refused():
    with pytest.raises(ValidationError) as refused:
        clean_photo(SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo"))

    assert refused.value.code == "photo_invalid"


def test_an_oversized_upload_is_refused_before_decoding():
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1))

    with pytest.raises(ValidationError) as refused:
        clean_photo(upload)

    assert refused.value.code == "photo_too_large"
