"""desk:act — one workflow move per POST, through the HTTP views, as the people who make them."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from liaison import roles
from petitions import messages as petitions_messages
from petitions import workflow
from petitions.models import Concern, ConcernEvent, ConcernPhoto
from petitions.services import concern_assign, concern_merge, default_deadline
from petitions.workflow import WorkflowError
from tests.factories import ConcernFactory, DeputyFactory, UnitFactory

S = Concern.Status


def _jpeg(name: str = "after.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#4a7").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _act(client, concern: Concern, action: str, data: dict | None = None):
    return client.post(reverse("desk:act", args=[concern.tracking, action]), data or {})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _refusal(action: str, concern: Concern, role: str) -> str:
    """The workflow's own message, in the language the pages speak by default."""
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(WorkflowError) as refused:
        workflow.check(action_name=action, concern=concern, role=role)
    return str(refused.value.message)


@pytest.mark.django_db
def test_deputy_forwards_then_handler_starts_and_resolves_with_an_after_photo(
    client, concern, deputy_user, handler, unit
):
    case_url = reverse("desk:concern", args=[concern.tracking])
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    client.force_login(deputy_user)

    response = _act(client, concern, "assign", {"assign-unit": unit.pk, "assign-deadline_on": deadline.isoformat(),
                                                "assign-note": "请白塔村尽快处理"})

    assert response.status_code == 302 and response["Location"] == case_url
    concern.refresh_from_db()
    assert (concern.status, concern.unit, concern.deadline_on) == (S.ASSIGNED, unit, deadline)

    client.force_login(handler)
    assert _act(client, concern, "start").status_code == 302
    response = _act(client, concern, "resolve", {
        "resolve-result": "垃圾已清运，葡萄园周边已整治。", "resolve-outcome": Concern.Outcome.FIXED,
        "resolve-photos": [_jpeg()],
    })

    assert response.status_code == 302 and response["Location"] == case_url
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.result) == (
        S.RESOLVED, Concern.Outcome.FIXED, "垃圾已清运，葡萄园周边已整治。")
    moves = concern.events.filter(kind=ConcernEvent.Kind.TRANSITION)
    assert [(e.to_status, e.actor, e.actor_role) for e in moves[1:]] == [
        (S.ASSIGNED, deputy_user, workflow.DEPUTY),
        (S.IN_PROGRESS, handler, workflow.HANDLER),
        (S.RESOLVED, handler, workflow.HANDLER),
    ]
    assert concern.photos.get().kind == ConcernPhoto.Kind.AFTER
    assert client.get(case_url).status_code == 200


@pytest.mark.django_db
def test_the_assign_form_offers_the_categorys_default_deadline(client, concern, deputy_user):
    client.force_login(deputy_user)

    body = client.get(reverse("desk:concern", args=[concern.tracking])).content.decode()

    assert f'name="assign-deadline_on" value="{default_deadline(concern.category).isoformat()}"' in body


@pytest.mark.django_db
def test_a_handler_posting_close_on_an_assigned_concern_sees_the_workflow_message_and_nothing_changes(
    client, concern, deputy_user, handler, unit
):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    events_before = concern.events.count()
    client.force_login(handler)

    response = _act(client, concern, "close", {"close-note": "结案"})

    assert response.status_code == 302
    assert response["Location"] == reverse("desk:concern", args=[concern.tracking])
    assert _refusal("close", concern, workflow.HANDLER) in _messages(response)
    concern.refresh_from_db()
    assert concern.status == S.ASSIGNED and concern.events.count() == events_before


@pytest.mark.django_db
def test_an_action_from_the_wrong_state_is_refused_with_the_state_named(client, concern, official):
    client.force_login(official)

    response = _act(client, concern, "close")

    assert response.status_code == 302
    assert _refusal("close", concern, workflow.OFFICIAL) in _messages(response)
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_an_unknown_action_is_not_found(client, concern, official):
    client.force_login(official)

    assert _act(client, concern, "explode").status_code == 404


@pytest.mark.django_db
def test_resolving_without_a_result_keeps_what_was_typed_and_changes_nothing(
    client, concern, deputy_user, handler, unit
):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    client.force_login(handler)

    response = _act(client, concern, "resolve", {"resolve-result": "", "resolve-outcome": Concern.Outcome.EXPLAINED})

    assert response.status_code == 200
    form = next(item["form"] for item in response.context["action_forms"] if item["action"].name == "resolve")
    assert "result" in form.errors and form["outcome"].value() == Concern.Outcome.EXPLAINED
    concern.refresh_from_db()
    assert concern.status == S.ASSIGNED


@pytest.mark.django_db
def test_an_official_reassigns_to_another_unit_with_a_new_deadline(client, concern, deputy_user, official, unit):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    other = UnitFactory(name="镇农业农村办")
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    client.force_login(official)

    _act(client, concern, "reassign", {"reassign-unit": other.pk, "reassign-deadline_on": deadline.isoformat(),
                                       "reassign-note": "属农业口"})

    concern.refresh_from_db()
    assert (concern.status, concern.unit, concern.deadline_on) == (S.ASSIGNED, other, deadline)
    move = concern.events.filter(kind=ConcernEvent.Kind.TRANSITION).last()
    assert (move.from_status, move.actor, move.actor_role) == (S.ASSIGNED, official, workflow.OFFICIAL)
    assert concern.events.filter(note="属农业口", actor=official).exists()


@pytest.mark.django_db
def test_a_deadline_in_the_past_is_refused(client, concern, official, unit):
    client.force_login(official)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = _act(client, concern, "assign", {"assign-unit": unit.pk, "assign-deadline_on": yesterday.isoformat()})

    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_an_official_rejects_with_a_reason_that_becomes_the_public_result(client, concern, official):
    client.force_login(official)

    _act(client, concern, "reject", {"reject-reason": "属县级事权，已告知向县信访局反映。"})

    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.result) == (
        S.REJECTED, Concern.Outcome.REJECTED, "属县级事权，已告知向县信访局反映。")
    event = concern.events.filter(kind=ConcernEvent.Kind.TRANSITION).last()
    assert event.is_public and event.note == "属县级事权，已告知向县信访局反映。"


@pytest.mark.django_db
def test_rejecting_without_a_reason_is_refused(client, concern, official):
    client.force_login(official)

    response = _act(client, concern, "reject", {"reject-reason": "  "})

    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_staff_merge_a_duplicate_into_the_original(client, concern, staff, category):
    duplicate = ConcernFactory(deputy=concern.deputy, category=category, content="葡萄园又脏了")
    client.force_login(staff)

    response = _act(client, duplicate, "merge", {"merge-into": concern.tracking.upper()})

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.outcome, duplicate.merged_into) == (
        S.MERGED, Concern.Outcome.DUPLICATE, concern)
    assert duplicate.tracking in client.get(reverse("desk:concern", args=[concern.tracking])).content.decode()


@pytest.mark.django_db
def test_merging_into_a_merged_concern_shows_the_services_message(client, concern, official, category):
    original, duplicate = ConcernFactory(category=category), ConcernFactory(category=category)
    concern_merge(concern=duplicate, into=original, actor=official, role=workflow.OFFICIAL)
    client.force_login(official)

    response = _act(client, concern, "merge", {"merge-into": duplicate.tracking})

    assert response.status_code == 302
    with translation.override(settings.LANGUAGE_CODE):
        assert str(petitions_messages.MERGE_TARGET_INVALID) in _messages(response)
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_merging_into_itself_is_refused_with_that_reason_without_a_change(client, concern, official):
    client.force_login(official)

    response = _act(client, concern, "merge", {"merge-into": f" {concern.tracking.upper()} "})

    assert response.status_code == 200
    form = next(i["form"] for i in response.context["action_forms"] if i["action"].name == "merge")
    with translation.override(settings.LANGUAGE_CODE):
        assert form.errors["into"] == [str(petitions_messages.MERGE_INTO_ITSELF)]
        assert str(petitions_messages.MERGE_INTO_ITSELF) in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_merging_into_an_unknown_code_is_refused_without_a_change(client, concern, official):
    client.force_login(official)

    response = _act(client, concern, "merge", {"merge-into": "zzzzzzzzzz"})

    assert response.status_code == 200
    assert "into" in next(i["form"] for i in response.context["action_forms"] if i["action"].name == "merge").errors
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_a_deputy_answers_a_policy_question_directly(client, concern, deputy_user):
    client.force_login(deputy_user)

    _act(client, concern, "answer", {"answer-result": "按政策，60周岁以上可申领。",
                                     "answer-outcome": Concern.Outcome.EXPLAINED})

    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.unit) == (S.RESOLVED, Concern.Outcome.EXPLAINED, None)


@pytest.mark.django_db
def test_a_deputy_who_is_also_staff_acts_as_staff(client, concern, deputy_user):
    deputy_user.groups.add(Group.objects.get(name=roles.STAFF))
    client.force_login(deputy_user)

    _act(client, concern, "accept")

    assert concern.events.filter(kind=ConcernEvent.Kind.TRANSITION).last().actor_role == workflow.STAFF


@pytest.mark.django_db
def test_a_deputy_cannot_act_on_a_concern_addressed_to_someone_else(client, deputy_user, category):
    theirs = ConcernFactory(deputy=DeputyFactory(), category=category)
    client.force_login(deputy_user)

    assert _act(client, theirs, "accept").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED
