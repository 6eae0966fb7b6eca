"""desk:concern — the case page: everything about one concern, and the moves the user may make now."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from petitions import workflow
from petitions.fields import PhotosField
from petitions.models import Concern
from petitions.services import concern_assign, concern_comment
from tests.factories import CategoryFactory, ConcernFactory


def _photo() -> list:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "#a64").save(buffer, format="JPEG")
    return PhotosField().clean([SimpleUploadedFile("p.jpg", buffer.getvalue())])


def _url(concern: Concern) -> str:
    return reverse("desk:concern", args=[concern.tracking])


def _actions(response) -> list[str]:
    return [item["action"].name for item in response.context["action_forms"]]


@pytest.mark.django_db
def test_the_back_office_sees_the_constituents_full_name_and_the_mobile_once_revealed(client, staff, concern):
    client.force_login(staff)

    body = client.get(_url(concern)).content.decode()
    client.post(reverse("desk:reveal_mobile", args=[concern.tracking]))
    revealed = client.get(_url(concern)).content.decode()

    assert "陈西荣" in body and "138****5678" in body and "13812345678" not in body
    assert "13812345678" in revealed
    assert "家门口葡萄园环境卫生差" in body and concern.category.name in body and concern.deputy.name in body


@pytest.mark.django_db
def test_internal_events_and_photos_are_shown_and_marked(client, official, concern, deputy_user):
    concern_comment(concern=concern, actor=deputy_user, role=workflow.DEPUTY, note="内部：先与村里沟通",
                    is_public=False, photos=_photo())
    concern_comment(concern=concern, actor=deputy_user, role=workflow.DEPUTY, note="已到现场查看",
                    is_public=True)
    client.force_login(official)

    body = client.get(_url(concern)).content.decode()

    assert "内部：先与村里沟通" in body and "已到现场查看" in body
    assert body.count('data-public="false"') == 1 and body.count("internal-badge") == 1
    assert 'id="case-photos"' in body


@pytest.mark.django_db
def test_a_deputy_is_offered_accept_forward_and_answer_on_a_new_concern(client, deputy_user, concern):
    client.force_login(deputy_user)

    assert _actions(client.get(_url(concern))) == ["accept", "assign", "answer"]


@pytest.mark.django_db
def test_an_official_is_offered_every_move_an_open_concern_allows(client, official, concern, deputy_user, unit):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    client.force_login(official)

    assert _actions(client.get(_url(concern))) == ["reassign", "resolve", "reject", "merge"]


@pytest.mark.django_db
def test_a_handler_is_offered_start_and_resolve_and_a_progress_form(client, handler, concern, deputy_user, unit):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    client.force_login(handler)

    response = client.get(_url(concern))

    assert _actions(response) == ["start", "resolve"]
    body = response.content.decode()
    assert f'action="{reverse("desk:act", args=[concern.tracking, "start"])}"' in body
    assert f'action="{reverse("desk:comment", args=[concern.tracking])}"' in body


@pytest.mark.django_db
def test_a_deputy_is_offered_no_move_once_the_concern_is_with_a_unit(client, deputy_user, concern, unit):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    client.force_login(deputy_user)

    response = client.get(_url(concern))

    assert _actions(response) == []
    assert 'id="form-comment"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_tracking_code_is_not_found(client, official):
    client.force_login(official)

    assert client.get(reverse("desk:concern", args=["nosuchcode"])).status_code == 404


@pytest.mark.django_db
def test_a_concern_filed_in_a_category_without_a_default_unit_shows(client, official):
    concern = ConcernFactory(category=CategoryFactory(default_unit=None))
    client.force_login(official)

    assert client.get(_url(concern)).status_code == 200
