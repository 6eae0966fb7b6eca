"""Reads of concerns: querysets that carry what their pages show, in a fixed number of queries."""

import datetime
from collections import defaultdict
from typing import TypedDict

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.utils import timezone

from deputies.models import Deputy, Site, Village
from liaison.masking import mask_in_text
from liaison.scoping import county_wide
from petitions import access, workflow
from petitions.models import Category, Concern, ConcernEvent, ConcernPhoto, Reception, Unit
from petitions.search import concern_search_q

S = Concern.Status
ENDED_STATUSES = [S.RESOLVED, S.CLOSED, S.REJECTED, S.MERGED]
# THE rule of what is a case: a filing held for review (not yet judged) and one discarded after it (not
# a real concern) are not. No figure counts them and no list shows them, but the held list and the
# desk's own tabs for these two statuses. Every count and list of cases filters with IS_CASE.
IS_CASE = ~Q(status__in=Concern.NOT_CASES)
# "Recently" ended or resolved, on the inbox and the unit queue: long enough to see a rating come in.
RECENT_DAYS = 30
RECENT_LIMIT = 20

# Everything a row on a back-office list shows, in the list's one query.
_LIST_RELATED = ("category", "village", "deputy", "unit")
# The outcome filter's value for concerns that have none yet (open ones, and reopened ones).
NO_OUTCOME = "none"


def _event_concerns(**lookups) -> QuerySet:
    """The ids of concerns with an event so: an uncorrelated subquery, run once over the events."""
    return ConcernEvent.objects.filter(**lookups).values("concern_id")


# Resolved after its deadline's day: the part of "late" that time passing cannot change (petitions.rollups keeps
# it; the other part, open past the deadline, is counted when asked).
LATE_RESOLVED = Q(resolved_at__isnull=False, resolved_at__date__gt=F("deadline_on"))

# THE definitions of the cockpit's figures about cases, by key. A figure is counted with its Q
# (concern_counts: COUNT ... FILTER (WHERE q)) and its records are listed with the same Q (the desk
# list's `figure` filter), so the number on the cockpit and the rows behind it cannot disagree.
# Callables: "today" is read when asked (the station's date), not when the module was imported.
CASE_FIGURES: dict[str, callable] = {
    "open": lambda: Q(status__in=Concern.OPEN_STATUSES),
    "overdue": lambda: Q(status__in=Concern.OPEN_STATUSES, deadline_on__lt=timezone.localdate()),
    "resolved_awaiting_rating": lambda: Q(status=S.RESOLVED),
    # A result given, whatever it is: every outcome is counted apart below (fixed is not explained).
    "resolved": lambda: ~Q(outcome=""),
    **{outcome.value: (lambda outcome=outcome: Q(outcome=outcome)) for outcome in Concern.Outcome},
    "satisfied": lambda: Q(satisfaction=Concern.Satisfaction.SATISFIED),
    "basic": lambda: Q(satisfaction=Concern.Satisfaction.BASIC),
    # A "not satisfied" rating reopens the case and clears its own rating: read from the rating events.
    "unsatisfied": lambda: Q(pk__in=_event_concerns(
        kind=ConcernEvent.Kind.RATING, satisfaction=Concern.Satisfaction.UNSATISFIED)),
    "reopened": lambda: Q(pk__in=_event_concerns(
        kind=ConcernEvent.Kind.TRANSITION, from_status=S.RESOLVED, to_status__in=Concern.OPEN_STATUSES)),
    # On time: resolved on or before its deadline's day in station time (or with no deadline: answered
    # at once). Late: resolved after it, or still open past it. Rejected and merged cases are neither.
    "on_time": lambda: Q(resolved_at__isnull=False) & (
        Q(deadline_on__isnull=True) | Q(resolved_at__date__lte=F("deadline_on"))),
    "late": lambda: LATE_RESOLVED | Q(status__in=Concern.OPEN_STATUSES, deadline_on__lt=timezone.localdate()),
    "responded": lambda: Q(first_response_at__isnull=False),
}


class ConcernFilters(TypedDict, total=False):
    status: str
    overdue: bool
    figure: str  # a key of CASE_FIGURES: the cockpit's click-through
    site: Site | None
    category: Category | None
    village: Village | None
    deputy: str  # a deputy's name, or part of one
    unit: Unit | None
    channel: str
    outcome: str  # a Concern.Outcome value, or NO_OUTCOME
    date_from: datetime.date | None  # filed on or after
    date_to: datetime.date | None  # filed on or before
    q: str  # the search box (petitions.search)
    sort: str  # a key of SORTS


# The desk list's orders, by the `sort` value the page sends; each is served by an index
# (created_at's own, concern_deadline_sort_idx, concern_updated_idx) so a page is a short walk.
SORTS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "deadline": (F("deadline_on").asc(nulls_last=True), "created_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
}
DEFAULT_SORT = "-created"
# A deputy's name matches every deputy so named; part of a name, the first of those found.
_DEPUTY_MATCHES = 50


def _open(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.filter(status__in=Concern.OPEN_STATUSES)


def _overdue_q() -> Q:
    return Q(status__in=Concern.OPEN_STATUSES, deadline_on__lt=timezone.localdate())


def _deputy_ids(name: str) -> list[int]:
    found = list(Deputy.objects.filter(name__contains=name).values_list("pk", "name")[:_DEPUTY_MATCHES])
    exact = [pk for pk, full_name in found if full_name == name]
    return exact or [pk for pk, _name in found]


def _narrowed(user, filters: ConcernFilters) -> QuerySet[Concern]:
    """The concerns the user may see, filtered by everything but the tab (status, overdue)."""
    concerns = access.concerns_visible_to(user)
    for field in ("category", "village", "unit", "channel", "site"):
        if filters.get(field):
            concerns = concerns.filter(**{field: filters[field]})
    if outcome := filters.get("outcome"):
        concerns = concerns.filter(outcome="" if outcome == NO_OUTCOME else outcome)
    if deputy := (filters.get("deputy") or "").strip():
        concerns = concerns.filter(deputy_id__in=_deputy_ids(deputy))
    if filters.get("date_from"):
        concerns = concerns.filter(created_at__gte=_aware(filters["date_from"]))
    if filters.get("date_to"):
        concerns = concerns.filter(created_at__lt=_aware(filters["date_to"] + datetime.timedelta(days=1)))
    if figure := CASE_FIGURES.get(filters.get("figure") or ""):
        concerns = concerns.filter(figure())
    if query := (filters.get("q") or "").strip():
        concerns = concerns.filter(concern_search_q(query))
    return concerns


def _tab_q(filters: ConcernFilters) -> Q:
    # "All" is every case; held and discarded filings only under their own tabs.
    tab = Q(status=filters["status"]) if filters.get("status") else IS_CASE
    if filters.get("overdue"):
        tab &= _overdue_q()
    return tab


def _listed(concerns: QuerySet[Concern], filters: ConcernFilters) -> QuerySet[Concern]:
    order = SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])
    return concerns.filter(_tab_q(filters)).select_related(*_LIST_RELATED).order_by(*order)


def concern_list(*, user, filters: ConcernFilters | None = None) -> QuerySet[Concern]:
    """Every concern the user may see, filtered, in the order asked for (newest first by default):
    the officials' and staff's list, and its .xlsx export."""
    filters = filters or {}
    return _listed(_narrowed(user, filters), filters)


def concern_desk_list(*, user, filters: ConcernFilters | None = None) -> tuple[QuerySet[Concern], dict[str, int]]:
    """The desk list (as concern_list) and the figures of its tabs, in one query.

    The figures count what the other filters leave, per status, overdue, and "all"; "current"
    counts the list itself (its tab), so the page needs no COUNT of its own.
    """
    # One pass over what the filters leave, grouped by status and whether the deadline has passed (at most
    # two dozen groups), which the tabs' figures are added up from: served by the filters' indexes, or the
    # search's; unfiltered by concern_township_created_idx, whose row holds status and deadline, an
    # index-only scan. Measured on PostgreSQL 15 with a county of a million concerns (50,000 in the
    # township): 12 ms unfiltered, where a COUNT(...) FILTER (WHERE ...) per tab took 21 ms of two parallel
    # workers; 14 ms for one category (5,000 concerns); under 1 ms for a tracking code or a mobile.
    filters = filters or {}
    narrowed = _narrowed(user, filters)
    late = ExpressionWrapper(Q(deadline_on__lt=timezone.localdate()), output_field=BooleanField())
    groups = narrowed.annotate(late=late).values("status", "late").annotate(n=Count("*")).order_by()
    return _listed(narrowed, filters), _tab_figures(list(groups), filters)


def _tab_figures(groups: list[dict], filters: ConcernFilters) -> dict[str, int]:
    """The tabs' figures from (status, late, n) groups, as _tab_q and _overdue_q would count them."""
    figures = dict.fromkeys(["all", *Concern.Status.values, "overdue", "current"], 0)
    status, overdue_only = filters.get("status"), bool(filters.get("overdue"))
    for group in groups:
        n, is_case = group["n"], group["status"] not in Concern.NOT_CASES
        is_overdue = bool(group["late"]) and group["status"] in Concern.OPEN_STATUSES
        figures[group["status"]] += n
        figures["all"] += n if is_case else 0
        figures["overdue"] += n if is_overdue else 0
        in_tab = group["status"] == status if status else is_case
        figures["current"] += n if in_tab and (is_overdue or not overdue_only) else 0
    return figures


def deputy_names() -> list[str]:
    """Every deputy's name once, for the desk's deputy filter to offer as you type."""
    return list(Deputy.objects.order_by("name").values_list("name", flat=True).distinct())


def _aware(moment: datetime.date | datetime.datetime) -> datetime.datetime:
    """A datetime as given (naive ones read as station time); a date as the start of that day in station time."""
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def concern_counts(
    *, since: datetime.date | datetime.datetime | None = None, until: datetime.date | datetime.datetime | None = None,
    site=None, channels: bool = False,
) -> dict[str, int]:
    """The station's figures for concerns filed in [since, until) (either end open when None), in one query.

    Keys: total and one per CASE_FIGURES key: open, overdue (open and past the deadline, today in
    station time), resolved_awaiting_rating, resolved (any outcome), one per outcome (fixed,
    explained, not_feasible, rejected, duplicate), one per satisfaction level (satisfied, basic,
    unsatisfied), reopened, on_time, late, responded; with `channels`, channel_<value> per channel.

    Outcomes are counted apart, never lumped as "closed" (docs/life-cycle.md): an explained case is
    not a fixed one. A resolved case awaiting its rating already counts under its outcome;
    a reopened one has none until it is resolved again. "satisfied" and "basic" count the
    concerns whose result was rated so (the rating closed them). A "not satisfied" rating
    reopens the case and clears its own rating, so "unsatisfied" counts the concerns rated
    so at least once, from their rating events: such a case may later count as satisfied too.

    For the townships of the current scope (one township, or a county user's whole county),
    whoever asks: callers show it only to those who see every concern (officials, staff).
    """
    # One pass over the concerns of the window with COUNT(...) FILTER (WHERE ...) per figure.
    # The window on created_at is served by created_at's own index (TimeStampedModel,
    # db_index=True); without a window, or with one covering most rows, it is one sequential
    # pass, which a count of everything is anyway. concern_outcome_idx (outcome, created_at)
    # serves the narrower question "concerns of one outcome over a period" (WHERE outcome = ...
    # AND created_at ...), not this one-pass aggregate, where outcome is only in the FILTERs.
    # The "unsatisfied" subquery is uncorrelated: the database runs it once (a hashed
    # subplan) over the rating events, narrowed by their created_at index when `since` is
    # given (a concern is rated after it is filed). Measured on PostgreSQL 15 with a million
    # concerns and four million events: about 20 ms for a month, 0.2 s for a year, 0.8 s for all.
    # IS_CASE (held and discarded filings are no cases) is a WHERE on status, read from the same
    # row the FILTERs read: it adds no pass and no index.
    concerns, figures = _counted(since, until, channels)
    if site is not None:  # a liaison point's own figures (its screen, the cockpit's site)
        concerns = concerns.filter(site=site)
    return concerns.aggregate(**figures)


def reception_count(*, since: datetime.date, until: datetime.date, site=None) -> int:
    """Walk-in receptions logged on days in [since, until), of the township or of one site: one query."""
    receptions = Reception.objects.filter(received_on__gte=since, received_on__lt=until)
    return (receptions.filter(site=site) if site is not None else receptions).count()


def concern_counts_by_township(
    *, since: datetime.date | datetime.datetime | None = None, until: datetime.date | datetime.datetime | None = None
) -> list[dict]:
    """concern_counts for each township in the current scope, in one query (GROUP BY township), in the
    townships' order: [{"township": code, "name": ..., "total": ..., ...}]. A township with no
    concerns in the window has no row. The county's figures are their sums: a concern has one township."""
    concerns, figures = _counted(since, until)
    rows = concerns.values("township__code", "township__name", "township__position").annotate(**figures)
    return [
        {"township": row.pop("township__code"), "name": row.pop("township__name"),
         **{k: v for k, v in row.items() if k != "township__position"}}
        for row in rows.order_by("township__position", "township__name")
    ]


def county_totals(rows: list[dict]) -> dict[str, int]:
    """The county's figures from concern_counts_by_township's rows."""
    keys = [k for k in (rows[0] if rows else {}) if k not in ("township", "name")]
    return {key: sum(row[key] for row in rows) for key in keys}


def _counted(since, until, channels: bool = False) -> tuple[QuerySet[Concern], dict]:
    concerns = Concern.objects.filter(IS_CASE)
    ratings = ConcernEvent.objects.filter(
        kind=ConcernEvent.Kind.RATING, satisfaction=Concern.Satisfaction.UNSATISFIED
    )
    if since is not None:
        concerns = concerns.filter(created_at__gte=_aware(since))
        ratings = ratings.filter(created_at__gte=_aware(since))
    if until is not None:
        concerns = concerns.filter(created_at__lt=_aware(until))
    figures = {"total": Count("pk"), **{key: Count("pk", filter=q()) for key, q in CASE_FIGURES.items()}}
    # The rating events narrowed to the window (a concern is rated after it is filed): same rows, less read.
    figures["unsatisfied"] = Count("pk", filter=Q(pk__in=ratings.values("concern_id")))
    if channels:
        figures.update({f"channel_{c}": Count("pk", filter=Q(channel=c)) for c in Concern.Channel.values})
    return concerns, figures


def _recent_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=RECENT_DAYS)


def concern_inbox_open(*, user) -> QuerySet[Concern]:
    """Open concerns addressed to the deputy who is `user`, oldest first: the ones waiting longest on top."""
    mine = access.concerns_visible_to(user).filter(deputy__user=user)
    return _open(mine).select_related(*_LIST_RELATED).order_by("created_at", "pk")


def concern_inbox_ended(*, user) -> QuerySet[Concern]:
    """Concerns addressed to the deputy that ended (or got a result) lately, latest first."""
    mine = access.concerns_visible_to(user).filter(deputy__user=user)
    ended = mine.filter(status__in=ENDED_STATUSES, updated_at__gte=_recent_since())
    return ended.select_related(*_LIST_RELATED).order_by("-updated_at", "-pk")[:RECENT_LIMIT]


def concern_unit_open(*, user) -> QuerySet[Concern]:
    """Open concerns of the handler's units, oldest deadline first; those without a deadline last."""
    ours = access.concerns_visible_to(user).filter(unit__members=user)
    return (
        _open(ours)
        .select_related(*_LIST_RELATED)
        .order_by(F("deadline_on").asc(nulls_last=True), "created_at", "pk")
    )


def concern_list_held(*, user) -> QuerySet[Concern]:
    """Filings held for review that the user may see (officials, staff: all of them), the longest waiting
    first: the staff release or discard each from its case page."""
    held = access.concerns_visible_to(user).filter(status=S.HELD)
    return held.select_related(*_LIST_RELATED).order_by("created_at", "pk")


def concern_unit_resolved(*, user) -> QuerySet[Concern]:
    """The handler's units' concerns resolved lately (still awaiting a rating, or closed since), latest first."""
    ours = access.concerns_visible_to(user).filter(unit__members=user)
    resolved = ours.filter(status__in=[S.RESOLVED, S.CLOSED], resolved_at__gte=_recent_since())
    return resolved.select_related(*_LIST_RELATED).order_by("-resolved_at", "-pk")[:RECENT_LIMIT]


def concern_timeline(*, concern: Concern) -> list[ConcernEvent]:
    """The back office's timeline: every event, oldest first, each with its photos and a `role_label`."""
    events = list(
        concern.events.select_related("actor").prefetch_related(
            Prefetch("photos", queryset=ConcernPhoto.objects.order_by("created_at", "pk"))
        )
    )
    for event in events:
        event.role_label = workflow.ROLE_LABELS.get(event.actor_role, event.actor_role)
    return events


def concern_get_public(*, tracking: str) -> Concern | None:
    """The concern with everything its public page shows, in a fixed three queries. Looked up across the
    county: tracking codes are unique county-wide; the view then enters the concern's township."""
    with county_wide():
        return _concern_public_query(tracking)


def _concern_public_query(tracking: str) -> Concern | None:
    return (
        Concern.objects.select_related(
            "township", "category", "village", "deputy", "site", "unit", "merged_into", "constituent")
        .prefetch_related(
            Prefetch("events", queryset=ConcernEvent.objects.filter(is_public=True), to_attr="public_events"),
            "photos",
        )
        .filter(tracking=tracking)
        .first()
    )


def concern_list_public(
    *, trackings: list[str] | None = None, category_codes: list[str] | None = None,
    since: datetime.datetime | None = None, until: datetime.datetime | None = None,
    statuses: list[str] | None = None, limit: int,
) -> list[Concern]:
    """Concerns of the current township for the open API (petitions.open311), newest first, at most `limit`,
    each with its category, unit, village, the constituent (only to mask their name and mobile in public
    text) and `public_photos` (as reported first): two queries however many.

    By tracking codes: those concerns, whatever else is asked. Otherwise only those whose constituent
    agreed to show them publicly (is_public): a list must not hand out the others' tracking codes, since a
    code and the last four digits of a mobile are what the tracking page asks of the owner.
    """
    concerns = Concern.objects.filter(IS_CASE)
    if trackings is not None:
        concerns = concerns.filter(tracking__in=trackings)
    else:
        concerns = concerns.filter(is_public=True)
        if category_codes:
            concerns = concerns.filter(category__code__in=category_codes)
        if since is not None:
            concerns = concerns.filter(created_at__gte=since)
        if until is not None:
            concerns = concerns.filter(created_at__lte=until)
        if statuses:
            concerns = concerns.filter(status__in=statuses)
    photos = ConcernPhoto.objects.filter(is_public=True).order_by(
        F("event_id").asc(nulls_first=True), "created_at", "pk")
    # Newest first, a page at a time along concern_township_created_idx (township, created_at).
    return list(
        concerns.select_related("township", "category", "unit", "village", "constituent", "merged_into")
        .prefetch_related(Prefetch("photos", queryset=photos, to_attr="public_photos"))
        .order_by("-created_at", "-pk")[:limit]
    )


def concern_public_text(*, concern: Concern, text: str) -> str:
    """Text shown publicly, with the constituent's own name and mobile, and the place they gave (an address
    given privately), masked wherever someone typed them."""
    constituent = concern.constituent
    if constituent is None:
        return mask_in_text(text, place=concern.place)
    return mask_in_text(text, name=constituent.name, mobile=constituent.mobile, place=concern.place)


def concern_timeline_public(*, concern: Concern, show_constituent_notes: bool) -> list[dict]:
    """The public, masked timeline of a concern from concern_get_public: public events and photos only,
    roles instead of accounts, and the constituent's own notes only when they may be shown."""
    photos_by_event = defaultdict(list)
    for photo in concern.photos.all():
        if photo.event_id and photo.is_public:
            photos_by_event[photo.event_id].append(photo)
    entries = []
    for event in concern.public_events:
        note = event.note
        if event.actor_role == workflow.CONSTITUENT and not show_constituent_notes:
            note = ""  # e.g. the comment of a "not satisfied" rating, on a concern not consented public
        entries.append({
            "at": event.created_at,
            "title": event.get_to_status_display() if event.kind == ConcernEvent.Kind.TRANSITION
            else event.get_kind_display(),
            "role": workflow.ROLE_LABELS.get(event.actor_role, ""),
            "note": concern_public_text(concern=concern, text=note),
            "photos": photos_by_event[event.pk],
        })
    return entries


def concern_photos(*, concern: Concern) -> QuerySet[ConcernPhoto]:
    """All the concern's photos (as reported, progress, after), oldest first."""
    return concern.photos.order_by("created_at", "pk")
