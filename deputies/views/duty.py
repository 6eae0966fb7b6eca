"""The duty roster's back-office pages (staff and officials: calendar, adjustments, balance, swap requests;
deputies: their shifts, swap requests, check-in by the site's QR code) and the public calendar feed."""

import datetime

import icalendar
from django.contrib import messages
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from deputies import duty as services
from deputies.duty_forms import DutyRuleForm, GenerateForm, OverrideForm, ReplaceForm, SwapAskForm, SwapForm
from deputies.duty_selectors import (
    duty_balance,
    duty_days_of_month,
    duty_month_grid,
    feed_shifts,
    shifts_of_deputy,
    swap_requests_open,
)
from deputies.duty_workflow import ACTIONS, DutyError
from deputies.models import Deputy, DutyDay, DutyFeed, DutyRule, Shift, Site, SwapRequest
from liaison import roles
from liaison.roles import role_required
from liaison.scoping import county_wide, found_in_township, one_township_required

OFFICE = (roles.STAFF, roles.OFFICIAL)


def _sites():
    """The township's active sites, the station first (it holds the regular duty days), then by name."""
    return Site.objects.filter(is_active=True).order_by(
        Case(When(kind=Site.Kind.STATION, then=0), default=1), "kind", "name")


def _site(request: HttpRequest) -> Site:
    """The site the page is about (?site=<code>), else the township's station."""
    sites = _sites()
    code = request.POST.get("site") or request.GET.get("site")
    site = sites.filter(code=code).first() if code else sites.first()
    if site is None:
        raise Http404
    return site


def _month(request: HttpRequest) -> datetime.date:
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _roster_url(site: Site, month: datetime.date) -> str:
    return f"{reverse('duty:roster')}?site={site.code}&month={month:%Y-%m}"


def _deputy_of(request: HttpRequest) -> Deputy:
    deputy = Deputy.objects.filter(user=request.user).select_related("site").first()
    if deputy is None:
        raise Http404
    return deputy


@require_safe
@role_required(*OFFICE)
@one_township_required
def roster(request: HttpRequest) -> HttpResponse:
    site, month = _site(request), _month(request)
    days = duty_days_of_month(site=site, year=month.year, month=month.month)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    rule = DutyRule.objects.filter(site=site).first()
    return render(request, "deputies/duty/roster.html", {
        "site": site, "sites": _sites(), "month": month,
        "weeks": duty_month_grid(year=month.year, month=month.month, days=days), "days": days,
        "previous": previous, "following": following, "rule": rule,
        "rule_form": DutyRuleForm(instance=rule), "generate_form": GenerateForm(initial={"first": month}),
        "weekday_names": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "unpublished": sum(1 for day in days if not day.is_published),
    })


@require_POST
@role_required(*OFFICE)
@one_township_required
def rule_save(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    form = DutyRuleForm(request.POST, instance=DutyRule.objects.filter(site=site).first())
    if form.is_valid():
        services.duty_rule_save(site=site, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(request, _("The duty rule is saved."))
    else:
        messages.error(request, _("The duty rule was not saved: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(_roster_url(site, _month(request)))


@require_POST
@role_required(*OFFICE)
@one_township_required
def generate(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    form = GenerateForm(request.POST)
    first = form.cleaned_data["first"] if form.is_valid() else timezone.localdate()
    if form.is_valid():
        try:
            filled = services.roster_generate(site=site, first=first, months=form.cleaned_data["months"])
            messages.success(request, _("Rotation made: %(n)d duty days filled.") % {"n": filled})
        except DutyError as error:
            messages.error(request, error.message)
    return redirect(_roster_url(site, first.replace(day=1)))


@require_POST
@role_required(*OFFICE)
@one_township_required
def publish(request: HttpRequest) -> HttpResponse:
    site, month = _site(request), _month(request)
    published = services.duty_month_publish(site=site, year=month.year, month=month.month)
    messages.success(request, _("%(n)d duty days published.") % {"n": published})
    return redirect(_roster_url(site, month))


def _day_context(day: DutyDay, **forms) -> dict:
    return {
        "day": day, "standing": list(day.shifts.filter(is_cancelled=False).select_related("deputy", "checked_in_by")),
        "given_up": list(day.shifts.filter(is_cancelled=True).select_related("deputy")),
        "override_form": forms.get("override") or OverrideForm(site=day.site, initial={
            "deputies": [s.deputy_id for s in day.shifts.filter(is_cancelled=False)]}),
        "replace_form": forms.get("replace") or ReplaceForm(site=day.site, day=day),
        "swap_form": forms.get("swap") or SwapForm(day=day),
        "site_deputies": Deputy.objects.filter(site=day.site, is_active=True).order_by("level", "name_pinyin"),
    }


def _day(pk: int) -> DutyDay:
    return get_object_or_404(DutyDay.objects.select_related("site"), pk=pk)


@require_safe
@role_required(*OFFICE)
@one_township_required
def day_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "deputies/duty/day.html", _day_context(_day(pk)))


def _day_change(request: HttpRequest, pk: int, form_class, key: str, act) -> HttpResponse:
    day = _day(pk)
    form = form_class(request.POST, site=day.site, day=day) if form_class is ReplaceForm else (
        form_class(request.POST, day=day) if form_class is SwapForm else form_class(request.POST, site=day.site))
    if form.is_valid():
        try:
            act(day, form.cleaned_data)
            messages.success(request, _("The duty day is changed."))
            return redirect("duty:day", pk=day.pk)
        except DutyError as error:
            messages.error(request, error.message)
    return render(request, "deputies/duty/day.html", _day_context(day, **{key: form}))


@require_POST
@role_required(*OFFICE)
@one_township_required
def override(request: HttpRequest, pk: int) -> HttpResponse:
    return _day_change(request, pk, OverrideForm, "override",
                       lambda day, data: services.duty_day_override(day=day, deputies=list(data["deputies"])))


@require_POST
@role_required(*OFFICE)
@one_township_required
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    return _day_change(request, pk, ReplaceForm, "replace",
                       lambda day, data: services.shift_replace(shift=data["shift"], deputy=data["deputy"]))


@require_POST
@role_required(*OFFICE)
@one_township_required
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    return _day_change(request, pk, SwapForm, "swap",
                       lambda day, data: services.shift_swap(first=data["shift"], second=data["other"]))


@require_POST
@role_required(*OFFICE)
@one_township_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day(pk)
    present = [int(value) for value in request.POST.getlist("present") if value.isdigit()]
    services.duty_day_attendance(day=day, present=present, by=request.user)
    messages.success(request, _("Attendance is saved."))
    return redirect("duty:day", pk=day.pk)


@require_safe
@role_required(*OFFICE)
@one_township_required
def balance(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    today = timezone.localdate()
    years = range(today.year - 2, today.year + 2)
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else today.year  # only the years offered
    return render(request, "deputies/duty/balance.html", {
        "site": site, "sites": _sites(), "year": year,
        "rows": duty_balance(site=site, year=year, today=today), "years": years,
    })


@require_safe
@role_required(*OFFICE)
@one_township_required
def swap_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "deputies/duty/swaps.html", {"requests": swap_requests_open(), "actions": ACTIONS})


@require_POST
@role_required(roles.DEPUTY, *OFFICE)
@one_township_required
def swap_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    held = roles.user_roles(request.user)
    role = next((r for r in (roles.STAFF, roles.OFFICIAL) if r in held), roles.DEPUTY)
    if action in ("take", "cancel") and roles.DEPUTY in held:
        role = roles.DEPUTY
    swap_request = get_object_or_404(SwapRequest, pk=pk)
    deputy = Deputy.objects.filter(user=request.user).first()
    try:
        services.swap_transition(request=swap_request, action=action, role=role, user=request.user, deputy=deputy)
        messages.success(request, _("Done: %(action)s.") % {"action": ACTIONS[action].label})
    except DutyError as error:
        messages.error(request, error.message)
    return redirect("duty:mine" if role == roles.DEPUTY else "duty:swaps")


@require_safe
@role_required(roles.DEPUTY)
def mine(request: HttpRequest) -> HttpResponse:
    deputy = _deputy_of(request)
    feed = services.duty_feed_get_or_create(deputy=deputy)
    today = timezone.localdate()
    others = swap_requests_open(site=deputy.site).exclude(requested_by=deputy).filter(
        status=SwapRequest.Status.REQUESTED) if deputy.site_id else SwapRequest.objects.none()
    return render(request, "deputies/duty/mine.html", {
        "deputy": deputy, "shifts": shifts_of_deputy(deputy=deputy, since=today - datetime.timedelta(days=60)),
        "others": others, "today": today, "ask_form": SwapAskForm(),
        "feed_url": request.build_absolute_uri(reverse("duty_feed:ics", args=[feed.token])),
    })


@require_POST
@role_required(roles.DEPUTY)
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift.objects.select_related("day"), pk=pk, deputy=_deputy_of(request))
    form = SwapAskForm(request.POST)
    try:
        services.swap_request_create(shift=shift, note=form.cleaned_data["note"] if form.is_valid() else "")
        messages.success(request, _("Your day is offered to the other deputies of the site."))
    except DutyError as error:
        messages.error(request, error.message)
    return redirect("duty:mine")


@require_POST
@role_required(roles.DEPUTY)
def feed_revoke(request: HttpRequest) -> HttpResponse:
    """A new secret calendar link for the deputy; the old one stops working."""
    services.duty_feed_revoke(deputy=_deputy_of(request))
    messages.success(request, _("A new calendar link is made; the old one no longer works."))
    return redirect("duty:mine")


@require_POST
@role_required(*OFFICE)
@one_township_required
def feed_revoke_for(request: HttpRequest, code: str) -> HttpResponse:
    """Staff revoke a deputy's calendar link (a lost phone, a link shared by mistake)."""
    deputy = get_object_or_404(Deputy.objects.select_related("site"), code=code)
    services.duty_feed_revoke(deputy=deputy)
    messages.success(request, _("A new calendar link is made for %(name)s; the old one no longer works.")
                     % {"name": deputy.name})
    return redirect(f"{reverse('duty:balance')}?site={deputy.site.code if deputy.site else ''}")


@require_POST
@role_required(roles.DEPUTY)
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    """A deputy on the site's page, on their duty day: checked in. Back to the site page."""
    site = get_object_or_404(Site, code=code)
    try:
        services.deputy_check_in_at_site(deputy=_deputy_of(request), site=site, by=request.user)
        messages.success(request, _("You are checked in. Thank you for your duty today."))
    except DutyError as error:
        messages.error(request, error.message)
    return redirect("sites:site", code=site.code)


# --- the public calendar feed ---------------------------------------------------------------------

@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The deputy's final shifts as iCalendar; the secret token is the only key (404 once revoked)."""
    with county_wide():
        found = DutyFeed.objects.filter(token=token).select_related("deputy", "township").first()
    found = found_in_township(request, found)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//deputy liaison station//duty roster//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Duty days: %(name)s") % {"name": found.deputy.name})
    for shift in feed_shifts(deputy=found.deputy):
        rule = getattr(shift.day.site, "duty_rule", None)
        starts = rule.starts_at if rule else datetime.time(9, 0)
        ends = rule.ends_at if rule else datetime.time(11, 30)
        zone = timezone.get_current_timezone()
        event = icalendar.Event()
        event.add("uid", f"duty-shift-{shift.pk}@{shift.township.code}")
        event.add("summary", _("On duty at %(site)s") % {"site": shift.day.site.name})
        event.add("location", shift.day.site.address or shift.day.site.name)
        event.add("dtstart", datetime.datetime.combine(shift.day.held_on, starts, tzinfo=zone))
        event.add("dtend", datetime.datetime.combine(shift.day.held_on, ends, tzinfo=zone))
        event.add("dtstamp", shift.updated_at)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
