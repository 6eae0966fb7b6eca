from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models.directory import Deputy, LiaisonHousehold
from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped


class HouseholdContact(TimeStampedModel, TownshipScoped):
    """One contact of a deputy with a liaison household (民情联络户): a visit or a call (docs/households.md)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")

    household = models.ForeignKey(LiaisonHousehold, models.CASCADE, related_name="contacts",
                                  verbose_name=_("liaison household"))
    # Who made the contact: the household's deputy, or another deputy who went in their place.
    deputy = models.ForeignKey(Deputy, models.PROTECT, related_name="household_contacts", verbose_name=_("deputy"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VISIT)
    contacted_on = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True, help_text=_("What the household said; for the back office only."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    # The form's one-time token: a double tap records the contact once.
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-contacted_on", "-created_at"]
        verbose_name = _("household contact")
        verbose_name_plural = _("household contacts")
        indexes = [
            # The duty record's yearly counts and the "not contacted lately" list: a deputy's contacts by date.
            models.Index(fields=["deputy", "contacted_on"], name="household_contact_deputy_idx"),
            # The cockpit's count over a period, per township (a county's year: 250,000 contacts in bench/cockpit.py).
            models.Index(fields=["township", "contacted_on"], name="household_contact_township_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_kind_display()}"
