"""Staff filing a concern for someone who phoned the station (receptions:phone, concern_file_by_phone)."""

import pytest
from django.urls import reverse

from liaison.models import Notification
from petitions.models import Concern, Constituent
from petitions.receptions import concern_file_by_phone
from tests.factories import UserFactory

PHONE = "/desk/receptions/phone/"


TOKEN = "6f1c2a4e-8b9d-4c3e-a1f0-2b7d9e5c4a10"


def _form(chosen, **overrides) -> dict:
    return {"mobile": "13812345678", "category": chosen.pk, "content": "村口窨井盖下沉破损，晚上有危险。",
            "token": TOKEN, **overrides}


@pytest.mark.django_db
def test_phone_filing_needs_only_a_mobile_category_and_content_and_makes_a_phone_concern(client, staff, category):
    client.force_login(staff)

    response = client.post(PHONE, _form(category))

    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.channel == Concern.Channel.PHONE
    assert concern.category == category
    assert concern.constituent.mobile == "13812345678"
    assert concern.constituent.name == "" and concern.village is None
    assert concern.submitted_by == staff
    assert concern.reception is None


@pytest.mark.django_db
def test_phone_filing_goes_on_to_the_concern_in_the_back_office(client, staff, category):
    client.force_login(staff)

    response = client.post(PHONE, _form(category), follow=True)

    concern = Concern.objects.get()
    assert response.redirect_chain[0][0] == reverse("desk:concern", args=[concern.tracking])
    assert any(concern.tracking in str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_phone_filing_keeps_name_and_village_when_given(client, staff, category, village):
    client.force_login(staff)

    client.post(PHONE, _form(category, name="李春花", village=village.pk))

    concern = Concern.objects.get()
    assert concern.constituent.name == "李春花"
    assert concern.village == village


@pytest.mark.django_db
def test_a_double_click_files_one_concern_and_both_land_on_it(client, staff, category):
    client.force_login(staff)

    first = client.post(PHONE, _form(category))
    second = client.post(PHONE, _form(category))

    concern = Concern.objects.get()
    assert first.url == second.url == reverse("desk:concern", args=[concern.tracking])


@pytest.mark.django_db
def test_a_new_token_with_another_matter_files_a_second_concern(client, staff, category):
    client.force_login(staff)

    client.post(PHONE, _form(category))
    client.post(PHONE, _form(category, token="0b5e7d3a-1c2f-4e6a-9d8b-7a6c5e4f3d21", content="路灯不亮。"))

    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_the_same_token_from_another_desk_user_files_its_own_concern(client, staff, category):
    other = UserFactory()
    other.groups.add(*staff.groups.all())
    client.force_login(staff)
    client.post(PHONE, _form(category))
    client.force_login(other)

    client.post(PHONE, _form(category, content="路灯不亮。"))

    assert set(Concern.objects.values_list("submitted_by", flat=True)) == {staff.pk, other.pk}


@pytest.mark.django_db
def test_a_filing_without_a_token_still_files(client, staff, category):
    client.force_login(staff)

    response = client.post(PHONE, _form(category, token=""))

    assert response.status_code == 302
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_the_blank_form_carries_a_fresh_one_time_token(client, staff):
    client.force_login(staff)

    first, second = client.get(PHONE), client.get(PHONE)

    tokens = [response.context["form"]["token"].value() for response in (first, second)]
    assert all(tokens) and tokens[0] != tokens[1]
    assert f'name="token" value="{tokens[0]}"' in first.content.decode()


@pytest.mark.django_db
def test_an_invalid_filing_is_rerendered_with_its_token(client, staff, category):
    client.force_login(staff)

    response = client.post(PHONE, _form(category, mobile="0576-8781"))

    assert f'name="token" value="{TOKEN}"' in response.content.decode()


@pytest.mark.parametrize("missing", ["mobile", "category", "content"])
@pytest.mark.django_db
def test_phone_filing_refuses_without_mobile_category_or_content(client, staff, category, missing):
    client.force_login(staff)

    response = client.post(PHONE, _form(category, **{missing: ""}))

    assert response.status_code == 200
    assert response.context["form"].errors[missing]
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_invalid_mobile_rerenders_with_the_typed_content_kept(client, staff, category):
    client.force_login(staff)

    response = client.post(PHONE, _form(category, mobile="0576-8781"))

    assert response.status_code == 200
    assert response.context["form"].errors["mobile"]
    assert "村口窨井盖下沉破损，晚上有危险。" in response.content.decode()
    assert not Concern.objects.exists() and not Constituent.objects.exists()


@pytest.mark.django_db
def test_caller_gets_the_tracking_code_by_sms(staff, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern, created = concern_file_by_phone(mobile="13812345678", category=category, content="路灯不亮",
                                                 recorded_by=staff)

    assert created

    assert concern.notifications.filter(recipient="13812345678", body__contains=concern.tracking).exists()


@pytest.mark.django_db
def test_the_same_call_entered_again_on_a_fresh_form_says_already_recorded(
    client, staff, category, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PHONE, _form(category), follow=True)  # reads the first "filed" message
    concern, sent = Concern.objects.get(), Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PHONE, _form(category, token="0b5e7d3a-1c2f-4e6a-9d8b-7a6c5e4f3d21"), follow=True)

    assert Concern.objects.count() == 1 and sent and Notification.objects.count() == sent
    assert response.redirect_chain[0][0] == reverse("desk:concern", args=[concern.tracking])
    said = [str(message) for message in response.context["messages"]]
    assert said == [f"这条诉求已记录过，未重复登记。查询码：{concern.tracking}。"]
