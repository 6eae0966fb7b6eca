"""A chosen livelihood project carried out (issue 10): milestones and progress, supervision comments and the
unit's answers, the deputies' year-end rating — projects.progress (every refusal), its selectors and pages."""

import contextlib
import datetime
import io
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from deputies.models import Deputy
from liaison import roles
from liaison.models import Membership
from liaison.scoping import in_township
from projects import progress, services
from projects.models import (
    Candidate,
    LivelihoodProject,
    Milestone,
    ProjectPhoto,
    RatingPublication,
    SupervisionComment,
    YearEndRating,
)
from projects.progress_selectors import project_get_office, rating_summaries
from tests.factories import DeputyFactory, TownshipFactory, UnitFactory, UserFactory, the_township

TODAY = timezone.localdate()
pytestmark = pytest.mark.usefixtures("on_the_modules_day")
YEAR = TODAY.year


@contextlib.contextmanager
def refused(code: str):
    with pytest.raises(ValidationError) as caught:
        yield
    assert [e.code for e in caught.value.error_list] == [code]


def _jpeg(colour="#a33") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="p.jpg")


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", _jpeg().read(), content_type="image/jpeg")


def _announced_project(township=None, *, prefix="") -> LivelihoodProject:
    """A project chosen by an announced vote held this year, in `township` (the default one)."""
    township = township or the_township()
    candidates = [services.candidate_save(township=township, title=f"{prefix}项目{i}", status="screened")
                  for i in range(2)]
    session = services.session_create(title=f"{prefix}票决", held_on=datetime.date(YEAR, 1, 15), seats=1,
                                      candidates=candidates, township=township)
    for move in (services.session_open, services.session_close, services.session_announce):
        move(session=session)
    return LivelihoodProject.objects.get(session=session)


@pytest.fixture
def project(db, unit, deputy_user) -> LivelihoodProject:
    """Carried out by `unit` (the `handler` is its member), supervised by `deputy_user`'s deputy."""
    found = _announced_project()
    found.responsible_unit = unit
    found.save()
    found.supervisors.add(deputy_user.deputy)
    return found


def _plan(project, actor, progress_=10, **extra) -> Milestone:
    return progress.milestone_plan(project=project, actor=actor, title=extra.pop("title", f"第{progress_}%"),
                                   progress=progress_, **extra)


def _progress(project) -> int:
    return project_get_office(pk=project.pk).progress


def _other_handler():
    user = UserFactory(username="other-handler")
    user.groups.add(Group.objects.get(name=roles.HANDLER))
    UnitFactory().members.add(user)
    return user


def _staff_of_another_township():
    user = UserFactory(username="xiage-staff", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.STAFF))
    Membership.objects.create(user=user, township=TownshipFactory(name="下各镇", code="xiage"))
    return user


# --- milestones and progress ------------------------------------------------------------------------


def test_the_station_and_the_units_handlers_enter_milestones_in_order(project, staff, official, handler):
    first = _plan(project, staff, 10, planned_on=TODAY)
    second = _plan(project, official, 25)
    third = _plan(project, handler, 25, reached_on=TODAY, photos=[_jpeg()])

    assert [m.position for m in project.milestones.all()] == [1, 2, 3]
    assert (first.recorded_by, third.recorded_by, third.reached_on) == (staff, handler, TODAY)
    assert list(third.photos.values_list("project", flat=True)) == [project.pk]
    assert second.photos.count() == 0


@pytest.mark.parametrize("who", ["deputy", "other_handler", "other_township_staff"])
def test_only_the_station_and_the_responsible_units_handlers_enter_milestones(project, deputy_user, who, handler):
    actor = {"deputy": lambda: deputy_user, "other_handler": _other_handler,
             "other_township_staff": _staff_of_another_township}[who]()
    milestone = _plan(project, handler, 10)

    with refused("not_allowed"):
        _plan(project, actor, 20)
    with refused("not_allowed"):
        progress.milestone_reach(milestone=milestone, reached_on=TODAY, actor=actor)
    assert Milestone.objects.get().reached_on is None and Milestone.objects.count() == 1


def test_a_project_without_a_responsible_unit_has_no_handler(project, handler, staff):
    project.responsible_unit = None
    project.save()
    with refused("not_allowed"):
        _plan(project, handler, 10)
    assert _plan(project, staff, 10).position == 1


def test_progress_never_goes_backwards(project, staff):
    _plan(project, staff, 40)
    with refused("backwards"):
        _plan(project, staff, 30)
    assert _plan(project, staff, 40).position == 2  # as far as the one before: allowed
    assert list(Milestone.objects.values_list("progress", flat=True)) == [40, 40]


def test_progress_is_at_most_100_also_in_the_database(project, staff):
    with pytest.raises(ValidationError):
        _plan(project, staff, 101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(township=project.township, project=project, position=9, title="x", progress=101)


def test_a_milestone_is_reached_once_and_not_in_the_future(project, staff):
    tomorrow = TODAY + datetime.timedelta(days=1)
    with refused("future"):
        _plan(project, staff, 10, reached_on=tomorrow)
    milestone = _plan(project, staff, 10)
    with refused("future"):
        progress.milestone_reach(milestone=milestone, reached_on=tomorrow, actor=staff)

    progress.milestone_reach(milestone=milestone, reached_on=TODAY, note="完成设计", photos=[_jpeg()], actor=staff)

    with refused("reached"):
        progress.milestone_reach(milestone=milestone, reached_on=TODAY, actor=staff)
    milestone.refresh_from_db()
    assert (milestone.reached_on, milestone.note, milestone.photos.count()) == (TODAY, "完成设计", 1)


def test_progress_is_the_latest_reached_milestones_and_100_once_finished(project, staff):
    assert _progress(project) == 0
    first, second = _plan(project, staff, 30), _plan(project, staff, 60)
    _plan(project, staff, 90)
    progress.milestone_reach(milestone=first, reached_on=TODAY, actor=staff)
    assert _progress(project) == 30
    progress.milestone_reach(milestone=second, reached_on=TODAY, actor=staff)
    assert _progress(project) == 60

    project.actual_start, project.actual_end = TODAY, TODAY
    project.save()

    assert _progress(project) == 100


def test_a_photo_belongs_to_a_milestone_or_a_comment_in_the_database(project, staff, deputy_user):
    milestone = _plan(project, staff, 10)
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="看看")
    for of in ({}, {"milestone": milestone, "comment": comment}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectPhoto.objects.create(township=project.township, project=project, image="x.jpg", **of)


# --- supervision -----------------------------------------------------------------------------------


def test_a_supervising_deputy_comments_with_photos(project, deputy_user):
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="施工现场积水",
                                           photos=[_jpeg(), _jpeg("#3a3")])

    assert (comment.deputy, comment.is_answered, comment.photos.count()) == (deputy_user.deputy, False, 2)


def test_only_a_supervising_deputy_of_the_township_comments(project):
    with refused("not_supervisor"):
        progress.supervision_comment(project=project, deputy=DeputyFactory(), text="看看")
    other = DeputyFactory(township=TownshipFactory(name="下各镇", code="xiage"))
    project.supervisors.add(other)  # as a county account's form might have offered
    with refused("other_township"):
        progress.supervision_comment(project=project, deputy=other, text="看看")
    assert not SupervisionComment.objects.exists()


def test_the_units_handler_answers_once_for_the_unit(project, deputy_user, handler, unit):
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="施工现场积水")

    answered = progress.supervision_answer(comment=comment, answer="已抽水并加铺碎石。", actor=handler)

    assert (answered.answering_unit, answered.answered_by, answered.is_answered) == (unit, handler, True)
    with refused("answered"):
        progress.supervision_answer(comment=comment, answer="再答一次", actor=handler)
    assert SupervisionComment.objects.get().answer == "已抽水并加铺碎石。"


def test_the_station_answers_as_the_station(project, deputy_user, official):
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="进度慢")
    assert progress.supervision_answer(comment=comment, answer="已督促。", actor=official).answering_unit is None


@pytest.mark.parametrize("who", ["deputy", "other_handler", "other_township_staff"])
def test_nobody_else_answers(project, deputy_user, who):
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="进度慢")
    actor = {"deputy": lambda: deputy_user, "other_handler": _other_handler,
             "other_township_staff": _staff_of_another_township}[who]()
    with refused("not_allowed"):
        progress.supervision_answer(comment=comment, answer="我来答", actor=actor)
    assert not SupervisionComment.objects.get().is_answered


def test_the_database_keeps_an_answer_and_its_time_together(project, deputy_user):
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="进度慢")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionComment.objects.filter(pk=comment.pk).update(answer="无时间的答复")


# --- the year-end rating -----------------------------------------------------------------------------


def test_each_deputy_rates_once_a_year(project, deputy_user):
    deputy = deputy_user.deputy
    rating = progress.rating_cast(project=project, deputy=deputy, grade="satisfied", year=YEAR, entered_by=deputy_user)
    assert (rating.grade, rating.entered_by) == ("satisfied", deputy_user)

    with refused("rated"):
        progress.rating_cast(project=project, deputy=deputy, grade="unsatisfied", year=YEAR, entered_by=deputy_user)
    assert list(YearEndRating.objects.values_list("grade", flat=True)) == ["satisfied"]


def test_the_database_refuses_a_second_rating(project, deputy_user):
    """What decides when two arrive at once: the constraint, not a check before saving."""
    fields = {"township": project.township, "project": project, "deputy": deputy_user.deputy, "year": YEAR,
              "grade": "satisfied"}
    YearEndRating.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearEndRating.objects.create(**fields)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: the PostgreSQL tier")
def test_two_ratings_sent_at_once_make_one():
    project, deputy = _announced_project(), DeputyFactory()
    staff = UserFactory(username="paper-staff")
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    barrier, outcomes = threading.Barrier(2), []

    def rate(grade):
        try:
            with in_township(project.township):
                barrier.wait()
                progress.rating_cast(project=project, deputy=deputy, grade=grade, year=YEAR, entered_by=staff)
            outcomes.append("cast")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(grade,)) for grade in ("satisfied", "unsatisfied")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["cast", "rated"]
    assert YearEndRating.objects.filter(project=project).count() == 1


def test_the_station_enters_paper_ratings_and_nobody_else_rates_for_a_deputy(project, staff, handler, deputy_user):
    deputy = DeputyFactory()
    assert progress.rating_cast(project=project, deputy=deputy, grade="abstain", year=YEAR,
                                entered_by=staff).entered_by == staff
    for someone in (handler, deputy_user, None):
        with refused("not_allowed"):
            progress.rating_cast(project=project, deputy=DeputyFactory(), grade="satisfied", year=YEAR,
                                 entered_by=someone)
    assert YearEndRating.objects.count() == 1


@pytest.mark.parametrize("outsider", [{"level": Deputy.Level.COUNTY}, {"is_active": False}])
def test_only_the_townships_deputies_rate(project, staff, outsider):
    with refused("not_a_deputy"):
        progress.rating_cast(project=project, deputy=DeputyFactory(**outsider), grade="satisfied", year=YEAR,
                             entered_by=staff)
    assert not YearEndRating.objects.exists()


def test_a_deputy_of_another_township_does_not_rate(project, staff):
    other = DeputyFactory(township=TownshipFactory(name="下各镇", code="xiage"))
    with refused("other_township"):
        progress.rating_cast(project=project, deputy=other, grade="satisfied", year=YEAR, entered_by=staff)
    assert not YearEndRating.objects.exists()


@pytest.mark.parametrize("year", [YEAR - 1, YEAR + 1])
def test_a_project_is_rated_from_its_votes_year_to_this_one(project, staff, year):
    with refused("year"):
        progress.rating_cast(project=project, deputy=DeputyFactory(), grade="satisfied", year=year, entered_by=staff)


def test_published_ratings_are_final_and_published_once(project, staff, handler, deputy_user):
    with refused("no_ratings"):
        progress.ratings_publish(project=project, year=YEAR, actor=staff)
    progress.rating_cast(project=project, deputy=DeputyFactory(), grade="satisfied", year=YEAR, entered_by=staff)
    for someone in (handler, deputy_user, _staff_of_another_township()):
        with refused("not_allowed"):
            progress.ratings_publish(project=project, year=YEAR, actor=someone)

    progress.ratings_publish(project=project, year=YEAR, actor=staff)

    with refused("published"):
        progress.ratings_publish(project=project, year=YEAR, actor=staff)
    with refused("published"):
        progress.rating_cast(project=project, deputy=deputy_user.deputy, grade="satisfied", year=YEAR,
                             entered_by=deputy_user)
    assert (YearEndRating.objects.count(), RatingPublication.objects.count()) == (1, 1)


def test_the_summary_counts_each_grade_and_the_satisfaction_rate(project, staff):
    for grade in ["satisfied"] * 6 + ["basically"] * 2 + ["unsatisfied"] * 2 + ["abstain"] * 3:
        progress.rating_cast(project=project, deputy=DeputyFactory(), grade=grade, year=YEAR, entered_by=staff)

    assert rating_summaries(project, published_only=True) == []
    [summary] = rating_summaries(project, published_only=False)

    assert (summary.satisfied, summary.basically, summary.unsatisfied, summary.abstain) == (6, 2, 2, 3)
    assert (summary.total, summary.rate, summary.is_published) == (13, 80, False)  # 8 of the 10 who rated


# --- candidates from suggestions ---------------------------------------------------------------------


def _suggestion(deputy, concerns=(), submit=True):
    from petitions import suggestion_services, workflow

    suggestion = suggestion_services.suggestion_create(deputy=deputy, title="建议修路", content="修路",
                                                       concerns=list(concerns), actor=deputy.user)
    if submit:
        suggestion = suggestion_services.suggestion_transition(suggestion=suggestion, action="submit",
                                                               role=workflow.DEPUTY)
    return suggestion


def test_demand_counts_each_concern_once_and_the_suggestions(db, concern, deputy_user):
    from projects.selectors import candidate_list
    from tests.factories import ConcernFactory

    other, only_in_suggestion = ConcernFactory(), ConcernFactory()
    # One concern linked directly and through the suggestion: counted once.
    suggestion = _suggestion(deputy_user.deputy, concerns=[concern, only_in_suggestion])
    candidate = services.candidate_save(township=the_township(), title="修路", concerns=[concern, other],
                                        suggestions=[suggestion, _suggestion(deputy_user.deputy)])
    bare = services.candidate_save(township=the_township(), title="修桥")

    found = {c.pk: c for c in candidate_list()}

    assert (found[candidate.pk].n_concerns, found[candidate.pk].n_suggestions, found[candidate.pk].demand) == (3, 2, 5)
    assert (found[bare.pk].n_concerns, found[bare.pk].n_suggestions, found[bare.pk].demand) == (0, 0, 0)


@pytest.mark.parametrize("many", [False, True])
def test_demand_is_counted_in_one_query(db, deputy_user, django_assert_num_queries, many):
    from projects.selectors import candidate_list

    for i in range(4 if many else 1):
        services.candidate_save(township=the_township(), title=f"项目{i}",
                                suggestions=[_suggestion(deputy_user.deputy)])
    with django_assert_num_queries(1):
        assert all(c.demand == 1 for c in candidate_list())


def test_staff_add_a_candidate_with_the_suggestions_behind_it(client, staff, deputy_user):
    first, second, draft = _suggestion(deputy_user.deputy), _suggestion(deputy_user.deputy), \
        _suggestion(deputy_user.deputy, submit=False)
    client.force_login(staff)
    url = reverse("projects_staff:candidate_new")
    form = {"title": "修路", "source": "suggestion", "status": "screened",
            "suggestion_numbers": f"#{first.pk}，{second.pk}"}

    assert client.post(url, form).status_code == 302
    assert set(Candidate.objects.get().suggestions.all()) == {first, second}
    page = client.get(reverse("projects_staff:candidates")).content.decode()
    assert "2 条相关建议" in page
    for typed in (f"{draft.pk}", "99999", "abc"):
        again = client.post(url, {**form, "title": f"修桥{typed}", "suggestion_numbers": typed})
        assert again.status_code == 200 and f"没有这条建议：{typed}" in again.content.decode()
    assert Candidate.objects.count() == 1


# --- the pages --------------------------------------------------------------------------------------


def _carried_out(project, staff, deputy_user, handler, *, size: int = 1, mobile="13912345678"):
    """A project with `size` reached milestones (a photo each), `size` comments (answered but the last, a photo
    each) and `size` ratings, published."""
    for i in range(size):
        _plan(project, staff, 10 * (i + 1), title=f"节点{i}", reached_on=TODAY, photos=[_jpeg()],
              note=f"进展{i}")
        comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, photos=[_jpeg()],
                                               text=f"意见{i}：村民{mobile}反映积水")
        if i < size - 1:
            progress.supervision_answer(comment=comment, answer=f"答复{i}", actor=handler)
    _plan(project, staff, 100, title="验收")
    for _ in range(size):
        progress.rating_cast(project=project, deputy=DeputyFactory(), grade="satisfied", year=YEAR, entered_by=staff)
    progress.ratings_publish(project=project, year=YEAR, actor=staff)


def test_the_public_page_shows_progress_milestones_photos_supervision_and_the_rating(client, project, staff,
                                                                                    deputy_user, handler):
    _carried_out(project, staff, deputy_user, handler, size=2)

    page = client.get(f"/projects/{project.pk}/")

    body = page.content.decode()
    assert page.status_code == 200
    assert '<progress class="project-progress-bar" max="100" value="20"' in body
    assert "节点1" in body and "验收" in body and "尚未达成" in body
    assert body.count('class="img-fluid rounded project-photo"') == 4  # 2 milestones' and 2 comments'
    assert deputy_user.deputy.name in body and "答复0" in body and "尚未答复" in body
    assert "满意率" in body and "100%" in body
    assert "13912345678" not in body and "139****5678" in body  # a mobile typed into a comment is masked
    assert " style=" not in body


def test_the_public_page_shows_no_rating_until_published(client, project, staff):
    progress.rating_cast(project=project, deputy=DeputyFactory(), grade="unsatisfied", year=YEAR, entered_by=staff)
    body = client.get(project.get_absolute_url()).content.decode()
    assert "代表年终测评尚未公布" in body and "满意率" not in body and "不满意" not in body


def test_the_public_list_shows_each_projects_progress_bar_and_cover(client, project, staff, deputy_user, handler):
    _carried_out(project, staff, deputy_user, handler, size=1)
    cover = ProjectPhoto.objects.filter(milestone__isnull=False).get()

    body = client.get("/projects/").content.decode()

    assert 'value="10"' in body and f'src="/projects/photos/{cover.key}.jpg"' in body
    assert f'href="/projects/{project.pk}/"' in body and " style=" not in body
    photo = client.get(cover.get_absolute_url())
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_an_unknown_project_or_photo_is_not_found(client, db):
    assert client.get("/projects/99999/").status_code == 404
    assert client.get("/projects/photos/6f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b.jpg").status_code == 404


def test_a_supervising_deputy_comments_from_the_phone(client, project, deputy_user):
    client.force_login(deputy_user)
    url = reverse("projects_staff:project", args=[project.pk])
    assert "您作为监督代表的意见" in client.get(url).content.decode()

    sent = client.post(reverse("projects_staff:comment", args=[project.pk]),
                       {"comment-text": "路面有裂缝", "comment-photos": [_upload()]}, follow=True)

    assert "尚未答复" in sent.content.decode()
    comment = SupervisionComment.objects.get()
    assert (comment.text, comment.photos.count()) == ("路面有裂缝", 1)


def test_a_deputy_who_does_not_supervise_may_not_comment(client, project, deputy_user):
    project.supervisors.clear()
    client.force_login(deputy_user)
    response = client.post(reverse("projects_staff:comment", args=[project.pk]), {"comment-text": "看看"})
    assert response.status_code == 403
    assert not SupervisionComment.objects.exists()


def test_the_units_handler_adds_a_milestone_and_answers(client, project, deputy_user, handler):
    comment = progress.supervision_comment(project=project, deputy=deputy_user.deputy, text="路面有裂缝")
    client.force_login(handler)
    assert project.candidate.title in client.get(reverse("projects_staff:progress")).content.decode()

    client.post(reverse("projects_staff:milestone_new", args=[project.pk]),
                {"milestone-title": "开工", "milestone-progress": "20", "milestone-reached_on": TODAY.isoformat(),
                 "milestone-photos": [_upload()]})
    client.post(reverse("projects_staff:answer", args=[comment.pk]), {f"answer-{comment.pk}-answer": "已修补"})

    assert (_progress(project), Milestone.objects.get().photos.count()) == (20, 1)
    assert SupervisionComment.objects.get().answer == "已修补"


def test_a_refused_milestone_is_shown_again_as_typed(client, project, staff):
    _plan(project, staff, 50)
    client.force_login(staff)

    again = client.post(reverse("projects_staff:milestone_new", args=[project.pk]),
                        {"milestone-title": "回退的节点", "milestone-progress": "20"})

    body = again.content.decode()
    assert again.status_code == 200 and "回退的节点" in body and "进度不会倒退" in body
    assert Milestone.objects.count() == 1


def test_a_handler_of_another_unit_sees_nothing_of_the_project(client, project):
    client.force_login(_other_handler())
    assert client.get(reverse("projects_staff:project", args=[project.pk])).status_code == 404
    assert project.candidate.title not in client.get(reverse("projects_staff:progress")).content.decode()


def test_a_deputy_rates_from_the_phone_and_the_station_publishes(client, project, deputy_user, staff):
    client.force_login(deputy_user)
    client.post(reverse("projects_staff:rate", args=[project.pk]), {"rating-year": YEAR, "rating-grade": "basically"})
    page = client.get(reverse("projects_staff:project", args=[project.pk])).content.decode()
    assert f"您对{YEAR}年的测评：基本满意" in page and 'name="rating-grade"' not in page

    client.force_login(staff)
    client.post(reverse("projects_staff:ratings_publish", args=[project.pk]), {"year": YEAR})

    assert RatingPublication.objects.filter(project=project, year=YEAR).exists()
    assert "基本满意" in client.get(project.get_absolute_url()).content.decode()


def test_the_station_enters_a_paper_rating(client, project, staff):
    deputy = DeputyFactory()
    client.force_login(staff)
    client.post(reverse("projects_staff:rate", args=[project.pk]),
                {"rating-deputy": deputy.pk, "rating-year": YEAR, "rating-grade": "satisfied"})
    again = client.post(reverse("projects_staff:rate", args=[project.pk]),
                        {"rating-deputy": deputy.pk, "rating-year": YEAR, "rating-grade": "unsatisfied"})
    assert "已对本项目作出" in again.content.decode()
    assert list(YearEndRating.objects.values_list("deputy", "entered_by", "grade")) == [
        (deputy.pk, staff.pk, "satisfied")]


def test_a_milestone_reached_meanwhile_says_so(client, project, staff):
    milestone = _plan(project, staff, 10, reached_on=TODAY)
    client.force_login(staff)

    again = client.post(reverse("projects_staff:milestone_reach", args=[milestone.pk]),
                        {f"reach-{milestone.pk}-reached_on": TODAY.isoformat()}, follow=True)

    assert again.status_code == 200 and "该节点已经达成" in again.content.decode()


@pytest.mark.parametrize("many", [False, True])
def test_query_counts_do_not_grow(client, project, staff, deputy_user, handler, django_assert_num_queries, many):
    size = 4 if many else 1
    _carried_out(project, staff, deputy_user, handler, size=size)
    for i in range(size):  # more projects on the list
        _announced_project(prefix=f"第{i}批")
    pages = [("public_list", None, "/projects/"), ("public_detail", None, project.get_absolute_url()),
             ("staff_project", staff, reverse("projects_staff:project", args=[project.pk])),
             ("deputy_project", deputy_user, reverse("projects_staff:project", args=[project.pk])),
             ("handler_project", handler, reverse("projects_staff:project", args=[project.pk])),
             ("progress_list", deputy_user, reverse("projects_staff:progress"))]
    for key, user, url in pages:
        client.logout()
        if user:
            client.force_login(user)
        client.get(url)
        with django_assert_num_queries(QUERIES[key]):
            assert client.get(url).status_code == 200, key


QUERIES = {"public_list": 3, "public_detail": 7, "staff_project": 18, "deputy_project": 18, "handler_project": 16,
           "progress_list": 10}

