"""Form pieces every app's forms stand on: choices and model forms that keep to the current township, and
the photos and one-time token fields (a double tap files once)."""

import uuid
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from liaison.photos import MAX_PHOTOS, check_photo, clean_photo
from liaison.scoping import current_township


class _ReadOnce(ModelChoiceIterator):
    """A township's choices read in one plain query, kept by the form's own queryset for a second look.

    Django's iterator() opens a server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE, three round trips
    a select, for tables of a few dozen rows; a desk list's filters have five such selects.
    """

    def __init__(self, field):
        self.field = field  # its queryset read when the choices are: made per form, when first needed

    @property
    def queryset(self) -> QuerySet:
        return self.field.queryset

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if not self.field.kept_as:
            for obj in self.queryset:
                yield self.choice(obj)
            return
        # (Imported here: public_pages reads the models, which import this module's fields.)
        from liaison.public_pages import kept_for_township

        yield from kept_for_township(f"choices:{self.field.kept_as}:{translation.get_language()}",
                                     self._values_and_labels)

    def _values_and_labels(self) -> list[tuple]:
        field = self.field
        return [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset.all()]


class _MadePerForm:
    """A model choice whose queryset is made for each form, inside the request's township scope.

    A queryset written in the form class would be made once, at import, outside any township
    (liaison.scoping refuses that); a unit of township B must never be offered in A's forward form.

    kept_as names choices that are the same for everyone in a township (its categories, its active units) on a
    page drawn often: kept in the process while the township keeps its stamp (public_pages.kept_while_unchanged;
    any write in it, a unit's renaming as a filing, draws a new one), so a desk list's five selects read no rows.
    Only for a field whose queryset no form narrows afterwards: the kept choices are the queryset's as declared.
    """

    iterator = _ReadOnce

    def __init__(self, queryset: Callable[[], QuerySet], *, kept_as: str | None = None, **kwargs):
        self.make_queryset, self._is_per_form, self.kept_as = queryset, False, kept_as
        super().__init__(queryset=None, **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)  # Django copies base_fields into every form instance
        result._is_per_form = True
        result.widget.choices = result.choices  # the copied widget's still name the class's field
        return result

    # Made when first read, not with the form: a filing's form reads one of its two (the category it checks;
    # an empty village needs none), and a list's filters come drawn from the cache, reading none.
    @property
    def queryset(self) -> QuerySet | None:
        if self._queryset is None and self._is_per_form:
            self.queryset = self.make_queryset()
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: QuerySet | None) -> None:
        forms.ModelChoiceField.queryset.fset(self, queryset)


class QuickSelect(forms.Select):
    """A <select> written out in Python rather than through a template per option: a county's lists of sites,
    deputies or units hold hundreds of options, and Django's option template costs about 0.1 ms each (the
    cockpit's site list took 16 ms of a county request). The same HTML as forms.Select (tested), groups of
    options kept; only the first matching option is selected, as there."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen, taken = set(self.format_value(value)), False

        def option(value, label) -> str:
            nonlocal taken
            selected = not taken and str(value) in chosen
            taken |= selected
            return format_html('<option value="{}"{}>{}</option>', value, " selected" if selected else "", label)

        parts = []
        for value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value,
                                         mark_safe("".join(option(*choice) for choice in label))))  # noqa: S308
            else:
                parts.append(option("" if value is None else value, label))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           mark_safe("".join(parts)))  # noqa: S308 (each part escaped by format_html)


class TownshipChoiceField(_MadePerForm, forms.ModelChoiceField):
    widget = QuickSelect


class TownshipMultipleChoiceField(_MadePerForm, forms.ModelMultipleChoiceField):
    pass


class TownshipModelForm(forms.ModelForm):
    """A model form for a township's rows: a new row belongs to the current township, and names unique
    within a township are checked as such (the township is never a field of the form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.township_id is None and (township := current_township()) is not None:
            self.instance.township = township

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.instance.township_id is not None:
            exclusions.discard("township")
        return exclusions


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        # accept= only helps the phone's picker; the content check is clean_photo's.
        super().__init__({"accept": "image/*", "multiple": True, **(attrs or {})})


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos; cleaned to EXIF-free JPEGs (a list of ContentFile) before any view sees them."""

    widget = MultiplePhotoInput

    def __init__(self, *args, max_photos: int = MAX_PHOTOS, checked_only: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        # checked_only: the uploads themselves come back, checked by their headers (liaison.photos.check_photo),
        # for a caller that cleans them later, off the request (petitions.intake).
        self.checked_only = checked_only
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
        if self.checked_only:
            for upload in uploads:
                check_photo(upload)
            return uploads
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
    """The key a service deduplicates on (concern_submit, activity_record): the token bound to whoever submits
    it, so a token seen by someone else (a caching proxy, a shared screen) never leads to another person's row."""
    return str(uuid.uuid5(uuid.UUID(token), owner))


class DateRangeMixin:
    """A list filter's `date_from`/`date_to`: an end before the start is an error on the end."""

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
