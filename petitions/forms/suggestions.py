"""Forms of deputies' suggestions: filing, one form per workflow action (named in
petitions.suggestion_workflow.ACTIONS), co-signing invitations and co-handlers' views."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.forms import TownshipChoiceField, TownshipMultipleChoiceField
from petitions import suggestion_services as services
from petitions.forms.work import CONTENT_MAX_LENGTH, NOTE_MAX_LENGTH
from petitions.models import AnswerCategory, Suggestion, Unit


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SuggestionForm(forms.Form):
    """A deputy's new suggestion: one matter, with the deputies invited to co-sign."""

    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content (one matter)"), max_length=CONTENT_MAX_LENGTH, widget=_textarea(6))
    kind = forms.ChoiceField(label=_("Kind"), choices=Suggestion.Kind.choices, initial=Suggestion.Kind.LIVELIHOOD)
    cosigners = TownshipMultipleChoiceField(
        label=_("Invite co-signers"), required=False, queryset=lambda: Deputy.objects.only("pk", "name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each invited deputy confirms from their desk; the suggestion is submitted after that."),
    )

    def __init__(self, *args, deputy: Deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputy = deputy
        self.fields["cosigners"].queryset = self.fields["cosigners"].queryset.filter(
            township_id=deputy.township_id).exclude(pk=deputy.pk)

    def save(self, *, actor, concerns=()) -> Suggestion:
        data = self.cleaned_data
        return services.suggestion_create(deputy=self.deputy, title=data["title"], content=data["content"],
                                          kind=data["kind"], cosigners=data["cosigners"], concerns=concerns,
                                          actor=actor)


class SuggestionActionForm(forms.Form):
    """The base form of a move: an optional note (submit, accept, the ratings)."""

    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=_textarea(2))

    def __init__(self, *args, suggestion: Suggestion, user, **kwargs):
        self.suggestion, self.user = suggestion, user
        super().__init__(*args, **kwargs)

    def extra(self) -> dict:
        return {}

    def perform(self, *, action: str, actor, role: str) -> Suggestion:
        return services.suggestion_transition(suggestion=self.suggestion, action=action, actor=actor, role=role,
                                              note=self.cleaned_data["note"], **self.extra())


class SuggestionReasonForm(SuggestionActionForm):
    """Return, not satisfied, follow-up: the note is required."""

    note = forms.CharField(label=_("Reason or note"), max_length=NOTE_MAX_LENGTH, widget=_textarea(3))


class SuggestionAssignForm(SuggestionActionForm):
    lead_unit = TownshipChoiceField(
        label=_("Lead unit"), queryset=lambda: Unit.objects.filter(is_active=True), empty_label=_("Choose…"))
    co_units = TownshipMultipleChoiceField(
        label=_("Co-handling units"), required=False, queryset=lambda: Unit.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple)

    def extra(self) -> dict:
        return {"lead_unit": self.cleaned_data["lead_unit"], "co_units": list(self.cleaned_data["co_units"])}


class SuggestionAnswerForm(SuggestionActionForm):
    answer = forms.CharField(label=_("Written answer"), max_length=CONTENT_MAX_LENGTH, widget=_textarea(6))
    answer_category = TownshipChoiceField(label=_("Answer category"), queryset=lambda: AnswerCategory.objects.all(),
                                          empty_label=_("Choose…"))
    note = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_category"].queryset = services.answer_categories(township=self.suggestion.township)

    def extra(self) -> dict:
        return {"answer": self.cleaned_data["answer"], "answer_category": self.cleaned_data["answer_category"]}


class SuggestionExtendForm(SuggestionActionForm):
    answer_by = forms.DateField(label=_("New answer deadline"), widget=_date())

    def extra(self) -> dict:
        return {"answer_by": self.cleaned_data["answer_by"]}


class CoViewForm(forms.Form):
    view = forms.CharField(label=_("Your unit's view for the lead unit"), max_length=CONTENT_MAX_LENGTH,
                           widget=_textarea(4))


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Suggestion.Status.choices])
