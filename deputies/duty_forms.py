"""Forms of the duty roster pages: they validate; deputies.duty persists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, DutyRule, Shift


class DutyRuleForm(forms.ModelForm):
    class Meta:
        model = DutyRule
        fields = ["days_of_month", "weekdays", "deputies_per_day", "on_holiday", "starts_at", "ends_at"]
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"}), "ends_at": forms.TimeInput(attrs={"type": "time"})}


class GenerateForm(forms.Form):
    first = forms.DateField(label=_("From the month of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=12, initial=3)


class _SiteDeputies:
    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField) and \
                    field.queryset.model is Deputy:
                field.queryset = Deputy.objects.filter(site=site, is_active=True).order_by("level", "name_pinyin")


class OverrideForm(_SiteDeputies, forms.Form):
    deputies = forms.ModelMultipleChoiceField(label=_("Deputies on duty"), queryset=Deputy.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)


class ReplaceForm(_SiteDeputies, forms.Form):
    shift = forms.ModelChoiceField(label=_("Shift given up"), queryset=Shift.objects.none())
    deputy = forms.ModelChoiceField(label=_("Replaced by"), queryset=Deputy.objects.none())

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(day=day, is_cancelled=False).select_related("deputy")
        self.fields["shift"].label_from_instance = lambda shift: shift.deputy.name


class SwapForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("Deputy of this day"), queryset=Shift.objects.none())
    other = forms.ModelChoiceField(label=_("Exchanges with (another day's shift)"), queryset=Shift.objects.none())

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(day=day, is_cancelled=False).select_related("deputy")
        self.fields["shift"].label_from_instance = lambda shift: shift.deputy.name
        self.fields["other"].queryset = (Shift.objects.filter(day__site=day.site, is_cancelled=False,
                                                              day__held_on__gte=day.held_on.replace(day=1))
                                         .exclude(day=day).select_related("deputy", "day").order_by("day__held_on"))
        self.fields["other"].label_from_instance = lambda shift: f"{shift.day.held_on:%Y-%m-%d} {shift.deputy.name}"


class SwapAskForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
