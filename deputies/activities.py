"""Activities and reports to voters: the services that write them, the selectors that read them, and their
parts of the duty record (deputies.record). Raising a concern from an enterprise's opinion is petitions'
(petitions.opinions): this app may not import it.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.codes import issue_public_code
from deputies.models import Activity, ActivityPhoto, Deputy, EnterpriseOpinion, ReportToVoters
from deputies.record import Entry, Figure, Section, year_bounds
from liaison.scoping import check_same_township, county_wide, current_township

K = Activity.Kind

# --- services ---------------------------------------------------------------------------------------


def _photos_attach(activity: Activity, photos: Iterable) -> None:
    for photo in photos:
        ActivityPhoto.objects.create(township_id=activity.township_id, activity=activity, image=photo)


def _opinions_add(activity: Activity, opinions: Iterable[str]) -> None:
    start = activity.opinions.count()
    for position, text in enumerate((t.strip() for t in opinions if t.strip()), start=start):
        opinion = EnterpriseOpinion(township_id=activity.township_id, activity=activity, text=text, position=position)
        opinion.full_clean()
        opinion.save()


def _activity_save(activity: Activity, *, deputies: Iterable[Deputy], photos: Iterable, opinions: Iterable[str]):
    deputies = list(deputies)
    if not activity.code:
        activity.code = issue_public_code()
    if activity.township_id is None:  # set now, not in save(): the deputies are checked against it first
        activity.township = current_township()
    activity.full_clean(exclude=["deputies", "submission_key"])
    check_same_township(activity, *deputies)
    activity.save()
    activity.deputies.set(deputies)
    _photos_attach(activity, photos)
    if activity.is_enterprise_visit:
        _opinions_add(activity, opinions)
    return activity


@transaction.atomic
def activity_record(
    *, kind: str, held_on: datetime.date, title: str, deputies: Iterable[Deputy], place: str = "",
    summary: str = "", enterprise: str = "", is_public: bool = True, photos: Iterable = (),
    opinions: Iterable[str] = (), recorded_by=None, submission_key: str | None = None,
) -> Activity:
    """Record an activity in the current township. `photos` must already be cleaned
    (liaison.photos.clean_photo); `opinions` (texts) are kept for enterprise visits only. A report to
    voters is recorded with report_to_voters_record. The same `submission_key` (the form's one-time
    token) returns the activity it recorded before: a double tap records once. Raises ValidationError."""
    if kind == K.REPORT_TO_VOTERS:
        raise ValueError("a report to voters is recorded with report_to_voters_record")
    if submission_key and (earlier := Activity.objects.filter(submission_key=submission_key).first()):
        return earlier
    activity = Activity(kind=kind, held_on=held_on, title=title, place=place, summary=summary,
                        enterprise=enterprise if kind == K.ENTERPRISE_VISIT else "", is_public=is_public,
                        recorded_by=recorded_by, submission_key=submission_key)
    return _activity_save(activity, deputies=deputies, photos=photos, opinions=opinions)


@transaction.atomic
def activity_update(
    *, activity: Activity, held_on: datetime.date, title: str, deputies: Iterable[Deputy], place: str = "",
    summary: str = "", enterprise: str = "", is_public: bool = True, photos: Iterable = (),
    opinions: Iterable[str] = (), remove_photos: Iterable[ActivityPhoto] = (),
) -> Activity:
    """Change an activity (not its kind). New photos and opinions are added; `remove_photos` (of this
    activity) are deleted with their files. Opinions already recorded stay: one may have become a concern."""
    activity.held_on, activity.title, activity.place, activity.summary = held_on, title, place, summary
    activity.enterprise = enterprise if activity.is_enterprise_visit else ""
    activity.is_public = is_public
    for photo in remove_photos:
        if photo.activity_id == activity.pk:
            photo.image.delete(save=False)
            photo.delete()
    return _activity_save(activity, deputies=deputies, photos=photos, opinions=opinions)


@transaction.atomic
def report_to_voters_record(
    *, deputy: Deputy, held_on: datetime.date, voters_present: int, report: str, satisfied: int = 0,
    basically_satisfied: int = 0, dissatisfied: int = 0, place: str = "", is_public: bool = True,
    photos: Iterable = (), recorded_by=None, submission_key: str | None = None,
) -> ReportToVoters:
    """Record a report to voters (述职) and the voters' rating counted on the spot: an activity of kind
    REPORT_TO_VOTERS with the deputy taking part, and its ReportToVoters row. The same `submission_key`
    returns the report recorded before. Raises ValidationError (e.g. more ratings than voters present)."""
    if submission_key and (earlier := ReportToVoters.objects.filter(activity__submission_key=submission_key).first()):
        return earlier
    activity = Activity(kind=K.REPORT_TO_VOTERS, held_on=held_on, title=_report_title(deputy), place=place,
                        is_public=is_public, recorded_by=recorded_by, submission_key=submission_key)
    _activity_save(activity, deputies=[deputy], photos=photos, opinions=())
    session = ReportToVoters(
        township_id=activity.township_id, activity=activity, deputy=deputy, voters_present=voters_present,
        report=report, satisfied=satisfied, basically_satisfied=basically_satisfied, dissatisfied=dissatisfied)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def report_to_voters_update(
    *, session: ReportToVoters, held_on: datetime.date, voters_present: int, report: str, satisfied: int = 0,
    basically_satisfied: int = 0, dissatisfied: int = 0, place: str = "", is_public: bool = True,
    photos: Iterable = (), remove_photos: Iterable[ActivityPhoto] = (),
) -> ReportToVoters:
    """Correct a report to voters (not its deputy). Raises ValidationError."""
    activity_update(activity=session.activity, held_on=held_on, title=session.activity.title,
                    deputies=[session.deputy], place=place, summary="", is_public=is_public, photos=photos,
                    remove_photos=remove_photos)
    session.voters_present, session.report = voters_present, report
    session.satisfied, session.basically_satisfied, session.dissatisfied = satisfied, basically_satisfied, dissatisfied
    session.full_clean()
    session.save()
    return session


def _report_title(deputy: Deputy) -> str:
    return str(_("Report to voters by %(name)s") % {"name": deputy.name})


# --- selectors --------------------------------------------------------------------------------------

def _deputies_shown() -> Prefetch:
    # Made per call, inside the request's scope (a queryset made at import would be outside any township).
    return Prefetch("deputies", queryset=Deputy.objects.only("pk", "name", "code", "township_id"))


def activity_list_public() -> QuerySet[Activity]:
    """The township's public activities, newest first, with their deputies and photos (three queries a page)."""
    return (Activity.objects.filter(is_public=True).prefetch_related(_deputies_shown(), "photos")
            .order_by("-held_on", "-pk"))


def activity_list_latest_public(*, limit: int = 3) -> list[Activity]:
    """The newest public activities for the portal's card: titles and dates only, one query."""
    return list(Activity.objects.filter(is_public=True).only("code", "title", "held_on", "township_id")
                .order_by("-held_on", "-pk")[:limit])


def activity_list_with_photos_public(*, limit: int = 6) -> list[Activity]:
    """The newest public activities that have photos, with them (`photos_shown`, oldest first), for the big
    screen: two queries however many."""
    with_photos = ActivityPhoto.objects.values("activity_id")
    return list(Activity.objects.filter(is_public=True, pk__in=with_photos).only("code", "title", "held_on", "place", "township_id")
                .prefetch_related(Prefetch("photos", queryset=ActivityPhoto.objects.order_by("created_at", "pk"),
                                           to_attr="photos_shown"))
                .order_by("-held_on", "-pk")[:limit])


def activity_get_public(*, code: str) -> Activity | None:
    """A public activity by its code, found across the county (the view enters its township)."""
    with county_wide():
        return Activity.objects.filter(code=code, is_public=True).select_related("township").first()


def activity_details(activity: Activity) -> Activity:
    """Load what the activity's page shows: deputies, photos, opinions, the report (fixed queries)."""
    return (Activity.objects.filter(pk=activity.pk)
            .select_related("report__deputy", "recorded_by")
            .prefetch_related(_deputies_shown(), "photos", "opinions").get())


def activity_list_recent_for_deputy(*, deputy: Deputy, limit: int = 5) -> list[Activity]:
    """The deputy's latest public activities, for their public page (one query)."""
    return list(Activity.objects.filter(deputies=deputy, is_public=True).order_by("-held_on", "-pk")
                .only("code", "kind", "held_on", "title", "place")[:limit])


def activity_list_office(
    *, kind: str = "", date_from: datetime.date | None = None, date_to: datetime.date | None = None,
) -> QuerySet[Activity]:
    """Every activity of the township, public or internal, for the back office (of a kind, held between two
    days included); newest first."""
    activities = Activity.objects.all()
    if kind:
        activities = activities.filter(kind=kind)
    if date_from:
        activities = activities.filter(held_on__gte=date_from)
    if date_to:
        activities = activities.filter(held_on__lte=date_to)
    return (activities.prefetch_related(_deputies_shown()).annotate(photo_count=Count("photos", distinct=True))
            .order_by("-held_on", "-pk"))


def activity_get_office(*, code: str) -> Activity | None:
    found = Activity.objects.filter(code=code).first()
    return activity_details(found) if found else None


# --- the duty record (deputies.record) --------------------------------------------------------------


def activities_section(deputy: Deputy, year: int) -> Section:
    """Activities by kind in `year`, every kind shown (a zero is information too). One query."""
    rows = (Activity.objects.filter(deputies=deputy, held_on__range=year_bounds(year))
            .values("kind").annotate(n=Count("pk", distinct=True)).order_by())
    counts = {row["kind"]: row["n"] for row in rows}
    return Section(key="activities", title=_("Activities"), figures=[
        Figure(key=f"activities_{kind.value}", label=kind.label, value=counts.get(kind.value, 0)) for kind in K])


def reports_to_voters_section(deputy: Deputy, year: int) -> Section:
    """Reports to voters in `year` and the voters' ratings summed over them. One query."""
    totals = ReportToVoters.objects.filter(deputy=deputy, activity__held_on__range=year_bounds(year)).aggregate(
        reports=Count("pk"), satisfied=Sum("satisfied"), basically=Sum("basically_satisfied"),
        dissatisfied=Sum("dissatisfied"))
    return Section(key="reports_to_voters", title=_("Reports to voters"), figures=[
        Figure(key="reports_to_voters", label=_("Reports to voters"), value=totals["reports"]),
        Figure(key="voters_satisfied", label=_("Voters satisfied"), value=totals["satisfied"] or 0),
        Figure(key="voters_basically_satisfied", label=_("Voters basically satisfied"),
               value=totals["basically"] or 0),
        Figure(key="voters_dissatisfied", label=_("Voters dissatisfied"), value=totals["dissatisfied"] or 0),
    ])


def activities_timeline(deputy: Deputy, year: int) -> list[Entry]:
    """The deputy's activities in `year` (reports to voters among them). One query."""
    activities = (Activity.objects.filter(deputies=deputy, held_on__range=year_bounds(year))
                  .only("code", "kind", "held_on", "title", "place", "is_public"))
    return [Entry(on=a.held_on, kind=a.get_kind_display(), text=" · ".join(filter(None, [a.title, a.place])),
                  url=reverse("activities_staff:activity", args=[a.code]), public=a.is_public)
            for a in activities]
