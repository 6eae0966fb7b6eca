"""Deputies' activities (履职活动) and reports to voters (述职), with their photos and enterprises' opinions.

An activity is shown on the public list and the deputies' pages when it is public; its photos follow it.
A report to voters is an activity of kind REPORT_TO_VOTERS plus one row of what only a report has (the
deputy reporting, the voters present, the report and the voters' rating counted on the spot).
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models.directory import Deputy
from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped


class Activity(TimeStampedModel, TownshipScoped):
    class Kind(models.TextChoices):
        # The values are figure keys of the duty record (activities_<kind>): never rename them.
        GROUP_ACTIVITY = "group_activity", _("Deputy-group activity")
        CONTACTING_VOTERS = "contacting_voters", _("Contacting voters")
        STUDY_TRAINING = "study_training", _("Study and training")
        INSPECTION = "inspection", _("Inspection and research")
        ENTERPRISE_VISIT = "enterprise_visit", _("Enterprise visit")
        DUTY_RECEPTION = "duty_reception", _("Duty reception")
        REPORT_TO_VOTERS = "report_to_voters", _("Report to voters")

    # Public pages name an activity by this code (issued once, never reused: deputies.codes), never its pk.
    code = models.CharField(_("public code"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=100)
    place = models.CharField(_("place"), max_length=200, blank=True)
    deputies = models.ManyToManyField(Deputy, related_name="activities", verbose_name=_("deputies taking part"))
    summary = models.TextField(_("summary"), blank=True)
    enterprise = models.CharField(_("enterprise"), max_length=100, blank=True,
                                  help_text=_("The enterprise visited (enterprise visits only)."))
    is_public = models.BooleanField(
        _("public"), default=True,
        help_text=_("Shown on the public list and the deputies' pages, with its photos. Untick for internal work."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    # The form's one-time token (liaison.forms.submission_key): a double tap on a phone records it once.
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="enterprise_visit") | ~Q(enterprise=""),
                                   name="activity_enterprise_visit_names_enterprise"),
        ]
        indexes = [
            # The public list: a township's public activities, newest first, a page at a time.
            models.Index(fields=["township", "is_public", "-held_on"], name="activity_public_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("activities:activity", args=[self.code])

    @property
    def is_report_to_voters(self) -> bool:
        return self.kind == self.Kind.REPORT_TO_VOTERS

    @property
    def is_enterprise_visit(self) -> bool:
        return self.kind == self.Kind.ENTERPRISE_VISIT


def _private_storage():
    return storages["private"]


def _photo_path(instance: "ActivityPhoto", filename: str) -> str:
    # A random name: the file's path must not be guessable even if the storage were exposed.
    return f"activities/{timezone.now():%Y/%m}/{instance.key.hex}.jpg"


class ActivityPhoto(TownshipScoped):
    """A photo of an activity. Stored outside MEDIA_ROOT and served only through activities:photo, which
    shows it to anyone when the activity is public and to its township's back office otherwise."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="photos", verbose_name=_("activity"))
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Stored only after resizing and stripping EXIF (liaison.photos), never as uploaded.
    image = models.ImageField(_("photo"), upload_to=_photo_path, storage=_private_storage)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("activities:photo", args=[self.key])


class EnterpriseOpinion(TownshipScoped):
    """One opinion gathered on an enterprise visit. It may become a concern in one step (petitions.opinions);
    deputies may not import petitions, so the link is the concern's tracking code, kept here."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="opinions", verbose_name=_("activity"))
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(_("opinion"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Set once by petitions.opinions.opinion_raise_concern; a tracking code is never reused.
    concern_tracking = models.CharField(_("concern"), max_length=16, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("enterprise opinion")
        verbose_name_plural = _("enterprise opinions")

    def __str__(self) -> str:
        return self.text[:50]


class ReportToVoters(TownshipScoped):
    """述职: a deputy reports to voters, who rate the report on the spot. Date, place, photos and whether
    it is public are its activity's (kind REPORT_TO_VOTERS, the deputy among its deputies)."""

    activity = models.OneToOneField(Activity, models.CASCADE, related_name="report", verbose_name=_("activity"))
    deputy = models.ForeignKey(Deputy, models.PROTECT, related_name="reports_to_voters", verbose_name=_("deputy"))
    voters_present = models.PositiveIntegerField(_("voters present"))
    report = models.TextField(_("report"))
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)

    class Meta:
        verbose_name = _("report to voters")
        verbose_name_plural = _("reports to voters")
        constraints = [
            # Only voters present can rate; each rates once.
            models.CheckConstraint(
                condition=Q(voters_present__gte=F("satisfied") + F("basically_satisfied") + F("dissatisfied")),
                name="report_ratings_within_voters_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.activity.held_on}"

    @property
    def ratings_total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied
