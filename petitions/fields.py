"""Form fields and checks shared by the forms that take mobiles, photos, one-time tokens and date ranges."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

# The photo fields moved to liaison.forms (activities take photos too); imported from here as before.
from liaison.forms import MultiplePhotoInput, PhotosField  # noqa: F401
from liaison.validators import mobile_validator, normalise_mobile


class MobileField(forms.CharField):
    """A mainland mobile number, as people type it: spaces, dashes and a +86 prefix are dropped."""

    default_validators = (mobile_validator,)

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile"))
        kwargs.setdefault("max_length", 20)  # room for spaces; 11 digits after cleaning
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def to_python(self, value):
        return normalise_mobile(super().to_python(value))


class OneTimeTokenField(forms.CharField):
    """A hidden token issued with the empty form, so a double tap or a resubmit files once.

    A missing or mangled token only loses that protection; it never blocks the form.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            return str(uuid.uuid4())

    @staticmethod
    def new() -> str:
        return str(uuid.uuid4())


def submission_key(token: str, owner: str) -> str:
    """The key concern_submit deduplicates on: the token bound to whoever submits it, so a token
    seen by someone else (a caching proxy, a shared screen) never leads to another person's concern."""
    return str(uuid.uuid5(uuid.UUID(token), owner))


class DateRangeMixin:
    """A list filter's `date_from`/`date_to`: an end before the start is an error on the end."""

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
