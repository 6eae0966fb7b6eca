"""Form fields and checks shared by the forms that take mobiles, photos, one-time tokens and date ranges."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.photos import MAX_PHOTOS, clean_photo
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


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        # accept= only helps the phone's picker; the content check is clean_photo's.
        super().__init__({"accept": "image/*", "multiple": True, **(attrs or {})})


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos; cleaned to EXIF-free JPEGs (a list of ContentFile) before any view sees them."""

    widget = MultiplePhotoInput

    def __init__(self, *args, max_photos: int = MAX_PHOTOS, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", _("Up to %(n)d photos. Location data is removed.") % {"n": max_photos})
        self.max_photos = max_photos
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_photos:
            raise ValidationError(_("At most %(n)d photos.") % {"n": self.max_photos}, code="too_many_photos")
        return [clean_photo(upload) for upload in uploads]


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
