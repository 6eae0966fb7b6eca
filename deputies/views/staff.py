import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.forms import ImportForm, WindowFilterForm
from deputies.importing import deputies_import, template_rows
from deputies.printing import window_context, window_pdf_bytes
from liaison.scoping import one_township_required
from liaison.spreadsheets import XLSX_CONTENT_TYPE, Column, csv_text, write_xlsx


@login_required
@permission_required("deputies.print_window", raise_exception=True)
def window(request: HttpRequest) -> HttpResponse:
    form = WindowFilterForm(request.GET)
    if not form.is_valid():
        # A site or level that is not (or no longer) there: say so rather than print the wrong window.
        return render(request, "deputies/window.html", {"form": form, "groups": [], "sites": [], "for_pdf": False})
    context = window_context(site=form.cleaned_data["site"], level=form.cleaned_data["level"])
    return render(request, "deputies/window.html", {**context, "form": form, "for_pdf": False})


@login_required
@permission_required("deputies.print_window", raise_exception=True)
def window_pdf(request: HttpRequest) -> HttpResponse:
    form = WindowFilterForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('deputies_staff:window')}?{request.GET.urlencode()}")
    pdf = window_pdf_bytes(request, site=form.cleaned_data["site"], level=form.cleaned_data["level"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{form.filename()}"'
    return response


@login_required
@permission_required("deputies.import_deputies", raise_exception=True)
@one_township_required
def import_deputies(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = deputies_import(upload=form.cleaned_data["file"])
            if result.ok:
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("deputies_staff:import")
    else:
        form = ImportForm()
    return render(request, "deputies/import.html", {"form": form, "result": result})


@login_required
@permission_required("deputies.import_deputies", raise_exception=True)
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    headers = template_rows()
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow([csv_text(header) for header in headers])
        # The BOM makes Excel open the UTF-8 file with Chinese intact.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        file, _is_cut = write_xlsx(title=_("Deputies"), sheet_title=_("Deputies"),
                                   columns=[Column(header, 16, str) for header in headers], records=[], limit=0)
        with file:
            response = HttpResponse(file.read(), content_type=XLSX_CONTENT_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="deputies-template.{fmt}"'
    return response
