"""The vote on livelihood projects (docs/projects.md): keyword-only services that check, save and return.

A session moves draft → open → closed → announced, never back. Once announced nothing of it changes:
every service here refuses (ValidationError) to touch an announced session or its ballots.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.codes import issue_public_code
from deputies.models import Deputy
from liaison.scoping import check_same_township
from projects.models import Ballot, BallotMark, BallotPaper, Candidate, LivelihoodProject, VoteSession

# What each status may become, and by which service.
MOVES = {
    VoteSession.Status.DRAFT: VoteSession.Status.OPEN,
    VoteSession.Status.OPEN: VoteSession.Status.CLOSED,
    VoteSession.Status.CLOSED: VoteSession.Status.ANNOUNCED,
}


def candidate_save(*, candidate: Candidate | None = None, township=None, title: str, description: str = "",
                   source: str = Candidate.Source.CONCERNS, source_department: str = "", concerns=(),
                   suggestions=(), screening_notes: str = "", status: str = Candidate.Status.RESERVE) -> Candidate:
    """Add a candidate to the reserve, or correct one that no announced vote has decided. `concerns` and
    `suggestions` are those behind it (its demand is counted from them)."""
    if candidate is None:
        candidate = Candidate(township=township) if township is not None else Candidate()
    elif candidate.status in (Candidate.Status.CHOSEN, Candidate.Status.NOT_CHOSEN):
        raise ValidationError(_("The vote has decided this candidate; it can no longer be changed."))
    candidate.title, candidate.description, candidate.source = title, description, source
    candidate.source_department = source_department if source == Candidate.Source.DEPARTMENT else ""
    candidate.screening_notes, candidate.status = screening_notes, status
    if candidate.township_id is None:
        from liaison.scoping import current_township

        candidate.township = current_township()
    candidate.full_clean()
    concerns, suggestions = list(concerns), list(suggestions)
    check_same_township(candidate, *concerns, *suggestions)
    with transaction.atomic():
        candidate.save()
        candidate.concerns.set(concerns)
        candidate.suggestions.set(suggestions)
    return candidate


def session_create(*, title: str, held_on, seats: int, candidates, township=None) -> VoteSession:
    session = VoteSession(title=title, held_on=held_on, seats=seats, code=issue_public_code())
    if township is not None:
        session.township = township
    else:
        from liaison.scoping import current_township

        session.township = current_township()
    session.full_clean()
    candidates = list(candidates)
    check_same_township(session, *candidates)
    _check_more_candidates_than_seats(seats, len(candidates))
    with transaction.atomic():
        session.save()
        session.candidates.set(candidates)
    return session


def _check_more_candidates_than_seats(seats: int, candidates: int) -> None:
    if candidates <= seats:
        raise ValidationError(
            _("A vote needs more candidates than places (差额): %(candidates)s candidates for %(seats)s places.")
            % {"candidates": candidates, "seats": seats}, code="not_competitive")


def _locked(session: VoteSession) -> VoteSession:
    """The session, re-read and locked for the rest of the transaction: moves and ballots queue behind it."""
    return VoteSession.objects.select_for_update().get(pk=session.pk)


def _move(session: VoteSession, to: str) -> VoteSession:
    if MOVES.get(session.status) != to:
        if session.is_announced:
            raise ValidationError(_("The result is announced; the vote can no longer change."), code="announced")
        raise ValidationError(_("A %(status)s vote cannot be %(to)s.") % {
            "status": session.get_status_display(), "to": VoteSession.Status(to).label}, code="not_allowed")
    session.status = to
    return session


def session_open(*, session: VoteSession) -> VoteSession:
    with transaction.atomic():
        session = _move(_locked(session), VoteSession.Status.OPEN)
        _check_more_candidates_than_seats(session.seats, session.candidates.count())
        # A candidate decided by another vote (or on its ballot now) is not put to a second one: that would
        # rewrite an announced result.
        if session.candidates.exclude(status__in=[Candidate.Status.RESERVE, Candidate.Status.SCREENED]).exists():
            raise ValidationError(_("A candidate of this vote is already on another ballot or decided by "
                                          "another vote; take it off this one first."), code="candidate_taken")
        session.opened_at = timezone.now()
        session.save(update_fields=["status", "opened_at", "updated_at"])
        session.candidates.update(status=Candidate.Status.ON_BALLOT)
    return session


def session_close(*, session: VoteSession) -> VoteSession:
    with transaction.atomic():
        session = _move(_locked(session), VoteSession.Status.CLOSED)
        session.closed_at = timezone.now()
        session.save(update_fields=["status", "closed_at", "updated_at"])
    return session


def tally(session: VoteSession) -> list[Candidate]:
    """Every candidate on the ballot with `votes`, most first; ties in ballot order (the candidate added to
    the reserve first comes first). One query."""
    return list(session.candidates.annotate(votes=Count("marks", filter=Q(marks__paper__session=session)))
                .order_by("-votes", "pk"))


def chosen(session: VoteSession, counted: list[Candidate]) -> list[Candidate]:
    """The top `seats` of the tally. The rule for a tie at the last place: the candidate earlier in the
    reserve (lower number) takes it; a township that runs a second round instead enters it as a new vote."""
    return counted[:session.seats]


def session_announce(*, session: VoteSession) -> VoteSession:
    """Close the count: the top `seats` are chosen and become livelihood projects, the others not chosen.
    From now on the session, its ballots and its candidates' outcome never change."""
    with transaction.atomic():
        session = _move(_locked(session), VoteSession.Status.ANNOUNCED)
        if missing := papers_outstanding(session):
            raise ValidationError(_("%(n)s paper ballots of signed-in deputies are not entered yet; enter them "
                                    "(an unmarked or spoilt one as a blank ballot) before announcing.") % {"n": missing},
                                  code="papers_outstanding")
        counted = tally(session)
        winners = chosen(session, counted)
        winner_pks = {c.pk for c in winners}
        Candidate.objects.filter(pk__in=winner_pks).update(status=Candidate.Status.CHOSEN)
        Candidate.objects.filter(pk__in=[c.pk for c in counted if c.pk not in winner_pks]).update(
            status=Candidate.Status.NOT_CHOSEN)
        LivelihoodProject.objects.bulk_create([
            LivelihoodProject(township_id=session.township_id, candidate=c, session=session, votes=c.votes)
            for c in winners])
        session.announced_at = timezone.now()
        session.save(update_fields=["status", "announced_at", "updated_at"])
    return session


def _open_for(session: VoteSession, *, paper: bool) -> VoteSession:
    """The session locked, if it takes ballots now: by phone while open; from paper while open or closed (the
    count of the ballot box may finish after the hall closes the vote), never once announced."""
    session = _locked(session)
    allowed = (VoteSession.Status.OPEN, VoteSession.Status.CLOSED) if paper else (VoteSession.Status.OPEN,)
    if session.status not in allowed:
        if session.is_announced:
            raise ValidationError(_("The result is announced; the vote can no longer change."), code="announced")
        raise ValidationError(_("This vote is not open."), code="not_open")
    return session


def _register(session: VoteSession, deputy, *, entered_by, is_paper: bool) -> Ballot:
    """The register's row for `deputy`. The unique constraint decides a second one, not a check before saving:
    two sent at once make one, the other is refused."""
    # The township people's congress votes: its own (township-level) deputies, not the county's or city's
    # deputies who also sit at the station.
    if deputy.township_id != session.township_id or not deputy.is_active or deputy.level != Deputy.Level.TOWNSHIP:
        raise ValidationError(_("Only the township's deputies vote."), code="not_a_deputy")
    try:
        with transaction.atomic():
            return Ballot.objects.create(township_id=session.township_id, session=session, deputy=deputy,
                                         entered_by=entered_by, is_paper=is_paper)
    except IntegrityError:
        raise ValidationError(_("%(deputy)s has already voted in this session; a deputy votes once.")
                              % {"deputy": deputy.name}, code="voted") from None


def _paper(session: VoteSession, choices: list[Candidate], *, is_paper: bool,
           submission_key: str | None = None) -> BallotPaper:
    if len(choices) > session.seats:
        raise ValidationError(_("Choose at most %(seats)s projects.") % {"seats": session.seats}, code="too_many")
    on_ballot = set(session.candidates.values_list("pk", flat=True))
    if any(c.pk not in on_ballot for c in choices):
        raise ValidationError(_("Choose among the candidates on this ballot."), code="not_on_ballot")
    paper = BallotPaper.objects.create(township_id=session.township_id, session=session, is_paper=is_paper,
                                       submission_key=submission_key)
    BallotMark.objects.bulk_create([BallotMark(township_id=session.township_id, paper=paper, candidate=c)
                                    for c in dict.fromkeys(choices)])
    return paper


def ballot_cast(*, session: VoteSession, deputy, choices) -> Ballot:
    """A deputy's own ballot from their phone while the vote is open: the register's row that they voted, and
    an anonymous paper with their choices, in one transaction (both or neither)."""
    choices = list(choices)
    with transaction.atomic():
        session = _open_for(session, paper=False)
        ballot = _register(session, deputy, entered_by=deputy.user, is_paper=False)
        _paper(session, choices, is_paper=False)
    return ballot


def paper_voters_sign(*, session: VoteSession, deputies, entered_by) -> list[Ballot]:
    """Staff sign in the deputies who handed in a paper ballot (the register). Their papers are entered apart,
    from the ballot box, without names (`paper_enter`). All or none: one who already voted refuses the lot."""
    with transaction.atomic():
        session = _open_for(session, paper=True)
        return [_register(session, deputy, entered_by=entered_by, is_paper=True) for deputy in deputies]


def paper_enter(*, session: VoteSession, choices, submission_key: str | None = None) -> BallotPaper:
    """One paper ballot from the box. There are never more paper ballots than deputies signed in as paper
    voters: the count is taken with the session locked, so two clerks entering at once cannot pass it. The same
    `submission_key` (the form's one-time token) enters one paper however often it is sent."""
    choices = list(choices)
    sent_twice = ValidationError(_("This paper ballot is already entered: the form was sent twice, it counts once."),
                                 code="sent_twice")
    with transaction.atomic():
        session = _open_for(session, paper=True)
        if submission_key and BallotPaper.objects.filter(submission_key=submission_key).exists():
            raise sent_twice
        if papers_outstanding(session) <= 0:
            signed = session.ballots.filter(is_paper=True).count()
            raise ValidationError(_("Every paper ballot of the %(n)s deputies signed in as paper voters is entered; "
                                    "sign in the deputy who handed this one in first.") % {"n": signed},
                                  code="no_paper_voter")
        try:
            with transaction.atomic():
                return _paper(session, choices, is_paper=True, submission_key=submission_key)
        except IntegrityError:
            # The double tap's other request, past the check above where the session's lock does not hold
            # (a browser test's live server shares one SQLite connection between its threads).
            if submission_key:
                raise sent_twice from None
            raise


def papers_outstanding(session: VoteSession) -> int:
    """Paper voters signed in whose paper is not entered yet (the staff page shows it before closing the count)."""
    counts = VoteSession.objects.filter(pk=session.pk).aggregate(
        signed=Count("ballots", filter=Q(ballots__is_paper=True), distinct=True),
        entered=Count("papers", filter=Q(papers__is_paper=True), distinct=True))
    return counts["signed"] - counts["entered"]


def project_update(*, project: LivelihoodProject, responsible_unit, supervisors, budget, planned_start, planned_end,
                   actual_start, actual_end) -> LivelihoodProject:
    """Who carries a chosen project out, who supervises it, its budget and dates. (Which project was chosen,
    and with how many votes, is the announced result: never changed here.)"""
    for start, end in ((planned_start, planned_end), (actual_start, actual_end)):
        if start and end and end < start:
            raise ValidationError(_("A project cannot end before it starts."), code="dates")
    project.responsible_unit, project.budget = responsible_unit, budget
    project.planned_start, project.planned_end = planned_start, planned_end
    project.actual_start, project.actual_end = actual_start, actual_end
    project.full_clean()
    supervisors = list(supervisors)
    check_same_township(project, *supervisors)
    with transaction.atomic():
        project.save()
        project.supervisors.set(supervisors)
    return project
