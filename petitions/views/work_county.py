"""The county people's congress's view of every township's concerns, side by side and rolled up."""

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from liaison import roles
from liaison.roles import role_required
from liaison.scoping import county_townships, enter_scope
from petitions import selectors
from petitions.fields import DateRangeMixin

# The figures shown per township, in order: (key of concern_counts, column header).
COLUMNS = [
    ("total", _("Received")),
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("resolved_awaiting_rating", _("Awaiting rating")),
    ("fixed", _("Fixed")),
    ("explained", _("Explained")),
    ("not_feasible", _("Not feasible now")),
    ("rejected", _("Rejected")),
    ("duplicate", _("Duplicate")),
    ("satisfied", _("Satisfied")),
    ("basic", _("Basically satisfied")),
    ("unsatisfied", _("Not satisfied")),
]


class PeriodForm(DateRangeMixin, forms.Form):
    date_from = forms.DateField(label=_("Filed from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    date_to = forms.DateField(label=_("until (included)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))


@require_safe
@role_required(roles.COUNTY_OFFICIAL, roles.ADMIN)
def county(request: HttpRequest) -> HttpResponse:
    # Always the whole county, whichever township the header's chooser is on: this page compares them.
    townships = county_townships(request.user)
    enter_scope(request, townships)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    until = period.get("date_to")
    # The end date is included: counts run up to the start of the next day.
    rows = selectors.concern_counts_by_township(
        since=period.get("date_from"), until=until and until + datetime.timedelta(days=1))
    by_code = {row["township"]: row for row in rows}
    empty = dict.fromkeys((key for key, _label in COLUMNS), 0)
    table = [{"township": t, "figures": [by_code.get(t.code, empty)[key] for key, _label in COLUMNS]}
             for t in townships]
    totals = selectors.county_totals(rows) or empty
    return render(request, "petitions/work/county.html", {
        "form": form, "columns": [label for _key, label in COLUMNS], "table": table,
        "totals": [totals[key] for key, _label in COLUMNS], "county": townships[0].county if townships else None,
    })
