"""The cockpit (officials and staff; a county official per township or for the whole county), and its .xlsx."""

from django import forms
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dashboard import cockpit, cockpit_export
from deputies.models import Site
from liaison import roles
from liaison.forms import QuickSelect, TownshipChoiceField
from liaison.public_pages import cached_fragment
from liaison.roles import role_required
from liaison.scoping import is_county_user, townships_in_scope
from petitions.fields import DateRangeMixin


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")


class CockpitForm(DateRangeMixin, forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), required=False, initial=cockpit.DEFAULT_PERIOD,
        choices=[("month", _("This month")), ("quarter", _("This quarter")), ("year", _("This year")),
                 ("custom", _("Chosen dates"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("until (included)"), required=False, widget=_date_input())
    site = TownshipChoiceField(
        label=_("Site"), required=False, queryset=lambda: Site.objects.order_by("kind", "name"),
        empty_label=_("All sites"), to_field_name="code",
        widget=QuickSelect(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if len(townships_in_scope()) > 1:  # a county's sites share names ("第一片区联络点"): say whose
            field = self.fields["site"]
            field.queryset = field.queryset.select_related("township").order_by("township__position", "kind", "name")
            field.label_from_instance = lambda site: f"{site.township.name} · {site.name}"

    def choice(self) -> tuple[str, cockpit.Period, Site | None]:
        """The period kind, the period and the site asked for. The dates count only with "chosen dates"
        (or without a period, as a link may give them); a bad value falls back to its default."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("period") or ("custom" if data.get("date_from") else cockpit.DEFAULT_PERIOD)
        if kind == "custom" and not data.get("date_from"):
            kind = cockpit.DEFAULT_PERIOD
        period = cockpit.period_of(kind, today=timezone.localdate(), date_from=data.get("date_from"),
                                   date_to=data.get("date_to"))
        return kind, period, data.get("site")


def _data(request: HttpRequest) -> tuple[CockpitForm, dict]:
    form = CockpitForm(request.GET or None)
    kind, period, site = form.choice()
    # A county account looking at the whole county (liaison.county): the townships side by side too.
    roll_up = is_county_user(request.user) and request.township is None
    return form, cockpit.cockpit_data(kind=kind, period=period, site=site, roll_up=roll_up)


@require_safe
@role_required(roles.OFFICIAL, roles.STAFF)
def cockpit_page(request: HttpRequest) -> HttpResponse:
    form, data = _data(request)
    # Drawing it took most of a request (30 of 48 ms at county scale) while the figures stood still between
    # counts: kept as drawn from them, for this user, path and language (liaison.public_pages).
    body = cached_fragment(request, "dashboard/partials/cockpit_body.html", lambda: {
        "form": form, "data": data, "cache_minutes": max(1, settings.COCKPIT_CACHE_SECONDS // 60),
        "charts": cockpit.chart_data(data),
    }, drawn_from=data["count"])
    return render(request, "dashboard/cockpit.html", {"body": body})


@require_safe
@role_required(roles.OFFICIAL, roles.STAFF)
def export(request: HttpRequest) -> FileResponse:
    _form, data = _data(request)
    file, filename = cockpit_export.cockpit_xlsx(data)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=cockpit_export.XLSX_CONTENT_TYPE)
