"""Reads for the vote's pages: a fixed number of queries whatever the number of rows."""

from django.db.models import Count, Prefetch, QuerySet

from liaison.scoping import county_wide
from projects.models import Candidate, LivelihoodProject, VoteSession


def with_demand(candidates: QuerySet) -> QuerySet:
    """Candidates with `demand`: how many concerns back each (counted, never typed)."""
    return candidates.annotate(demand=Count("concerns", distinct=True))


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
    return (LivelihoodProject.objects.filter(session__status=VoteSession.Status.ANNOUNCED)
            .select_related("candidate", "session", "responsible_unit")
            .prefetch_related(Prefetch("supervisors")).order_by("-session__held_on", "-votes", "pk"))
