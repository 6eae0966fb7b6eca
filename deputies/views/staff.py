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
from liaison.roles import back_office


@back_office
@login_required
@permission_required("deputies.print_window", raise_exception=True)
def window(request: HttpRequest) -> HttpResponse:
    form = WindowFilterForm(request.GET)
    if not form.is_valid():
        # A site or level that is not (or no longer) there: say so rather than print the wrong window.
        return render(request, "deputies/window.html", {"form": form, "groups": [], "sites": [], "for_pdf": False})
    context = window_context(site=form.cleaned_data["site"], level=form.cleaned_data["level"])
    return render(request, "deputies/window.html", {**context, "form": form, "for_pdf": False})


@back_office
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


@back_office
@login_required
@permission_required("deputies.import_deputies", raise_exception=True)
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


@back_office
@login_required
@permission_required("deputies.import_deputies", raise_exception=True)
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    headers = template_rows()
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow(headers)
        # The BOM makes Excel open the UTF-8 file with Chinese intact.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Deputies")
        sheet.append(headers)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 16
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="deputies-template.{fmt}"'
    return response
