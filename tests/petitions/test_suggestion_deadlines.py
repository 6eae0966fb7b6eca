"""The units' limits on a suggestion (issue 10): the lead unit returns it within 10 calendar days or it counts
as accepted; co-handling units send their view within a month, reminded before and escalated after. Every
sweep run twice has one effect; messages go through the outbox by e-mail and to the unit's mobile by SMS."""

import datetime

import pytest
from django.urls import reverse

from liaison.models import CalendarDay, Notification
from petitions import suggestion_deadlines as deadlines
from petitions import suggestion_services as services
from petitions import suggestion_workflow as workflow
from petitions.models import Suggestion, SuggestionEvent, SuggestionUnit
from petitions.suggestion_workflow import WorkflowError
from tests.factories import DeputyFactory, UnitFactory, the_township

S = Suggestion.Status
D = datetime.date
WEDNESDAY = "2026-03-04 10:00 +0800"  # +10 days is Saturday the 14th: the limit moves to Monday the 16th


def _at(time_machine, day: str) -> None:
    time_machine.move_to(f"{day} 10:00 +0800", tick=False)


def _assigned(*, lead, co=()) -> Suggestion:
    suggestion = services.suggestion_create(deputy=DeputyFactory(), title="修缮村道", content="村道破损")
    services.suggestion_transition(suggestion=suggestion, action="submit", role=workflow.DEPUTY)
    return services.suggestion_transition(suggestion=suggestion, action="assign", role=workflow.STAFF,
                                          lead_unit=lead, co_units=list(co))


def _unit_with_member(handler, **fields):
    unit = UnitFactory(**fields)
    handler.email = "handler@example.org"
    handler.save()
    unit.members.add(handler)
    return unit


def _sent(prefix: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(key__startswith=prefix).values_list("channel", "recipient"))


# --- the lead unit's time to return it ----------------------------------------------------------------

@pytest.mark.django_db
def test_return_limit_is_ten_calendar_days_moved_to_a_working_day(time_machine):
    # Qingming 2026 (4-6 April off), as the calendar migration loads it: set here too, since a transactional
    # test run before this one in the same process empties the table.
    for day in (4, 5, 6):
        CalendarDay.objects.update_or_create(date=D(2026, 4, day), defaults={"is_workday": False, "name": "清明节"})
    time_machine.move_to(WEDNESDAY, tick=False)
    suggestion = _assigned(lead=UnitFactory(), co=[UnitFactory()])

    assert suggestion.return_by == D(2026, 3, 16)  # Saturday the 14th falls on a day off
    assert suggestion.assignments.get(role=SuggestionUnit.Role.CO).view_by == D(2026, 4, 7)  # 4 April is Saturday
    assert workflow.RETURN_DAYS == 10 and workflow.CO_VIEW_MONTHS == 1


@pytest.mark.django_db
def test_a_return_on_the_last_day_is_allowed_the_day_after_it_is_refused(time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    in_time, late = _assigned(lead=UnitFactory()), _assigned(lead=UnitFactory())

    _at(time_machine, "2026-03-16")
    returned = services.suggestion_transition(suggestion=in_time, action="return", role=workflow.HANDLER,
                                              note="属于交通部门职责")
    assert (returned.status, returned.return_by) == (S.SUBMITTED, None)

    _at(time_machine, "2026-03-17")
    with pytest.raises(WorkflowError) as refused:
        services.suggestion_transition(suggestion=late, action="return", role=workflow.HANDLER, note="不归我们管")
    assert "2026-03-16" in str(refused.value.message)
    late.refresh_from_db()
    assert late.status == S.ASSIGNED
    assert not late.assignments.filter(returned_at__isnull=False).exists()
    # Accepting stays possible (the sweep would do it otherwise); only the return is closed.
    assert [a.name for a in workflow.available_actions(suggestion=late, roles={workflow.HANDLER})] == ["accept"]


@pytest.mark.django_db
def test_after_the_limit_the_page_offers_no_return_and_refuses_it_in_chinese(client, handler, unit, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    suggestion = _assigned(lead=unit)
    client.force_login(handler)
    page = reverse("desk:suggestion", args=[suggestion.pk])
    assert 'id="form-return"' in client.get(page).content.decode()

    _at(time_machine, "2026-03-17")
    client.force_login(handler)  # the login of 13 days ago has expired
    body = client.get(page).content.decode()
    assert 'id="form-return"' not in body and 'id="form-accept"' in body
    assert "视为已接受" in body
    response = client.post(reverse("desk:suggestion_act", args=[suggestion.pk, "return"]),
                           {"return-note": "不属于本单位职责"}, follow=True)
    assert "退回期限已于2026-03-16截止" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED


@pytest.mark.django_db
def test_not_returned_in_time_counts_as_accepted_once_and_the_unit_hears_of_it(handler, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    unit = _unit_with_member(handler, phone="13700001111")
    suggestion = _assigned(lead=unit)

    _at(time_machine, "2026-03-16")  # the last day: still the unit's to return
    assert deadlines.suggestions_accept_unreturned() == 0
    _at(time_machine, "2026-03-17")
    assert deadlines.suggestions_accept_unreturned() == 1
    assert deadlines.suggestions_accept_unreturned() == 0

    suggestion.refresh_from_db()
    assert suggestion.status == S.ACCEPTED
    assert services.current_lead(suggestion).accepted_at is not None
    event = suggestion.events.get(action="accept_by_default")
    assert (event.actor_role, event.from_status, event.to_status) == (workflow.SYSTEM, S.ASSIGNED, S.ACCEPTED)
    assert _sent("suggestion-accepted:") == [("email", "handler@example.org"), ("sms", "13700001111")]
    sms = Notification.objects.get(key__startswith="suggestion-accepted:", channel="sms")
    assert sms.body.startswith(f"【{the_township().station_name}】") and "视为贵单位已接受" in sms.body


@pytest.mark.django_db
def test_a_suggestion_accepted_or_returned_in_time_is_left_alone(time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    accepted, returned = _assigned(lead=UnitFactory()), _assigned(lead=UnitFactory())
    services.suggestion_transition(suggestion=accepted, action="accept", role=workflow.HANDLER)
    services.suggestion_transition(suggestion=returned, action="return", role=workflow.HANDLER, note="不归我们")

    _at(time_machine, "2026-04-01")
    assert deadlines.suggestions_accept_unreturned() == 0
    assert not SuggestionEvent.objects.filter(action="accept_by_default").exists()
    with pytest.raises(WorkflowError):  # the system's move has its own guard: the limit must have passed
        services.suggestion_transition(suggestion=_assigned(lead=UnitFactory()), action="accept_by_default",
                                       role=workflow.SYSTEM)


# --- the co-handling units' views ----------------------------------------------------------------------

@pytest.mark.django_db
def test_co_handlers_are_reminded_before_their_view_is_due_once(handler, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    co = _unit_with_member(handler, phone="13700002222")
    suggestion = _assigned(lead=UnitFactory(), co=[co])  # view due Tuesday 7 April

    _at(time_machine, "2026-03-27")  # 7 working days before: too early
    assert deadlines.suggestion_view_reminders() == (0, 0)
    _at(time_machine, "2026-04-02")  # within REMINDER_WORKING_DAYS
    assert deadlines.suggestion_view_reminders() == (1, 0)
    assert deadlines.suggestion_view_reminders() == (0, 0)

    assert _sent("suggestion-view-remind:") == [("email", "handler@example.org"), ("sms", "13700002222")]
    assert suggestion.events.filter(kind=SuggestionEvent.Kind.REMINDER).count() == 1
    assert co.name in suggestion.events.get(kind=SuggestionEvent.Kind.REMINDER).note


@pytest.mark.django_db
def test_an_overdue_view_is_escalated_to_the_officials_once(handler, official, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    township = the_township()
    township.escalation_mobiles = "13900009999"
    township.save()
    official.email = "official@example.org"
    official.save()
    co = _unit_with_member(handler, phone="0576-87001234")  # a landline: e-mail only
    sent_view = UnitFactory()
    suggestion = _assigned(lead=UnitFactory(), co=[co, sent_view])
    services.suggestion_co_view(suggestion=suggestion, unit=sent_view, view="同意", role=workflow.HANDLER)
    services.suggestion_transition(suggestion=suggestion, action="accept", role=workflow.HANDLER)

    _at(time_machine, "2026-04-08")
    assert deadlines.suggestion_view_reminders() == (0, 1)  # the unit that sent its view is not chased
    assert deadlines.suggestion_view_reminders() == (0, 0)

    assert _sent("suggestion-view-escalate:") == [
        ("email", "handler@example.org"), ("email", "official@example.org"), ("sms", "13900009999")]
    assert SuggestionUnit.objects.get(suggestion=suggestion, unit=co).escalated_at is not None
    assert SuggestionUnit.objects.get(suggestion=suggestion, unit=sent_view).escalated_at is None


@pytest.mark.django_db
def test_views_of_an_answered_suggestion_are_no_longer_chased(time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    suggestion = _assigned(lead=UnitFactory(), co=[UnitFactory()])
    services.suggestion_transition(suggestion=suggestion, action="accept", role=workflow.HANDLER)
    services.suggestion_transition(suggestion=suggestion, action="answer", role=workflow.HANDLER, answer="已修复",
                                   answer_category=services.answer_categories(township=the_township()).get(code="A"))
    _at(time_machine, "2026-04-20")
    assert deadlines.suggestion_view_reminders() == (0, 0)


@pytest.mark.django_db
def test_the_daily_task_runs_every_sweep_and_twice_has_one_effect(handler, time_machine):
    from petitions.tasks import remind_suggestion_units

    time_machine.move_to(WEDNESDAY, tick=False)
    unit = _unit_with_member(handler)
    unreturned = _assigned(lead=unit, co=[UnitFactory()])
    late_answer = _assigned(lead=unit)
    services.suggestion_transition(suggestion=late_answer, action="accept", role=workflow.HANDLER)
    Suggestion.objects.filter(pk=late_answer.pk).update(answer_by=D(2026, 4, 1))

    _at(time_machine, "2026-04-08")
    # Accepted by default; the answer overdue (escalated); its co-handler's view overdue (escalated).
    assert remind_suggestion_units() == 3
    queued = Notification.objects.count()
    assert remind_suggestion_units() == 0
    assert Notification.objects.count() == queued > 0
    unreturned.refresh_from_db()
    assert unreturned.status == S.ACCEPTED


# --- the units hear of their assignment ---------------------------------------------------------------

@pytest.mark.django_db
def test_each_unit_hears_of_its_assignment_once_and_again_when_assigned_anew(handler, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    lead = _unit_with_member(handler, phone="13700001111")
    co = UnitFactory(phone="0576-87790001")  # a desk phone: no SMS, and no member with e-mail
    suggestion = _assigned(lead=lead, co=[co])

    first = sorted(Notification.objects.filter(key__startswith="suggestion-assigned:")
                   .values_list("channel", "recipient"))
    assert first == [("email", "handler@example.org"), ("sms", "13700001111")]
    lead_sms = Notification.objects.get(key__startswith="suggestion-assigned:", channel="sms")
    assert "2026-03-16" in lead_sms.body and "修缮村道" in lead_sms.body

    services.suggestion_transition(suggestion=suggestion, action="return", role=workflow.HANDLER, note="不属本单位")
    services.suggestion_transition(suggestion=suggestion, action="assign", role=workflow.STAFF, lead_unit=lead)
    assert Notification.objects.filter(key__startswith="suggestion-assigned:").count() == 4  # a new assignment
