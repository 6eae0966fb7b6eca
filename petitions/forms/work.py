"""Forms of the back office: the concern list's filters, one form per workflow action, comments, patrol reports."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Village
from petitions import access, services
from petitions.fields import OneTimeTokenField, PhotosField, submission_key
from petitions.messages import MERGE_INTO_ITSELF
from petitions.models import Category, Concern, Unit
from petitions.selectors import NO_OUTCOME

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


class ConcernFilterForm(forms.Form):
    q = forms.CharField(label=_("Tracking code or text"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Concern.Status.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("All categories")
    )
    village = forms.ModelChoiceField(
        label=_("Village"), required=False, queryset=Village.objects.all(), empty_label=_("All villages")
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy"), required=False, queryset=Deputy.objects.order_by("name"), empty_label=_("All deputies")
    )
    unit = forms.ModelChoiceField(
        label=_("Handling unit"), required=False, queryset=Unit.objects.all(), empty_label=_("All units")
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Concern.Channel.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False,
        choices=[("", _("All outcomes")), *Concern.Outcome.choices, (NO_OUTCOME, _("No outcome yet"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


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

    unit = forms.ModelChoiceField(
        label=_("Handling unit"), queryset=Unit.objects.filter(is_active=True), empty_label=_("Choose…")
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
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    content = forms.CharField(
        label=_("What did you see?"), max_length=CONTENT_MAX_LENGTH, widget=_textarea(4)
    )
    place = forms.CharField(
        label=_("Where?"), max_length=200, required=False, help_text=_("A road, a landmark, a house number.")
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.all(), required=False, empty_label=_("Not sure")
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
