"""A chosen project carried out (docs/projects.md): its milestones with progress and photos, the supervising
deputies' comments with the responsible unit's answers, and the deputies' year-end rating.

Imported at the bottom of projects/models.py, so Django finds these models in the app's models module.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.scoping import TownshipScoped


class Milestone(TownshipScoped):
    """One step of a project, in order (`position`). `progress` is how far the whole project is once this step
    is reached: never less than an earlier step's (projects.progress.milestone_plan checks), so the project's
    progress — the highest reached — never goes backwards."""

    project = models.ForeignKey("projects.LivelihoodProject", models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    position = models.PositiveSmallIntegerField(_("order"), editable=False)
    title = models.CharField(_("milestone"), max_length=120)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    reached_on = models.DateField(_("date reached"), null=True, blank=True, help_text=_("Blank until reached."))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)],
                                                help_text=_("How far the whole project is once this is reached."))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["position"]  # within a project (naming the project here would join its session to sort)
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="milestone_unique_position"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="milestone_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.progress}%)"

    @property
    def is_reached(self) -> bool:
        return self.reached_on is not None


class SupervisionComment(TownshipScoped):
    """A supervising deputy's comment on a project (from their phone), and the responsible unit's one answer.
    Blank `answer`: not answered yet, and the pages say so."""

    project = models.ForeignKey("projects.LivelihoodProject", models.CASCADE, related_name="comments",
                                verbose_name=_("project"))
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="project_comments",
                               verbose_name=_("deputy"))
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    # The unit that answered (the project's responsible unit then); none when the station answered.
    answering_unit = models.ForeignKey("petitions.Unit", models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name=_("answering unit"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("supervision comment")
        verbose_name_plural = _("supervision comments")
        constraints = [
            # Answered means an answer and its time, together.
            models.CheckConstraint(condition=Q(answered_at__isnull=True, answer="")
                                   | (Q(answered_at__isnull=False) & ~Q(answer="")),
                                   name="supervisioncomment_answer_and_time"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.text[:30]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


def _private_storage():
    return storages["private"]


def _photo_path(instance: "ProjectPhoto", filename: str) -> str:
    # A random name: the file's path must not be guessable even if the storage were exposed.
    return f"projects/{timezone.now():%Y/%m}/{instance.key.hex}.jpg"


class ProjectPhoto(TownshipScoped):
    """A photo of a milestone or of a supervision comment (exactly one). Stored outside MEDIA_ROOT like the
    other photos and served by projects:photo; a project is public once its vote is announced, so are they."""

    project = models.ForeignKey("projects.LivelihoodProject", models.CASCADE, related_name="photos",
                                verbose_name=_("project"))
    milestone = models.ForeignKey(Milestone, models.CASCADE, null=True, blank=True, related_name="photos",
                                  verbose_name=_("milestone"))
    comment = models.ForeignKey(SupervisionComment, models.CASCADE, null=True, blank=True, related_name="photos",
                                verbose_name=_("supervision comment"))
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Stored only after resizing and stripping EXIF (liaison.photos), never as uploaded.
    image = models.ImageField(_("photo"), upload_to=_photo_path, storage=_private_storage)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        constraints = [
            models.CheckConstraint(condition=Q(milestone__isnull=False, comment__isnull=True)
                                   | Q(milestone__isnull=True, comment__isnull=False),
                                   name="projectphoto_of_milestone_or_comment"),
        ]

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("projects:photo", args=[self.key])


class YearEndRating(TownshipScoped):
    """满意 / 基本满意 / 不满意 / 弃权: one township deputy's rating of a project for a year. One per deputy,
    project and year, by the database (two sent at once still make one)."""

    class Grade(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")
        ABSTAIN = "abstain", _("Abstain")

    project = models.ForeignKey("projects.LivelihoodProject", models.CASCADE, related_name="ratings",
                                verbose_name=_("project"))
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="project_ratings",
                               verbose_name=_("deputy"))
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("rating"), max_length=12, choices=Grade.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("year-end rating")
        verbose_name_plural = _("year-end ratings")
        constraints = [models.UniqueConstraint(fields=["project", "deputy", "year"], name="rating_one_per_deputy")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year} · {self.deputy}"


class RatingPublication(TownshipScoped):
    """The station published a project's ratings of a year: from then on the summary is public and no rating
    of that year is added."""

    project = models.ForeignKey("projects.LivelihoodProject", models.CASCADE, related_name="rating_publications",
                                verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("published by"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("published rating")
        verbose_name_plural = _("published ratings")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="rating_published_once")]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"
