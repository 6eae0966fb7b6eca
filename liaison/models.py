"""Station-wide records every app stands on: the county and its townships, the working-day calendar,
the message outbox and the audit log of personal data."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.db import TimeStampedModel
from liaison.masking import mask_mobile
from liaison.scoping import TownshipScoped, township_manager
from liaison.validators import mobile_validator


class County(models.Model):
    """The county people's congress that runs one deployment for all its townships."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    """乡镇: one station's world. Every row of a township's records carries it (liaison.scoping)."""

    county = models.ForeignKey(County, models.PROTECT, related_name="townships", verbose_name=_("county"))
    name = models.CharField(_("name"), max_length=50, unique=True)
    # The Open311 jurisdiction_id and the county chooser's value; never shown as a primary key.
    code = models.SlugField(_("code"), max_length=30, unique=True)
    station_name = models.CharField(_("station name"), max_length=100)
    # Empty: the SITE_URL setting, so a single-station install needs no configuration.
    site_url = models.URLField(_("public address"), blank=True, help_text=_(
        "Where phones reach this township's pages, e.g. https://rd.baita.gov.cn; QR codes encode it."))
    # Answers requests for host names no township claims: one station works with no host configured.
    is_default = models.BooleanField(_("default township"), default=False)
    escalation_mobiles = models.CharField(
        _("escalation mobiles"), max_length=200, blank=True,
        help_text=_("Township officials texted when a concern is not taken up in time; separate with commas."),
    )
    accept_within_working_days = models.PositiveSmallIntegerField(
        _("take up within (working days)"), default=2, help_text=_("After that, the case escalates."))
    reminder_working_days = models.PositiveSmallIntegerField(
        _("remind before the deadline (working days)"), default=1)
    auto_close_days = models.PositiveSmallIntegerField(
        _("close unrated cases after (days)"), default=14)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="township_one_default"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def public_url(self) -> str:
        return (self.site_url or settings.SITE_URL).rstrip("/")

    def escalation_mobile_list(self) -> list[str]:
        return [m.strip() for m in self.escalation_mobiles.split(",") if m.strip()]

    def clean(self) -> None:
        for mobile in self.escalation_mobile_list():
            mobile_validator(mobile)


class TownshipHost(models.Model):
    """A host name a township's public pages answer to (rd.baita.gov.cn)."""

    township = models.ForeignKey(Township, models.CASCADE, related_name="hosts", verbose_name=_("township"))
    host = models.CharField(_("host name"), max_length=200, unique=True, help_text=_("Without port, e.g. rd.baita.gov.cn"))

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")

    def __str__(self) -> str:
        return self.host


class Membership(models.Model):
    """Which township a back-office account works in. None: a county account (county official or admin)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership",
                                verbose_name=_("account"))
    township = models.ForeignKey(Township, models.CASCADE, null=True, blank=True, related_name="members",
                                 verbose_name=_("township"), help_text=_("Empty for county accounts."))

    class Meta:
        verbose_name = _("township membership")
        verbose_name_plural = _("township memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.township or _('county')}"


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


class Notification(TimeStampedModel, TownshipScoped):
    """The outbox: every message is a row first, delivered by a task with retries."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Never sent: the number had its daily cap of messages (liaison.outbox); last_error says so.
        SKIPPED = "skipped", _("Skipped")

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
            # The daily cap: the messages one number was sent today (liaison.outbox).
            models.Index(fields=["recipient", "created_at"], name="notification_recipient_idx"),
        ]

    def __str__(self) -> str:
        # Masked: the admin names rows by this, and a full number is shown nowhere without asking.
        recipient = self.recipient if "@" in self.recipient else mask_mobile(self.recipient)
        return f"{self.get_channel_display()} → {recipient}"


class ApiClient(models.Model):
    """A system that files concerns through the open API (Open311 GeoReport v2, /open311/v2/), with its own key.

    County-wide: the county issues keys to integrators (the county's hotline, a portal) and says which
    townships each may file into. Only a hash of the key is stored; the key itself is shown once
    (liaison.apikeys).
    """

    name = models.CharField(_("name"), max_length=100, unique=True,
                            help_text=_("Who integrates, e.g. the county hotline."))
    # SHA-256 of the key: keys are long random strings, so a fast hash is enough and looks up by index.
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # The key's first characters, so an administrator can tell which key a system is using.
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    townships = models.ManyToManyField(
        Township, blank=True, related_name="+", verbose_name=_("townships"),
        help_text=_("The townships this client may file concerns into; none chosen: every township."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Untick to refuse its key at once."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def may_file_into(self, township: Township) -> bool:
        allowed = list(self.townships.values_list("pk", flat=True))
        return not allowed or township.pk in allowed


class AuditRefused(Exception):
    """An attempt to change or remove an audit row: the log is append-only (docs/privacy.md)."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRefused("audit entries cannot be changed")

    def delete(self):
        raise AuditRefused("audit entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AuditRefused("audit entries cannot be changed")


class AuditEntry(TownshipScoped):
    """One access to or change of constituents' personal data: who, when, what, why. Append-only: the
    application has no way to change or delete a row (save refuses updates, delete refuses, the queryset's
    update and delete refuse, the admin only lists them). Written through liaison.audit.audit_record."""

    class Action(models.TextChoices):
        REVEAL_MOBILE = "reveal_mobile", _("Full mobile number shown")
        OPEN_RECORD = "open_record", _("Constituent's record opened")
        EXPORT = "export", _("Export")
        CORRECT = "correct", _("Correction")
        ERASE = "erase", _("Erased on request")
        ANONYMISE = "anonymise", _("Anonymised after the retention period")
        UNLOCK = "unlock", _("Login unlocked")
        RESET_TWO_FACTOR = "reset_2fa", _("Two-factor login reset")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    # PROTECT: an account that appears in the log is deactivated, never deleted, so the log keeps saying who.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("who"), help_text=_("Empty: the system (e.g. the retention command)."))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # What was touched: never a name or a number, only the row's kind and id and a code (tracking code).
    subject_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("kind of record"))
    subject_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    subject = models.CharField(_("what"), max_length=200, blank=True)
    reason = models.TextField(_("why"), blank=True)

    objects = township_manager(models.Manager.from_queryset(AuditQuerySet))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            # A constituent's access history: every entry about one record.
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditRefused("audit entries cannot be changed")
        # An INSERT or nothing: a new object given an existing pk would otherwise UPDATE that row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRefused("audit entries cannot be deleted")


class Counter(models.Model):
    """One counter of a rate limit or lockout (liaison.counters), when the counters live in the
    database (no Redis): every web process counts in the same row. County-wide: keys say what they count."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    # The end of the counter's window; the sweep deletes rows past it.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


class PagesStamp(models.Model):
    """A township's public pages as of its last committed change (liaison.public_pages): a new random stamp
    after each transaction that wrote in its scope, so a cached page stored under the old one is never
    served again. County-wide: the cache reads the stamp of the township a page turned out to belong to,
    whatever the host's township is."""

    township = models.OneToOneField(Township, models.CASCADE, primary_key=True, related_name="+",
                                    verbose_name=_("township"))
    stamp = models.BigIntegerField(_("stamp"))

    class Meta:
        verbose_name = _("public pages stamp")
        verbose_name_plural = _("public pages stamps")

    def __str__(self) -> str:
        return f"{self.township_id}: {self.stamp}"
