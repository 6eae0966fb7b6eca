"""The case page's forms for a constituent's data: corrections and erasure on request (petitions.privacy)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Village
from liaison.forms import TownshipChoiceField
from petitions.fields import MobileField
from petitions.forms.work import CONTENT_MAX_LENGTH


class _Reasoned(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, without names or numbers: the audit log keeps it for ever."),
    )


class ConcernCorrectForm(_Reasoned):
    content = forms.CharField(label=_("The concern"), max_length=CONTENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    field_order = ["content", "place", "reason"]


class ConstituentCorrectForm(_Reasoned):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    # Empty keeps the number: the page does not fill in a number it shows masked until someone reveals it.
    mobile = MobileField(required=False, help_text=_("Empty: the number stays as it is."))
    village = TownshipChoiceField(label=_("Village"), queryset=lambda: Village.objects.all(), required=False)
    field_order = ["name", "mobile", "village", "reason"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class EraseForm(_Reasoned):
    """Erasing on request: only a reason."""


class RevealForm(forms.Form):
    """Showing a full mobile number: the reason is asked, not required (staff call people back all day)."""

    reason = forms.CharField(label=_("Why"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. to call back")}))
