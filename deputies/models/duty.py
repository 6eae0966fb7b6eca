"""The duty roster (值班): each site's rule, its duty days, who is on shift, swap requests, and each deputy's
calendar feed. The rules the code keeps are in docs/duty.md."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deputies.models.directory import Deputy, Site
from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped


def _int_list(text: str) -> list[int]:
    return sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip().isdigit()})


class DutyRule(TimeStampedModel, TownshipScoped):
    """Which days a site holds duty, how many deputies each, and what a day off does to it."""

    class OnHoliday(models.TextChoices):
        NEXT = "next", _("Move to the next working day")
        PREVIOUS = "previous", _("Move to the previous working day")
        KEEP = "keep", _("Keep the day")
        SKIP = "skip", _("Skip the day")

    site = models.OneToOneField(Site, models.CASCADE, related_name="duty_rule", verbose_name=_("site"))
    days_of_month = models.CharField(
        _("days of the month"), max_length=100, blank=True, help_text=_("e.g. 7,21"))
    weekdays = models.CharField(
        _("weekdays"), max_length=20, blank=True, help_text=_("1 = Monday … 7 = Sunday, e.g. 2,4"))
    deputies_per_day = models.PositiveSmallIntegerField(_("deputies per day"), default=2)
    on_holiday = models.CharField(_("on a holiday or weekend"), max_length=10, choices=OnHoliday.choices,
                                  default=OnHoliday.NEXT)
    starts_at = models.TimeField(_("starts at"), default=datetime.time(9, 0))
    ends_at = models.TimeField(_("ends at"), default=datetime.time(11, 30))

    class Meta:
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty rules")
        constraints = [models.CheckConstraint(condition=models.Q(deputies_per_day__gte=1),
                                              name="dutyrule_at_least_one_deputy")]

    def __str__(self) -> str:
        return str(self.site)

    @property
    def month_days(self) -> list[int]:
        return [day for day in _int_list(self.days_of_month) if 1 <= day <= 31]

    @property
    def iso_weekdays(self) -> list[int]:
        return [day for day in _int_list(self.weekdays) if 1 <= day <= 7]

    @property
    def hours(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class DutyDay(TimeStampedModel, TownshipScoped):
    site = models.ForeignKey(Site, models.CASCADE, related_name="duty_days", verbose_name=_("site"))
    held_on = models.DateField(_("date"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set by an override, swap or replacement: generating the rotation again leaves the day as staff made it.
    is_adjusted = models.BooleanField(_("adjusted by staff"), default=False)

    class Meta:
        ordering = ["held_on", "site"]
        verbose_name = _("duty day")
        verbose_name_plural = _("duty days")
        constraints = [models.UniqueConstraint(fields=["site", "held_on"], name="dutyday_unique_site_date")]
        indexes = [
            # "On duty today" / "next duty day" and the daily publishing and reminder sweeps: a date range.
            models.Index(fields=["township", "held_on"], name="dutyday_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.held_on:%Y-%m-%d}"


class Shift(TimeStampedModel, TownshipScoped):
    """One deputy on one duty day. A swap or replacement cancels the shift and makes a new one, so the
    history stays and the balance counts only shifts standing."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("Rotation")
        OVERRIDE = "override", _("Set by staff")
        SWAP = "swap", _("Swap")
        REPLACEMENT = "replacement", _("Replacement")

    day = models.ForeignKey(DutyDay, models.CASCADE, related_name="shifts", verbose_name=_("duty day"))
    deputy = models.ForeignKey(Deputy, models.CASCADE, related_name="shifts", verbose_name=_("deputy"))
    source = models.CharField(_("how it came"), max_length=12, choices=Source.choices, default=Source.GENERATED)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("checked in by"))

    class Meta:
        ordering = ["day__held_on", "deputy__level", "deputy__name_pinyin"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["day", "deputy"], condition=models.Q(is_cancelled=False),
                                    name="shift_one_standing_per_deputy"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.deputy}"


class SwapRequest(TimeStampedModel, TownshipScoped):
    """A deputy asks to give up a shift; another deputy takes it; staff confirm (deputies.duty_workflow)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        TAKEN = "taken", _("Taken by another deputy")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    shift = models.ForeignKey(Shift, models.CASCADE, related_name="swap_requests", verbose_name=_("shift"))
    requested_by = models.ForeignKey(Deputy, models.CASCADE, related_name="swap_requests",
                                     verbose_name=_("requested by"))
    taken_by = models.ForeignKey(Deputy, models.CASCADE, null=True, blank=True, related_name="swaps_taken",
                                 verbose_name=_("taken by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        constraints = [
            models.UniqueConstraint(fields=["shift"], condition=models.Q(status__in=["requested", "taken"]),
                                    name="swaprequest_one_open_per_shift"),
        ]

    def __str__(self) -> str:
        return f"{self.shift} ({self.get_status_display()})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class DutyFeed(TimeStampedModel, TownshipScoped):
    """A deputy's secret calendar link; revoking gives a new token, and the old link answers 404."""

    deputy = models.OneToOneField(Deputy, models.CASCADE, related_name="duty_feed", verbose_name=_("deputy"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token, editable=False)

    class Meta:
        verbose_name = _("duty calendar feed")
        verbose_name_plural = _("duty calendar feeds")

    def __str__(self) -> str:
        return str(self.deputy)
