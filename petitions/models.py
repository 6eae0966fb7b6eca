import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Right
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, HouseholdContact, Site, Village
from liaison.db import TimeStampedModel
from liaison.masking import mask_mobile
from liaison.scoping import TownshipScoped, current_township
from liaison.validators import mobile_validator


class Unit(TownshipScoped):
    """承办单位: a village cadre team or a township department that handles concerns."""

    class Kind(models.TextChoices):
        VILLAGE_TEAM = "village_team", _("Village cadre team")
        DEPARTMENT = "department", _("Department")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("village")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="units", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


CATEGORY_CODE_LENGTH = 40


def category_code_from_name(name: str) -> str:
    """A category's public code from its name: its pinyin, e.g. 环境卫生 → huanjingweisheng."""
    from pypinyin import lazy_pinyin  # here, not at the top: deputies.pinyin says why

    # Room for a "-2" suffix when two names read alike (公路/攻路).
    return slugify("".join(lazy_pinyin(name)))[:CATEGORY_CODE_LENGTH - 4] or "c"


class Category(TownshipScoped):
    name = models.CharField(_("name"), max_length=50)
    # The open API's service_code (Open311): integrators' systems file by it, so it is set once and
    # kept when the category is renamed. Never the primary key (public surfaces show none).
    code = models.SlugField(
        _("code"), max_length=CATEGORY_CODE_LENGTH, blank=True,
        help_text=_("Used by systems filing through the open API. Left empty, it is made from the name; "
                    "change it only while no system uses it."),
    )
    default_unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("default unit")
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), default=10, help_text=_("Counted in working days from assignment.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="category_unique_name"),
            models.UniqueConstraint(fields=["township", "code"], name="category_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Before the uniqueness check: codes are compared, and looked up by the API, in lower case.
        self.code = self.code.lower()

    def save(self, *args, **kwargs) -> None:
        # Every way a category is made (the admin, the demo, a township's setup) gets a code, as it gets a township.
        if self.township_id is None:
            self.township = current_township()
        self.code = self.code.lower()
        if not self.code:
            self.code = self._free_code(category_code_from_name(self.name))
        super().save(*args, **kwargs)

    def _free_code(self, base: str) -> str:
        # The base manager, filtered by township explicitly: this runs in any scope a save runs in.
        taken = set(Category._base_manager.filter(township_id=self.township_id, code__startswith=base)
                    .exclude(pk=self.pk).values_list("code", flat=True))
        candidates = (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3)))
        return next(code for code in candidates if code not in taken)


class Constituent(TimeStampedModel, TownshipScoped):
    """选民/群众: one row per mobile number; no account."""

    # Indexed for the desk's search by name (exact, or the start of a name).
    name = models.CharField(_("name"), max_length=50, blank=True, db_index=True)
    # One row per mobile in each township: a township never sees another's filings by the same person.
    mobile = models.CharField(_("mobile"), max_length=11, validators=[mobile_validator])
    # The desk finds a caller by the last four digits they read out; `mobile LIKE '%1234'` can use
    # no index, this column's own index serves it. Kept by the database, so no write can forget it.
    mobile_last4 = models.GeneratedField(
        expression=Right("mobile", 4), output_field=models.CharField(max_length=4), db_persist=True
    )
    village = models.ForeignKey(
        Village, models.SET_NULL, null=True, blank=True, related_name="constituents", verbose_name=_("village")
    )
    # Set when the name and mobile were erased (on request, or after the retention period): petitions.privacy.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("constituent")
        verbose_name_plural = _("constituents")
        indexes = [models.Index(fields=["township", "mobile_last4"], name="constituent_mobile_last4_idx")]
        constraints = [models.UniqueConstraint(fields=["township", "mobile"], name="constituent_unique_mobile")]

    def __str__(self) -> str:
        # Masked: lists, the admin and error messages show this; the full number is shown on request (audited).
        return self.name or mask_mobile(self.mobile)


class Reception(TimeStampedModel, TownshipScoped):
    """接待登记: one walk-in or visit at a site; its matters may become concerns."""

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")

    received_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    site = models.ForeignKey(Site, models.PROTECT, related_name="receptions", verbose_name=_("site"))
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="receptions", verbose_name=_("deputies on duty"))
    constituent = models.ForeignKey(
        Constituent, models.PROTECT, related_name="receptions", verbose_name=_("visitor")
    )
    visitor_count = models.PositiveSmallIntegerField(_("number of visitors"), default=1)
    village = models.ForeignKey(
        Village, models.SET_NULL, null=True, blank=True, related_name="receptions", verbose_name=_("village")
    )
    # The duty day of the site on that date, if the roster has one (set by reception_record).
    duty_day = models.ForeignKey(
        "deputies.DutyDay", models.SET_NULL, null=True, blank=True, related_name="receptions",
        verbose_name=_("duty day"),
    )
    matters = models.TextField(_("matters raised"))
    answer = models.TextField(_("answered on the spot"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    # The desk form's one-time token: a double click records the visit once.
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    # The same visitor, site, day and matters recorded again within DUPLICATE_WINDOW_MINUTES is the
    # same visit (petitions.dedupe); unique, so the repeat check is one index lookup and race-safe.
    dedupe_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # The version of the privacy notice (settings.PRIVACY_NOTICE_VERSION) the form showed; the visitor was
    # read the same notice at the desk.
    notice_version = models.CharField(_("privacy notice seen"), max_length=20, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        verbose_name = _("reception")
        verbose_name_plural = _("reception register")
        indexes = [
            # The cockpit's receptions and visitors over a period, per township or site: an index-only scan on
            # PostgreSQL (SQLite makes it without the INCLUDE).
            models.Index(fields=["township", "received_on"], name="reception_township_day_idx",
                         include=["visitor_count", "site"]),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.constituent}"


class Concern(TimeStampedModel, TownshipScoped):
    """社情民意/诉求: one matter raised, from any channel, tracked to its end (docs/life-cycle.md)."""

    class Channel(models.TextChoices):
        QR = "qr", _("QR code / profile page")
        WALK_IN = "walk_in", _("Walk-in reception")
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Deputy visit")
        HOUSEHOLD = "household", _("Liaison household")
        PATROL = "patrol", _("Deputy patrol (cloud supervision)")
        ONLINE = "online", _("Online portal")
        ENTERPRISE = "enterprise", _("Enterprise visit")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")
        # A filing from the public form that looked automated or came over a limit (petitions.throttle):
        # no message has gone out; staff release it (→ submitted) or discard it. Neither counts as a case.
        HELD = "held", _("Held for review")
        DISCARDED = "discarded", _("Discarded")

    class Outcome(models.TextChoices):
        FIXED = "fixed", _("Fixed")
        EXPLAINED = "explained", _("Explained")
        NOT_FEASIBLE = "not_feasible", _("Not feasible now")
        REJECTED = "rejected", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate")

    Satisfaction = Reception.Satisfaction
    # Filings that are no case (petitions.selectors.IS_CASE): only staff and officials see them.
    NOT_CASES = (Status.HELD, Status.DISCARDED)
    OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
    # Each status's colour wherever a badge shows it (Bootstrap's theme colours).
    STATUS_COLOURS = {
        Status.SUBMITTED: "secondary", Status.ACCEPTED: "info", Status.ASSIGNED: "primary",
        Status.IN_PROGRESS: "warning", Status.RESOLVED: "success", Status.CLOSED: "dark",
        Status.REJECTED: "danger", Status.MERGED: "light", Status.HELD: "warning", Status.DISCARDED: "light",
    }

    tracking = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    deputy = models.ForeignKey(
        Deputy, models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("deputy")
    )
    site = models.ForeignKey(Site, models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("site"))
    constituent = models.ForeignKey(
        Constituent, models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("constituent")
    )
    reception = models.ForeignKey(
        Reception, models.SET_NULL, null=True, blank=True, related_name="concerns", verbose_name=_("reception")
    )
    # The liaison household contact it was raised from (channel "household"); the contact's page links here.
    household_contact = models.ForeignKey(
        HouseholdContact, models.SET_NULL, null=True, blank=True, related_name="concerns",
        verbose_name=_("household contact"), editable=False,
    )
    category = models.ForeignKey(Category, models.PROTECT, related_name="concerns", verbose_name=_("category"))
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("village")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    content = models.TextField(_("content"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("handling unit")
    )
    deadline_on = models.DateField(_("deadline"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True, help_text=_("Shown to the public: the answer, fix or reason."))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = models.TextField(_("comment on the result"), blank=True)
    is_public = models.BooleanField(
        _("may be shown publicly"), default=False, help_text=_("The constituent agreed to show it (without name) publicly.")
    )
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("merged into")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by"),
    )
    # The system that filed it through the open API; it alone is told the tracking code of a repeat.
    api_client = models.ForeignKey(
        "liaison.ApiClient", models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("filed through the API by"),
    )
    # The form's one-time token: a double tap or a resubmitted form finds the first concern.
    submission_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    # The same text from the same mobile (or deputy) to the same deputy or site within
    # DUPLICATE_WINDOW_MINUTES is a repeat (petitions.dedupe); unique, so the repeat check is one
    # index lookup at a million rows and two racing posts cannot both file.
    dedupe_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # The station's first answer to the filer: its first move out of "submitted", or a public progress note,
    # by anyone but the filer and the sweeps. Kept on the row so the cockpit's median time to a first
    # response is one sort of the period's concerns, not a scan of their timelines.
    first_response_at = models.DateTimeField(_("first responded at"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once per deadline by the periodic tasks, so a re-run sends nothing twice.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The version of the privacy notice (settings.PRIVACY_NOTICE_VERSION) shown by the form it was filed with.
    notice_version = models.CharField(_("privacy notice seen"), max_length=20, blank=True, editable=False)
    # Set when its texts and photos were erased (petitions.privacy): on request, or after the retention period.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    notifications = GenericRelation(
        "liaison.Notification", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="concern_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["resolved", "closed", "rejected", "merged"]) | ~models.Q(outcome=""),
                name="concern_ended_has_outcome",
            ),
        ]
        indexes = [
            # Handlers' workspace: my unit's open concerns, oldest deadline first.
            models.Index(fields=["unit", "status", "deadline_on"], name="concern_unit_queue_idx"),
            # Deputies' inbox: concerns addressed to me by status.
            models.Index(fields=["deputy", "status"], name="concern_deputy_inbox_idx"),
            # Reminders and escalation: open concerns by deadline.
            models.Index(fields=["status", "deadline_on"], name="concern_deadline_idx"),
            # Cockpit counts by outcome over a period.
            models.Index(fields=["outcome", "created_at"], name="concern_outcome_idx"),
            # A township's desk list sorted by deadline (nulls last, PostgreSQL's ascending default) or by last
            # change, a page at a time: ORDER BY ... LIMIT 30 walks these instead of sorting every concern.
            models.Index(fields=["township", "deadline_on", "created_at"], name="concern_deadline_sort_idx"),
            models.Index(fields=["township", "updated_at"], name="concern_updated_idx"),
            # The default order (newest first) and the cockpit's counts over a period, per township. On
            # PostgreSQL it carries every column the cockpit's aggregates read (petitions.figures), so they are
            # index-only scans of the period: at a million concerns the planner otherwise walked created_at's
            # own index across every township (bench/cockpit.py). SQLite makes it without the INCLUDE.
            models.Index(fields=["township", "created_at"], name="concern_township_created_idx",
                         include=["id", "status", "outcome", "satisfaction", "deadline_on", "resolved_at",
                                  "first_response_at", "channel", "site", "category", "village", "deputy", "unit"]),
            # The same for open concerns only (the overdue tab by deadline): walking the index above, the
            # open ones come after every ended case whose deadline passed long ago (0.4 s at a million).
            models.Index(
                fields=["township", "deadline_on", "created_at"],
                condition=models.Q(status__in=["submitted", "accepted", "assigned", "in_progress"]),
                name="concern_open_deadline_idx",
            ),
            # Not declared here, PostgreSQL only (migration 0002_desk_search): the trigram and bigram GIN
            # indexes on `content` that serve the desk's search for words in the text.
        ]

    def __str__(self) -> str:
        return self.tracking

    def get_absolute_url(self) -> str:
        return reverse("petitions:track", args=[self.tracking])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline_on is not None and self.deadline_on < timezone.localdate()


class ConcernEvent(TownshipScoped):
    """One line of a concern's timeline: who did what, when, and whether the public sees it."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status change")
        COMMENT = "comment", _("Comment")
        PROGRESS = "progress", _("Progress")
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        RATING = "rating", _("Rating")

    concern = models.ForeignKey(Concern, models.CASCADE, related_name="events", verbose_name=_("concern"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    # Who acted, as shown on the timeline: a role when there is no account (constituent, system).
    actor_role = models.CharField(_("role"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, choices=Concern.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Concern.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The level of a RATING event: kept here because a reopened concern's own rating is cleared.
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Reception.Satisfaction.choices, blank=True
    )
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # The cockpit's "rated not satisfied" and "reopened" (petitions.selectors.CASE_FIGURES) read the
        # concerns with such an event: a few rows each, where without these every event of the township.
        indexes = [
            models.Index(fields=["township", "created_at", "concern"], name="event_unsatisfied_idx",
                         condition=models.Q(kind="rating", satisfaction="unsatisfied")),
            models.Index(fields=["township", "concern"], name="event_reopened_idx", include=["to_status"],
                         condition=models.Q(kind="transition", from_status="resolved")),
        ]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self) -> str:
        return f"{self.concern} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


def _private_storage():
    return storages["private"]


def _photo_path(instance: "ConcernPhoto", filename: str) -> str:
    # A random name: the file's path must not be guessable even if the storage were exposed.
    return f"concerns/{timezone.now():%Y/%m}/{instance.key.hex}.jpg"


class ConcernPhoto(TownshipScoped):
    """A photo of a concern. Stored outside MEDIA_ROOT and served only through
    petitions:photo, which checks that the viewer may see it (docs/privacy.md)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("As reported")
        PROGRESS = "progress", _("Progress")
        AFTER = "after", _("After")

    concern = models.ForeignKey(Concern, models.CASCADE, related_name="photos", verbose_name=_("concern"))
    event = models.ForeignKey(
        ConcernEvent, models.CASCADE, null=True, blank=True, related_name="photos", verbose_name=_("event")
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    # Stored only after resizing and stripping EXIF (liaison.photos), never as uploaded.
    image = models.ImageField(_("photo"), upload_to=_photo_path, storage=_private_storage)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("petitions:photo", args=[self.key])


# Deputies' suggestions and the cockpit's running totals of cases (petitions.rollups) live in their own
# modules; imported here so Django finds them as petitions' models.
from petitions.rollup_models import (  # noqa: E402, F401
    ConcernDay,
    ConcernDayGroup,
    ConcernMonth,
    ConcernMonthGroup,
    ConcernQuarter,
    ConcernQuarterGroup,
    ConcernTen,
    ConcernTenGroup,
    CountyConcernDay,
    CountyConcernMonth,
    CountyConcernQuarter,
    CountyConcernTen,
    CountyReceptionDay,
    CountyReceptionMonth,
    CountyReceptionQuarter,
    CountyReceptionTen,
    CountyRollupMark,
    ReceptionDay,
    ReceptionMonth,
    ReceptionQuarter,
    ReceptionTen,
    RollupMark,
)
from petitions.suggestion_models import (  # noqa: E402, F401
    AnswerCategory,
    Suggestion,
    SuggestionCoSigner,
    SuggestionEvent,
    SuggestionUnit,
)
from petitions.intake_models import Filing  # noqa: E402, F401
