"""The admin cannot bypass consent or the workflow (issue 8, item 5): a constituent's text, consent and personal
data are read-only there; corrections go through petitions.privacy, with a timeline event and an audit row;
public text masks the name, the mobile and the place the constituent gave."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from liaison.models import AuditEntry
from petitions import privacy, workflow
from petitions.models import Concern, ConcernEvent, Constituent, Reception
from petitions.services import concern_transition
from tests.factories import ConcernFactory

READ_ONLY = [
    (Concern, ["content", "place", "latitude", "longitude", "is_public", "satisfaction", "satisfaction_comment",
               "status", "outcome", "result", "constituent"]),
    (Reception, ["constituent", "village", "matters", "answer", "satisfaction"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "fields"), READ_ONLY, ids=lambda v: getattr(v, "__name__", ""))
def test_the_constituent_s_words_consent_and_the_workflow_s_fields_are_read_only_in_the_admin(staff, model, fields):
    request = RequestFactory().get("/")
    request.user = staff
    model_admin = admin.site._registry[model]

    assert set(fields) <= set(model_admin.get_readonly_fields(request))
    assert not model_admin.has_add_permission(request) and not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_a_constituent_cannot_be_changed_added_or_deleted_in_the_admin(client, staff, concern):
    client.force_login(staff)
    constituent = concern.constituent
    url = reverse("admin:petitions_constituent_change", args=[constituent.pk])

    page = client.get(url)
    posted = client.post(url, {"name": "改过的名字", "mobile": "13900000000"})

    assert page.status_code == 200 and "13812345678" not in page.content.decode()  # shown masked
    assert AuditEntry.objects.filter(action=AuditEntry.Action.OPEN_RECORD, subject_id=constituent.pk).exists()
    assert posted.status_code == 403
    constituent.refresh_from_db()
    assert (constituent.name, constituent.mobile) == ("陈西荣", "13812345678")
    assert client.get(reverse("admin:petitions_constituent_add")).status_code == 403


@pytest.mark.django_db
def test_staff_ticking_public_or_rewriting_the_text_in_the_admin_changes_nothing(client, staff, concern):
    client.force_login(staff)
    url = reverse("admin:petitions_concern_change", args=[concern.pk])
    before = ConcernEvent.objects.filter(concern=concern).count()

    client.post(url, {
        "category": concern.category_id, "content": "管理员改写的内容", "place": "别处", "is_public": "on",
        "status": "closed", "outcome": "fixed", "result": "已办结",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    })

    concern.refresh_from_db()
    assert concern.content == "家门口葡萄园环境卫生差，影响生活。"
    assert not concern.is_public and concern.status == Concern.Status.SUBMITTED and concern.result == ""
    assert ConcernEvent.objects.filter(concern=concern).count() == before


@pytest.mark.django_db
def test_a_correction_writes_an_internal_timeline_event_and_an_audit_row(client, staff, concern):
    client.force_login(staff)

    response = client.post(reverse("desk:correct", args=[concern.tracking]), {
        "correct-content": "家门口葡萄园旁的垃圾堆环境卫生差。", "correct-place": "葡萄园东侧",
        "correct-reason": "本人来电更正地点",
    })

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.content, concern.place) == ("家门口葡萄园旁的垃圾堆环境卫生差。", "葡萄园东侧")
    event = concern.events.get(kind=ConcernEvent.Kind.COMMENT)
    assert not event.is_public and event.actor == staff and "本人来电更正地点" in event.note
    assert "葡萄园东侧" not in event.note  # the timeline keeps no copy of the values
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CORRECT)
    assert (entry.actor, entry.subject_id, entry.reason) == (staff, concern.pk, "本人来电更正地点")


@pytest.mark.django_db
def test_a_correction_without_a_reason_changes_nothing_and_keeps_what_was_typed(client, staff, concern):
    client.force_login(staff)

    response = client.post(reverse("desk:correct", args=[concern.tracking]), {
        "correct-content": "新的内容", "correct-place": "", "correct-reason": ""})

    assert response.status_code == 200 and "新的内容" in response.content.decode()
    concern.refresh_from_db()
    assert concern.content == "家门口葡萄园环境卫生差，影响生活。"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CORRECT).exists()


@pytest.mark.django_db
def test_a_handler_or_deputy_cannot_correct(client, handler, deputy_user, concern):
    for user in (handler, deputy_user):
        client.force_login(user)
        assert client.post(reverse("desk:correct", args=[concern.tracking]), {
            "correct-content": "x", "correct-reason": "y"}).status_code == 403


@pytest.mark.django_db
def test_staff_correct_a_constituent_s_name_mobile_and_village(client, staff, concern, village):
    client.force_login(staff)

    client.post(reverse("desk:correct_constituent", args=[concern.tracking]), {
        "person-name": "陈西融", "person-mobile": "13912345678", "person-village": village.pk,
        "person-reason": "本人要求更正"})

    constituent = Constituent.objects.get(pk=concern.constituent_id)
    assert (constituent.name, constituent.mobile, constituent.village) == ("陈西融", "13912345678", village)
    assert concern.events.filter(kind=ConcernEvent.Kind.COMMENT, note__contains="本人要求更正").exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CORRECT, subject_id=constituent.pk).exists()


@pytest.mark.django_db
def test_a_mobile_another_constituent_has_is_refused(client, staff, concern, category):
    other = ConcernFactory(category=category, mobile="13700000000", name="李四")
    client.force_login(staff)

    response = client.post(reverse("desk:correct_constituent", args=[concern.tracking]), {
        "person-name": "陈西荣", "person-mobile": other.constituent.mobile, "person-reason": "更正"})

    assert response.status_code == 200
    assert Constituent.objects.get(pk=concern.constituent_id).mobile == "13812345678"


@pytest.mark.django_db
def test_erasing_is_refused_while_a_case_is_open_and_done_once_it_ended(staff, official, concern):
    with pytest.raises(Exception, match=concern.tracking):
        privacy.constituent_erase(constituent=concern.constituent, actor=staff, role=workflow.STAFF, reason="本人要求")

    concern_transition(concern=concern, action="reject", actor=official, role=workflow.OFFICIAL, note="重复",
                       result="重复反映")

    constituent = privacy.constituent_erase(constituent=concern.constituent, actor=staff, role=workflow.STAFF,
                                            reason="本人要求")

    concern.refresh_from_db()
    assert constituent.name == "" and constituent.mobile != "13812345678" and constituent.anonymised_at
    assert concern.content == privacy.ERASED and concern.status == Concern.Status.REJECTED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE, subject_id=constituent.pk).exists()


PLACE = "东门街17号"


@pytest.mark.django_db
def test_public_text_masks_the_place_the_constituent_gave_as_it_masks_name_and_mobile(client, category):
    concern = ConcernFactory(category=category, name="欧阳春燕", mobile="13812345678", place=PLACE, is_public=True,
                             content=f"我是欧阳春燕，住{PLACE}，电话13812345678，门口路灯坏了。")

    track = client.get(concern.get_absolute_url()).content.decode()
    api = client.get(f"/open311/v2/requests/{concern.tracking}.json").content.decode()

    for body in (track, api):
        assert PLACE not in body and "13812345678" not in body and "欧阳春燕" not in body
        assert "门口路灯坏了" in body


@pytest.mark.django_db
def test_the_admin_shows_constituents_mobiles_masked(client, admin_user, concern):
    from liaison.models import Notification

    notification = Notification.objects.filter(recipient="13812345678").first()
    client.force_login(admin_user)
    pages = {  # page: whether it names the mobile at all
        reverse("admin:petitions_constituent_changelist"): True,
        reverse("admin:petitions_concern_change", args=[concern.pk]): False,  # the constituent by name
        reverse("admin:liaison_notification_changelist"): True,
        reverse("admin:liaison_notification_change", args=[notification.pk]): True,
    }

    for page, names_it in pages.items():
        body = client.get(page).content.decode()
        assert "13812345678" not in body and ("138****5678" in body) == names_it, page


@pytest.mark.django_db
def test_the_correction_form_holds_the_full_mobile_only_once_revealed_and_empty_keeps_it(client, staff, concern):
    client.force_login(staff)
    page = reverse("desk:concern", args=[concern.tracking])
    mobile = concern.constituent.mobile

    assert mobile not in client.get(page).content.decode()
    client.post(reverse("desk:correct_constituent", args=[concern.tracking]), {
        "person-name": "陈西融", "person-mobile": "", "person-reason": "本人要求更正"})
    assert Constituent.objects.get(pk=concern.constituent_id).mobile == mobile
    client.post(reverse("desk:reveal_mobile", args=[concern.tracking]))
    assert mobile in client.get(page).content.decode()


@pytest.mark.django_db
def test_a_discarded_filing_does_not_keep_its_mobiles_owner_from_being_erased(staff, concern):
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.HELD)
    concern.refresh_from_db()
    concern_transition(concern=concern, action="discard", actor=staff, role=workflow.STAFF, note="广告")

    constituent = privacy.constituent_erase(constituent=concern.constituent, actor=staff, role=workflow.STAFF,
                                            reason="本人要求")

    assert constituent.anonymised_at and constituent.name == ""
