"""The duty record's back-office pages: a deputy's full timeline for staff and officials, and the annual
work report (述职报告), as a printable page and a PDF, for them and for the deputy themselves."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from deputies.models import Deputy
from deputies.printing import report_pdf_bytes
from deputies.record import chosen_year, duty_record, duty_timeline, record_years
from liaison import roles

OFFICE = (roles.STAFF, roles.OFFICIAL)


def _deputy(code: str) -> Deputy:
    # Inactive deputies too: a past deputy's record stays readable in the back office.
    return get_object_or_404(Deputy.objects.select_related("site", "village"), code=code)


def _report_deputy_for_user(request: HttpRequest, code: str) -> Deputy:
    """The deputy whose report the user may read: staff and officials any deputy's, a deputy their own."""
    deputy = _deputy(code)
    if not roles.user_roles(request.user) & set(OFFICE) and deputy.user_id != request.user.pk:
        raise PermissionDenied
    return deputy


def record_context(request: HttpRequest, deputy: Deputy) -> dict:
    """Everything the staff page, the report page and its PDF show: one source for the three."""
    today = timezone.localdate()
    year = chosen_year(request.GET.get("year"), today)
    return {
        "deputy": deputy, "year": year, "years": record_years(today),
        "sections": duty_record(deputy, year), "timeline": duty_timeline(deputy, year),
    }


@require_safe
@roles.role_required(*OFFICE)
def record(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "deputies/record.html", record_context(request, _deputy(code)))


@require_safe
@roles.role_required(roles.DEPUTY, *OFFICE)
def report(request: HttpRequest, code: str) -> HttpResponse:
    context = record_context(request, _report_deputy_for_user(request, code))
    return render(request, "deputies/report.html", {**context, "for_pdf": False})


@require_safe
@roles.role_required(roles.DEPUTY, *OFFICE)
def report_pdf(request: HttpRequest, code: str) -> HttpResponse:
    context = record_context(request, _report_deputy_for_user(request, code))
    response = HttpResponse(report_pdf_bytes(request, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-{code}-{context["year"]}.pdf"'
    return response


@require_safe
@roles.role_required(roles.DEPUTY)
def my_report(request: HttpRequest) -> HttpResponse:
    """The deputy's menu entry: their own report, this year's."""
    deputy = Deputy.objects.filter(user=request.user).only("code").first()
    if deputy is None:
        raise Http404
    return redirect("deputies_staff:report", deputy.code)
