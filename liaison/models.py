"""Station-wide records every app stands on: the working-day calendar and the message outbox."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.db import TimeStampedModel


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday, or a weekend made a working day (调休).

    County-wide: every township keeps the same state holidays.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. National Day"))
    # Loaded ahead of the State Council's notice: staff are warned until they confirm it.
    is_provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Untick once checked against the State Council's notice.")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday calendar")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Notification(TimeStampedModel):
    """The outbox: every message is a row first, delivered by a task with retries."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(pgettext_lazy("message", "sent by"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254, help_text=_("Mobile number or e-mail address."))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    # What the message is about (a concern, later a duty day or a suggestion): the outbox knows no app.
    subject_type = models.ForeignKey(
        ContentType, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("about (kind)")
    )
    subject_id = models.PositiveBigIntegerField(_("about (number)"), null=True, blank=True)
    about = GenericForeignKey("subject_type", "subject_id")
    # e.g. "reminder:42:2026-12-01:13800000000"; a second attempt to queue it is a no-op.
    key = models.CharField(_("once-only key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The retry sweep: pending rows, oldest first.
            models.Index(fields=["status", "created_at"], name="notification_outbox_idx"),
            # A record's messages (a concern's page and tests).
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
