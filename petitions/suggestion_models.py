"""Deputies' suggestions (代表建议办理, docs/suggestions.md): imported at the bottom of petitions.models.

A suggestion is one matter a deputy puts to the government: co-signers confirm it, the station assigns
a lead unit and co-handling units, the lead unit accepts (or returns it with a reason) and answers in
writing with an answer category, and the deputy rates the answer. The life cycle is the table in
petitions.suggestion_workflow; every move goes through petitions.suggestion_services.suggestion_transition.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.db import TimeStampedModel
from liaison.scoping import TownshipScoped


class AnswerCategory(TownshipScoped):
    """How a unit's answer is classed: places differ (A/B/C/D, 甲/乙/丙), so each township configures its own."""

    code = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("label"), max_length=50)
    # Whether an answer in this category counts as "adopted" on the duty record and public pages.
    is_adopted = models.BooleanField(_("counts as adopted"), default=False)
    # Planned or for-reference answers are followed up after the suggestion closes.
    needs_follow_up = models.BooleanField(_("needs follow-up"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("answer category")
        verbose_name_plural = _("answer categories")
        constraints = [models.UniqueConstraint(fields=["township", "code"], name="answer_category_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Suggestion(TimeStampedModel, TownshipScoped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ASSIGNED = "assigned", _("Assigned")
        ACCEPTED = "accepted", _("Being handled")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Kind(models.TextChoices):
        ECONOMY = "economy", _("Economy and development")
        LIVELIHOOD = "livelihood", _("Livelihood")
        ENVIRONMENT = "environment", _("Environment and infrastructure")
        GOVERNANCE = "governance", _("Governance")
        OTHER = "other", _("Other")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")

    # The public page's code (deputies.codes.issue_public_code: unique across the county, never reused):
    # public pages never show primary keys.
    code = models.CharField(_("public code"), max_length=16, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.LIVELIHOOD)
    deputy = models.ForeignKey(Deputy, models.PROTECT, related_name="suggestions", verbose_name=_("lead deputy"))
    concerns = models.ManyToManyField(
        "petitions.Concern", blank=True, related_name="suggestions", verbose_name=_("concerns it grew from")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    assign_by = models.DateField(_("to be assigned by"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    answer_by = models.DateField(_("to be answered by"), null=True, blank=True)
    # The last day the lead unit may return it as not its responsibility; after it, it counts as accepted.
    return_by = models.DateField(_("may be returned until"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_category = models.ForeignKey(
        AnswerCategory, models.PROTECT, null=True, blank=True, related_name="suggestions",
        verbose_name=_("answer category"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(_("times re-handled"), default=0)
    follow_up_note = models.TextField(_("follow-up"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The reminder and escalation sweeps mark what they sent, so a second run sends nothing.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:suggestion", args=[self.code])

    @property
    def is_public(self) -> bool:
        """Shown on the public pages (docs/suggestions.md): answered, in a category that counts as adopted.
        petitions.suggestion_selectors.PUBLIC is the same rule as a query."""
        return self.status in (self.Status.ANSWERED, self.Status.CLOSED) and self.is_adopted

    @property
    def may_still_be_returned(self) -> bool:
        return self.return_by is None or timezone.localdate() <= self.return_by

    @property
    def is_adopted(self) -> bool:
        return self.answer_category_id is not None and self.answer_category.is_adopted

    @property
    def needs_follow_up(self) -> bool:
        return (
            self.status == self.Status.CLOSED and self.answer_category_id is not None
            and self.answer_category.needs_follow_up and self.followed_up_at is None
        )

    @property
    def is_overdue(self) -> bool:
        return self.status in (self.Status.ASSIGNED, self.Status.ACCEPTED) and self.answer_by is not None \
            and self.answer_by < timezone.localdate()


class SuggestionCoSigner(TownshipScoped):
    """A deputy invited to co-sign (附议); the suggestion is submitted once every invited one confirmed."""

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="cosigners", verbose_name=_("suggestion"))
    deputy = models.ForeignKey(Deputy, models.PROTECT, related_name="cosigned_suggestions", verbose_name=_("deputy"))
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_unique_deputy")]

    def __str__(self) -> str:
        return f"{self.suggestion} · {self.deputy}"


class SuggestionUnit(TownshipScoped):
    """One unit's part in a suggestion: the lead unit or a co-handling unit. A returned assignment stays
    (with its reason) as history; the current ones have no returned_at."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-handling unit")

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="assignments", verbose_name=_("suggestion"))
    unit = models.ForeignKey("petitions.Unit", models.PROTECT, related_name="suggestion_assignments",
                             verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    view = models.TextField(_("co-handler's view"), blank=True)
    view_at = models.DateTimeField(_("view sent"), null=True, blank=True)
    # A co-handling unit sends its view to the lead unit within a month of assignment; the sweep reminds it
    # before and escalates after, and marks what it sent so a second run sends nothing.
    view_by = models.DateField(_("view due by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["role", "assigned_at", "pk"]
        verbose_name = _("unit assignment")
        verbose_name_plural = _("unit assignments")

    def __str__(self) -> str:
        return f"{self.suggestion} · {self.unit} ({self.get_role_display()})"


class SuggestionEvent(TownshipScoped):
    """One line of a suggestion's timeline, like ConcernEvent."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status change")
        COMMENT = "comment", _("Comment")
        COSIGN = "cosign", _("Co-signed")
        VIEW = "view", _("Co-handler's view")
        FOLLOW_UP = "follow_up", _("Follow-up")
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="events", verbose_name=_("suggestion"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    actor_role = models.CharField(_("role"), max_length=20)
    from_status = models.CharField(_("from"), max_length=10, choices=Suggestion.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Suggestion.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")

    def __str__(self) -> str:
        return f"{self.suggestion} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
