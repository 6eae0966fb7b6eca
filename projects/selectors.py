"""Reads for the vote's pages: a fixed number of queries whatever the number of rows."""

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from liaison.scoping import county_wide
from petitions.models import Concern, Suggestion
from projects.models import Candidate, LivelihoodProject, VoteSession
from projects.progress_selectors import with_cover, with_progress


class _CountDistinct(Func):
    # A plain function to Django, not an aggregate: the subquery below gets no GROUP BY and counts all its rows.
    function, template, output_field = "COUNT", "COUNT(DISTINCT %(expressions)s)", IntegerField()


def with_demand(candidates: QuerySet) -> QuerySet:
    """Candidates with `demand` (counted, never typed): the suggestions behind each plus its concerns — those
    linked to it and those its suggestions grew from, each concern once (`n_concerns`, `n_suggestions`)."""
    concerns = (Concern.objects.filter(Q(project_candidates=OuterRef("pk"))
                                       | Q(suggestions__project_candidates=OuterRef("pk")))
                .order_by().annotate(n=_CountDistinct("pk")).values("n"))
    suggestions = (Suggestion.objects.filter(project_candidates=OuterRef("pk"))
                   .order_by().annotate(n=_CountDistinct("pk")).values("n"))
    return candidates.annotate(n_concerns=Subquery(concerns), n_suggestions=Subquery(suggestions)).annotate(
        demand=F("n_concerns") + F("n_suggestions"))


def candidate_list() -> QuerySet:
    return with_demand(Candidate.objects.all()).order_by("status", "-demand", "pk")


def session_list() -> QuerySet:
    return VoteSession.objects.annotate(n_candidates=Count("candidates", distinct=True),
                                        n_ballots=Count("ballots", distinct=True))


def session_get_public(*, code: str) -> VoteSession | None:
    """An announced session by its code, across the county (the view enters its township)."""
    with county_wide():
        return (VoteSession.objects.filter(code=code, status=VoteSession.Status.ANNOUNCED)
                .select_related("township").first())


def session_by_code(*, code: str) -> VoteSession | None:
    """Any session of the current scope by its code (the ballot page and the back office)."""
    return VoteSession.objects.filter(code=code).select_related("township").first()


def session_candidates(session: VoteSession) -> list[Candidate]:
    return list(session.candidates.order_by("pk"))


def project_list_public() -> QuerySet:
    """The projects of announced votes, with their progress and a cover photo."""
    return (with_cover(with_progress(LivelihoodProject.objects.filter(session__status=VoteSession.Status.ANNOUNCED)))
            .select_related("candidate", "session", "responsible_unit")
            .prefetch_related(Prefetch("supervisors")).order_by("-session__held_on", "-votes", "pk"))
