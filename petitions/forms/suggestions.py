"""Forms of deputies' suggestions: filing, one form per workflow action (named in
petitions.suggestion_workflow.ACTIONS), co-signing invitations and co-handlers' views."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.forms import DateRangeMixin, TownshipChoiceField, TownshipMultipleChoiceField
from petitions import suggestion_services as services
from petitions.forms.work import CONTENT_MAX_LENGTH, NOTE_MAX_LENGTH
from petitions.models import AnswerCategory, Suggestion, Unit


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class CosignerOption:
    """One deputy in the co-signer picker (templates/petitions/work/partials/cosigner_picker.html)."""

    value: int
    name: str
    village: str
    search: str  # what the filter matches: name, village, pinyin and its initials, lower case
    checked: bool
    shown: bool  # matches the filter (a ticked one is always shown: a filter never hides a choice made)


def _search_text(deputy: Deputy) -> str:
    # name_pinyin is "wang2 zhi4 hui4 王智慧": the syllables without tones, then "wangzhihui" and "wzh".
    syllables = ["".join(ch for ch in part if ch.isalpha()) for part in deputy.name_pinyin.split(" ")[:-1]]
    village = deputy.village.name if deputy.village_id else ""
    return " ".join([deputy.name, village, "".join(syllables), "".join(s[:1] for s in syllables)]).lower()


class SuggestionForm(forms.Form):
    """A deputy's new suggestion: one matter, with the deputies invited to co-sign."""

    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content (one matter)"), max_length=CONTENT_MAX_LENGTH, widget=_textarea(6))
    kind = forms.ChoiceField(label=_("Kind"), choices=Suggestion.Kind.choices, initial=Suggestion.Kind.LIVELIHOOD)
    cosigners = TownshipMultipleChoiceField(
        label=_("Invite co-signers"), required=False,
        queryset=lambda: Deputy.objects.filter(is_active=True).select_related("village").only(
            "pk", "name", "name_pinyin", "township_id", "village__name").order_by("name_pinyin"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each invited deputy confirms from their desk; the suggestion is submitted after that."),
    )

    def __init__(self, *args, deputy: Deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputy = deputy
        self.fields["cosigners"].queryset = self.fields["cosigners"].queryset.filter(
            township_id=deputy.township_id).exclude(pk=deputy.pk)

    def cosigner_options(self, query: str = "") -> list[CosignerOption]:
        """The picker's deputies (one query), those matching `query` (name, village or pinyin) marked shown;
        the ticked ones are kept ticked and always shown."""
        ticked = {str(value) for value in self["cosigners"].value() or []}
        words = query.lower().split()
        options = []
        for deputy in self.fields["cosigners"].queryset:
            search = _search_text(deputy)
            checked = str(deputy.pk) in ticked
            options.append(CosignerOption(
                value=deputy.pk, name=deputy.name, village=deputy.village.name if deputy.village_id else "",
                search=search, checked=checked, shown=checked or all(word in search for word in words)))
        return options

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


class StatusFilterForm(DateRangeMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Suggestion.Status.choices])
    # Submitted between two days, and a cockpit figure (answered, adopted): how the cockpit links here.
    date_from = forms.DateField(label=_("Submitted from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    date_to = forms.DateField(label=_("until (included)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    figure = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                               choices=[("", ""), ("answered", _("Answered")), ("adopted", _("Adopted"))])
