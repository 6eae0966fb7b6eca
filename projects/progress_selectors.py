"""Reads for the projects' pages, public and back office: a fixed number of queries whatever the number of
projects, milestones, photos, comments or ratings."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from liaison import roles
from liaison.privacy import mask_mobiles_in
from liaison.scoping import county_wide
from projects.models import (
    LivelihoodProject,
    Milestone,
    ProjectPhoto,
    RatingPublication,
    SupervisionComment,
    VoteSession,
    YearEndRating,
)

G = YearEndRating.Grade


def with_progress(projects: QuerySet) -> QuerySet:
    """Projects with `progress` (0–100): the highest progress of their reached milestones — milestones never go
    backwards, so it is the latest reached one's — and 100 once the project has actually ended."""
    reached = (Milestone.objects.filter(project=OuterRef("pk"), reached_on__isnull=False)
               .order_by("-progress").values("progress")[:1])
    return projects.annotate(progress=Case(
        When(actual_end__isnull=False, then=Value(100)),
        default=Coalesce(Subquery(reached), Value(0)), output_field=IntegerField()))


def with_cover(projects: QuerySet) -> QuerySet:
    """Projects with `cover`: the key of the first photo of their latest reached milestone that has photos."""
    photos = (ProjectPhoto.objects.filter(project=OuterRef("pk"), milestone__reached_on__isnull=False)
              .order_by("-milestone__position", "created_at", "pk").values("key")[:1])
    return projects.annotate(cover=Subquery(photos))


def _announced(projects: QuerySet) -> QuerySet:
    return projects.filter(session__status=VoteSession.Status.ANNOUNCED)


def project_get_public(*, pk: int) -> LivelihoodProject | None:
    """A project of an announced vote by its number, across the county (the view enters its township)."""
    with county_wide():
        return (with_progress(_announced(LivelihoodProject.objects.filter(pk=pk)))
                .select_related("township", "candidate", "session", "responsible_unit").first())


def project_get_office(*, pk: int) -> LivelihoodProject | None:
    """A project of the current scope (the back office's township, or a county account's townships)."""
    return (with_progress(LivelihoodProject.objects.filter(pk=pk))
            .select_related("township", "candidate", "session", "responsible_unit").first())


def project_list_for(user, deputy=None) -> QuerySet:
    """The projects a back-office user works on, with progress and `unanswered` (comments waiting for an
    answer): the station every project; a handler their units' projects; a deputy every project of the
    township (the deputies rate them all), those they supervise marked `is_supervised` and first."""
    held = roles.user_roles(user)
    projects = _announced(LivelihoodProject.objects.all())
    if not held & {roles.STAFF, roles.OFFICIAL}:
        visible = Q(pk__in=[])
        if roles.HANDLER in held:
            visible |= Q(responsible_unit__members=user)
        if deputy is not None:
            visible |= Q(township_id=deputy.township_id)
        projects = projects.filter(visible).distinct()
    supervised = LivelihoodProject.supervisors.through.objects.filter(
        livelihoodproject_id=OuterRef("pk"), deputy_id=deputy.pk if deputy else None)
    unanswered = (SupervisionComment.objects.filter(project=OuterRef("pk"), answered_at__isnull=True)
                  .order_by().values("project").annotate(n=Count("pk")).values("n"))
    return (with_progress(projects).select_related("candidate", "responsible_unit")
            .annotate(is_supervised=Exists(supervised), unanswered=Coalesce(Subquery(unanswered), Value(0)))
            .order_by("-is_supervised", "-session__held_on", "-votes", "pk"))


# --- one project's page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSummary:
    year: int
    satisfied: int
    basically: int
    unsatisfied: int
    abstain: int
    is_published: bool

    @property
    def total(self) -> int:
        return self.satisfied + self.basically + self.unsatisfied + self.abstain

    @property
    def rate(self) -> int | None:
        """The satisfaction rate in %: satisfied and basically satisfied among those who rated (abstentions
        are not counted); None when nobody rated."""
        rated = self.satisfied + self.basically + self.unsatisfied
        return round(100 * (self.satisfied + self.basically) / rated) if rated else None


def rating_summaries(project: LivelihoodProject, *, published_only: bool) -> list[RatingSummary]:
    """The counts per grade of each year the project was rated, newest first. Two queries."""
    published = set(RatingPublication.objects.filter(project=project).values_list("year", flat=True))
    rows = (YearEndRating.objects.filter(project=project).order_by().values("year")
            .annotate(**{grade: Count("pk", filter=Q(grade=grade)) for grade in G.values}).order_by("-year"))
    return [RatingSummary(year=row["year"], satisfied=row[G.SATISFIED], basically=row[G.BASICALLY],
                          unsatisfied=row[G.UNSATISFIED], abstain=row[G.ABSTAIN], is_published=row["year"] in published)
            for row in rows if not published_only or row["year"] in published]


@dataclass
class ProjectPage:
    project: LivelihoodProject
    supervisors: list
    milestones: list  # each with `photo_list`
    comments: list  # each with `photo_list`
    ratings: list[RatingSummary]

    @property
    def unanswered(self) -> int:
        return sum(1 for c in self.comments if not c.is_answered)


def project_page(project: LivelihoodProject, *, public: bool) -> ProjectPage:
    """What a project's page shows: five queries whatever it holds. `public`: only the published ratings, and
    any mobile number someone typed into a comment, an answer or a note is masked (no constituent's data)."""
    supervisors = list(project.supervisors.all())
    milestones = list(project.milestones.all())
    comments = list(project.comments.select_related("deputy", "answering_unit"))
    photos = list(project.photos.all())
    for row in (*milestones, *comments):
        row.photo_list = []
    by_milestone, by_comment = {m.pk: m for m in milestones}, {c.pk: c for c in comments}
    for photo in photos:
        owner = by_milestone.get(photo.milestone_id) or by_comment.get(photo.comment_id)
        owner.photo_list.append(photo)
    if public:
        for milestone in milestones:
            milestone.note = mask_mobiles_in(milestone.note)
        for comment in comments:
            comment.text, comment.answer = mask_mobiles_in(comment.text), mask_mobiles_in(comment.answer)
    return ProjectPage(project=project, supervisors=supervisors, milestones=milestones, comments=comments,
                       ratings=rating_summaries(project, published_only=public))
