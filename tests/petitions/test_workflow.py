import pytest

from liaison.calendar import add_working_days
from petitions import messages, workflow
from petitions.models import Concern, ConcernEvent
from petitions.services import (
    concern_assign,
    concern_merge,
    concern_rate,
    concern_resolve,
    concern_transition,
)
from petitions.workflow import WorkflowError
from tests.factories import ConcernFactory

S = Concern.Status


@pytest.mark.django_db
def test_filing_records_a_public_submitted_event(concern):
    event = concern.events.get()

    assert concern.status == S.SUBMITTED
    assert (event.to_status, event.is_public, event.actor_role) == (S.SUBMITTED, True, workflow.CONSTITUENT)


@pytest.mark.django_db
def test_the_whole_life_cycle_leaves_one_event_per_move(concern, deputy_user, handler, unit):
    concern = concern_transition(concern=concern, action="accept", actor=deputy_user, role=workflow.DEPUTY)
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY, note="请尽快处理")
    concern = concern_transition(concern=concern, action="start", actor=handler, role=workflow.HANDLER)
    concern = concern_resolve(concern=concern, result="已清理垃圾", outcome=Concern.Outcome.FIXED, actor=handler,
                              role=workflow.HANDLER)
    concern = concern_rate(concern=concern, satisfaction=Concern.Satisfaction.SATISFIED)

    assert concern.status == S.CLOSED and concern.outcome == Concern.Outcome.FIXED
    moves = list(concern.events.filter(kind=ConcernEvent.Kind.TRANSITION).values_list("to_status", flat=True))
    assert moves == [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED]
    assert concern.deadline_on is not None and concern.unit == unit


@pytest.mark.django_db
def test_a_handler_cannot_close_an_unresolved_concern(concern, handler):
    with pytest.raises(WorkflowError) as refused:
        concern_transition(concern=concern, action="close", actor=handler, role=workflow.HANDLER)

    assert "不能" in str(refused.value.message)
    concern.refresh_from_db()
    assert concern.status == S.SUBMITTED
    assert concern.events.count() == 1


@pytest.mark.django_db
def test_an_action_from_the_wrong_state_is_refused_with_the_state_named(concern, official):
    with pytest.raises(WorkflowError) as refused:
        concern_transition(concern=concern, action="start", actor=official, role=workflow.HANDLER)

    assert "已提交" in str(refused.value.message)


@pytest.mark.django_db
def test_not_satisfied_reopens_to_the_handler(concern, deputy_user, unit, handler):
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    concern = concern_resolve(concern=concern, result="已处理", outcome=Concern.Outcome.FIXED, actor=handler,
                              role=workflow.HANDLER)

    concern = concern_rate(concern=concern, satisfaction=Concern.Satisfaction.UNSATISFIED, comment="还是很脏")

    assert concern.status == S.IN_PROGRESS and concern.outcome == "" and concern.unit == unit


@pytest.mark.django_db
def test_rejecting_gives_the_rejected_outcome_and_a_public_reason(concern, official):
    concern = concern_transition(concern=concern, action="reject", actor=official, role=workflow.OFFICIAL,
                                 note="不属于本镇职责", result="不属于本镇职责")

    assert (concern.status, concern.outcome, concern.result) == (S.REJECTED, Concern.Outcome.REJECTED, "不属于本镇职责")
    assert concern.events.last().is_public


@pytest.mark.django_db
def test_merging_points_the_duplicate_at_the_original(concern, official):
    duplicate = ConcernFactory(category=concern.category)

    duplicate = concern_merge(concern=duplicate, into=concern, actor=official, role=workflow.OFFICIAL)

    assert (duplicate.status, duplicate.outcome, duplicate.merged_into) == (S.MERGED, Concern.Outcome.DUPLICATE, concern)
    with pytest.raises(WorkflowError) as refused:
        concern_merge(concern=concern, into=concern, actor=official, role=workflow.OFFICIAL)
    assert refused.value.message == messages.MERGE_INTO_ITSELF


@pytest.mark.django_db
def test_the_same_submission_key_files_once(category, deputy):
    first = ConcernFactory(category=category, deputy=deputy, submission_key="k-1")
    second = ConcernFactory(category=category, deputy=deputy, submission_key="k-1")

    assert first.pk == second.pk
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_tracking_codes_are_long_and_distinct(category, deputy):
    codes = {ConcernFactory(category=category, deputy=deputy).tracking for _ in range(20)}

    assert len(codes) == 20 and all(len(code) == 10 for code in codes)


@pytest.mark.django_db
def test_a_not_satisfied_rating_is_kept_and_the_reopened_case_gets_a_fresh_deadline(
    concern, deputy_user, unit, handler, time_machine
):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.timezone.utc))
    concern = concern_assign(concern=concern, unit=unit, actor=deputy_user, role=workflow.DEPUTY)
    concern = concern_resolve(concern=concern, result="已处理", outcome=Concern.Outcome.FIXED, actor=handler,
                              role=workflow.HANDLER)
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.timezone.utc))

    concern = concern_rate(concern=concern, satisfaction=Concern.Satisfaction.UNSATISFIED, comment="还是很脏")

    rating = concern.events.get(kind=ConcernEvent.Kind.RATING)
    assert (rating.satisfaction, rating.note) == (Concern.Satisfaction.UNSATISFIED, "还是很脏")
    assert concern.deadline_on == add_working_days(datetime.date(2026, 6, 1), concern.category.deadline_days)
    assert concern.reminded_at is None and concern.escalated_at is None
    reopened = concern.events.get(to_status=S.IN_PROGRESS)
    assert reopened.is_public
    assert reopened.note == "还是很脏\n" + messages.reopen_deadline_note(
        deadline_on=concern.deadline_on, previous=add_working_days(datetime.date(2026, 3, 2), 5))
    assert f"{concern.deadline_on.isoformat()}" in reopened.note and "2026-03-09" in reopened.note


@pytest.mark.django_db
def test_reopening_keeps_a_later_deadline_the_deputy_set_and_says_so(
    concern, deputy_user, unit, handler, time_machine
):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.timezone.utc))
    set_by_deputy = datetime.date(2026, 4, 30)
    concern = concern_assign(concern=concern, unit=unit, deadline_on=set_by_deputy, actor=deputy_user,
                             role=workflow.DEPUTY)
    concern = concern_resolve(concern=concern, result="已处理", outcome=Concern.Outcome.FIXED, actor=handler,
                              role=workflow.HANDLER)

    concern = concern_transition(concern=concern, action="reopen", actor=None, role=workflow.OFFICIAL)

    assert concern.deadline_on == set_by_deputy
    note = concern.events.get(to_status=S.IN_PROGRESS).note
    assert note == messages.reopen_deadline_note(deadline_on=set_by_deputy, previous=set_by_deputy)
    assert "2026-04-30" in note


@pytest.mark.django_db
def test_reopening_a_case_whose_deadline_is_too_close_gives_the_category_s_full_time(
    concern, deputy_user, unit, handler, time_machine
):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.timezone.utc))  # a Monday
    concern = concern_assign(concern=concern, unit=unit, deadline_on=datetime.date(2026, 3, 3), actor=deputy_user,
                             role=workflow.DEPUTY)
    concern = concern_resolve(concern=concern, result="已处理", outcome=Concern.Outcome.FIXED, actor=handler,
                              role=workflow.HANDLER)

    concern = concern_transition(concern=concern, action="reopen", actor=None, role=workflow.OFFICIAL, note="复查")

    assert concern.deadline_on == datetime.date(2026, 3, 9)  # five working days from Monday 2 March
    assert concern.events.get(to_status=S.IN_PROGRESS).note == "复查\n" + messages.reopen_deadline_note(
        deadline_on=datetime.date(2026, 3, 9), previous=datetime.date(2026, 3, 3))


@pytest.mark.django_db
def test_a_second_official_assigning_at_the_same_time_is_refused_not_turned_into_a_reassign(
    concern, official, unit
):
    from tests.factories import UnitFactory

    concern_assign(concern=concern, unit=unit, actor=official, role=workflow.OFFICIAL, action="assign")

    with pytest.raises(WorkflowError):
        concern_assign(concern=concern, unit=UnitFactory(), actor=official, role=workflow.OFFICIAL, action="assign")

    concern.refresh_from_db()
    assert concern.unit == unit


@pytest.mark.django_db
def test_nothing_merges_into_a_rejected_concern(concern, official):
    rejected = ConcernFactory(category=concern.category)
    concern_transition(concern=rejected, action="reject", actor=official, role=workflow.OFFICIAL, result="不受理")

    with pytest.raises(WorkflowError):
        concern_merge(concern=concern, into=rejected, actor=official, role=workflow.OFFICIAL)


def test_every_action_carries_a_form_that_performs_it_and_every_status_a_colour():
    from petitions.forms.work import ActionForm

    for action in workflow.ACTIONS.values():
        assert issubclass(action.form_class, ActionForm), action.name
    assert set(Concern.STATUS_COLOURS) == set(Concern.Status.values)


def test_a_note_explains_the_move_publicly_only_where_the_action_says_so(concern, official):
    concern_transition(concern=concern, action="accept", actor=official, role=workflow.OFFICIAL, note="转交前先核实")
    transition, comment = concern.events.order_by("pk")[1:]
    assert (transition.kind, transition.note, transition.is_public) == (ConcernEvent.Kind.TRANSITION, "", True)
    assert (comment.kind, comment.note, comment.is_public) == (ConcernEvent.Kind.COMMENT, "转交前先核实", False)
