"""The desk form that records a walk-in reception and turns its matters into concerns (receptions:new)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deputies.models import Site
from liaison.models import Notification
from petitions.models import Concern, Constituent, Reception
from petitions.receptions import reception_record
from tests.factories import CategoryFactory, DeputyFactory, SiteFactory, UserFactory

NEW = "/desk/receptions/new/"


@pytest.fixture
def station(db):
    return SiteFactory(name="白塔镇人大代表联络站", kind=Site.Kind.STATION)


@pytest.fixture
def on_duty(db, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return [DeputyFactory(name="吴立新", site=station), DeputyFactory(name="王智慧", site=station)]


def _form(station, village, deputies=(), rows=(), **overrides) -> dict:
    data = {
        "received_on": "2026-03-07",
        "site": station.pk,
        "deputies": [d.pk for d in deputies],
        "name": "陈西荣",
        "mobile": "13812345678",
        "village": village.pk,
        "visitor_count": "1",
        "matters": "反映村口路灯不亮；咨询医保缴费。",
        "answer": "医保缴费政策已当场解答。",
        "satisfaction": "satisfied",
        "concerns-TOTAL_FORMS": "3",
        "concerns-INITIAL_FORMS": "0",
        "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "10",
    }
    for i, (content, category) in enumerate(rows):
        data[f"concerns-{i}-content"] = content
        data[f"concerns-{i}-category"] = category.pk if category else ""
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_recording_a_reception_with_two_concern_rows_makes_one_reception_and_two_walk_in_concerns(
    client, staff, station, village, on_duty, category, django_capture_on_commit_callbacks
):
    lights = CategoryFactory(name="基础设施")
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, _form(station, village, on_duty, rows=[
            ("村口路灯不亮，晚上出行不便。", lights), ("葡萄园旁垃圾堆放。", category),
        ]))

    assert response.status_code == 302
    assert response.url == reverse("receptions:list")
    reception = Reception.objects.get()
    assert reception.constituent.mobile == "13812345678"
    assert reception.recorded_by == staff
    assert set(reception.deputies.all()) == set(on_duty)
    concerns = Concern.objects.filter(reception=reception).order_by("created_at")
    assert [c.content for c in concerns] == ["村口路灯不亮，晚上出行不便。", "葡萄园旁垃圾堆放。"]
    assert {c.channel for c in concerns} == {Concern.Channel.WALK_IN}
    assert {c.constituent_id for c in concerns} == {reception.constituent_id}
    assert {c.site for c in concerns} == {station}
    assert {c.submitted_by for c in concerns} == {staff}
    assert Constituent.objects.filter(mobile="13812345678").count() == 1


@pytest.mark.django_db
def test_concerns_from_a_reception_go_to_the_first_deputy_ticked_as_the_form_shows_them(
    client, staff, station, village, category, django_capture_on_commit_callbacks
):
    point = SiteFactory(name="第一片区代表联络点", kind=Site.Kind.POINT)
    with django_capture_on_commit_callbacks(execute=True):
        visiting = DeputyFactory(name="丁联络点", site=point)  # sorts first by name, shown after the station's
        resident = DeputyFactory(name="站里代表", site=station)
    client.force_login(staff)

    client.post(NEW, _form(station, village, [visiting, resident], rows=[("路灯不亮", category)]))

    assert Concern.objects.get().deputy == resident
    assert set(Reception.objects.get().deputies.all()) == {visiting, resident}


@pytest.mark.django_db
def test_success_message_lists_the_tracking_codes_made(client, staff, station, village, category):
    client.force_login(staff)

    response = client.post(NEW, _form(station, village, rows=[("路灯不亮", category), ("垃圾堆放", category)]),
                           follow=True)

    codes = list(Concern.objects.values_list("tracking", flat=True))
    text = " ".join(str(m) for m in response.context["messages"])
    assert len(codes) == 2 and all(code in text for code in codes)


@pytest.mark.django_db
def test_empty_concern_rows_are_ignored(client, staff, station, village, category):
    client.force_login(staff)

    client.post(NEW, _form(station, village, rows=[("", None), ("  ", None), ("路灯不亮", category)]))

    assert Reception.objects.count() == 1
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_a_reception_without_concern_rows_stands_as_answered_on_the_spot(client, staff, station, village):
    client.force_login(staff)

    response = client.post(NEW, _form(station, village))

    assert response.status_code == 302
    assert Reception.objects.get().answer == "医保缴费政策已当场解答。"
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_invalid_mobile_rerenders_the_form_with_the_typed_matters_kept(client, staff, station, village, category):
    client.force_login(staff)

    response = client.post(NEW, _form(station, village, rows=[("路灯不亮，晚上出行不便", category)], mobile="1381234"))

    assert response.status_code == 200
    assert response.context["form"].errors["mobile"]
    body = response.content.decode()
    assert "反映村口路灯不亮；咨询医保缴费。" in body
    assert "医保缴费政策已当场解答。" in body
    assert "路灯不亮，晚上出行不便" in body
    assert not Reception.objects.exists() and not Concern.objects.exists()


@pytest.mark.django_db
def test_a_concern_row_without_a_category_is_refused_and_nothing_is_saved(client, staff, station, village):
    client.force_login(staff)

    response = client.post(NEW, _form(station, village, rows=[("路灯不亮", None)]))

    assert response.status_code == 200
    assert response.context["rows"].forms[0].errors["category"]
    assert not Reception.objects.exists()


@pytest.mark.django_db
def test_mobile_typed_with_spaces_and_country_code_is_normalised(client, staff, station, village):
    client.force_login(staff)

    client.post(NEW, _form(station, village, mobile="+86 138-1234-5678"))

    assert Reception.objects.get().constituent.mobile == "13812345678"


@pytest.mark.django_db
def test_a_returning_visitor_is_one_constituent(client, staff, station, village):
    client.force_login(staff)

    client.post(NEW, _form(station, village))
    client.post(NEW, _form(station, village, matters="再次来访，询问路灯维修进度。"))

    assert Reception.objects.count() == 2
    assert Constituent.objects.count() == 1


@pytest.mark.django_db
def test_save_and_record_another_returns_to_a_blank_form(client, staff, station, village):
    client.force_login(staff)

    response = client.post(NEW, _form(station, village, another="1"))

    assert response.status_code == 302
    assert response.url == reverse("receptions:new")


@pytest.mark.django_db
def test_new_form_defaults_to_today_and_the_station(client, staff, station):
    SiteFactory(name="第一片区代表联络点", kind=Site.Kind.POINT)
    client.force_login(staff)

    form = client.get(NEW).context["form"]

    assert form["received_on"].value() == timezone.localdate()
    assert form["site"].value() == station.pk


@pytest.mark.django_db
def test_deputies_of_the_chosen_site_are_offered_first(client, staff, station, django_capture_on_commit_callbacks):
    point = SiteFactory(name="第一片区代表联络点", kind=Site.Kind.POINT)
    with django_capture_on_commit_callbacks(execute=True):
        DeputyFactory(name="丁联络点", site=point)
        DeputyFactory(name="站里代表", site=station)
    client.force_login(staff)

    body = client.get(NEW).content.decode()
    assert body.index("站里代表") < body.index("丁联络点")

    body = client.post(NEW, {"site": point.pk}).content.decode()
    assert body.index("丁联络点") < body.index("站里代表")


@pytest.mark.django_db
def test_reception_record_saves_nothing_when_a_concern_is_invalid(staff, station, village, category):
    with pytest.raises(ValidationError):
        reception_record(
            received_on=datetime.date(2026, 3, 7), site=station, deputies=[], mobile="13812345678", name="陈西荣",
            village=village, visitor_count=1, matters="路灯", answer="", satisfaction="", recorded_by=staff,
            new_concerns=[{"content": "路灯不亮", "category": category}, {"content": "", "category": category}],
        )

    assert not Reception.objects.exists()
    assert not Concern.objects.exists()
    assert not Constituent.objects.exists()


@pytest.mark.django_db
def test_walk_in_concerns_tell_the_visitor_their_tracking_codes(
    staff, station, village, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reception, _created = reception_record(
            received_on=datetime.date(2026, 3, 7), site=station, deputies=[], mobile="13812345678", name="陈西荣",
            village=village, visitor_count=1, matters="路灯", answer="", satisfaction="", recorded_by=staff,
            new_concerns=[{"content": "路灯不亮", "category": category}],
        )

    concern = reception.concerns.get()
    assert concern.notifications.filter(recipient="13812345678", body__contains=concern.tracking).exists()


TOKEN = "3d9a1f6e-2b4c-4e8d-9a7f-1c5b3e2d4f60"


@pytest.mark.django_db
def test_a_double_posted_reception_is_recorded_once_with_its_concerns_once_and_both_posts_land_alike(
    client, staff, station, village, on_duty, category, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    data = _form(station, village, on_duty, rows=[("路灯不亮", category), ("垃圾堆放", category)], token=TOKEN)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(NEW, data)
    sent = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(NEW, data)

    reception = Reception.objects.get()
    assert Concern.objects.filter(reception=reception).count() == Concern.objects.count() == 2
    assert Notification.objects.count() == sent
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("receptions:list")


@pytest.mark.django_db
def test_a_double_posted_save_and_record_another_returns_both_to_a_blank_form(client, staff, station, village):
    client.force_login(staff)
    data = _form(station, village, another="1", token=TOKEN)

    first, second = client.post(NEW, data), client.post(NEW, data)

    assert Reception.objects.count() == 1
    assert first.url == second.url == reverse("receptions:new")


@pytest.mark.django_db
def test_a_new_token_with_other_matters_records_a_second_reception(client, staff, station, village, category):
    client.force_login(staff)

    client.post(NEW, _form(station, village, rows=[("路灯不亮", category)], token=TOKEN))
    client.post(NEW, _form(station, village, rows=[("路灯不亮", category)], matters="又来反映路灯。",
                           token="9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"))

    assert Reception.objects.count() == 2
    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_the_same_token_from_another_desk_user_records_their_own_reception(client, staff, station, village):
    other = UserFactory()
    other.groups.add(*staff.groups.all())
    client.force_login(staff)
    client.post(NEW, _form(station, village, token=TOKEN))
    client.force_login(other)

    client.post(NEW, _form(station, village, token=TOKEN, matters="另一位来访者反映的事项。"))

    assert set(Reception.objects.values_list("recorded_by", flat=True)) == {staff.pk, other.pk}


@pytest.mark.django_db
def test_the_blank_form_carries_a_fresh_one_time_token(client, staff, station):
    client.force_login(staff)

    first, second = client.get(NEW), client.get(NEW)

    tokens = [response.context["form"]["token"].value() for response in (first, second)]
    assert all(tokens) and tokens[0] != tokens[1]
    assert f'name="token" value="{tokens[0]}"' in first.content.decode()


@pytest.mark.django_db
def test_an_invalid_reception_is_rerendered_with_its_token(client, staff, station, village):
    client.force_login(staff)

    response = client.post(NEW, _form(station, village, mobile="1381234", token=TOKEN))

    assert response.status_code == 200
    assert f'name="token" value="{TOKEN}"' in response.content.decode()


def _record(staff, station, village, category, key):
    return reception_record(
        received_on=datetime.date(2026, 3, 7), site=station, deputies=[], mobile="13812345678", name="陈西荣",
        village=village, visitor_count=1, matters="路灯", answer="", satisfaction="", recorded_by=staff,
        new_concerns=[{"content": "路灯不亮", "category": category}], submission_key=key,
    )


@pytest.mark.django_db
def test_reception_record_returns_the_reception_already_recorded_under_the_same_key(
    staff, station, village, category
):
    first, created = _record(staff, station, village, category, "key-1")

    again, created_again = _record(staff, station, village, category, "key-1")

    assert again == first and created and not created_again
    assert Reception.objects.count() == 1 and Concern.objects.count() == 1


@pytest.mark.django_db
def test_reception_record_that_loses_a_race_returns_the_winners_reception(
    staff, station, village, category, monkeypatch
):
    winner, _created = _record(staff, station, village, category, "key-1")
    real_filter, calls = Reception.objects.filter, []

    def filter_missing_the_first_time(*args, **kwargs):
        # The other click commits between this one's check and its insert.
        calls.append(kwargs)
        return Reception.objects.none() if len(calls) == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Reception.objects, "filter", filter_missing_the_first_time)

    loser, created = _record(staff, station, village, category, "key-1")

    assert len(calls) == 2
    assert loser == winner and not created
    assert Reception.objects.count() == 1 and Concern.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("second_token", [TOKEN, "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"])
def test_the_same_visit_saved_again_says_already_recorded_with_its_codes(
    client, staff, station, village, on_duty, category, second_token, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, _form(station, village, on_duty, rows=[("路灯不亮", category)], token=TOKEN), follow=True)
    concern, sent = Concern.objects.get(), Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, _form(station, village, on_duty, rows=[("路灯不亮", category)],
                                          token=second_token), follow=True)

    assert Reception.objects.count() == 1 and Concern.objects.count() == 1
    assert sent and Notification.objects.count() == sent
    assert response.redirect_chain == [(reverse("receptions:list"), 302)]
    said = [str(message) for message in response.context["messages"]]
    assert said == [f"这次接待已记录过，未重复登记。所生成诉求的查询码：{concern.tracking}。"]


@pytest.mark.django_db
def test_a_visit_without_concerns_saved_again_says_already_recorded(client, staff, station, village):
    client.force_login(staff)
    client.post(NEW, _form(station, village, token=TOKEN), follow=True)

    response = client.post(NEW, _form(station, village, token="9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"), follow=True)

    assert Reception.objects.count() == 1
    assert [str(message) for message in response.context["messages"]] == ["这次接待已记录过，未重复登记。"]
