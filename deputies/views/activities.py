"""Activities and reports to voters: the public list and pages (with photos), and the back office's pages
to record and correct them from a phone (station staff and officials)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from deputies import activities as service
from deputies.activity_forms import ActivityFilterForm, ActivityForm, ReportToVotersForm
from deputies.models import Activity, ActivityPhoto
from liaison import roles
from liaison.roles import role_required
from liaison.scoping import back_office_scope, county_wide, found_in_township, one_township_required, scope_of

PUBLIC_PAGE_SIZE = 12
OFFICE_PAGE_SIZE = 30
OFFICE = (roles.STAFF, roles.OFFICIAL)

# --- public -----------------------------------------------------------------------------------------


@require_safe
def activity_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(service.activity_list_public(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deputies/activities/list.html", {"page": page})


@require_safe
def activity_page(request: HttpRequest, code: str) -> HttpResponse:
    activity = found_in_township(request, service.activity_get_public(code=code))
    return render(request, "deputies/activities/public_detail.html",
                  {"activity": service.activity_details(activity)})


@require_safe
def photo(request: HttpRequest, key) -> FileResponse:
    """An activity's photo: anyone's when the activity is public, else only its township's back office
    (staff and officials); everyone else gets a 404, as if it did not exist."""
    with county_wide():
        picture = ActivityPhoto.objects.select_related("activity").filter(key=key).first()
    if picture is None:
        raise Http404
    is_public = picture.activity.is_public
    if not is_public:
        # The viewer's own back office, whatever the host: a township's account never sees another's.
        with scope_of(back_office_scope(request)):
            allowed = (bool(roles.user_roles(request.user) & set(OFFICE))
                       and ActivityPhoto.objects.filter(pk=picture.pk).exists())
        if not allowed:
            raise Http404
    response = FileResponse(picture.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400" if is_public else "private, max-age=3600"
    return response


# --- back office ------------------------------------------------------------------------------------


def _get_activity_for_office(code: str) -> Activity:
    activity = service.activity_get_office(code=code)
    if activity is None:
        raise Http404
    return activity


@require_safe
@role_required(*OFFICE)
def office_list(request: HttpRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    activities = service.activity_list_office(kind=data.get("kind", ""), date_from=data.get("date_from"),
                                              date_to=data.get("date_to"))
    page = Paginator(activities, OFFICE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deputies/activities/office_list.html", {"page": page, "form": form})


@require_safe
@role_required(*OFFICE)
def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "deputies/activities/office_detail.html", {"activity": _get_activity_for_office(code)})


def _saved(request: HttpRequest, activity: Activity, *, created: bool) -> HttpResponse:
    messages.success(request, _("The activity is recorded.") if created else _("The activity is updated."))
    return redirect("activities_staff:activity", activity.code)


# never_cache: the form carries a one-time token; a copy kept for Back would offer the used token again.
@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
@one_township_required
def activity_new(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, request.FILES or None, initial={"token": ActivityForm.new_token()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = service.activity_record(
                kind=data["kind"], held_on=data["held_on"], title=data["title"], place=data["place"],
                deputies=data["deputies"], summary=data["summary"], enterprise=data["enterprise"],
                is_public=data["is_public"], photos=data["photos"], opinions=form.opinion_texts(),
                recorded_by=request.user, submission_key=form.submission_key(request.user))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, activity, created=True)
    return render(request, "deputies/activities/form.html", {"form": form, "heading": _("Record an activity")})


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
@one_township_required
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportToVotersForm(request.POST or None, request.FILES or None,
                              initial={"token": ReportToVotersForm.new_token()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = service.report_to_voters_record(
                deputy=data["deputy"], held_on=data["held_on"], place=data["place"],
                voters_present=data["voters_present"], report=data["report"], satisfied=data["satisfied"],
                basically_satisfied=data["basically_satisfied"], dissatisfied=data["dissatisfied"],
                is_public=data["is_public"], photos=data["photos"], recorded_by=request.user,
                submission_key=form.submission_key(request.user))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, session.activity, created=True)
    return render(request, "deputies/activities/form.html",
                  {"form": form, "heading": _("Record a report to voters")})


@require_http_methods(["GET", "POST"])
@role_required(*OFFICE)
def activity_edit(request: HttpRequest, code: str) -> HttpResponse:
    activity = _get_activity_for_office(code)
    form_class = ReportToVotersForm if activity.is_report_to_voters else ActivityForm
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, activity=activity)
    else:
        form = form_class(initial=form_class.initial_for(activity), activity=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if activity.is_report_to_voters:
                service.report_to_voters_update(
                    session=activity.report, held_on=data["held_on"], place=data["place"],
                    voters_present=data["voters_present"], report=data["report"], satisfied=data["satisfied"],
                    basically_satisfied=data["basically_satisfied"], dissatisfied=data["dissatisfied"],
                    is_public=data["is_public"], photos=data["photos"], remove_photos=form.photos_to_remove())
            else:
                service.activity_update(
                    activity=activity, held_on=data["held_on"], title=data["title"], place=data["place"],
                    deputies=data["deputies"], summary=data["summary"], enterprise=data.get("enterprise", ""),
                    is_public=data["is_public"], photos=data["photos"], opinions=form.opinion_texts(),
                    remove_photos=form.photos_to_remove())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, activity, created=False)
    return render(request, "deputies/activities/form.html",
                  {"form": form, "activity": activity, "heading": _("Correct: %(title)s") % {"title": activity.title}})
