from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Site, Village
from liaison.forms import TownshipChoiceField, TownshipMultipleChoiceField
from petitions.fields import DateRangeMixin, MobileField, OneTimeTokenField, submission_key
from petitions.models import Category, Reception


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class _DeputiesBySite(ModelChoiceIterator):
    """Deputies grouped by their site, the chosen site's group first: the desk finds today's deputies at once."""

    def __iter__(self):
        groups: dict = {}
        for deputy in sorted(self.queryset, key=self.field.display_order):
            groups.setdefault(deputy.site, []).append(self.choice(deputy))
        for site, choices in groups.items():
            yield (site.name if site else gettext("No site"), choices)


class DeputiesField(TownshipMultipleChoiceField):
    """Active deputies by site; cleans to a list in the order shown, so "the first ticked" means what it says."""

    iterator = _DeputiesBySite

    def __init__(self, **kwargs):
        self.first_site: Site | None = None
        super().__init__(queryset=lambda: Deputy.objects.filter(is_active=True).select_related("site"), **kwargs)

    def display_order(self, deputy: Deputy) -> tuple:
        site = deputy.site
        return (site != self.first_site, site is None, site.name if site else "", deputy.level, deputy.name)

    def clean(self, value) -> list[Deputy]:
        return sorted(super().clean(value), key=self.display_order)


def _default_site() -> Site | None:
    return Site.objects.filter(kind=Site.Kind.STATION, is_active=True).order_by("pk").first()


class ReceptionForm(forms.Form):
    received_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=_DateInput())
    site = TownshipChoiceField(label=_("Site"), queryset=lambda: Site.objects.filter(is_active=True))
    deputies = DeputiesField(
        label=_("Deputies on duty"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one ticked receives the concerns made below."),
    )
    name = forms.CharField(label=_("Visitor's name"), max_length=50)
    mobile = MobileField()
    village = TownshipChoiceField(label=_("Village"), queryset=lambda: Village.objects.all(), required=False)
    visitor_count = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=999, initial=1)
    matters = forms.CharField(label=_("Matters raised"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(
        label=_("Answered on the spot"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the visitor was told at the desk. Matters needing follow-up go into the rows below."),
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), required=False, choices=[("", "—"), *Reception.Satisfaction.choices]
    )
    token = OneTimeTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default_site = _default_site()
        if default_site and not self.is_bound:
            self.fields["site"].initial = default_site
        chosen = self.data.get("site") if self.is_bound else None
        deputies_field = self.fields["deputies"]
        deputies_field.first_site = (
            Site.objects.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else default_site
        )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def submission_key(self, user) -> str:
        # Per desk user, so a token seen by anyone else can never lead them to this reception.
        return submission_key(self.cleaned_data["token"], f"reception:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)


class ConcernRowForm(forms.Form):
    """One matter to follow up as a concern; a row left blank is skipped."""

    content = forms.CharField(
        label=_("Concern"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    category = TownshipChoiceField(
        label=_("Category"), required=False, queryset=lambda: Category.objects.filter(is_active=True)
    )

    def clean(self):
        cleaned = super().clean()
        content = (cleaned.get("content") or "").strip()
        cleaned["content"] = content
        if content and not cleaned.get("category"):
            self.add_error("category", _("Choose a category for this concern."))
        if cleaned.get("category") and not content:
            self.add_error("content", _("Write what the concern is, or clear its category."))
        return cleaned


class _ConcernRowFormSet(forms.BaseFormSet):
    def new_concerns(self) -> list[dict]:
        """The filled rows, as reception_record takes them (call after is_valid())."""
        return [
            {"content": row.cleaned_data["content"], "category": row.cleaned_data["category"]}
            for row in self.forms
            if row.cleaned_data.get("content")
        ]


ConcernRowFormSet = forms.formset_factory(
    ConcernRowForm, formset=_ConcernRowFormSet, extra=3, max_num=10, validate_max=True
)


class ReceptionFilterForm(DateRangeMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=_DateInput())
    deputy = TownshipChoiceField(
        label=_("Deputy"), required=False, queryset=lambda: Deputy.objects.order_by("name"), empty_label=_("All deputies")
    )
    village = TownshipChoiceField(
        label=_("Village"), required=False, queryset=lambda: Village.objects.all(), empty_label=_("All villages")
    )
    site = TownshipChoiceField(
        label=_("Site"), required=False, queryset=lambda: Site.objects.order_by("kind", "name"),
        empty_label=_("All sites"), to_field_name="code",
    )
    q = forms.CharField(label=_("Text"), required=False, max_length=100,
                        help_text=_("Matters, answer, visitor's name or mobile."))

    def filters(self) -> dict:
        """The valid filters as reception_search takes them; an invalid one is left out, not the whole search."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "deputy": data.get("deputy"),
            "village": data.get("village"),
            "site": data.get("site"),
            "query": (data.get("q") or "").strip(),
        }


class PhoneConcernForm(forms.Form):
    mobile = MobileField(help_text=_("The caller's mobile; the tracking code is sent to it."))
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    village = TownshipChoiceField(label=_("Village"), queryset=lambda: Village.objects.all(), required=False)
    category = TownshipChoiceField(label=_("Category"), queryset=lambda: Category.objects.filter(is_active=True))
    content = forms.CharField(label=_("What the caller raised"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    token = OneTimeTokenField()

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_content(self) -> str:
        return self.cleaned_data["content"].strip()

    def submission_key(self, user) -> str:
        # Per desk user, so a token seen by anyone else can never lead them to this concern.
        return submission_key(self.cleaned_data["token"], f"phone:{user.pk}")

    new_token = staticmethod(OneTimeTokenField.new)
