"""Study materials (学习资料): the portal's own content (docs/study.md). Articles and PDF files by category,
public or for the township's deputies only, and who of the deputies has opened a deputies-only one."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.files import validate_pdf
from deputies.models import Deputy
from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped


class StudyCategory(TownshipScoped):
    """A township's heading for study materials (代表法解读, 履职指南, …), kept in the admin."""

    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower comes first."))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("study category")
        verbose_name_plural = _("study categories")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="studycategory_unique_name")]

    def __str__(self) -> str:
        return self.name


def _private_storage():
    return storages["private"]


def _pdf_path(instance: "StudyMaterial", filename: str) -> str:
    # A random name, as for photos: a deputies-only file must not be guessable even if the storage were exposed.
    return f"study/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class StudyMaterial(TimeStampedModel, TownshipScoped):
    """An article (plain text, shown escaped: never HTML) and/or a PDF file. Public pages name it by `code`.

    The PDF sits outside MEDIA_ROOT, with the concerns' private photos, and only study:pdf serves it: to
    anyone while the material is published and public, to the township's deputies and back office while it is
    published for deputies only, to the back office while it is a draft. A material may change audience, so
    no copy of it ever sits where the web server hands files out unasked."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        DEPUTIES = "deputies", _("Deputies only")

    # Issued once, never reused (deputies.codes): shared links and the portal's column name it.
    code = models.CharField(_("public code"), max_length=16, unique=True, editable=False)
    category = models.ForeignKey(StudyCategory, models.PROTECT, related_name="materials", verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), blank=True, help_text=_("Plain text; an empty line starts a new paragraph."))
    pdf = models.FileField(_("PDF file"), upload_to=_pdf_path, storage=_private_storage, blank=True,
                           validators=[validate_pdf])
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")
        constraints = [
            models.CheckConstraint(condition=Q(is_published=False) | Q(published_at__isnull=False),
                                   name="studymaterial_published_has_date"),
            models.CheckConstraint(condition=~Q(body="") | ~Q(pdf=""), name="studymaterial_has_text_or_file",
                                   violation_error_message=_("Give the material a text, a PDF file, or both.")),
        ]
        indexes = [
            # The public list and the portal's column: a township's published materials of one audience, newest
            # first (the list then sorts the page by category: a handful of categories, in memory).
            models.Index(fields=["township", "is_published", "audience", "-published_at"],
                         name="studymaterial_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study:material", args=[self.code])

    @property
    def is_for_deputies(self) -> bool:
        return self.audience == self.Audience.DEPUTIES

    @property
    def is_public(self) -> bool:
        """Anyone may open it now."""
        return self.is_published and self.audience == self.Audience.PUBLIC


class StudyReadReceipt(TownshipScoped):
    """A deputy opened a deputies-only material: the first time only. The unique constraint decides, not a
    check before saving: two taps at once make one row (dashboard.study.study_material_open)."""

    material = models.ForeignKey(StudyMaterial, models.CASCADE, related_name="receipts", verbose_name=_("material"))
    deputy = models.ForeignKey(Deputy, models.CASCADE, related_name="study_receipts", verbose_name=_("deputy"))
    opened_at = models.DateTimeField(_("first opened"), default=timezone.now)

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["material", "deputy"], name="studyreadreceipt_once")]

    def __str__(self) -> str:
        return f"{self.deputy} {self.material} {self.opened_at:%Y-%m-%d %H:%M}"
