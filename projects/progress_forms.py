"""The forms of a project's back-office page: milestones, supervision comments and answers, ratings."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deputies.models import Deputy
from liaison.forms import PhotosField
from projects.models import Milestone, SupervisionComment, YearEndRating

TEXT_MAX_LENGTH = 2000


def _date(**kwargs) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _text(label, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": rows}),
                           **kwargs)


class MilestoneForm(forms.Form):
    """A milestone added after the others; reached at once when its date reached is given."""

    title = forms.CharField(label=Milestone._meta.get_field("title").verbose_name, max_length=120)
    planned_on = _date(label=_("Planned date"), required=False)
    progress = forms.IntegerField(label=_("Progress of the whole project (%)"), min_value=0, max_value=100,
                                  help_text=_("Not less than an earlier milestone's."))
    reached_on = _date(label=_("Date reached"), required=False, help_text=_("Leave blank until it is reached."))
    note = _text(_("Note"), required=False)
    photos = PhotosField()


class ReachForm(forms.Form):
    reached_on = _date(label=_("Date reached"), initial=timezone.localdate)
    note = _text(_("What was done"), required=False)
    photos = PhotosField()


class CommentForm(forms.Form):
    text = _text(SupervisionComment._meta.get_field("text").verbose_name, rows=4)
    photos = PhotosField()


class AnswerForm(forms.Form):
    answer = _text(_("Answer"), rows=3)


class RatingForm(forms.Form):
    """A deputy's own rating (`deputies` None), or one entered from paper by the station (choose the deputy)."""

    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    grade = forms.ChoiceField(label=pgettext_lazy("year-end rating", "Rating"), choices=YearEndRating.Grade.choices,
                              widget=forms.RadioSelect)

    def __init__(self, *args, years, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in reversed(years)]
        self.fields["year"].initial = years[-1]
        if deputies is None:
            del self.fields["deputy"]
        else:
            self.fields["deputy"].queryset = deputies
