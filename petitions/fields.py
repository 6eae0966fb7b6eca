"""Form fields shared by every form that takes photos."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from petitions.photos import MAX_PHOTOS, clean_photo


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
