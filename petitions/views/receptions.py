"""The station desk: record walk-ins, keep the reception register, file concerns for callers.

Station staff (and superusers) do everything; township officials read, export and print
the register but do not record.
"""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from liaison import roles
from petitions.access import role_required, user_roles
from petitions.forms.receptions import (
    ConcernRowFormSet,
    PhoneConcernForm,
    ReceptionFilterForm,
    ReceptionForm,
)
from petitions.models import Reception
from petitions.receptions import (
    concern_file_by_phone,
    reception_record,
    reception_search,
)

_PAGE_SIZE = 50
_RECORDERS = {roles.STAFF}
_READERS = {roles.STAFF, roles.OFFICIAL}


@require_http_methods(["GET", "POST"])
@role_required(*_RECORDERS)
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReceptionForm(request.POST)
        rows = ConcernRowFormSet(request.POST, prefix="concerns")
        if form.is_valid() and rows.is_valid():
            data = form.cleaned_data
            try:
                reception = reception_record(
                    received_on=data["received_on"], site=data["site"], deputies=data["deputies"],
                    mobile=data["mobile"], name=data["name"], village=data["village"],
                    visitor_count=data["visitor_count"], matters=data["matters"], answer=data["answer"],
                    satisfaction=data["satisfaction"], recorded_by=request.user, new_concerns=rows.new_concerns(),
                )
            except ValidationError as err:
                form.add_error(None, err.messages)
            else:
                messages.success(request, _recorded_message(reception))
                return redirect("receptions:new" if "another" in request.POST else "receptions:list")
    else:
        form = ReceptionForm()
        rows = ConcernRowFormSet(prefix="concerns")
    return render(request, "petitions/receptions/new.html", {"form": form, "rows": rows, "may_record": True})


def _recorded_message(reception: Reception) -> str:
    codes = [concern.tracking for concern in reception.concerns.order_by("created_at")]
    if not codes:
        return _("Reception recorded; its matters stand as answered on the spot.")
    return ngettext(
        "Reception recorded with %(n)d concern: %(codes)s.",
        "Reception recorded with %(n)d concerns: %(codes)s.",
        len(codes),
    ) % {"n": len(codes), "codes": ", ".join(codes)}


def _filtered(request: HttpRequest) -> tuple[ReceptionFilterForm, dict, str]:
    """The filter form, the filters it yields, and the query string to carry them to other pages."""
    form = ReceptionFilterForm(request.GET or None)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return form, form.filters(), querystring.urlencode()


@require_GET
@role_required(*_READERS)
def register(request: HttpRequest) -> HttpResponse:
    form, filters, querystring = _filtered(request)
    page = Paginator(reception_search(**filters), _PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/receptions/list.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring,
            "may_record": bool(user_roles(request.user) & _RECORDERS),
        },
    )


def _date_range(filters: dict, receptions: list[Reception]) -> tuple[datetime.date | None, datetime.date | None]:
    """The range asked for, or else the one the rows span: what the printed form and the file name show."""
    dates = [reception.received_on for reception in receptions]
    start = filters["date_from"] or (min(dates) if dates else None)
    end = filters["date_to"] or (max(dates) if dates else None)
    return start, end


def _register_row(reception: Reception) -> dict:
    return {
        "received_on": reception.received_on,
        "site": reception.site.name,
        "deputies": "、".join(deputy.name for deputy in reception.deputies.all()),
        "visitor": reception.constituent.name,
        "mobile": reception.constituent.mobile,
        "village": reception.village.name if reception.village else "",
        "visitor_count": reception.visitor_count,
        "matters": reception.matters,
        "answer": reception.answer,
        "satisfaction": reception.get_satisfaction_display(),
        "codes": ", ".join(concern.tracking for concern in reception.concerns.all()),
    }


def _export_columns() -> list[tuple[str, str, int]]:
    """(row key, header, width in characters); Chinese takes two character widths."""
    return [
        ("received_on", _("Date"), 12),
        ("site", _("Site"), 20),
        ("deputies", _("Deputies on duty"), 20),
        ("visitor", _("Visitor"), 10),
        ("mobile", _("Mobile"), 14),
        ("village", _("Village"), 12),
        ("visitor_count", _("Number of visitors"), 10),
        ("matters", _("Matters raised"), 50),
        ("answer", _("Answer / handling"), 50),
        ("satisfaction", _("Satisfaction"), 12),
        ("codes", _("Concern codes"), 16),
    ]


def _register_xlsx(receptions: list[Reception]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    columns = _export_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reception register")[:31]
    sheet.append([header for _key, header, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for reception in receptions:
        row = _register_row(reception)
        sheet.append([row[key] for key, _header, _width in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (key, _header, width) in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = wrap
            if key == "received_on":
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_GET
@role_required(*_READERS)
def export(request: HttpRequest) -> HttpResponse:
    _form, filters, _querystring = _filtered(request)
    receptions = list(reception_search(**filters))
    start, end = _date_range(filters, receptions)
    span = f"_{start:%Y%m%d}-{end:%Y%m%d}" if start and end else ""
    response = HttpResponse(
        _register_xlsx(receptions), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="reception-register{span}.xlsx"'
    return response


@require_GET
@role_required(*_READERS)
def print_register(request: HttpRequest) -> HttpResponse:
    _form, filters, querystring = _filtered(request)
    receptions = list(reception_search(**filters))
    start, end = _date_range(filters, receptions)
    return render(
        request,
        "petitions/receptions/print.html",
        {"receptions": receptions, "start": start, "end": end, "querystring": querystring},
    )


@require_http_methods(["GET", "POST"])
@role_required(*_RECORDERS)
def phone(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PhoneConcernForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                concern = concern_file_by_phone(
                    mobile=data["mobile"], name=data["name"], village=data["village"], category=data["category"],
                    content=data["content"], recorded_by=request.user, submission_key=data["submission_key"],
                )
            except ValidationError as err:
                form.add_error(None, err.messages)
            else:
                messages.success(request, _("Concern filed. Tracking code: %(code)s.") % {"code": concern.tracking})
                try:
                    return redirect(reverse("desk:concern", args=[concern.tracking]))
                except NoReverseMatch:  # an install without the back-office case page
                    return redirect("receptions:phone")
    else:
        form = PhoneConcernForm()
    return render(request, "petitions/receptions/phone.html", {"form": form, "may_record": True})
