"""The back office's forms for activities and reports to voters: filled in on a phone, at the activity."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Activity, Deputy
from liaison.forms import (
    DateRangeMixin,
    OneTimeTokenField,
    PhotosField,
    TownshipChoiceField,
    TownshipMultipleChoiceField,
    submission_key,
)

K = Activity.Kind
# Reports to voters have their own form (a deputy and the voters' rating).
ACTIVITY_KINDS = [(value, label) for value, label in K.choices if value != K.REPORT_TO_VOTERS]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _active_deputies():
    return Deputy.objects.filter(is_active=True).order_by("name_pinyin")


class _Common(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=_date_input(), initial=timezone.localdate)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_public = forms.BooleanField(
        label=_("Public"), required=False, initial=True,
        help_text=_("Shown on the public list and the deputies' pages, with its photos. Untick for internal work."),
    )
    photos = PhotosField()
    remove_photos = forms.MultipleChoiceField(label=_("Remove photos"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    token = OneTimeTokenField()

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if activity is None:
            del self.fields["remove_photos"]
        else:
            self.fields["remove_photos"].choices = [
                (str(photo.key), _("Photo %(n)d") % {"n": n}) for n, photo in enumerate(activity.photos.all(), 1)]
            if not self.fields["remove_photos"].choices:
                del self.fields["remove_photos"]

    def submission_key(self, user) -> str:
        # Per account, so a token seen by anyone else never leads them to this activity.
        return submission_key(self.cleaned_data["token"], f"activity:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)

    def photos_to_remove(self) -> list:
        keys = set(self.cleaned_data.get("remove_photos") or [])
        return [photo for photo in self.activity.photos.all() if str(photo.key) in keys] if self.activity else []


class ActivityForm(_Common):
    kind = forms.ChoiceField(label=_("Kind"), choices=ACTIVITY_KINDS)
    title = forms.CharField(label=_("Title"), max_length=100,
                            help_text=_("e.g. Visit to the grape cooperative"))
    deputies = TownshipMultipleChoiceField(
        label=_("Deputies taking part"), queryset=_active_deputies,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    enterprise = forms.CharField(label=_("Enterprise"), max_length=100, required=False,
                                 help_text=_("Enterprise visits: the enterprise visited."))
    opinions = forms.CharField(
        label=_("Opinions gathered"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Enterprise visits: one opinion per line. Each can become a concern afterwards."),
    )
    field_order = ["kind", "held_on", "title", "place", "deputies", "enterprise", "opinions", "summary", "photos",
                   "remove_photos", "is_public"]

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        super().__init__(*args, activity=activity, **kwargs)
        if activity is not None:
            # The kind of a recorded activity stays what it was: its figures and opinions depend on it.
            del self.fields["kind"]
            self.fields["opinions"].label = _("More opinions gathered")
            if not activity.is_enterprise_visit:
                del self.fields["enterprise"], self.fields["opinions"]

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        return {"held_on": activity.held_on, "title": activity.title, "place": activity.place,
                "deputies": list(activity.deputies.all()), "summary": activity.summary,
                "enterprise": activity.enterprise, "is_public": activity.is_public}

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind") or (self.activity.kind if self.activity else "")
        if kind == K.ENTERPRISE_VISIT and not (cleaned.get("enterprise") or "").strip():
            self.add_error("enterprise", _("Name the enterprise visited."))
        return cleaned

    def opinion_texts(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("opinions") or "").splitlines() if line.strip()]


class ReportToVotersForm(_Common):
    deputy = TownshipChoiceField(label=_("Deputy reporting"), queryset=_active_deputies, empty_label=_("Choose…"))
    voters_present = forms.IntegerField(label=_("Voters present"), min_value=1, max_value=100_000)
    report = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("The report as given, or its main points."))
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, initial=0)
    basically_satisfied = forms.IntegerField(label=_("Basically satisfied"), min_value=0, initial=0)
    dissatisfied = forms.IntegerField(label=_("Dissatisfied"), min_value=0, initial=0)
    field_order = ["deputy", "held_on", "place", "voters_present", "report", "satisfied", "basically_satisfied",
                   "dissatisfied", "photos", "remove_photos", "is_public"]

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        super().__init__(*args, activity=activity, **kwargs)
        for name in ("voters_present", "satisfied", "basically_satisfied", "dissatisfied"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        if activity is not None:
            del self.fields["deputy"]  # a correction never moves a report to another deputy

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        session = activity.report
        return {"held_on": activity.held_on, "place": activity.place, "is_public": activity.is_public,
                "voters_present": session.voters_present, "report": session.report,
                "satisfied": session.satisfied, "basically_satisfied": session.basically_satisfied,
                "dissatisfied": session.dissatisfied}

    def clean(self) -> dict:
        cleaned = super().clean()
        ratings = sum(cleaned.get(name) or 0 for name in ("satisfied", "basically_satisfied", "dissatisfied"))
        if cleaned.get("voters_present") and ratings > cleaned["voters_present"]:
            self.add_error("dissatisfied", _("More ratings than voters present."))
        return cleaned


class ActivityFilterForm(DateRangeMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *K.choices])
    # Held on or after, on or before: the cockpit's count of a period's activities links here with them.
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
