"""Forms a constituent fills in without an account: filing, looking up, verifying, rating."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deputies.models import Village
from liaison.forms import TownshipChoiceField
from petitions import messages
from petitions.fields import MobileField, OneTimeTokenField, PhotosField, submission_key
from petitions.models import Category, Concern

CONTENT_MAX_LENGTH = 2000
_STARTED_SALT = "petitions.concern-form.started"


def form_started(at: datetime.datetime | None = None) -> str:
    """The moment the empty filing form was handed out, signed: the fill-time check reads it back."""
    return signing.dumps((at or timezone.now()).timestamp(), salt=_STARTED_SALT)


def _seconds_since(started: str) -> float | None:
    try:
        return timezone.now().timestamp() - float(signing.loads(started, salt=_STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _without_spaces(value: str) -> str:
    # Phones insert spaces when a number is pasted ("138 1234 5678"); SMS codes get typed with them.
    return "".join((value or "").split())


class _CategoryField(TownshipChoiceField):
    """The filing's category, checked against the township's active categories when the view has them kept
    (petitions.views.public): a crowd names the same few, and their query was a tenth of a filing's CPU."""

    known: dict | None = None  # {pk: Category}

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value}) from None


class ConcernFileForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    mobile = MobileField(label=_("Mobile number"), help_text=_("We send the tracking code to this number by SMS."))
    village = TownshipChoiceField(
        label=_("Village"), queryset=lambda: Village.objects.all(), required=False, empty_label=_("Other / not sure")
    )
    category = _CategoryField(
        label=_("What is it about?"), queryset=lambda: Category.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    content = forms.CharField(
        label=_("Your concern"),
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, since when, and what you would like done."),
    )
    place = forms.CharField(label=_("Where exactly?"), max_length=200, required=False,
                            help_text=_("Optional: a house number, a road, a landmark."))
    photos = PhotosField(checked_only=True)  # cleaned by the worker (petitions.intake)
    is_public = forms.BooleanField(
        label=_("The station may show this concern publicly without my name."), required=False
    )
    token = OneTimeTokenField()
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # The hidden field: people never see it (site.css hides .form-extra; screen readers skip it,
    # aria-hidden; the keyboard skips it, tabindex -1), a program filling in every field fills it too.
    # Filled in, the concern is held for review, never refused: a person whose browser filled it
    # in by mistake loses nothing.
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, categories: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].known = categories

    @cached_property
    def helper(self) -> FormHelper:  # drawing only: a filing that passes its checks is never drawn
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        fields: list = [name for name in self.fields if name != "website"]
        fields.insert(fields.index("mobile") + 1, Div("website", css_class="form-extra", aria_hidden="true"))
        helper.layout = Layout(*fields)
        return helper

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("mobile"):
            cleaned["submission_key"] = submission_key(cleaned["token"], cleaned["mobile"])
        cleaned["held_because"] = self._held_because(cleaned)
        return cleaned

    @staticmethod
    def _held_because(cleaned: dict) -> str:
        """Why this filing looks sent by a program (a note for the staff), or "". A form re-shown after an
        error keeps its first opening time, so correcting a mistake quickly is not "too fast"."""
        if cleaned.get("website"):
            return messages.hold_note("hidden_field")
        seconds = _seconds_since(cleaned.get("started") or "")
        if seconds is None:
            return messages.hold_note("no_start")
        if seconds < settings.FILING_MIN_SECONDS:
            return messages.hold_note("too_fast", seconds=max(int(seconds), 0), minimum=settings.FILING_MIN_SECONDS)
        return ""

    # The hidden inputs each visitor gets new values of, also when the empty form comes from the cache.
    FRESH = {"token": OneTimeTokenField.new, "started": form_started}

    @classmethod
    def initial_values(cls) -> dict:
        return {name: new() for name, new in cls.FRESH.items()}


class TrackingLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("It is in the SMS we sent when you filed your concern."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return _without_spaces(self.cleaned_data["code"]).lower()


class VerifyMobileForm(forms.Form):
    last4 = forms.CharField(
        label=_("Last four digits of your mobile number"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
    )

    def clean_last4(self) -> str:
        value = _without_spaces(self.cleaned_data["last4"])
        RegexValidator(r"^\d{4}$", _("Enter exactly four digits."))(value)
        return value


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Concern.Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("rating", "Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("If you are not satisfied, tell us what is still wrong: the case goes back to the handler."),
    )
