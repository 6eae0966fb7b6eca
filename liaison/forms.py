"""Form pieces every app's forms stand on: choices and model forms that keep to the current township."""

from collections.abc import Callable

from django import forms
from django.db.models import QuerySet

from liaison.scoping import current_township


class _MadePerForm:
    """A model choice whose queryset is made for each form, inside the request's township scope.

    A queryset written in the form class would be made once, at import, outside any township
    (liaison.scoping refuses that); a unit of township B must never be offered in A's forward form.
    """

    def __init__(self, queryset: Callable[[], QuerySet], **kwargs):
        self.make_queryset = queryset
        super().__init__(queryset=None, **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)  # Django copies base_fields into every form instance
        result.queryset = self.make_queryset()
        return result


class TownshipChoiceField(_MadePerForm, forms.ModelChoiceField):
    pass


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
