"""Sized portraits (deputies.services.deputy_portraits_refresh): made from the photo at save,
kept while the photo stays, shown on the public pages instead of the upload."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from deputies.models import Deputy
from deputies.services import public_record_save
from tests.factories import DeputyFactory, SiteFactory, VillageFactory


def _camera_photo(size=(3000, 4000), colour="#8a9a6b") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=95)
    return ContentFile(buffer.getvalue(), name="camera.jpg")


def _unsaved(**fields) -> Deputy:
    return DeputyFactory.build(village=VillageFactory(), site=SiteFactory(), **fields)


def _with_photo(deputy: Deputy, photo: ContentFile) -> Deputy:
    deputy.photo.save(photo.name, photo, save=False)
    return public_record_save(record=deputy)


@pytest.mark.django_db
def test_saving_a_photo_makes_both_portraits_at_their_sizes():
    deputy = _with_photo(_unsaved(), _camera_photo())

    stored = Deputy.objects.get(pk=deputy.pk)
    for field, size in ((stored.portrait_small, (160, 200)), (stored.portrait_large, (320, 400))):
        with default_storage.open(field.name) as image:
            picture = Image.open(image)
            assert (picture.format, picture.size) == ("JPEG", size)
    assert stored.portrait_small.size < 10_000 < stored.photo.size


@pytest.mark.django_db
def test_a_sideways_camera_photo_is_turned_upright():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view": a phone held upright
    Image.new("RGB", (4000, 3000), "#ccc").save(buffer, format="JPEG", exif=exif)
    deputy = _with_photo(_unsaved(), ContentFile(buffer.getvalue(), name="side.jpg"))

    with default_storage.open(deputy.portrait_large.name) as image:
        assert Image.open(image).size == (320, 400)


@pytest.mark.django_db
def test_saving_again_with_the_same_photo_makes_nothing_new():
    deputy = _with_photo(_unsaved(), _camera_photo())
    small, large = deputy.portrait_small.name, deputy.portrait_large.name

    deputy.post = "白塔村村委会主任"
    public_record_save(record=deputy)

    stored = Deputy.objects.get(pk=deputy.pk)
    assert (stored.portrait_small.name, stored.portrait_large.name) == (small, large)


@pytest.mark.django_db
def test_a_new_photo_replaces_the_portraits_and_removes_the_old_ones():
    deputy = _with_photo(_unsaved(), _camera_photo())
    old = [deputy.portrait_small.name, deputy.portrait_large.name]

    deputy = _with_photo(deputy, _camera_photo(colour="#223344"))

    assert deputy.portrait_small.name not in old
    assert default_storage.exists(deputy.portrait_small.name)
    assert not any(default_storage.exists(name) for name in old)


@pytest.mark.django_db
def test_removing_the_photo_removes_the_portraits():
    deputy = _with_photo(_unsaved(), _camera_photo())
    old = deputy.portrait_small.name

    deputy.photo = None
    public_record_save(record=deputy)

    stored = Deputy.objects.get(pk=deputy.pk)
    assert not stored.portrait_small and not stored.portrait_large
    assert not default_storage.exists(old)


@pytest.mark.django_db
def test_a_photo_pillow_cannot_read_leaves_no_portraits_and_pages_show_the_upload(client):
    deputy = _unsaved()
    deputy.photo.save("broken.jpg", ContentFile(b"not a picture"), save=False)
    public_record_save(record=deputy)

    assert not Deputy.objects.get(pk=deputy.pk).portrait_small
    assert deputy.photo.url in client.get(f"/d/{deputy.code}/").content.decode()


@pytest.mark.django_db
def test_pages_show_the_sized_portraits_with_their_size_and_lazy_below_the_top(client):
    deputies = [_with_photo(_unsaved(name=f"王{n}"), _camera_photo()) for n in range(6)]

    directory = client.get("/d/").content.decode()
    profile = client.get(f"/d/{deputies[0].code}/").content.decode()

    cards = re.findall(r'<img class="portrait"[^>]*>', directory)
    assert len(cards) == 6
    assert all('width="160" height="200"' in card and "/portraits/" in card for card in cards)
    assert [("loading=\"lazy\"" in card) for card in cards] == [False] * 4 + [True] * 2
    assert deputies[0].photo.url not in directory  # never the 4000-pixel upload
    assert f'src="{deputies[0].portrait_large.url}"' in profile
    assert 'width="320" height="400"' in profile


@pytest.mark.django_db
def test_two_deputies_whose_photos_share_a_file_stem_keep_their_own_portraits():
    def photo(name: str, colour: str, fmt: str) -> ContentFile:
        buffer = io.BytesIO()
        Image.new("RGB", (600, 800), colour).save(buffer, format=fmt)
        return ContentFile(buffer.getvalue(), name=name)

    red = _with_photo(_unsaved(name="王一"), photo("IMG_0001.jpg", "#cc0000", "JPEG"))
    blue = _with_photo(_unsaved(name="王二"), photo("IMG_0001.png", "#0000cc", "PNG"))

    def centre(deputy: Deputy) -> tuple[int, int, int]:
        with default_storage.open(Deputy.objects.get(pk=deputy.pk).portrait_small.name) as file:
            return Image.open(file).convert("RGB").getpixel((80, 100))

    assert centre(red)[0] > 150 > centre(red)[2]
    assert centre(blue)[2] > 150 > centre(blue)[0]
