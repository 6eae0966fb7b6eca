"""The back office's form for a study material."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.files import validate_pdf
from dashboard.models import StudyCategory, StudyMaterial
from liaison.forms import TownshipChoiceField


def _categories():
    return StudyCategory.objects.order_by("position", "pk")


class StudyMaterialForm(forms.Form):
    category = TownshipChoiceField(label=_("Category"), queryset=_categories,
                                   help_text=_("Categories are kept in the administration."))
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Body text"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Plain text; an empty line starts a new paragraph."))
    pdf = forms.FileField(label=_("PDF file"), required=False, validators=[validate_pdf],
                          widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))
    remove_pdf = forms.BooleanField(label=_("Remove the PDF file"), required=False)
    audience = forms.ChoiceField(label=_("Who may read it"), choices=StudyMaterial.Audience.choices,
                                 initial=StudyMaterial.Audience.PUBLIC, widget=forms.RadioSelect)
    is_published = forms.BooleanField(label=_("Published"), required=False,
                                      help_text=_("Untick to keep it as a draft only the back office sees."))

    def __init__(self, *args, material: StudyMaterial | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.material = material
        if material is None or not material.pdf:
            del self.fields["remove_pdf"]
        else:
            self.fields["pdf"].help_text = _("Choose a file only to replace the one it has.")

    @staticmethod
    def initial_for(material: StudyMaterial) -> dict:
        return {"category": material.category_id, "title": material.title, "body": material.body,
                "audience": material.audience, "is_published": material.is_published}

    def clean(self):
        data = super().clean()
        keeps_file = bool(self.material and self.material.pdf) and not data.get("remove_pdf")
        if "pdf" in self.errors:  # a file was chosen, and refused: its own message says why
            return data
        if not (data.get("body") or "").strip() and not data.get("pdf") and not keeps_file:
            raise forms.ValidationError(_("Give the material a text, a PDF file, or both."), code="empty")
        return data
