from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Site, Village
from liaison.forms import TownshipChoiceField


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None,
        choices=[("", _("All levels")), *Deputy.Level.choices],
    )
    site = TownshipChoiceField(
        label=_("Site"), required=False, queryset=lambda: Site.objects.filter(is_active=True), empty_label=_("All sites")
    )
    village = TownshipChoiceField(
        label=_("Village"), required=False, queryset=lambda: Village.objects.all(), empty_label=_("All villages")
    )
    # Set by the letter index's links, not shown as a field.
    letter = forms.CharField(required=False, max_length=1)

    def clean_letter(self) -> str:
        letter = self.cleaned_data["letter"].upper()
        if letter and not "A" <= letter <= "Z":
            raise forms.ValidationError(_("Choose a letter from A to Z."))
        return letter


class WindowFilterForm(forms.Form):
    """Which image window to print: one site's, one level's, or (both empty) the whole station's."""

    site = TownshipChoiceField(
        label=_("Site"), required=False, queryset=lambda: Site.objects.filter(is_active=True), empty_label=_("All sites")
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None,
        choices=[("", _("All levels")), *Deputy.Level.choices],
    )

    def filename(self) -> str:
        """The PDF's file name, saying which window it holds (call after is_valid())."""
        site, level = self.cleaned_data.get("site"), self.cleaned_data.get("level")
        parts = ["deputy-window", site.code if site else "", Deputy.Level(level).name.lower() if level else ""]
        return "-".join(part for part in parts if part) + ".pdf"


class ImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024  # ~50,000 rows of deputies: far more than any station has

    file = forms.FileField(
        label=_("Spreadsheet"), help_text=_("An .xlsx or .csv file laid out like the template.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into several files."))
        return upload
