"""民生实事项目人大代表票决制: candidates, the deputies' vote on them, and the projects chosen (docs/projects.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped


class Candidate(TimeStampedModel, TownshipScoped):
    """A candidate project in the reserve (项目库). Its demand is how many concerns and suggestions back it:
    counted from `concerns` and `suggestions` by the selectors (projects.selectors.with_demand), never typed."""

    class Source(models.TextChoices):
        SUGGESTION = "suggestion", _("A deputy's suggestion")
        CONCERNS = "concerns", _("Voters' concerns")
        DEPARTMENT = "department", _("A department")

    class Status(models.TextChoices):
        RESERVE = "reserve", _("In the reserve")
        SCREENED = "screened", _("Screened")
        ON_BALLOT = "on_ballot", _("On a ballot")
        CHOSEN = "chosen", _("Chosen")
        NOT_CHOSEN = "not_chosen", _("Not chosen")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.CONCERNS)
    source_department = models.CharField(_("proposing department"), max_length=100, blank=True)
    concerns = models.ManyToManyField("petitions.Concern", blank=True, related_name="project_candidates",
                                      verbose_name=_("concerns behind it"))
    suggestions = models.ManyToManyField("petitions.Suggestion", blank=True, related_name="project_candidates",
                                         verbose_name=_("suggestions behind it"))
    screening_notes = models.TextField(_("screening notes"), blank=True,
                                       help_text=_("Need, feasibility and cost, as screened."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RESERVE)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")
        constraints = [models.UniqueConstraint(fields=["township", "title"], name="candidate_unique_title")]

    def __str__(self) -> str:
        return self.title


class VoteSession(TimeStampedModel, TownshipScoped):
    """One vote of the township people's congress: `seats` places, more candidates than places (差额)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("vote", "Draft")
        OPEN = "open", pgettext_lazy("vote", "Open")
        CLOSED = "closed", pgettext_lazy("vote", "Closed")
        ANNOUNCED = "announced", pgettext_lazy("vote", "Announced")

    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"))
    seats = models.PositiveSmallIntegerField(_("places"))
    candidates = models.ManyToManyField(Candidate, related_name="vote_sessions", verbose_name=_("candidates"))
    # The public code of the session's QR code (deputies.codes.issue_public_code: unique across the county).
    code = models.CharField(_("public code"), max_length=16, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("vote session")
        verbose_name_plural = _("vote sessions")
        constraints = [
            # The number of candidates lives in another table: projects.services checks candidates > seats.
            models.CheckConstraint(condition=Q(seats__gte=1), name="votesession_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:result", args=[self.code])

    def ballot_url(self) -> str:
        return reverse("projects_ballot:ballot", args=[self.code])

    @property
    def is_announced(self) -> bool:
        return self.status == self.Status.ANNOUNCED


class Ballot(TimeStampedModel, TownshipScoped):
    """That a deputy voted in a session (the register, 签到): one per deputy per session, by the database (two
    sent at once still make one). It never says what the deputy chose: that is an anonymous `BallotPaper`."""

    session = models.ForeignKey(VoteSession, models.CASCADE, related_name="ballots", verbose_name=_("vote session"))
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="project_ballots",
                               verbose_name=_("deputy"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("entered by"))
    is_paper = models.BooleanField(_("paper ballot"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="ballot_one_per_deputy")]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy}"


class BallotPaper(TownshipScoped):
    """What one ballot chose, without who cast it (无记名投票). No deputy, no time, and a random key: nothing
    in the row orders or links it to its `Ballot` (docs/projects.md says what a database superuser could
    still infer)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(VoteSession, models.CASCADE, related_name="papers", verbose_name=_("vote session"))
    choices = models.ManyToManyField(Candidate, through="BallotMark", blank=True, related_name="papers",
                                     verbose_name=_("chosen"))
    is_paper = models.BooleanField(_("paper ballot"), default=False)
    # The entry form's one-time token: a paper sent twice (a double tap, a resent POST) is entered once.
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")

    def __str__(self) -> str:
        return str(self.session)


class BallotMark(TownshipScoped):
    """One tick on a ballot paper (random key, like its paper)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    paper = models.ForeignKey(BallotPaper, models.CASCADE, related_name="marks", verbose_name=_("ballot paper"))
    candidate = models.ForeignKey(Candidate, models.PROTECT, related_name="marks", verbose_name=_("candidate"))

    class Meta:
        verbose_name = _("ballot mark")
        verbose_name_plural = _("ballot marks")
        constraints = [models.UniqueConstraint(fields=["paper", "candidate"], name="ballotmark_once_per_paper")]

    def __str__(self) -> str:
        return str(self.candidate)


class LivelihoodProject(TimeStampedModel, TownshipScoped):
    """A chosen candidate, carried out: made by announcing the vote (projects.services.session_announce)."""

    candidate = models.OneToOneField(Candidate, models.PROTECT, related_name="project", verbose_name=_("candidate"))
    session = models.ForeignKey(VoteSession, models.PROTECT, related_name="projects", verbose_name=_("vote session"))
    votes = models.PositiveIntegerField(_("votes"), default=0)
    responsible_unit = models.ForeignKey("petitions.Unit", models.PROTECT, null=True, blank=True,
                                         related_name="livelihood_projects", verbose_name=_("responsible unit"))
    supervisors = models.ManyToManyField("deputies.Deputy", blank=True, related_name="supervised_projects",
                                         verbose_name=_("supervising deputies"))
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        ordering = ["session", "-votes", "pk"]
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")

    def __str__(self) -> str:
        return self.candidate.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        """Finished when it has actually ended: its progress is then 100 % (projects.progress_selectors)."""
        return self.actual_end is not None


# Milestones, supervision comments, photos and the year-end rating (a module of their own).
from projects.progress_models import (  # noqa: E402,F401
    Milestone,
    ProjectPhoto,
    RatingPublication,
    SupervisionComment,
    YearEndRating,
)
