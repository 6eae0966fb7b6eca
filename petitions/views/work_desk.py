"""The desk list's two actions on many concerns at once: forward the ticked ones, export the filtered ones."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from liaison import roles
from liaison.audit import Action, audit_record
from liaison.roles import role_required
from liaison.scoping import one_township_required
from petitions import access, exports, selectors, workflow
from petitions.desk import concern_forward_many
from petitions.forms.work import BulkForwardForm, ConcernFilterForm
from petitions.views.work import acting_role

_DESK = (roles.OFFICIAL, roles.STAFF)


def _list_url(query: str) -> str:
    """The desk list with the filters it was left with; only the query string comes from the request."""
    query = QueryDict(query).urlencode()
    return reverse("desk:concerns") + (f"?{query}" if query else "")


@require_POST
@role_required(*_DESK)
@one_township_required
def forward(request: HttpRequest) -> HttpResponse:
    back = _list_url(request.POST.get("next", ""))
    form = BulkForwardForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    forwarded, refused = concern_forward_many(
        trackings=data["concerns"], candidates=access.concerns_visible_to(request.user), unit=data["unit"],
        deadline_on=data["deadline_on"], note=data["note"], actor=request.user,
        role=acting_role(access.user_roles(request.user), workflow.ACTIONS["assign"].roles),
    )
    if forwarded:
        messages.success(request, ngettext(
            "%(n)d concern forwarded to %(unit)s.", "%(n)d concerns forwarded to %(unit)s.", len(forwarded)
        ) % {"n": len(forwarded), "unit": data["unit"].name})
    if refused:
        # One message, a line per case (the desk's stylesheet keeps the line breaks).
        heading = ngettext("%(n)d concern not forwarded:", "%(n)d concerns not forwarded:", len(refused))
        lines = [heading % {"n": len(refused)}, *(f"{refusal.tracking} — {refusal.reason}" for refusal in refused)]
        messages.error(request, "\n".join(lines))
    return redirect(back)


# never_cache: the file carries constituents' full names and mobiles.
@never_cache
@require_safe
@role_required(*_DESK)
def export(request: HttpRequest) -> HttpResponse:
    form = ConcernFilterForm(request.GET)
    filters = form.filters()
    date_from, date_to = filters.get("date_from"), filters.get("date_to")
    if not (date_from and date_to):
        # A whole station's history is rarely what is meant, and is what a row cap would cut.
        messages.error(request, _("To export, choose the filing dates first (from and until)."))
        for error in form.errors.get("date_to", []):
            messages.error(request, error)
        return redirect(_list_url(request.GET.urlencode()))
    concerns = selectors.concern_list(user=request.user, filters=filters).select_related("constituent")
    file, _is_cut, filename = exports.concern_list_xlsx(
        concerns, date_from=date_from, date_to=date_to, limit=settings.EXPORT_ROW_LIMIT
    )
    # The file holds full names and mobiles: it leaves the system, and the audit log says who took it.
    audit_record(actor=request.user, action=Action.EXPORT, label=filename)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)
