from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Village
from liaison.forms import TownshipChoiceField
from petitions.forms.work import CONTENT_MAX_LENGTH
from petitions.models import Category


class OpinionConcernForm(forms.Form):
    """An enterprise's opinion as a concern: its text (to tidy up), a category, the deputy to follow it."""

    content = forms.CharField(label=_("The concern"), max_length=CONTENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 5}))
    category = TownshipChoiceField(
        label=_("Category"), queryset=lambda: Category.objects.filter(is_active=True), empty_label=_("Choose…"))
    deputy = forms.ModelChoiceField(label=_("Deputy to follow it"), queryset=Deputy.objects.none(), required=False,
                                    empty_label=_("The station"))
    village = TownshipChoiceField(label=_("Village"), queryset=lambda: Village.objects.all(), required=False,
                                  empty_label=_("Not sure"))

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the deputies who made the visit: they heard the opinion.
        self.fields["deputy"].queryset = deputies
