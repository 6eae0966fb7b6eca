"""Deputies' suggestions: the transition table move by move, co-signing, one step from a concern,
re-handling after "not satisfied", follow-up, reminders run twice, and the desk pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.calendar import add_working_days
from liaison.models import Notification
from petitions import suggestion_deadlines as deadlines
from petitions import suggestion_services as services
from petitions import suggestion_workflow as workflow
from petitions.models import AnswerCategory, Suggestion, SuggestionEvent, SuggestionUnit
from petitions.suggestion_workflow import WorkflowError
from tests.factories import ConcernFactory, DeputyFactory, UnitFactory, the_township

S = Suggestion.Status
ALL_ROLES = [workflow.DEPUTY, workflow.STAFF, workflow.HANDLER, workflow.OFFICIAL, workflow.SYSTEM]


def _category(code="A"):
    return services.answer_categories(township=the_township()).get(code=code)


def _suggestion_in(status: str) -> Suggestion:
    """A suggestion brought to `status` through the service, as people would."""
    suggestion = services.suggestion_create(deputy=DeputyFactory(), title="修缮村道", content="村道破损，建议修缮。")
    path = {
        S.DRAFT: [],
        S.SUBMITTED: [("submit", workflow.DEPUTY, {})],
        S.ASSIGNED: [("submit", workflow.DEPUTY, {}), ("assign", workflow.STAFF, {"lead_unit": UnitFactory()})],
    }
    path[S.ACCEPTED] = [*path[S.ASSIGNED], ("accept", workflow.HANDLER, {})]
    path[S.ANSWERED] = [*path[S.ACCEPTED], ("answer", workflow.HANDLER, {"answer": "已列入计划。",
                                                                           "answer_category": _category("B")})]
    path[S.CLOSED] = [*path[S.ANSWERED], ("rate_satisfied", workflow.DEPUTY, {})]
    for action, role, extra in path[status]:
        suggestion = services.suggestion_transition(suggestion=suggestion, action=action, role=role, **extra)
    assert suggestion.status == status
    return suggestion


def _arguments(action: str, suggestion: Suggestion) -> dict:
    """What each action needs besides the table's check, so a refusal can only come from the table."""
    return {
        "assign": {"lead_unit": UnitFactory()},
        "return": {"note": "不属于本单位职责"},
        "answer": {"answer": "已解决。", "answer_category": _category("B")},
        "extend": {"answer_by": (suggestion.answer_by or timezone.localdate()) + datetime.timedelta(days=30)},
        "rate_unsatisfied": {"note": "答复不具体"},
        "follow_up": {"note": "已开工"},
    }.get(action, {})


MOVES = [(name, status, role) for name in workflow.ACTIONS for status in S.values for role in ALL_ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status", "role"), MOVES)
def test_every_move_per_state_and_role_follows_the_table(action, status, role):
    suggestion = _suggestion_in(status)
    if action == "accept_by_default":  # its guard: the time to return it has passed
        Suggestion.objects.filter(pk=suggestion.pk).update(return_by=timezone.localdate() - datetime.timedelta(days=1))
    spec = workflow.ACTIONS[action]
    allowed = status in spec.sources and role in spec.roles
    events = SuggestionEvent.objects.filter(suggestion=suggestion).count()

    if not allowed:
        with pytest.raises(WorkflowError):
            services.suggestion_transition(suggestion=suggestion, action=action, role=role,
                                           **_arguments(action, suggestion))
        suggestion.refresh_from_db()
        assert suggestion.status == status
        assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == events
        return
    moved = services.suggestion_transition(suggestion=suggestion, action=action, role=role,
                                           **_arguments(action, suggestion))
    assert moved.status == workflow.target_of(spec, status)
    event = SuggestionEvent.objects.filter(suggestion=suggestion).last()
    assert (event.action, event.actor_role, event.from_status, event.to_status) == (
        action, role, status, moved.status)


@pytest.mark.django_db
def test_unknown_action_is_refused():
    with pytest.raises(WorkflowError):
        services.suggestion_transition(suggestion=_suggestion_in(S.DRAFT), action="fly", role=workflow.STAFF)


@pytest.mark.django_db
def test_submit_waits_for_every_invited_cosigner_and_sets_the_assign_deadline():
    lead, other = DeputyFactory(), DeputyFactory()
    suggestion = services.suggestion_create(deputy=lead, title="t", content="c", cosigners=[other])

    with pytest.raises(WorkflowError):
        services.suggestion_transition(suggestion=suggestion, action="submit", role=workflow.DEPUTY)
    services.suggestion_cosign(suggestion=suggestion, deputy=other)
    services.suggestion_cosign(suggestion=suggestion, deputy=other)  # twice: one event
    submitted = services.suggestion_transition(suggestion=suggestion, action="submit", role=workflow.DEPUTY)

    assert submitted.status == S.SUBMITTED
    assert submitted.assign_by == add_working_days(timezone.localdate(), workflow.ASSIGN_WORKING_DAYS)
    assert suggestion.events.filter(kind=SuggestionEvent.Kind.COSIGN).count() == 1
    with pytest.raises(WorkflowError):  # not invited
        services.suggestion_cosign(suggestion=suggestion, deputy=DeputyFactory())
    with pytest.raises(WorkflowError):  # invited after submission
        services.suggestion_invite(suggestion=suggestion, deputy=DeputyFactory())
    draft = _suggestion_in(S.DRAFT)
    with pytest.raises(WorkflowError):  # the lead deputy does not co-sign
        services.suggestion_invite(suggestion=draft, deputy=draft.deputy)


@pytest.mark.django_db
def test_assign_return_and_reassign_keep_the_history():
    suggestion = _suggestion_in(S.SUBMITTED)
    first, co, second = UnitFactory(), UnitFactory(), UnitFactory()
    assigned = services.suggestion_transition(suggestion=suggestion, action="assign", role=workflow.OFFICIAL,
                                              lead_unit=first, co_units=[co, first])
    assert assigned.answer_by == services.answer_deadline(timezone.localdate())
    assert assigned.answer_by > timezone.localdate() + datetime.timedelta(days=85)
    assert {(a.unit, a.role) for a in assigned.assignments.all()} == {
        (first, SuggestionUnit.Role.LEAD), (co, SuggestionUnit.Role.CO)}

    with pytest.raises(WorkflowError):  # a return needs its reason
        services.suggestion_transition(suggestion=suggestion, action="return", role=workflow.HANDLER)
    returned = services.suggestion_transition(suggestion=suggestion, action="return", role=workflow.HANDLER,
                                              note="属于交通部门职责")
    assert (returned.status, returned.answer_by) == (S.SUBMITTED, None)
    assert returned.assignments.get(unit=first).return_reason == "属于交通部门职责"
    assert not returned.assignments.filter(returned_at__isnull=True).exists()

    services.suggestion_transition(suggestion=suggestion, action="assign", role=workflow.STAFF, lead_unit=second)
    assert services.current_lead(suggestion).unit == second
    accepted = services.suggestion_transition(suggestion=suggestion, action="accept", role=workflow.HANDLER)
    assert services.current_lead(accepted).accepted_at is not None


@pytest.mark.django_db
def test_not_satisfied_sends_it_back_for_rehandling_with_a_new_deadline():
    suggestion = _suggestion_in(S.ANSWERED)

    rehandled = services.suggestion_transition(suggestion=suggestion, action="rate_unsatisfied",
                                               role=workflow.DEPUTY, note="答复不具体")
    assert (rehandled.status, rehandled.rating, rehandled.rehandle_count) == (
        S.ACCEPTED, Suggestion.Rating.UNSATISFIED, 1)
    assert rehandled.answer_by == add_working_days(timezone.localdate(), workflow.REHANDLE_WORKING_DAYS)

    services.suggestion_transition(suggestion=suggestion, action="answer", role=workflow.HANDLER,
                                   answer="已修复。", answer_category=_category("A"))
    closed = services.suggestion_transition(suggestion=suggestion, action="rate_basically", role=workflow.DEPUTY)
    assert (closed.status, closed.rating, closed.rehandle_count, closed.is_adopted) == (
        S.CLOSED, Suggestion.Rating.BASICALLY, 1, True)
    assert closed.closed_at is not None and not closed.needs_follow_up


@pytest.mark.django_db
def test_planned_answers_are_flagged_until_followed_up_others_refuse_it():
    closed = _suggestion_in(S.CLOSED)  # answered "B" (planned)
    assert closed.needs_follow_up
    with pytest.raises(WorkflowError):
        services.suggestion_transition(suggestion=closed, action="follow_up", role=workflow.STAFF)  # no note
    followed = services.suggestion_transition(suggestion=closed, action="follow_up", role=workflow.STAFF,
                                              note="已开工")
    assert (followed.status, followed.follow_up_note, followed.needs_follow_up) == (S.CLOSED, "已开工", False)

    solved = _suggestion_in(S.ANSWERED)
    Suggestion.objects.filter(pk=solved.pk).update(answer_category=_category("A"))
    solved = services.suggestion_transition(suggestion=solved, action="rate_satisfied", role=workflow.DEPUTY)
    with pytest.raises(WorkflowError):
        services.suggestion_transition(suggestion=solved, action="follow_up", role=workflow.STAFF, note="x")


@pytest.mark.django_db
def test_answer_needs_text_and_category_extension_must_be_later():
    accepted = _suggestion_in(S.ACCEPTED)
    with pytest.raises(WorkflowError):
        services.suggestion_transition(suggestion=accepted, action="answer", role=workflow.HANDLER, answer="x")
    with pytest.raises(WorkflowError):
        services.suggestion_transition(suggestion=accepted, action="extend", role=workflow.OFFICIAL,
                                       answer_by=accepted.answer_by)
    later = accepted.answer_by + datetime.timedelta(days=30)
    extended = services.suggestion_transition(suggestion=accepted, action="extend", role=workflow.OFFICIAL,
                                              answer_by=later)
    assert (extended.status, extended.answer_by) == (S.ACCEPTED, later)


@pytest.mark.django_db
def test_default_answer_categories_are_created_once_per_township():
    assert [c.code for c in services.answer_categories(township=the_township())] == ["A", "B", "C", "D"]
    services.answer_categories(township=the_township())
    assert AnswerCategory.objects.count() == 4
    assert list(AnswerCategory.objects.filter(is_adopted=True).values_list("code", flat=True)) == ["A", "B"]


@pytest.mark.django_db
def test_one_step_from_a_concern_links_it_and_prefills_the_text():
    concern = ConcernFactory(content="村口路灯不亮已一个月\n请尽快修复")
    suggestion = services.suggestion_from_concern(concern=concern)
    assert (suggestion.deputy, suggestion.status, suggestion.title) == (concern.deputy, S.DRAFT, "村口路灯不亮已一个月")
    assert suggestion.content == concern.content
    assert list(suggestion.concerns.all()) == [concern]


@pytest.mark.django_db
def test_co_handler_sends_its_view_only_as_a_current_co_unit():
    suggestion = _suggestion_in(S.SUBMITTED)
    lead, co = UnitFactory(), UnitFactory()
    services.suggestion_transition(suggestion=suggestion, action="assign", role=workflow.STAFF, lead_unit=lead,
                                   co_units=[co])
    with pytest.raises(WorkflowError):
        services.suggestion_co_view(suggestion=suggestion, unit=lead, view="x", role=workflow.HANDLER)
    assignment = services.suggestion_co_view(suggestion=suggestion, unit=co, view="同意修缮", role=workflow.HANDLER)
    assert assignment.view == "同意修缮" and assignment.view_at is not None


@pytest.mark.django_db
def test_reminders_and_escalation_run_twice_have_one_effect(handler):
    unit = UnitFactory()
    handler.email = "h@example.org"
    handler.save()
    unit.members.add(handler)
    today = timezone.localdate()
    soon = _suggestion_in(S.SUBMITTED)
    services.suggestion_transition(suggestion=soon, action="assign", role=workflow.STAFF, lead_unit=unit,
                                   answer_by=add_working_days(today, 2))
    late = _suggestion_in(S.SUBMITTED)
    services.suggestion_transition(suggestion=late, action="assign", role=workflow.STAFF, lead_unit=unit,
                                   answer_by=today - datetime.timedelta(days=1))
    far = _suggestion_in(S.ASSIGNED)  # three months away: nothing

    assert deadlines.suggestion_reminders() == (1, 1)
    assert deadlines.suggestion_reminders() == (0, 0)
    # The unit's members by e-mail and the unit's own mobile by SMS (as concerns reach units), once each.
    sent = Notification.objects.exclude(key__startswith="suggestion-assigned:").values_list("key", "channel")
    assert sorted((key.split(":")[0], channel) for key, channel in sent) == [
        ("suggestion-escalate", "email"), ("suggestion-escalate", "sms"),
        ("suggestion-remind", "email"), ("suggestion-remind", "sms")]
    assert soon.events.filter(kind=SuggestionEvent.Kind.REMINDER).count() == 1
    assert late.events.filter(kind=SuggestionEvent.Kind.ESCALATION).count() == 1
    assert not far.events.filter(kind__in=["reminder", "escalation"]).exists()


@pytest.mark.django_db
def test_the_periodic_task_goes_over_every_township_and_runs_twice_with_one_effect(handler):
    from petitions.tasks import remind_suggestion_units

    unit = UnitFactory()
    handler.email = "h@example.org"
    handler.save()
    unit.members.add(handler)
    late = _suggestion_in(S.SUBMITTED)
    services.suggestion_transition(suggestion=late, action="assign", role=workflow.STAFF, lead_unit=unit,
                                   answer_by=timezone.localdate() - datetime.timedelta(days=1))
    assert remind_suggestion_units() == 1
    assert remind_suggestion_units() == 0
    assert Notification.objects.filter(key__startswith="suggestion-escalate:").count() == 2  # e-mail and SMS


# --- the desk pages -------------------------------------------------------------------------------

def _messages(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_deputy_files_on_the_phone_a_cosigner_confirms_then_it_is_submitted(client, deputy_user):
    from django.contrib.auth.models import Group

    from liaison import roles
    from tests.factories import UserFactory

    other_user = UserFactory(username="other-deputy")
    other_user.groups.add(Group.objects.get(name=roles.DEPUTY))
    other = DeputyFactory(user=other_user)
    client.force_login(deputy_user)
    assert client.get(reverse("desk:suggestion_new")).status_code == 200

    response = client.post(reverse("desk:suggestion_new"), {"title": "修缮村道", "content": "村道破损", "kind": "livelihood",
                                                            "cosigners": [other.pk]})
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:suggestion", args=[suggestion.pk])
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "submit"]))
    suggestion.refresh_from_db()
    assert suggestion.status == S.DRAFT  # the co-signer has not confirmed

    client.force_login(other_user)
    assert "修缮村道" in client.get(reverse("desk:suggestions")).content.decode()  # waiting for the signature
    client.post(reverse("desk:suggestion_cosign", args=[suggestion.pk]))
    client.force_login(deputy_user)
    response = client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "submit"]))
    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED, _messages(response)


@pytest.mark.django_db
def test_a_concern_becomes_a_suggestion_in_one_step_from_the_case_page(client, deputy_user, staff):
    concern = ConcernFactory(deputy=deputy_user.deputy, content="村口路灯不亮\n已经一个月")
    new_url = f"{reverse('desk:suggestion_new')}?concern={concern.tracking}"
    client.force_login(deputy_user)
    assert new_url in client.get(reverse("desk:concern", args=[concern.tracking])).content.decode()
    form = client.get(new_url).context["form"]
    assert (form["title"].value(), form["content"].value()) == ("村口路灯不亮", concern.content)

    response = client.post(reverse("desk:suggestion_new"), {"concern": concern.tracking, "title": "村口路灯",
                                                            "content": concern.content, "kind": "environment"})
    suggestion = Suggestion.objects.get()
    assert response["Location"] == reverse("desk:suggestion", args=[suggestion.pk])
    assert list(suggestion.concerns.all()) == [concern] and suggestion.deputy == deputy_user.deputy

    other = ConcernFactory()  # another deputy's concern: not theirs to see
    assert client.get(f"{reverse('desk:suggestion_new')}?concern={other.tracking}").status_code == 404
    client.force_login(staff)  # not the concern's deputy: no button
    assert new_url not in client.get(reverse("desk:concern", args=[concern.tracking])).content.decode()


@pytest.mark.django_db
def test_handler_accepts_answers_deputy_not_satisfied_then_satisfied_through_the_pages(
    client, deputy_user, staff, handler, unit
):
    suggestion = services.suggestion_create(deputy=deputy_user.deputy, title="修缮村道", content="村道破损")
    services.suggestion_transition(suggestion=suggestion, action="submit", role=workflow.DEPUTY)
    client.force_login(staff)
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "assign"]), {"assign-lead_unit": unit.pk})
    client.force_login(handler)
    assert "form-accept" in client.get(reverse("desk:suggestion", args=[suggestion.pk])).content.decode()
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "accept"]))
    category = _category("A")
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "answer"]),
                {"answer-answer": "已修复", "answer-answer_category": category.pk})
    client.force_login(deputy_user)
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "rate_unsatisfied"]),
                {"rate_unsatisfied-note": "只修了一半"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rehandle_count) == (S.ACCEPTED, 1)
    # The deputy may not answer for the unit: refused with the workflow's message.
    response = client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "answer"]),
                           {"answer-answer": "x", "answer-answer_category": category.pk})
    assert response.status_code == 302 and _messages(response)
    client.force_login(handler)
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "answer"]),
                {"answer-answer": "已全部修复", "answer-answer_category": category.pk})
    client.force_login(deputy_user)
    client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "rate_satisfied"]))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rating, suggestion.answer) == (S.CLOSED, "satisfied", "已全部修复")


@pytest.mark.django_db
def test_a_handler_of_another_unit_neither_sees_nor_moves_it(client, handler):
    suggestion = _suggestion_in(S.ASSIGNED)  # assigned to a unit the handler is not in
    client.force_login(handler)
    assert client.get(reverse("desk:suggestion", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "accept"])).status_code == 404


def _many(deputy, unit, n):
    for i in range(n):
        suggestion = services.suggestion_create(deputy=deputy, title=f"建议{i}", content="c",
                                                cosigners=[DeputyFactory()])
        services.suggestion_cosign(suggestion=suggestion, deputy=suggestion.cosigners.get().deputy)
        services.suggestion_transition(suggestion=suggestion, action="submit", role=workflow.DEPUTY)
        services.suggestion_transition(suggestion=suggestion, action="assign", role=workflow.STAFF, lead_unit=unit,
                                       co_units=[UnitFactory()])
    return suggestion


@pytest.mark.django_db
def test_list_and_detail_cost_the_same_queries_for_one_row_and_many(client, staff, deputy_user, unit,
                                                                    django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        client.force_login(staff)
        last = Suggestion.objects.order_by("-pk").first()
        with CaptureQueriesContext(connection) as listing:
            assert client.get(reverse("desk:suggestions")).status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert client.get(reverse("desk:suggestion", args=[last.pk])).status_code == 200
        return len(listing), len(detail)

    _many(deputy_user.deputy, unit, 1)
    one = counts()
    last = _many(deputy_user.deputy, unit, 5)
    services.suggestion_co_view(suggestion=last, unit=last.assignments.get(role="co").unit, view="同意",
                                role=workflow.HANDLER)
    assert counts() == one


@pytest.mark.django_db
def test_duty_record_counts_made_cosigned_answered_and_adopted_by_the_category_flag(django_assert_num_queries):
    from deputies.record import duty_record, duty_timeline

    lead, other = DeputyFactory(), DeputyFactory()
    adopted = services.suggestion_create(deputy=lead, title="采纳", content="c", cosigners=[other])
    services.suggestion_cosign(suggestion=adopted, deputy=other)
    for action, role, extra in [("submit", workflow.DEPUTY, {}), ("assign", workflow.STAFF, {"lead_unit": UnitFactory()}),
                                ("accept", workflow.HANDLER, {}),
                                ("answer", workflow.HANDLER, {"answer": "a", "answer_category": _category("A")})]:
        services.suggestion_transition(suggestion=adopted, action=action, role=role, **extra)
    refused = _suggestion_in(S.ANSWERED)
    Suggestion.objects.filter(pk=refused.pk).update(deputy=lead, answer_category=_category("D"))
    services.suggestion_create(deputy=lead, title="草稿", content="c")  # a draft counts nowhere
    year = timezone.localdate().year

    from petitions.suggestion_record import suggestions_section

    with django_assert_num_queries(1):
        section = suggestions_section(lead, year)
    figures = {f.key: f.value for f in section.figures}
    assert figures == {"suggestions_made": 2, "suggestions_cosigned": 0, "suggestions_answered": 2,
                       "suggestions_adopted": 1}
    assert "suggestions" in [s.key for s in duty_record(lead, year)]
    other_figures = {f.key: f.value for s in duty_record(other, year) if s.key == "suggestions" for f in s.figures}
    assert other_figures["suggestions_cosigned"] == 1
    assert {e.text for e in duty_timeline(lead, year)} >= {"采纳", "修缮村道"}
