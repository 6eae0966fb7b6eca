"""desk:patrol — a deputy's photo report from a patrol becomes a concern (channel "patrol")."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from liaison import roles
from petitions import workflow
from petitions.forms.work import PatrolForm
from petitions.models import Concern
from tests.factories import UserFactory

URL = reverse("desk:patrol")


def _jpeg(name: str = "river.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "#396").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _report(category, **overrides) -> dict:
    return {
        "photos": [_jpeg()], "category": category.pk, "content": "溪边林地有人倾倒农药瓶，约二十个。",
        "place": "白塔溪下游林地", "latitude": "28.8463521", "longitude": "120.7337208",
        "token": PatrolForm.new_token(), **overrides,
    }


@pytest.mark.django_db
def test_a_patrol_report_becomes_a_patrol_concern_with_photo_and_position(client, deputy_user, category):
    client.force_login(deputy_user)

    response = client.post(URL, _report(category))

    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:concern", args=[concern.tracking])
    assert (concern.channel, concern.deputy, concern.submitted_by, concern.constituent) == (
        Concern.Channel.PATROL, deputy_user.deputy, deputy_user, None)
    assert (concern.latitude, concern.longitude) == (Decimal("28.846352"), Decimal("120.733721"))
    assert concern.place == "白塔溪下游林地" and concern.photos.count() == 1
    assert concern.events.get().actor_role == workflow.DEPUTY


@pytest.mark.django_db
def test_the_deputy_can_forward_the_new_report_from_its_case_page(client, deputy_user, category):
    client.force_login(deputy_user)

    response = client.post(URL, _report(category), follow=True)

    assert [item["action"].name for item in response.context["action_forms"]] == ["accept", "assign", "answer"]


@pytest.mark.django_db
def test_without_a_position_the_report_still_files(client, deputy_user, category):
    client.force_login(deputy_user)

    client.post(URL, _report(category, latitude="", longitude=""))

    concern = Concern.objects.get()
    assert concern.latitude is None and concern.longitude is None


@pytest.mark.django_db
@pytest.mark.parametrize(("latitude", "longitude"), [("28.8", ""), ("abc", "120.7"), ("95", "120.7")])
def test_a_half_or_garbled_position_is_dropped_not_refused(client, deputy_user, category, latitude, longitude):
    client.force_login(deputy_user)

    client.post(URL, _report(category, latitude=latitude, longitude=longitude))

    concern = Concern.objects.get()
    assert concern.latitude is None and concern.longitude is None


@pytest.mark.django_db
def test_a_report_without_a_photo_is_refused_and_keeps_what_was_typed(client, deputy_user, category):
    client.force_login(deputy_user)

    response = client.post(URL, _report(category, photos=[]))

    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert "溪边林地有人倾倒农药瓶" in response.content.decode()
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_more_than_six_photos_are_refused(client, deputy_user, category):
    client.force_login(deputy_user)

    response = client.post(URL, _report(category, photos=[_jpeg(f"{n}.jpg") for n in range(7)]))

    assert response.status_code == 200 and not Concern.objects.exists()


@pytest.mark.django_db
def test_a_double_tap_files_one_report(client, deputy_user, category):
    client.force_login(deputy_user)
    token = PatrolForm.new_token()

    first = client.post(URL, _report(category, token=token))
    second = client.post(URL, _report(category, token=token))

    assert Concern.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_the_form_loads_the_location_script_from_a_file(client, deputy_user):
    client.force_login(deputy_user)

    body = client.get(URL).content.decode()

    assert 'src="/static/js/patrol.js"' in body
    assert 'data-patrol="latitude"' in body and 'data-patrol="longitude"' in body
    assert "<script>" not in body


@pytest.mark.django_db
def test_a_deputy_login_without_a_deputy_record_is_refused(client):
    user = UserFactory(username="unlinked")
    user.groups.add(Group.objects.get(name=roles.DEPUTY))
    client.force_login(user)

    assert client.get(URL).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("same_token", [True, False])
def test_a_report_sent_again_goes_to_the_first_and_says_already_recorded(client, deputy_user, category, same_token):
    client.force_login(deputy_user)
    token = PatrolForm.new_token()
    client.post(URL, _report(category, token=token), follow=True)  # reads the first "filed" message
    concern = Concern.objects.get()

    response = client.post(URL, _report(category, token=token if same_token else PatrolForm.new_token()),
                           follow=True)

    assert Concern.objects.count() == 1 and concern.photos.count() == 1
    assert response.redirect_chain == [(reverse("desk:concern", args=[concern.tracking]), 302)]
    said = [str(message) for message in response.context["messages"]]
    assert said == [f"这份上报已记录，查询码 {concern.tracking}，未重复上报。"]


@pytest.mark.django_db
def test_the_same_words_at_another_place_are_another_report(client, deputy_user, category):
    client.force_login(deputy_user)
    client.post(URL, _report(category))

    client.post(URL, _report(category, place="白塔溪上游桥下"))

    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_the_form_is_not_kept_for_back_so_its_used_token_is_not_offered_again(client, deputy_user):
    client.force_login(deputy_user)

    response = client.get(URL)

    assert "no-store" in response["Cache-Control"]
