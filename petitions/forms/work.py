"""Forms of the back office: the concern list's filters, one form per workflow action, comments, patrol reports."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import HouseholdContact, Site, Village
from liaison.forms import QuickSelect, TownshipChoiceField
from petitions import access, services
from petitions.fields import DateRangeMixin, OneTimeTokenField, PhotosField, submission_key
from petitions.figures import FIGURE_LABELS
from petitions.messages import MERGE_INTO_ITSELF
from petitions.models import Category, Concern, Unit
from petitions.selectors import NO_OUTCOME, SORTS

CONTENT_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000
_COORDINATE_PLACES = Decimal("0.000001")  # the model keeps 6 decimal places (about 10 cm)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _coordinate(value: str | None, *, limit: int) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(_COORDINATE_PLACES, ROUND_HALF_UP)


def _select(field: forms.Field) -> forms.Field:
    field.widget.attrs["class"] = "form-select form-select-sm"
    return field


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


class ConcernFilterForm(DateRangeMixin, forms.Form):
    """The desk list's filters. Rendered field by field without crispy: a list page is drawn often."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={
            "type": "search", "class": "form-control", "autocomplete": "off",
            "placeholder": _("Tracking code, mobile or its last 4 digits, name, or words in the text"),
        }),
    )
    # Chosen by the tabs and the column headers; carried along when the other filters change.
    status = forms.ChoiceField(required=False, choices=[("", ""), *Concern.Status.choices], widget=forms.HiddenInput)
    overdue = forms.BooleanField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput)
    # Set by a click on a cockpit figure (dashboard): the page names it and offers to drop it.
    figure = forms.ChoiceField(required=False, choices=[("", ""), *FIGURE_LABELS.items()], widget=forms.HiddenInput)
    category = _select(TownshipChoiceField(
        label=_("Category"), required=False, queryset=lambda: Category.objects.all(), empty_label=_("All categories"),
        kept_as="categories",
    ))
    village = _select(TownshipChoiceField(
        label=_("Village"), required=False, queryset=lambda: Village.objects.all(), empty_label=_("All villages"),
        kept_as="villages",
    ))
    # A name typed (or picked from the page's list of names), not a <select> of every deputy:
    # a county has hundreds, and each <option> of a select costs a template render.
    deputy = forms.CharField(
        label=_("Deputy"), required=False, max_length=50,
        widget=forms.TextInput(attrs={
            "class": "form-control form-control-sm", "list": "deputy-names", "autocomplete": "off",
            "placeholder": _("Any deputy"),
        }),
    )
    unit = _select(TownshipChoiceField(
        label=_("Handling unit"), required=False, queryset=lambda: Unit.objects.all(), empty_label=_("All units"),
        kept_as="units",
    ))
    site = _select(TownshipChoiceField(
        label=_("Site"), required=False, queryset=lambda: Site.objects.all(), empty_label=_("All sites"),
        to_field_name="code", kept_as="site-codes",
    ))
    channel = _select(forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Concern.Channel.choices],
        widget=QuickSelect,
    ))
    outcome = _select(forms.ChoiceField(
        label=_("Outcome"), required=False,
        choices=[("", _("All outcomes")), *Concern.Outcome.choices, (NO_OUTCOME, _("No outcome yet"))],
        widget=QuickSelect,
    ))
    date_from = forms.DateField(label=_("Filed from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("Filed until"), required=False, widget=_date_input())

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_deputy(self) -> str:
        return self.cleaned_data["deputy"].strip()

    def filters(self) -> dict:
        """The valid filters, as petitions.selectors.concern_list takes them.

        A stale link with one bad value (a deleted village) still filters by the others.
        """
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    @property
    def has_more_filters(self) -> bool:
        """Whether a filter behind "more filters" is set, so the page shows them open."""
        filters = self.filters()
        more = ("category", "village", "deputy", "unit", "site", "channel", "outcome")
        return any(filters.get(name) for name in more)

    @property
    def figure_label(self) -> str:
        return FIGURE_LABELS.get(self.filters().get("figure") or "", "")


class _TrackingCodes(forms.Field):
    """The codes of the ticked rows (one `concerns` value per row), lower-cased, once each, in order."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick the concerns to forward first."),
        "too_many": _("Forward at most %(limit)d concerns at a time."),
    }

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        codes = [str(code).strip().lower() for code in (value or []) if str(code).strip()]
        return list(dict.fromkeys(code[:16] for code in codes))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.limit:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"limit": self.limit})


class BulkForwardForm(forms.Form):
    """Forward the ticked concerns to one unit; each with its own category's deadline unless one is given."""

    LIMIT = 100

    concerns = _TrackingCodes(limit=LIMIT)
    unit = _select(TownshipChoiceField(
        label=_("Forward to"), queryset=lambda: Unit.objects.filter(is_active=True), empty_label=_("Choose a unit…"),
        kept_as="active-units",
        error_messages={"required": _("Choose the unit to forward to.")},
    ))
    deadline_on = forms.DateField(
        label=_("Deadline"), required=False, widget=_date_input(),
        help_text=_("Leave empty for each category's own deadline."),
    )
    note = forms.CharField(
        label=_("Note for the unit"), required=False, max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": _("Note for the unit")}),
    )

    def clean_deadline_on(self):
        deadline_on = self.cleaned_data["deadline_on"]
        if deadline_on and deadline_on < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."), code="deadline_past")
        return deadline_on


class ActionForm(forms.Form):
    """The form of one workflow action (named in petitions.workflow.ACTIONS) on one concern.

    `perform` hands the cleaned data to the service that makes the move; the base form is the
    optional note of accept, start, reopen and close.
    """

    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=_textarea(2))

    def __init__(self, *args, concern: Concern, user, **kwargs):
        self.concern, self.user = concern, user
        super().__init__(*args, **kwargs)

    def perform(self, *, action: str, actor, role: str) -> Concern:
        return services.concern_transition(
            concern=self.concern, action=action, actor=actor, role=role, note=self.cleaned_data["note"]
        )



class AssignForm(ActionForm):
    """Forward (assign) or reassign to a unit, with a deadline that defaults to the category's."""

    unit = TownshipChoiceField(
        label=_("Handling unit"), queryset=lambda: Unit.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    deadline_on = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note for the unit"), required=False, max_length=NOTE_MAX_LENGTH, widget=_textarea(2)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default_deadline = services.default_deadline(self.concern.category)
        self.fields["deadline_on"].initial = default_deadline
        self.fields["deadline_on"].help_text = _(
            "Default for this category: %(date)s (counted in working days)."
        ) % {"date": default_deadline.isoformat()}

    def clean_deadline_on(self):
        deadline_on = self.cleaned_data["deadline_on"]
        if deadline_on < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."), code="deadline_past")
        return deadline_on

    def perform(self, *, action: str, actor, role: str) -> Concern:
        data = self.cleaned_data
        return services.concern_assign(concern=self.concern, unit=data["unit"], deadline_on=data["deadline_on"],
                                       actor=actor, role=role, note=data["note"], action=action)


class ResolveForm(ActionForm):
    """Resolve (handler, official) or answer directly (deputy, staff): the result the constituent will read."""

    OUTCOMES = [
        (Concern.Outcome.FIXED, Concern.Outcome.FIXED.label),
        (Concern.Outcome.EXPLAINED, Concern.Outcome.EXPLAINED.label),
        (Concern.Outcome.NOT_FEASIBLE, Concern.Outcome.NOT_FEASIBLE.label),
    ]

    note = None
    result = forms.CharField(
        label=_("Result"), max_length=NOTE_MAX_LENGTH, widget=_textarea(4),
        help_text=_("Shown to the constituent and on the public progress page."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=OUTCOMES,
        help_text=_("Fixed: the problem is gone. Explained: answered, nothing to fix. Not feasible now: say why."),
    )
    photos = PhotosField(label=_("“After” photos"))

    def perform(self, *, action: str, actor, role: str) -> Concern:
        data = self.cleaned_data
        return services.concern_resolve(concern=self.concern, result=data["result"], outcome=data["outcome"],
                                        actor=actor, role=role, photos=data["photos"], action=action)


class RejectForm(ActionForm):
    note = None
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_MAX_LENGTH, widget=_textarea(3),
        help_text=_("Shown to the constituent and on the public progress page."),
    )

    def perform(self, *, action: str, actor, role: str) -> Concern:
        # The reason is the public result of a rejected concern: the constituent is told why.
        reason = self.cleaned_data["reason"]
        return services.concern_transition(concern=self.concern, action=action, actor=actor, role=role,
                                           note=reason, result=reason)


class MergeForm(ActionForm):
    note = None
    into = forms.CharField(
        label=_("Tracking code of the original concern"), max_length=16,
        help_text=_("This concern is closed as its duplicate; its constituent follows the original."),
    )

    def clean_into(self) -> Concern:
        code = self.cleaned_data["into"].strip().lower()
        if code == self.concern.tracking:
            raise forms.ValidationError(MERGE_INTO_ITSELF, code="merge_into_itself")
        # Only concerns the user may see: a code from elsewhere must not reveal whether it exists.
        concern = access.concerns_visible_to(self.user).filter(tracking=code).first()
        if concern is None:
            raise forms.ValidationError(_("No concern with this tracking code."), code="unknown_concern")
        return concern

    def perform(self, *, action: str, actor, role: str) -> Concern:
        return services.concern_merge(concern=self.concern, into=self.cleaned_data["into"], actor=actor, role=role)


class CommentForm(forms.Form):
    note = forms.CharField(label=_("Comment or progress"), max_length=NOTE_MAX_LENGTH, widget=_textarea(3))
    is_public = forms.BooleanField(
        label=_("Visible to the public"), required=False,
        help_text=_("Public progress appears on the tracking page; otherwise only the back office sees it."),
    )
    photos = PhotosField()


class PatrolForm(forms.Form):
    """A deputy's photo report from a patrol (cloud supervision, 云督政)."""

    photos = PhotosField(label=_("Photos of the problem"), required=True)
    category = TownshipChoiceField(
        label=_("Category"), queryset=lambda: Category.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    content = forms.CharField(
        label=_("What did you see?"), max_length=CONTENT_MAX_LENGTH, widget=_textarea(4)
    )
    place = forms.CharField(
        label=_("Where?"), max_length=200, required=False, help_text=_("A road, a landmark, a house number.")
    )
    village = TownshipChoiceField(
        label=_("Village"), queryset=lambda: Village.objects.all(), required=False, empty_label=_("Not sure")
    )
    # Filled by static/js/patrol.js when the deputy allows the phone's location; empty otherwise.
    latitude = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    longitude = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    token = OneTimeTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["latitude"].widget.attrs["data-patrol"] = "latitude"
        self.fields["longitude"].widget.attrs["data-patrol"] = "longitude"

    def clean(self) -> dict:
        cleaned = super().clean()
        latitude = _coordinate(cleaned.get("latitude"), limit=90)
        longitude = _coordinate(cleaned.get("longitude"), limit=180)
        # The position is a bonus the deputy cannot see or fix: a missing, half or garbled one is
        # dropped rather than blocking the report. Half a position is no position.
        if latitude is None or longitude is None:
            latitude = longitude = None
        cleaned["latitude"], cleaned["longitude"] = latitude, longitude
        return cleaned

    def submission_key(self, user) -> str:
        # Per deputy, so a token seen by anyone else can never lead them to this concern.
        return submission_key(self.cleaned_data["token"], f"patrol:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)


class HouseholdContactForm(forms.Form):
    """A deputy's visit or call to a liaison household, and in the same step, if ticked, a concern from it."""

    kind = forms.ChoiceField(label=_("Contact"), choices=HouseholdContact.Kind.choices,
                             initial=HouseholdContact.Kind.VISIT, widget=forms.RadioSelect)
    contacted_on = forms.DateField(label=_("Date"), initial=timezone.localdate,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=CONTENT_MAX_LENGTH, widget=_textarea(4),
                            help_text=_("What the household said or asked."))
    raise_concern = forms.BooleanField(
        label=_("Raise a concern from this contact"), required=False,
        help_text=_("Filed to you as a concern from a liaison household; the household gets its tracking code."),
    )
    category = TownshipChoiceField(
        label=_("Category"), queryset=lambda: Category.objects.filter(is_active=True), required=False,
        empty_label=_("Choose…"),
    )
    content = forms.CharField(
        label=_("The concern"), required=False, max_length=CONTENT_MAX_LENGTH, widget=_textarea(3),
        help_text=_("Leave empty to file the notes above."),
    )
    token = OneTimeTokenField()

    def clean_contacted_on(self):
        contacted_on = self.cleaned_data["contacted_on"]
        if contacted_on > timezone.localdate():
            raise forms.ValidationError(_("A contact cannot be in the future."), code="future")
        return contacted_on

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("raise_concern"):
            if not cleaned.get("category"):
                self.add_error("category", _("Choose the concern's category."))
            if not (cleaned.get("content") or cleaned.get("notes") or "").strip():
                self.add_error("content", _("Write the concern, or notes to file as it."))
        else:
            cleaned["category"] = None
        return cleaned

    def submission_key(self, user) -> str:
        return submission_key(self.cleaned_data["token"], f"household:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)


class HouseholdConcernForm(forms.Form):
    """Raise a concern from a contact already recorded."""

    category = TownshipChoiceField(
        label=_("Category"), queryset=lambda: Category.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    content = forms.CharField(label=_("The concern"), max_length=CONTENT_MAX_LENGTH, widget=_textarea(4))
    token = OneTimeTokenField()

    def submission_key(self, user) -> str:
        return submission_key(self.cleaned_data["token"], f"household-concern:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)
