"""Activities and reports to voters (issue 9, items 3 and 4): services, the public list and pages, photo access,
the back-office pages, and their figures in the duty record."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from deputies.activities import activity_record, activity_update, report_to_voters_record
from deputies.models import Activity, ActivityPhoto, ReportToVoters
from deputies.record import duty_record, duty_timeline
from liaison.photos import clean_photo
from liaison.scoping import in_township
from tests.factories import DeputyFactory, TownshipFactory, the_township

K = Activity.Kind
DAY = datetime.date(2026, 3, 7)


def _photo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#a33").save(buffer, format="JPEG")
    return clean_photo(ContentFile(buffer.getvalue(), name="p.jpg"))


def _record(deputies, *, kind=K.INSPECTION, held_on=DAY, is_public=True, photos=(), **extra) -> Activity:
    with in_township(the_township()):
        return activity_record(kind=kind, held_on=held_on, title=extra.pop("title", "视察农村公路"),
                               deputies=deputies, is_public=is_public, photos=photos, **extra)


def _report(deputy, *, held_on=DAY, satisfied=20, basically=5, dissatisfied=1, **extra) -> ReportToVoters:
    with in_township(the_township()):
        return report_to_voters_record(deputy=deputy, held_on=held_on, voters_present=30, report="一年来……",
                                       satisfied=satisfied, basically_satisfied=basically,
                                       dissatisfied=dissatisfied, **extra)


# --- services -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_enterprise_visit_keeps_its_enterprise_and_opinions_in_order():
    deputy = DeputyFactory()

    visit = _record([deputy], kind=K.ENTERPRISE_VISIT, enterprise="白塔葡萄合作社",
                    opinions=["希望修通机耕路", " ", "用工难"])

    assert visit.enterprise == "白塔葡萄合作社" and len(visit.code) == 7
    assert [o.text for o in visit.opinions.all()] == ["希望修通机耕路", "用工难"]
    assert list(visit.deputies.all()) == [deputy]


@pytest.mark.django_db
def test_an_enterprise_visit_must_name_the_enterprise():
    with pytest.raises(ValidationError):
        _record([DeputyFactory()], kind=K.ENTERPRISE_VISIT, enterprise="")
    # The database says so too, whatever path writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(township=the_township(), code="x2x2x2x", kind=K.ENTERPRISE_VISIT, title="t")


@pytest.mark.django_db
def test_an_activity_refuses_another_townships_deputy():
    other = DeputyFactory(township=TownshipFactory())

    with pytest.raises(ValidationError):
        _record([other])


@pytest.mark.django_db
def test_a_report_to_voters_is_an_activity_of_its_deputy_and_refuses_more_ratings_than_voters():
    deputy = DeputyFactory()

    session = _report(deputy)

    assert session.activity.kind == K.REPORT_TO_VOTERS and list(session.activity.deputies.all()) == [deputy]
    assert session.ratings_total == 26
    with pytest.raises(ValidationError):
        _report(deputy, satisfied=25, basically=5, dissatisfied=1)


@pytest.mark.django_db
def test_an_update_adds_photos_and_opinions_and_removes_the_photos_chosen():
    deputy = DeputyFactory()
    visit = _record([deputy], kind=K.ENTERPRISE_VISIT, enterprise="企业", opinions=["一"], photos=[_photo()])
    old = visit.photos.get()
    old_file = old.image.name

    with in_township(the_township()):
        activity_update(activity=visit, held_on=DAY, title="新标题", deputies=[deputy], enterprise="企业",
                        photos=[_photo()], opinions=["二"], remove_photos=[old])

    assert [o.text for o in visit.opinions.all()] == ["一", "二"]
    assert visit.photos.count() == 1 and visit.photos.get() != old
    assert not old.image.storage.exists(old_file)


# --- the duty record ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_record_counts_the_deputys_activities_by_kind_and_reports_with_summed_ratings():
    deputy, other = DeputyFactory(), DeputyFactory()
    _record([deputy, other], kind=K.INSPECTION)
    _record([deputy], kind=K.INSPECTION, is_public=False)  # internal work counts too
    _record([deputy], kind=K.ENTERPRISE_VISIT, enterprise="企业")
    _record([deputy], kind=K.INSPECTION, held_on=datetime.date(2025, 12, 31))  # another year
    _record([other], kind=K.STUDY_TRAINING)  # another deputy's
    _report(deputy, satisfied=20, basically=5, dissatisfied=1)
    _report(deputy, held_on=datetime.date(2026, 11, 2), satisfied=10, basically=2, dissatisfied=0)

    figures = {f.key: f.value for section in duty_record(deputy, 2026) for f in section.figures}

    assert figures["activities_inspection"] == 2
    assert figures["activities_enterprise_visit"] == 1
    assert figures["activities_study_training"] == 0
    assert figures["activities_report_to_voters"] == 2
    assert {k: figures[k] for k in ("reports_to_voters", "voters_satisfied", "voters_basically_satisfied",
                                    "voters_dissatisfied")} == {
        "reports_to_voters": 2, "voters_satisfied": 30, "voters_basically_satisfied": 7, "voters_dissatisfied": 1}
    assert set(figures) >= {f"activities_{kind}" for kind in K.values}


@pytest.mark.django_db
def test_the_record_of_a_year_without_events_is_zeros():
    figures = {f.key: f.value for section in duty_record(DeputyFactory(), 2026) for f in section.figures}

    assert figures["reports_to_voters"] == 0 and figures["voters_satisfied"] == 0
    assert figures["activities_inspection"] == 0


@pytest.mark.django_db
def test_the_timeline_lists_the_deputys_activities_of_the_year():
    deputy = DeputyFactory()
    _record([deputy], title="视察", held_on=datetime.date(2026, 5, 1))
    _report(deputy, held_on=datetime.date(2026, 6, 1))
    _record([deputy], title="去年", held_on=datetime.date(2025, 5, 1))

    entries = [e for e in duty_timeline(deputy, 2026) if "/staff/activities/" in e.url]

    assert [e.on for e in entries] == [datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)]


@pytest.mark.django_db
def test_the_record_parts_cost_fixed_queries(django_assert_num_queries):
    from deputies.activities import activities_section, activities_timeline, reports_to_voters_section

    deputy = DeputyFactory()
    for n in range(3):
        _record([deputy], kind=K.values[n % 5])
        _report(deputy)
    with django_assert_num_queries(3):
        activities_section(deputy, 2026)
        reports_to_voters_section(deputy, 2026)
        activities_timeline(deputy, 2026)


# --- the public list and pages ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_public_list_shows_public_activities_newest_first_and_hides_internal_ones(client):
    deputy = DeputyFactory(name="吴立新")
    _record([deputy], title="较早的视察", held_on=datetime.date(2026, 1, 5))
    _record([deputy], title="最近的学习", held_on=datetime.date(2026, 4, 5), kind=K.STUDY_TRAINING)
    _record([deputy], title="内部会议", is_public=False)

    body = client.get("/activities/").content.decode()

    assert body.index("最近的学习") < body.index("较早的视察")
    assert "内部会议" not in body and "吴立新" in body


@pytest.mark.django_db
def test_the_portal_card_shows_the_newest_three_public_activities(client):
    deputy = DeputyFactory()
    for day, title in enumerate(["一月视察", "二月学习", "三月走访", "四月座谈"], start=1):
        _record([deputy], title=title, held_on=datetime.date(2026, day, 5))
    _record([deputy], title="内部会议", held_on=datetime.date(2026, 6, 5), is_public=False)

    body = client.get("/").content.decode()

    assert body.index("四月座谈") < body.index("三月走访") < body.index("二月学习")
    assert "一月视察" not in body and "内部会议" not in body


@pytest.mark.django_db
def test_the_public_list_is_paginated(client):
    deputy = DeputyFactory()
    for day in range(1, 15):
        _record([deputy], title=f"第{day}次活动", held_on=datetime.date(2026, 1, day))

    first, second = client.get("/activities/").content.decode(), client.get("/activities/?page=2").content.decode()

    assert "第14次活动" in first and "第2次活动" not in first
    assert "第2次活动" in second and "第14次活动" not in second


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_the_public_list_costs_the_same_queries_for_one_activity_or_many(client):
    deputies = [DeputyFactory(), DeputyFactory()]
    _record(deputies, photos=[_photo()])
    client.get("/activities/")  # warm what a first request caches
    one = _queries(client, "/activities/")
    for _ in range(6):
        _record(deputies, photos=[_photo(), _photo()])

    assert _queries(client, "/activities/") == one


@pytest.mark.django_db
def test_an_activity_page_shows_its_report_rating_and_an_internal_one_is_not_found(client):
    deputy = DeputyFactory(name="吴立新")
    session = _report(deputy, place="东岙村文化礼堂")
    internal = _record([deputy], title="内部会议", is_public=False)

    body = client.get(f"/activities/{session.activity.code}/").content.decode()

    assert "东岙村文化礼堂" in body and "一年来" in body and "吴立新" in body
    assert client.get(f"/activities/{internal.code}/").status_code == 404


@pytest.mark.django_db
def test_the_deputys_page_lists_their_recent_public_activities(client):
    deputy = DeputyFactory()
    public = _record([deputy], title="走访困难户", kind=K.CONTACTING_VOTERS)
    _record([deputy], title="内部会议", is_public=False)
    _record([DeputyFactory()], title="别人的活动")

    body = client.get(f"/d/{deputy.code}/").content.decode()

    assert "走访困难户" in body and public.get_absolute_url() in body
    assert "内部会议" not in body and "别人的活动" not in body


# --- photos -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_public_activitys_photo_is_anyones_and_an_internal_ones_only_the_back_offices(client, staff, handler):
    deputy = DeputyFactory()
    public = _record([deputy], photos=[_photo()]).photos.get()
    internal = _record([deputy], is_public=False, photos=[_photo()]).photos.get()

    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(internal.get_absolute_url()).status_code == 404
    client.force_login(handler)
    assert client.get(internal.get_absolute_url()).status_code == 404
    client.force_login(staff)
    response = client.get(internal.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_internal_photo_is_not_found_for_another_townships_staff(client):
    from tests.test_access_table import _user

    deputy = DeputyFactory()
    internal = _record([deputy], is_public=False, photos=[_photo()]).photos.get()
    elsewhere = _user("elsewhere-staff", "station_staff", TownshipFactory(), is_staff=True)
    client.force_login(elsewhere)

    assert client.get(internal.get_absolute_url()).status_code == 404


# --- the back office ----------------------------------------------------------------------------------

def _upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "#3a3").save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_staff_record_an_enterprise_visit_from_the_form(client, staff):
    deputy = DeputyFactory()
    client.force_login(staff)

    response = client.post("/staff/activities/new/", {
        "kind": "enterprise_visit", "held_on": "2026-03-07", "title": "走访合作社", "place": "东岙村",
        "deputies": [deputy.pk], "enterprise": "白塔葡萄合作社", "opinions": "希望修路\n用工难",
        "summary": "", "is_public": "on", "photos": [_upload()]})

    visit = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/activities/{visit.code}/"
    assert visit.recorded_by == staff and visit.opinions.count() == 2 and visit.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "希望修路" in page and f"/desk/opinions/{visit.opinions.first().key}/concern/" in page


@pytest.mark.django_db
@pytest.mark.parametrize("url, form", [
    ("/staff/activities/new/", {"kind": "inspection", "held_on": "2026-03-07", "title": "视察", "is_public": "on"}),
    ("/staff/activities/new/report/", {"held_on": "2026-03-07", "voters_present": "10", "report": "述职",
                                       "satisfied": "5", "basically_satisfied": "0", "dissatisfied": "0"}),
])
def test_a_double_tap_records_once(client, staff, url, form):
    deputy = DeputyFactory()
    client.force_login(staff)
    token = "5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    form = {**form, "deputies": [deputy.pk], "deputy": deputy.pk, "token": token}

    first, second = client.post(url, form), client.post(url, form)

    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Activity.objects.count() == 1
    assert client.post(url, {**form, "token": "6f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"}).status_code == 302
    assert Activity.objects.count() == 2  # a new form is a new activity


@pytest.mark.django_db
def test_the_form_asks_for_the_enterprise_of_a_visit(client, staff):
    client.force_login(staff)

    response = client.post("/staff/activities/new/", {
        "kind": "enterprise_visit", "held_on": "2026-03-07", "title": "走访", "deputies": [DeputyFactory().pk]})

    assert response.status_code == 200 and not Activity.objects.exists()


@pytest.mark.django_db
def test_staff_record_a_report_to_voters_with_its_rating(client, staff):
    deputy = DeputyFactory()
    client.force_login(staff)

    response = client.post("/staff/activities/new/report/", {
        "deputy": deputy.pk, "held_on": "2026-03-07", "place": "村委会", "voters_present": "40",
        "report": "履职情况", "satisfied": "30", "basically_satisfied": "8", "dissatisfied": "1", "is_public": "on"})

    assert response.status_code == 302
    session = ReportToVoters.objects.get()
    assert (session.deputy, session.voters_present, session.satisfied, session.dissatisfied) == (deputy, 40, 30, 1)


@pytest.mark.django_db
def test_a_correction_keeps_the_kind_and_can_make_it_internal(client, staff):
    deputy = DeputyFactory()
    activity = _record([deputy], title="视察")
    client.force_login(staff)

    assert client.get(f"/staff/activities/{activity.code}/edit/").status_code == 200
    response = client.post(f"/staff/activities/{activity.code}/edit/", {
        "kind": "study_training", "held_on": "2026-03-08", "title": "视察（更正）", "deputies": [deputy.pk]})

    activity.refresh_from_db()
    assert response.status_code == 302
    assert (activity.kind, activity.title, activity.is_public) == (K.INSPECTION, "视察（更正）", False)


@pytest.mark.django_db
def test_the_back_office_list_costs_the_same_queries_for_one_activity_or_many(client, staff):
    _record([DeputyFactory(), DeputyFactory()], photos=[_photo()])
    client.force_login(staff)
    client.get("/staff/activities/")
    one = _queries(client, "/staff/activities/")
    for _ in range(6):
        _record([DeputyFactory(), DeputyFactory()], photos=[_photo()], is_public=False)

    assert _queries(client, "/staff/activities/") == one


@pytest.mark.django_db
def test_activity_photos_are_stored_without_exif():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (40, 30)).save(buffer, format="JPEG", exif=exif)
    photo = _record([DeputyFactory()], photos=[clean_photo(ContentFile(buffer.getvalue(), name="p.jpg"))]).photos.get()

    with photo.image.open("rb") as stored:
        assert not Image.open(stored).getexif()
    assert isinstance(photo, ActivityPhoto)
