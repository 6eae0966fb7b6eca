"""Uploaded PDF files of study materials: checked by their content, not by their name or declared type."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Every PDF starts with this header (ISO 32000-1 §7.5.2). A file named .pdf that does not is something else:
# a renamed Word file, an image, an HTML page saved as PDF, or worse.
PDF_MAGIC = b"%PDF-"


def validate_pdf(value) -> None:
    """The field's validator (the form's and the service's full_clean): a real PDF, within
    settings.STUDY_PDF_MAX_BYTES. A file already stored was checked when it came in."""
    if not value or getattr(value, "_committed", False):
        return
    limit = settings.STUDY_PDF_MAX_BYTES
    if value.size > limit:
        raise ValidationError(_("The PDF file must be smaller than %(size)s."), code="pdf_too_large",
                              params={"size": filesizeformat(limit)})
    value.seek(0)
    head = value.read(len(PDF_MAGIC))
    value.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(_("This file is not a PDF. Only PDF files are accepted."), code="pdf_invalid")
