from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.forms import OneTimeTokenField, submission_key
from petitions.models import Concern, Suggestion, Unit
from projects.models import Candidate, LivelihoodProject


def _words(text: str) -> set[str]:
    """What was typed in a field of codes or numbers, separated by spaces or commas (also Chinese ones)."""
    return set(text.replace(",", " ").replace("，", " ").replace("、", " ").split())


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["title", "description", "source", "source_department", "screening_notes", "status"]

    concern_codes = forms.CharField(
        label=_("Concerns behind it"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their tracking codes, separated by spaces or commas: the demand is counted from them."))
    suggestion_numbers = forms.CharField(
        label=_("Suggestions behind it"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their numbers (12 for the suggestion at /desk/suggestions/12/), separated by spaces or "
                    "commas: they count in the demand too."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in (Candidate.Status.RESERVE,
                                                                       Candidate.Status.SCREENED)]


    def clean_concern_codes(self) -> list:
        codes = {code.lower() for code in _words(self.cleaned_data["concern_codes"])}  # tracking codes: lower case
        found = list(Concern.objects.filter(tracking__in=codes))
        missing = codes - {c.tracking for c in found}
        if missing:
            raise forms.ValidationError(_("No such concern: %(codes)s") % {"codes": ", ".join(sorted(missing))})
        return found

    def clean_suggestion_numbers(self) -> list:
        words = _words(self.cleaned_data["suggestion_numbers"].replace("#", " ").replace("＃", " "))
        numbers = {int(w) for w in words if w.isascii() and w.isdigit()}
        # A draft is not a suggestion yet: only those its deputy has submitted.
        found = list(Suggestion.objects.filter(pk__in=numbers).exclude(status=Suggestion.Status.DRAFT))
        missing = sorted(str(n) for n in numbers - {s.pk for s in found})
        missing += sorted(w for w in words if not (w.isascii() and w.isdigit()))
        if missing:
            raise forms.ValidationError(_("No such suggestion: %(numbers)s") % {"numbers": ", ".join(missing)})
        return found


class SessionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    held_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    seats = forms.IntegerField(label=_("places"), min_value=1, max_value=100)
    candidates = forms.ModelMultipleChoiceField(label=_("candidates"), queryset=Candidate.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = Candidate.objects.filter(
            status__in=[Candidate.Status.RESERVE, Candidate.Status.SCREENED]).order_by("pk")


class BallotForm(forms.Form):
    """The ballot: tick at most `seats` candidates."""

    choices = forms.ModelMultipleChoiceField(label=_("Projects you vote for"), queryset=Candidate.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, session, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        field = self.fields["choices"]
        field.queryset = session.candidates.order_by("pk")
        field.choices = [(c.pk, c.title) for c in candidates]  # no second query to draw the boxes
        field.help_text = _("Tick at most %(seats)s.") % {"seats": session.seats}


class PaperBallotForm(BallotForm):
    """A paper from the box: its ticks, or "blank" said out loud, so a form sent empty by mistake (after Back)
    is not counted as a blank ballot; and a one-time token, so a double tap enters it once."""

    blank = forms.BooleanField(label=_("This paper is blank or spoilt (no project ticked)"), required=False)
    token = OneTimeTokenField()

    def clean(self):
        data = super().clean()
        if not data.get("choices") and not data.get("blank"):
            raise forms.ValidationError(_("Tick the projects marked on the paper, or say it is blank."),
                                        code="empty")
        if data.get("choices") and data.get("blank"):
            raise forms.ValidationError(_("A paper with ticks is not blank."), code="not_blank")
        return data

    def submission_key(self, user) -> str:
        return submission_key(self.cleaned_data["token"], f"paper:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)


class PaperVotersForm(forms.Form):
    """Sign in the deputies who handed in a paper ballot: those of the township congress who have not voted."""

    deputies = forms.ModelMultipleChoiceField(label=_("Deputies who voted on paper"), queryset=Deputy.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = (Deputy.objects.filter(is_active=True, level=Deputy.Level.TOWNSHIP)
                                            .exclude(project_ballots__session=session).order_by("name", "pk"))


class ProjectForm(forms.ModelForm):
    # Declared: a model form's own choice fields would query units and deputies outside any township's scope.
    responsible_unit = forms.ModelChoiceField(label=_("responsible unit"), queryset=Unit.objects.none(),
                                              required=False)
    supervisors = forms.ModelMultipleChoiceField(label=_("supervising deputies"), queryset=Deputy.objects.none(),
                                                 required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = LivelihoodProject
        fields = ["responsible_unit", "supervisors", "budget", "planned_start", "planned_end", "actual_start",
                  "actual_end"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in (
            "planned_start", "planned_end", "actual_start", "actual_end")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = Deputy.objects.filter(is_active=True)
        self.fields["responsible_unit"].queryset = Unit.objects.all()
