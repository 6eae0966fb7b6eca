"""Form fields and checks shared by the forms that take mobiles, photos, one-time tokens and date ranges."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The photo, one-time token and date-range helpers moved to liaison.forms (activities use them too); imported
# here as before.
from liaison.forms import DateRangeMixin, MultiplePhotoInput, OneTimeTokenField, PhotosField, submission_key  # noqa: F401
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
