"""Reads of concerns for the back office: querysets that carry what their pages show, in a fixed number of queries."""

import datetime
from typing import TypedDict

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from deputies.models import Deputy, Village
from petitions import access, workflow
from petitions.models import Category, Concern, ConcernEvent, ConcernPhoto, Unit

S = Concern.Status
OPEN_STATUSES = [S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS]
ENDED_STATUSES = [S.RESOLVED, S.CLOSED, S.REJECTED, S.MERGED]
# "Recently" ended or resolved, on the inbox and the unit queue: long enough to see a rating come in.
RECENT_DAYS = 30
RECENT_LIMIT = 20

# Everything a row on a back-office list shows, in the list's one query.
_LIST_RELATED = ("category", "village", "deputy", "unit")


class ConcernFilters(TypedDict, total=False):
    status: str
    category: Category | None
    village: Village | None
    deputy: Deputy | None
    unit: Unit | None
    channel: str
    overdue: bool
    q: str


def _open(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.filter(status__in=OPEN_STATUSES)


def concern_list(*, user, filters: ConcernFilters | None = None) -> QuerySet[Concern]:
    """Every concern the user may see, filtered, newest first (the officials' and staff's list)."""
    filters = filters or {}
    concerns = access.concerns_visible_to(user).select_related(*_LIST_RELATED)
    for field in ("status", "channel"):
        if filters.get(field):
            concerns = concerns.filter(**{field: filters[field]})
    for field in ("category", "village", "deputy", "unit"):
        if filters.get(field):
            concerns = concerns.filter(**{field: filters[field]})
    if filters.get("overdue"):
        concerns = _open(concerns).filter(deadline_on__lt=timezone.localdate())
    if query := (filters.get("q") or "").strip():
        concerns = concerns.filter(Q(tracking__iexact=query) | Q(content__icontains=query))
    return concerns.order_by("-created_at", "-pk")


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


def concern_unit_resolved(*, user) -> QuerySet[Concern]:
    """The handler's units' concerns resolved lately (still awaiting a rating, or closed since), latest first."""
    ours = access.concerns_visible_to(user).filter(unit__members=user)
    resolved = ours.filter(status__in=[S.RESOLVED, S.CLOSED], resolved_at__gte=_recent_since())
    return resolved.select_related(*_LIST_RELATED).order_by("-resolved_at", "-pk")[:RECENT_LIMIT]


def concern_timeline(*, concern: Concern, public_only: bool = False) -> list[ConcernEvent]:
    """The concern's events, oldest first, each with its photos and a `role_label` to show.

    `public_only` leaves out internal events and photos, for pages the public sees.
    """
    events = concern.events.select_related("actor")
    photos = ConcernPhoto.objects.order_by("created_at", "pk")
    if public_only:
        events = events.filter(is_public=True)
        photos = photos.filter(is_public=True)
    events = list(events.prefetch_related(Prefetch("photos", queryset=photos)))
    for event in events:
        event.role_label = workflow.ROLE_LABELS.get(event.actor_role, event.actor_role)
    return events


def concern_photos(*, concern: Concern) -> QuerySet[ConcernPhoto]:
    """All the concern's photos (as reported, progress, after), oldest first."""
    return concern.photos.order_by("created_at", "pk")
