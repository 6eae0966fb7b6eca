"""desk:comment — a comment (internal) or progress (public) with photos; never moves the status."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from petitions import workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import concern_assign


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#48a").save(buffer, format="JPEG")
    return SimpleUploadedFile("progress.jpg", buffer.getvalue(), content_type="image/jpeg")


def _comment(client, concern: Concern, data: dict):
    return client.post(reverse("desk:comment", args=[concern.tracking]), data)


@pytest.mark.django_db
def test_a_handler_posts_public_progress_with_a_photo(client, handler, concern, deputy_user, unit):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    client.force_login(handler)

    response = _comment(client, concern, {"comment-note": "已清理一半", "comment-is_public": "on",
                                          "comment-photos": [_jpeg()]})

    assert response.status_code == 302 and response["Location"] == reverse("desk:concern", args=[concern.tracking])
    event = concern.events.latest("created_at")
    assert (event.kind, event.is_public, event.actor_role) == (ConcernEvent.Kind.PROGRESS, True, workflow.HANDLER)
    assert event.photos.get().is_public
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ASSIGNED


@pytest.mark.django_db
def test_a_comment_without_the_public_box_stays_internal(client, deputy_user, concern):
    client.force_login(deputy_user)

    _comment(client, concern, {"comment-note": "先电话联系群众"})

    event = concern.events.latest("created_at")
    assert (event.kind, event.is_public, event.actor_role) == (ConcernEvent.Kind.COMMENT, False, workflow.DEPUTY)


@pytest.mark.django_db
def test_an_empty_comment_is_refused_and_the_ticked_box_is_kept(client, official, concern):
    client.force_login(official)

    response = _comment(client, concern, {"comment-note": "", "comment-is_public": "on"})

    assert response.status_code == 200
    form = response.context["comment_form"]
    assert "note" in form.errors and form["is_public"].value() is True
    assert concern.events.count() == 1


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_and_the_note_kept(client, official, concern):
    client.force_login(official)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")

    response = _comment(client, concern, {"comment-note": "附现场照片", "comment-photos": [fake]})

    assert response.status_code == 200
    assert "附现场照片" in response.content.decode()
    assert concern.events.count() == 1
