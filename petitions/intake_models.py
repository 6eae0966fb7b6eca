"""A filing taken in but not yet registered as a concern (petitions.intake, docs/public-pages.md)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.scoping import TownshipScoped


class Filing(TownshipScoped):
    """What the public form accepted, as it was checked, until the worker makes it a concern.

    A registered filing is deleted; a repeat keeps only its link to the earlier concern (no personal data)
    so its receipt can answer, and goes after a week; a failed one stays for the staff (the admin)."""

    class State(models.TextChoices):
        PENDING = "pending", _("being registered")
        REPEATED = "repeated", _("a repeat")
        FAILED = "failed", _("failed")

    # Chosen when the form is accepted, so the receipt can name the concern before it exists.
    tracking = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    submission_key = models.CharField(max_length=40, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("deputy"))
    site = models.ForeignKey("deputies.Site", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("site"))
    # The checked form: name, mobile, village and category ids, text, consent, the hold note, the limits counted.
    payload = models.JSONField(default=dict, editable=False)
    # The raw uploads in private storage, checked by their headers only; cleaned by the worker.
    photos = models.JSONField(default=list, editable=False)
    # A repeat: the concern it repeats.
    concern = models.ForeignKey("petitions.Concern", models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("earlier concern"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("filing being registered")
        verbose_name_plural = _("filings being registered")
        indexes = [models.Index(fields=["state", "created_at"], name="petitions_filing_state_idx")]

    def __str__(self) -> str:
        return self.tracking
