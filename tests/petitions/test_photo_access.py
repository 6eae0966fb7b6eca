"""Concern photos are private files: served only to those who may see them (docs/privacy.md)."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from petitions import workflow
from petitions.services import concern_comment

from .test_public_tracking import _photo


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#abc").save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="x.jpg")


@pytest.fixture
def photos(concern, handler, unit, deputy_user):
    from petitions.services import concern_assign

    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    for is_public in (True, False):
        concern_comment(concern=concern, actor=handler, role=workflow.HANDLER, is_public=is_public, note="进展",
                        photos=[_jpeg()])
    public, internal = concern.photos.order_by("pk")
    return {"public": public, "internal": internal, "concern": concern}


@pytest.mark.django_db
def test_a_public_photo_is_served_to_anyone(client, photos):
    response = client.get(photos["public"].get_absolute_url())

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (20, 20)


@pytest.mark.django_db
def test_an_internal_photo_is_hidden_from_the_public_but_served_to_the_handler(client, photos, handler):
    assert client.get(photos["internal"].get_absolute_url()).status_code == 404

    client.force_login(handler)

    assert client.get(photos["internal"].get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_deputy_of_another_concern_cannot_fetch_it(client, photos):
    from liaison import roles
    from tests.conftest import _user_in
    from tests.factories import DeputyFactory

    other = _user_in(roles.DEPUTY, username="other-deputy")
    DeputyFactory(user=other)
    client.force_login(other)

    assert client.get(photos["internal"].get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_constituent_sees_their_own_photo_after_verifying(client, concern, category, deputy_user):
    from tests.factories import ConcernFactory

    mine = ConcernFactory(category=category, deputy=deputy_user.deputy, mobile="13812349999", is_public=False,
                          photos=[_photo()])
    url = mine.photos.get().get_absolute_url()
    assert client.get(url).status_code == 404

    client.post(f"/t/{mine.tracking}/verify/", {"last4": "9999"})

    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_photo_files_are_not_under_the_public_media_folder(photos, settings):
    path = photos["internal"].image.path

    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert photos["internal"].key.hex in path  # a random, unguessable name
