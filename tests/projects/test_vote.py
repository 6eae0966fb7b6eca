"""The deputies' vote on livelihood projects (issue 10, item 2): projects.services and its pages."""

import contextlib
import datetime
import re
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from deputies.models import Deputy
from liaison.scoping import in_township
from projects import services
from projects.models import Ballot, BallotMark, BallotPaper, Candidate, LivelihoodProject, VoteSession
from tests.factories import ConcernFactory, DeputyFactory, UnitFactory, the_township


@contextlib.contextmanager
def refused(code: str):
    with pytest.raises(ValidationError) as caught:
        yield
    assert [e.code for e in caught.value.error_list] == [code]


def _candidates(n: int, prefix="") -> list[Candidate]:
    return [services.candidate_save(township=the_township(), title=f"{prefix}候选项目{i}",
                                    status=Candidate.Status.SCREENED) for i in range(n)]


def _session(seats=2, n=3, open_=True, prefix="") -> VoteSession:
    session = services.session_create(title="2026年民生实事票决", held_on=datetime.date(2026, 3, 1), seats=seats,
                                      candidates=_candidates(n, prefix), township=the_township())
    return services.session_open(session=session) if open_ else session


def _cand(session, i):
    return session.candidates.get(title=f"候选项目{i}")


def test_demand_is_counted_from_the_concerns(db):
    concerns = [ConcernFactory() for _ in range(3)]
    candidate = services.candidate_save(township=the_township(), title="修路", concerns=concerns)
    from projects.selectors import candidate_list

    assert candidate_list().get(pk=candidate.pk).demand == 3


@pytest.mark.parametrize(("seats", "n", "ok"), [(2, 3, True), (2, 2, False), (3, 2, False), (1, 2, True)])
def test_more_candidates_than_seats(db, seats, n, ok):
    if ok:
        assert _session(seats=seats, n=n, open_=False).candidates.count() == n
    else:
        with refused("not_competitive"):
            _session(seats=seats, n=n, open_=False)
        assert not VoteSession.objects.exists()


def test_opening_checks_the_candidates_again(db):
    session = _session(seats=2, n=3, open_=False)
    session.candidates.remove(_cand(session, 0))
    with refused("not_competitive"):
        services.session_open(session=session)
    assert VoteSession.objects.get().status == "draft"


def test_seats_must_be_positive_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteSession.objects.create(township=the_township(), title="x", held_on=datetime.date(2026, 1, 1), seats=0,
                                   code="zzzzzzz")


def test_one_ballot_per_deputy(db):
    session, deputy = _session(), DeputyFactory()
    services.ballot_cast(session=session, deputy=deputy, choices=[_cand(session, 0)])
    with refused("voted"):
        services.paper_voters_sign(session=session, deputies=[deputy], entered_by=None)
    with refused("voted"):
        services.ballot_cast(session=session, deputy=deputy, choices=[_cand(session, 1)])
    assert Ballot.objects.get().deputy == deputy
    assert list(BallotPaper.objects.values_list("choices", flat=True)) == [_cand(session, 0).pk]


def test_the_database_refuses_a_second_ballot(db):
    """What decides when two arrive at once: the constraint, not a check before saving."""
    session, deputy = _session(), DeputyFactory()
    Ballot.objects.create(township=the_township(), session=session, deputy=deputy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(township=the_township(), session=session, deputy=deputy)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: the PostgreSQL tier")
def test_two_ballots_sent_at_once_make_one():
    session, deputy = _session(), DeputyFactory()
    barrier, outcomes = threading.Barrier(2), []

    def cast(i):
        try:
            with in_township(session.township):
                barrier.wait()
                services.ballot_cast(session=session, deputy=deputy, choices=[_cand(session, i)])
            outcomes.append("cast")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["cast", "refused"]
    assert Ballot.objects.filter(session=session).count() == 1


def test_ballot_rules(db):
    session, deputy = _session(seats=2, n=3), DeputyFactory()
    with refused("too_many"):
        services.ballot_cast(session=session, deputy=deputy, choices=list(session.candidates.all()))
    other = services.candidate_save(township=the_township(), title="不在选票上")
    with refused("not_on_ballot"):
        services.ballot_cast(session=session, deputy=deputy, choices=[other])
    for outsider in (DeputyFactory(is_active=False), DeputyFactory(level=Deputy.Level.COUNTY)):
        with refused("not_a_deputy"):
            services.ballot_cast(session=session, deputy=outsider, choices=[])
    assert not Ballot.objects.exists()


def test_tally_and_announcement(db):
    session = _session(seats=2, n=4)
    votes = {0: [1, 2], 1: [1, 3], 2: [1], 3: [2, 3], 4: [0]}  # deputy → candidates: 1→3, 2→2, 3→2, 0→1
    for who, picks in votes.items():
        services.ballot_cast(session=session, deputy=DeputyFactory(),
                             choices=[_cand(session, i) for i in picks])
    counted = {c.title: c.votes for c in services.tally(session)}
    assert counted == {"候选项目0": 1, "候选项目1": 3, "候选项目2": 2, "候选项目3": 2}
    services.session_close(session=session)
    services.session_announce(session=session)
    # The tie between 2 and 3 for the last place: the one earlier in the reserve (2) takes it.
    projects = LivelihoodProject.objects.order_by("-votes")
    assert [(p.candidate.title, p.votes) for p in projects] == [("候选项目1", 3), ("候选项目2", 2)]
    statuses = dict(Candidate.objects.values_list("title", "status"))
    assert statuses == {"候选项目0": "not_chosen", "候选项目1": "chosen", "候选项目2": "chosen", "候选项目3": "not_chosen"}


def test_result_is_immutable_once_announced(db):
    session, deputy = _session(), DeputyFactory()
    services.session_close(session=session)
    services.session_announce(session=session)
    for attempt in (
        lambda: services.ballot_cast(session=session, deputy=deputy, choices=[]),
        lambda: services.paper_voters_sign(session=session, deputies=[deputy], entered_by=None),
        lambda: services.paper_enter(session=session, choices=[]),
        lambda: services.session_open(session=session),
        lambda: services.session_close(session=session),
        lambda: services.session_announce(session=session),
        lambda: services.candidate_save(candidate=_cand(session, 0), title="改名"),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert LivelihoodProject.objects.count() == 2 and not Ballot.objects.exists()


def test_a_candidate_decided_by_one_vote_is_not_put_to_another(db):
    candidates = _candidates(3)
    first = services.session_create(title="第一次票决", held_on=datetime.date(2026, 3, 1), seats=2,
                                    candidates=candidates, township=the_township())
    second = services.session_create(title="第二次票决", held_on=datetime.date(2026, 4, 1), seats=1,
                                     candidates=[candidates[0], *_candidates(1, prefix="新")], township=the_township())
    services.session_open(session=first)
    services.session_close(session=first)
    services.session_announce(session=first)

    with refused("candidate_taken"):
        services.session_open(session=second)

    candidates[0].refresh_from_db()
    assert candidates[0].status == Candidate.Status.CHOSEN and LivelihoodProject.objects.count() == 2


@pytest.mark.parametrize(("status", "phone", "paper"), [
    ("draft", False, False), ("open", True, True), ("closed", False, True)])
def test_who_may_vote_when(db, status, phone, paper):
    session = _session(open_=False)
    if status != "draft":
        services.session_open(session=session)
    if status == "closed":
        services.session_close(session=session)
    moves = {False: lambda deputy: services.ballot_cast(session=session, deputy=deputy, choices=[]),
             True: lambda deputy: services.paper_voters_sign(session=session, deputies=[deputy], entered_by=None)}
    for is_paper, allowed in ((False, phone), (True, paper)):
        deputy = DeputyFactory()
        if allowed:
            moves[is_paper](deputy)
        else:
            with refused("not_open"):
                moves[is_paper](deputy)


# --- the pages ------------------------------------------------------------------------------------


def test_deputy_votes_from_the_qr_page(client, deputy_user):
    session = _session()
    client.force_login(deputy_user)
    url = reverse("projects_ballot:ballot", args=[session.code])
    page = client.get(url)
    assert page.status_code == 200 and "候选项目0" in page.content.decode()
    choice = _cand(session, 0).pk
    assert client.post(url, {"choices": [choice]}).status_code == 302
    second = client.post(url, {"choices": [_cand(session, 1).pk]}, follow=True)
    assert "已在本次票决中投票" in second.content.decode()
    assert list(Ballot.objects.values_list("is_paper", "entered_by")) == [(False, deputy_user.pk)]
    assert list(BallotPaper.objects.values_list("choices", flat=True)) == [choice]
    assert "您已在本次票决中投票" in client.get(url).content.decode()


def test_staff_sign_in_paper_voters_then_enter_their_papers_without_names(client, staff):
    session, deputies = _session(), [DeputyFactory(), DeputyFactory()]
    client.force_login(staff)
    sign = reverse("projects_staff:paper_voters", args=[session.code])
    enter = reverse("projects_staff:paper_ballot", args=[session.code])
    early = client.post(enter, {"paper-choices": [_cand(session, 2).pk]}, follow=True)
    assert "先登记" in early.content.decode() and not BallotPaper.objects.exists()
    page = client.post(sign, {"deputies": [d.pk for d in deputies]}, follow=True).content.decode()
    assert "2 名代表已登记为纸质投票" in page and "还有 2 张纸质选票待录入" in page
    assert client.post(enter, {"paper-choices": [_cand(session, 2).pk]}, follow=True).status_code == 200
    with refused("papers_outstanding"):
        services.session_close(session=session)
        services.session_announce(session=session)
    empty = client.post(enter, {"paper-choices": []}, follow=True)  # sent empty by mistake: not a blank ballot
    assert "或注明是空白票" in empty.content.decode() and BallotPaper.objects.count() == 1
    client.post(enter, {"paper-choices": [], "paper-blank": "on"})  # a blank (spoilt) paper still counts as entered
    third = client.post(enter, {"paper-choices": [_cand(session, 0).pk]}, follow=True)
    assert "先登记" in third.content.decode()
    assert sorted(Ballot.objects.values_list("deputy", "is_paper", "entered_by")) == sorted(
        (d.pk, True, staff.pk) for d in deputies)
    assert BallotPaper.objects.count() == 2 and {c.title: c.votes for c in services.tally(session)}["候选项目2"] == 1
    # A deputy already signed in is no longer offered: the form refuses them, and nothing changes.
    again = client.post(sign, {"deputies": [deputies[0].pk]}, follow=True)
    assert again.status_code == 200 and Ballot.objects.count() == 2


def test_a_paper_sent_twice_is_entered_once(client, staff):
    session = _session()
    services.paper_voters_sign(session=session, deputies=[DeputyFactory(), DeputyFactory()], entered_by=staff)
    client.force_login(staff)
    page = client.get(reverse("projects_staff:session", args=[session.code])).content.decode()
    token = re.search(r'name="paper-token" value="([^"]+)"', page).group(1)
    form = {"paper-choices": [_cand(session, 0).pk], "paper-token": token}
    enter = reverse("projects_staff:paper_ballot", args=[session.code])
    client.post(enter, form)
    again = client.post(enter, form, follow=True)  # a double tap, or the browser resending the POST
    assert "提交了两次" in again.content.decode()
    assert BallotPaper.objects.count() == 1 and services.papers_outstanding(session) == 1


def test_nothing_stored_links_a_ballot_paper_to_its_deputy(db):
    """无记名投票: the register says who voted, the papers what was chosen; no field, key or time joins them."""
    session = _session(seats=2, n=3)
    for i in range(3):
        services.ballot_cast(session=session, deputy=DeputyFactory(), choices=[_cand(session, i)])
    paper_fields = {f.name for f in BallotPaper._meta.get_fields()}
    assert not paper_fields & {"deputy", "ballot", "created_at", "updated_at", "entered_by"}
    assert {f.name for f in BallotMark._meta.concrete_fields} == {"id", "township", "paper", "candidate"}
    assert all(isinstance(pk, uuid.UUID) for pk in BallotPaper.objects.values_list("pk", flat=True))
    assert all(isinstance(pk, uuid.UUID) for pk in BallotMark.objects.values_list("pk", flat=True))
    assert not [f for f in Ballot._meta.get_fields() if f.related_model in (BallotPaper, BallotMark, Candidate)]


def test_staff_run_the_session(client, staff):
    session = _session(open_=False)
    client.force_login(staff)
    for action, status in (("open", "open"), ("close", "closed"), ("announce", "announced")):
        client.post(reverse("projects_staff:move", args=[session.code, action]))
        session.refresh_from_db()
        assert session.status == status
    assert client.get(reverse("projects:result", args=[session.code])).status_code == 200


def test_staff_add_a_candidate_with_the_concerns_behind_it(client, staff):
    concerns = [ConcernFactory() for _ in range(2)]
    client.force_login(staff)
    url = reverse("projects_staff:candidate_new")
    form = {"title": "修路", "source": "concerns", "status": "screened", "screening_notes": "可行",
            "concern_codes": f"{concerns[0].tracking.upper()}， {concerns[1].tracking}"}
    assert client.post(url, form).status_code == 302
    page = client.get(reverse("projects_staff:candidates")).content.decode()
    assert "修路" in page and "2 条相关诉求" in page
    refused = client.post(url, {**form, "title": "修桥", "concern_codes": "NOSUCH1"})
    assert refused.status_code == 200 and "nosuch1" in refused.content.decode()
    assert list(Candidate.objects.values_list("title", flat=True)) == ["修路"]


def test_result_is_public_only_once_announced(client, db):
    session = _session()
    assert client.get(reverse("projects:result", args=[session.code])).status_code == 404


def _votes(session, deputies: int):
    for _ in range(deputies):
        services.ballot_cast(session=session, deputy=DeputyFactory(),
                             choices=[_cand(session, 0), _cand(session, 1)])


@pytest.mark.parametrize("many", [False, True])
def test_query_counts_do_not_grow(client, staff, django_assert_num_queries, many):
    session = _session(seats=2, n=6 if many else 3)
    _votes(session, 8 if many else 1)
    client.force_login(staff)
    tally_url = reverse("projects_staff:session", args=[session.code])
    client.get(tally_url)
    with django_assert_num_queries(QUERIES["tally"]):
        assert client.get(tally_url).status_code == 200
    services.session_close(session=session)
    services.session_announce(session=session)
    client.logout()
    for key, url in (("result", reverse("projects:result", args=[session.code])), ("list", reverse("projects:list"))):
        client.get(url)
        with django_assert_num_queries(QUERIES[key]):
            assert client.get(url).status_code == 200


QUERIES = {"tally": 13, "result": 2, "list": 3, "staff_list": 9}


def test_staff_set_a_chosen_projects_unit_supervisors_budget_and_dates(client, staff):
    session = _session(seats=1, n=2)
    services.session_close(session=session)
    services.session_announce(session=session)
    project, unit, deputy = LivelihoodProject.objects.get(), UnitFactory(), DeputyFactory()
    client.force_login(staff)
    url = reverse("projects_staff:project", args=[project.pk])
    assert client.get(url).status_code == 200
    form = {"responsible_unit": unit.pk, "supervisors": [deputy.pk], "budget": "120.50",
            "planned_start": "2026-04-01", "planned_end": "2026-12-31"}
    assert client.post(url, {**form, "planned_end": "2026-03-01"}).status_code == 200  # ends before it starts
    assert client.post(url, form).status_code == 302
    project.refresh_from_db()
    assert (project.responsible_unit, list(project.supervisors.all()), str(project.budget)) == (unit, [deputy], "120.50")
    assert project.candidate.title in client.get("/projects/").content.decode()


@pytest.mark.parametrize("many", [False, True])
def test_staff_lists_query_counts_do_not_grow(client, staff, django_assert_num_queries, many):
    for i in range(3 if many else 1):
        session = _session(seats=1, n=2, prefix=f"第{i}批")
        session.candidates.first().concerns.add(ConcernFactory())
    client.force_login(staff)
    for url in ("/staff/projects/", "/staff/projects/candidates/"):
        client.get(url)
        with django_assert_num_queries(QUERIES["staff_list"]):
            assert client.get(url).status_code == 200
