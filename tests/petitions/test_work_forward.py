"""desk:forward — tick rows on the desk list and forward them to one unit, each through the workflow."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from petitions import workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import concern_assign, concern_transition, default_deadline
from petitions.workflow import WorkflowError
from tests.factories import CategoryFactory, ConcernFactory, UnitFactory

URL = reverse("desk:forward")
S = Concern.Status


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _transitions(concern: Concern) -> list[ConcernEvent]:
    return list(concern.events.filter(kind=ConcernEvent.Kind.TRANSITION, to_status=S.ASSIGNED))


def _refusal(action: str, concern: Concern, role: str) -> str:
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(WorkflowError) as refused:
        workflow.check(action_name=action, concern=concern, role=role)
    return str(refused.value.message)


@pytest.mark.django_db
def test_staff_forward_ticked_concerns_each_through_the_workflow_and_hear_of_each_refusal(
    client, staff, official, category, django_capture_on_commit_callbacks
):
    target = UnitFactory(name="镇城建办")
    fresh = [ConcernFactory(category=category) for _ in range(3)]
    closed = concern_transition(concern=ConcernFactory(category=category), action="reject", actor=official,
                                role=workflow.OFFICIAL, note="不属于受理范围", result="不属于受理范围")
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {
            "concerns": [c.tracking for c in fresh] + [closed.tracking], "unit": target.pk, "note": "请尽快处理",
            "next": "q=%E8%B7%AF%E7%81%AF&status=submitted&page=2",
        })

    assert response.status_code == 302
    assert response["Location"] == reverse("desk:concerns") + "?q=%E8%B7%AF%E7%81%AF&status=submitted&page=2"
    for concern in fresh:
        concern.refresh_from_db()
        assert (concern.status, concern.unit, concern.deadline_on) == (S.ASSIGNED, target, default_deadline(category))
        (event,) = _transitions(concern)
        assert (event.actor, event.actor_role, event.from_status) == (staff, workflow.STAFF, S.SUBMITTED)
        assert concern.events.filter(kind=ConcernEvent.Kind.COMMENT, note="请尽快处理").count() == 1
    closed.refresh_from_db()
    assert closed.status == S.REJECTED and closed.unit is None and _transitions(closed) == []
    assert _messages(response) == [
        "已将 3 件诉求转交镇城建办。",
        f"1 件诉求未转交：\n{closed.tracking} — {_refusal('assign', closed, workflow.STAFF)}",
    ]


@pytest.mark.django_db
def test_a_concern_already_forwarded_is_refused_not_moved_to_the_other_unit(client, official, category, unit):
    assigned = concern_assign(concern=ConcernFactory(category=category), unit=unit, actor=official,
                              role=workflow.OFFICIAL)
    client.force_login(official)

    response = client.post(URL, {"concerns": [assigned.tracking], "unit": UnitFactory().pk})

    assigned.refresh_from_db()
    assert assigned.unit == unit and len(_transitions(assigned)) == 1
    assert _messages(response)[-1].splitlines()[1:] == [
        f"{assigned.tracking} — {_refusal('assign', assigned, workflow.OFFICIAL)}"
    ]


@pytest.mark.django_db
def test_a_given_deadline_applies_to_every_ticked_concern(client, official, category):
    other_category = CategoryFactory(deadline_days=20)
    first, second = ConcernFactory(category=category), ConcernFactory(category=other_category)
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    client.force_login(official)

    client.post(URL, {"concerns": [first.tracking, second.tracking], "unit": UnitFactory().pk,
                      "deadline_on": deadline.isoformat()})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.deadline_on == second.deadline_on == deadline


@pytest.mark.django_db
def test_an_unknown_code_is_reported_and_the_others_are_forwarded(client, official, category):
    concern = ConcernFactory(category=category)
    client.force_login(official)

    response = client.post(URL, {"concerns": [concern.tracking, "zzzzzzzzzz"], "unit": UnitFactory().pk})

    concern.refresh_from_db()
    assert concern.status == S.ASSIGNED
    assert _messages(response)[-1].splitlines()[1:] == ["zzzzzzzzzz — 没有这个查询码的诉求。"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"concerns": []}, "请先勾选要转交的诉求。"),
        ({"unit": ""}, "请选择要转交的承办单位。"),
        ({"deadline_on": "2020-01-01"}, "办理期限不能早于今天。"),
    ],
    ids=["nothing-ticked", "no-unit", "deadline-past"],
)
@pytest.mark.django_db
def test_an_incomplete_form_changes_nothing_and_says_why(client, official, category, data, message):
    concern = ConcernFactory(category=category)
    client.force_login(official)
    data = {"concerns": [concern.tracking], "unit": UnitFactory().pk, **data}

    response = client.post(URL, data)

    assert response.status_code == 302
    assert message in _messages(response)
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_at_most_a_hundred_at_a_time(client, official):
    client.force_login(official)

    response = client.post(URL, {"concerns": [f"code{n:06d}" for n in range(101)], "unit": UnitFactory().pk})

    assert _messages(response) == ["每次最多转交 100 件诉求。"]


@pytest.mark.django_db
def test_handlers_and_deputies_may_not_forward_even_their_own_concerns(client, handler, deputy_user, concern, unit):
    for user in (handler, deputy_user):
        client.force_login(user)
        assert client.post(URL, {"concerns": [concern.tracking], "unit": unit.pk}).status_code == 403
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_forwarding_needs_the_csrf_token(official, category, unit):
    concern = ConcernFactory(category=category)
    client = Client(enforce_csrf_checks=True)
    client.force_login(official)

    response = client.post(URL, {"concerns": [concern.tracking], "unit": unit.pk})

    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED


@pytest.mark.django_db
def test_the_list_carries_the_forward_form_with_its_token_and_filters(client, official, category):
    concern = ConcernFactory(category=category)
    client.force_login(official)

    body = client.get(reverse("desk:concerns"), {"status": "submitted", "q": "窨井"}).content.decode()

    assert f'<form method="post" action="{URL}" id="bulk-forward">' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert '<input type="hidden" name="next" value="status=submitted&amp;q=%E7%AA%A8%E4%BA%95">' in body
    assert f'name="concerns" value="{concern.tracking}"' not in body  # filtered out by the search
    body = client.get(reverse("desk:concerns")).content.decode()
    assert f'name="concerns" value="{concern.tracking}"' in body
