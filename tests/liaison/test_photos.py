import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps

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


def test_a_phones_twelve_megapixel_photo_decoded_at_a_smaller_scale_is_the_same_picture():
    # Four colours in the corners: decoded at half size (JPEG draft) the picture must come out as a full decode
    # turned upright and shrunk would: the same size, each corner in the same place.
    size = (4032, 3024)
    image = Image.new("RGB", size, "#6a8")
    for box, colour in (((0, 0, 800, 600), "#f00"), ((3232, 0, 4032, 600), "#00f"),
                        ((0, 2424, 800, 3024), "#ff0"), ((3232, 2424, 4032, 3024), "#000")):
        image.paste(colour, box)
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)

    cleaned = Image.open(io.BytesIO(clean_photo(SimpleUploadedFile("IMG_0002.JPG", buffer.getvalue())).read()))
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(buffer.getvalue()))).convert("RGB")
    expected.thumbnail((1600, 1600))
    assert cleaned.size == expected.size == (1200, 1600)
    for x, y in ((50, 50), (1150, 50), (50, 1550), (1150, 1550), (600, 800)):
        assert all(abs(a - b) < 24 for a, b in zip(cleaned.getpixel((x, y)), expected.getpixel((x, y)), strict=True))


def test_a_non_image_with_a_photo_name_is_refused():
    with pytest.raises(ValidationError) as refused:
        clean_photo(SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo"))

    assert refused.value.code == "photo_invalid"


def test_an_oversized_upload_is_refused_before_decoding():
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1))

    with pytest.raises(ValidationError) as refused:
        clean_photo(upload)

    assert refused.value.code == "photo_too_large"
