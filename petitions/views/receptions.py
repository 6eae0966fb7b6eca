"""The station desk: record walk-ins, keep the reception register, file concerns for callers.

Station staff (and superusers) do everything; township officials read, export and print
the register but do not record.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from liaison import roles
from liaison.audit import Action, audit_record
from liaison.roles import role_required, user_roles
from liaison.scoping import one_township_required
from petitions.exports import XLSX_CONTENT_TYPE, reception_register_xlsx, register_span
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
from petitions.views.work_privacy import revealed_mobiles

_PAGE_SIZE = 50
_RECORDERS = {roles.STAFF}
_READERS = {roles.STAFF, roles.OFFICIAL}


# never_cache on the desk forms: each carries a one-time token; a cached copy would reuse one token.
@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*_RECORDERS)
@one_township_required
def new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReceptionForm(request.POST)
        rows = ConcernRowFormSet(request.POST, prefix="concerns")
        if form.is_valid() and rows.is_valid():
            data = form.cleaned_data
            try:
                reception, created = reception_record(
                    received_on=data["received_on"], site=data["site"], deputies=data["deputies"],
                    mobile=data["mobile"], name=data["name"], village=data["village"],
                    visitor_count=data["visitor_count"], matters=data["matters"], answer=data["answer"],
                    satisfaction=data["satisfaction"], recorded_by=request.user, new_concerns=rows.new_concerns(),
                    submission_key=form.submission_key(request.user),
                )
            except ValidationError as err:
                form.add_error(None, err.messages)
            else:
                if created:
                    messages.success(request, _recorded_message(reception))
                else:
                    messages.info(request, _already_recorded_message(reception))
                return redirect("receptions:new" if "another" in request.POST else "receptions:list")
    else:
        form = ReceptionForm(initial={"token": ReceptionForm.new_token()})
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


def _already_recorded_message(reception: Reception) -> str:
    codes = [concern.tracking for concern in reception.concerns.order_by("created_at")]
    if not codes:
        return _("This reception was already recorded; it was not recorded again.")
    return _("This reception was already recorded; it was not recorded again. Its concerns: %(codes)s.") % {
        "codes": ", ".join(codes)}


def _filtered(request: HttpRequest) -> tuple[ReceptionFilterForm, dict]:
    """The filter form and the filters it yields."""
    form = ReceptionFilterForm(request.GET or None)
    return form, form.filters()


@require_safe
@role_required(*_READERS)
def register(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    page = Paginator(reception_search(**filters), _PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/receptions/list.html",
        {
            "form": form,
            "page": page,
            "may_record": bool(user_roles(request.user) & _RECORDERS),
            "has_export_range": bool(filters["date_from"] and filters["date_to"]),
            "export_limit": settings.EXPORT_ROW_LIMIT,
            "is_over_export_limit": page.paginator.count > settings.EXPORT_ROW_LIMIT,
            # Mobiles show masked; one is shown in full on request, audited (docs/privacy.md).
            "revealed": revealed_mobiles(request),
        },
    )


# never_cache: the file carries constituents' full names and mobiles.
@never_cache
@require_safe
@role_required(*_READERS)
def export(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    date_from, date_to = filters["date_from"], filters["date_to"]
    if not (date_from and date_to):
        # The same rule as the concern list's export: one period at a time, under the row cap.
        messages.error(request, _("To export, choose the dates first (from and to)."))
        for error in form.errors.get("date_to", []):
            messages.error(request, error)
        query = request.GET.urlencode()
        return redirect(reverse("receptions:list") + (f"?{query}" if query else ""))
    file, _is_cut, filename = reception_register_xlsx(
        reception_search(**filters), date_from=date_from, date_to=date_to, limit=settings.EXPORT_ROW_LIMIT
    )
    # The file holds full names and mobiles: it leaves the system, and the audit log says who took it.
    audit_record(actor=request.user, action=Action.EXPORT, label=filename)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@require_safe
@role_required(*_READERS)
def print_register(request: HttpRequest) -> HttpResponse:
    _form, filters = _filtered(request)
    if not (filters["date_from"] or filters["date_to"]):
        # The paper register is kept month by month; without a range, a year of rows ran to dozens of pages.
        today = timezone.localdate()
        filters["date_from"], filters["date_to"] = today.replace(day=1), today
    receptions = list(reception_search(**filters))
    start, end = register_span(receptions, date_from=filters["date_from"], date_to=filters["date_to"])
    # The paper register carries full names and mobiles: printing it is an export.
    audit_record(actor=request.user, action=Action.EXPORT, label=f"register print {start}–{end}")
    # The range form on the page changes the dates and keeps the list's other filters.
    kept = [{"name": name, "value": request.GET[name]} for name in ("deputy", "village", "site", "q")
            if request.GET.get(name)]
    return render(
        request,
        "petitions/receptions/print.html",
        {"receptions": receptions, "start": start, "end": end, "kept_filters": kept},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*_RECORDERS)
@one_township_required
def phone(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PhoneConcernForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                concern, created = concern_file_by_phone(
                    mobile=data["mobile"], name=data["name"], village=data["village"], category=data["category"],
                    content=data["content"], recorded_by=request.user,
                    submission_key=form.submission_key(request.user),
                )
            except ValidationError as err:
                form.add_error(None, err.messages)
            else:
                if created:
                    messages.success(request, _("Concern filed. Tracking code: %(code)s.") % {"code": concern.tracking})
                else:
                    messages.info(request, _("This concern was already recorded; it was not filed again. "
                                             "Tracking code: %(code)s.") % {"code": concern.tracking})
                return redirect("desk:concern", concern.tracking)
    else:
        form = PhoneConcernForm(initial={"token": PhoneConcernForm.new_token()})
    return render(request, "petitions/receptions/phone.html", {"form": form, "may_record": True})
