"""Petitions' part of the duty record (deputies/record.py): the concerns addressed to a deputy and the
receptions they sat, for one calendar year. Registered in PetitionsConfig.ready (deputies may not import
petitions).

Each function costs a fixed number of queries, whatever the number of concerns, events or receptions:
concerns_section two (one aggregate over the concerns, one over the deputy's forwarding events; the
second is skipped for a deputy without an account, who cannot have forwarded anything), receptions_section
one, concerns_timeline two, receptions_timeline one.
"""

import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deputies.record import Entry, Figure, Section, year_bounds
from petitions.models import Concern, ConcernEvent, Reception
from petitions.selectors import IS_CASE

S = Concern.Status
Satisfaction = Concern.Satisfaction
# "Forwarded": the deputy's own assign move (petitions.workflow "assign": from submitted or accepted to
# assigned). A reassignment is an official's or staff's move, never a deputy's.
_ASSIGN = Q(kind=ConcernEvent.Kind.TRANSITION, to_status=S.ASSIGNED, from_status__in=[S.SUBMITTED, S.ACCEPTED])
# Merges are the desk's bookkeeping (the duplicate counts in the concern it joined): staff see them.
_STAFF_ONLY_OUTCOMES = {Concern.Outcome.DUPLICATE}


def _year_window(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January, next 1 January) in station time, for created_at filters."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _received(deputy, year: int):
    """The cases addressed to the deputy and filed in `year` (held and discarded filings are no cases)."""
    start, end = _year_window(year)
    return Concern.objects.filter(IS_CASE, deputy=deputy, created_at__gte=start, created_at__lt=end)


def _forwarding_events(deputy, year: int):
    start, end = _year_window(year)
    return ConcernEvent.objects.filter(_ASSIGN, actor_id=deputy.user_id, created_at__gte=start, created_at__lt=end)


def concerns_section(deputy, year: int) -> Section:
    """Received, forwarded, still open, each outcome apart, and the ratings given, for the deputy's year.

    Outcomes and ratings are of the concerns received that year (as petitions.selectors.concern_counts
    counts them): an explained case is never counted as a fixed one, and no figure adds them up.
    "Not satisfied" counts the concerns rated so at least once (such a rating reopens the case and
    clears the concern's own rating), from the rating events.
    """
    # The rating events of this deputy's concerns only, and none older than the year (a concern is rated after
    # it is filed): the subquery reads a deputy's few events, not the township's.
    unsatisfied = ConcernEvent.objects.filter(
        kind=ConcernEvent.Kind.RATING, satisfaction=Satisfaction.UNSATISFIED, concern__deputy=deputy,
        created_at__gte=_year_window(year)[0])
    figures = _received(deputy, year).aggregate(
        received=Count("pk"),
        open=Count("pk", filter=Q(status__in=Concern.OPEN_STATUSES)),
        **{outcome.value: Count("pk", filter=Q(outcome=outcome)) for outcome in Concern.Outcome},
        satisfied=Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
        basic=Count("pk", filter=Q(satisfaction=Satisfaction.BASIC)),
        unsatisfied=Count("pk", filter=Q(pk__in=unsatisfied.values("concern_id"))),
    )
    forwarded = 0
    if deputy.user_id is not None:  # else actor_id=None would match every event without an actor
        forwarded = _forwarding_events(deputy, year).aggregate(n=Count("concern", distinct=True))["n"]
    received = figures["received"]
    return Section(key="concerns", title=_("Concerns"), figures=[
        Figure("concerns_received", _("Concerns received"), received),
        Figure("concerns_forwarded", _("Forwarded to a handling unit"), forwarded),
        Figure("concerns_open", _("Still being handled"), figures["open"], of=received),
        *(Figure(f"concerns_{outcome.value}", _("Result: %(outcome)s") % {"outcome": outcome.label},
                 figures[outcome.value], of=received, public=outcome not in _STAFF_ONLY_OUTCOMES)
          for outcome in Concern.Outcome),
        *(Figure(f"rated_{level.value}", _("Rated “%(level)s”") % {"level": level.label}, figures[level.value])
          for level in Satisfaction),
    ])


def receptions_section(deputy, year: int) -> Section:
    """The receptions the deputy was on duty for in `year`, the visitors received, and the visitors' ratings."""
    figures = Reception.objects.filter(deputies=deputy, received_on__range=year_bounds(year)).aggregate(
        receptions=Count("pk"),
        visitors=Sum("visitor_count", default=0),
        **{level.value: Count("pk", filter=Q(satisfaction=level)) for level in Satisfaction},
    )
    return Section(key="receptions", title=_("Receptions"), figures=[
        Figure("receptions", _("Receptions on duty"), figures["receptions"]),
        Figure("reception_visitors", _("Visitors received"), figures["visitors"]),
        # A visit's rating is of the station's answer that day, shared by every deputy on duty: staff read
        # it; the public page does not put it to one deputy's name.
        *(Figure(f"reception_rated_{level.value}", _("Visitors “%(level)s”") % {"level": level.label},
                 figures[level.value], public=False)
          for level in Satisfaction),
    ])


def _concern_text(concern: Concern) -> str:
    # The tracking code and the category: never the constituent's name, mobile or words.
    state = concern.get_outcome_display() or concern.get_status_display()
    return f"{concern.tracking} · {concern.category.name} · {state}"


def concerns_timeline(deputy, year: int) -> list[Entry]:
    """Each concern received (on its filing day) and each one the deputy forwarded (on that day)."""
    received = _received(deputy, year).select_related("category").only(
        "tracking", "created_at", "status", "outcome", "is_public", "category__name")
    entries = [
        Entry(on=timezone.localdate(concern.created_at), kind=_("Concern received"), text=_concern_text(concern),
              url=reverse("desk:concern", args=[concern.tracking]), public=concern.is_public)
        for concern in received
    ]
    if deputy.user_id is not None:
        forwarded = _forwarding_events(deputy, year).select_related("concern__category", "concern__unit")
        entries += [
            Entry(on=timezone.localdate(event.created_at), kind=_("Concern forwarded"),
                  text=" → ".join(filter(None, [_concern_text(concern), concern.unit.name if concern.unit else ""])),
                  url=reverse("desk:concern", args=[concern.tracking]))
            for event in forwarded
            for concern in [event.concern]
        ]
    return entries


def receptions_timeline(deputy, year: int) -> list[Entry]:
    receptions = Reception.objects.filter(deputies=deputy, received_on__range=year_bounds(year)).select_related(
        "site", "village").order_by("-received_on", "-pk")
    return [
        Entry(on=reception.received_on, kind=_("Reception"),
              text=" · ".join(filter(None, [
                  reception.site.name, reception.village.name if reception.village else "",
                  ngettext("%(n)d visitor", "%(n)d visitors", reception.visitor_count)
                  % {"n": reception.visitor_count} if reception.visitor_count > 1 else ""])))
        for reception in receptions
    ]


def register() -> None:
    from deputies.record import register_section, register_timeline

    register_section(concerns_section, order=50)
    register_section(receptions_section, order=60)
    register_timeline(concerns_timeline)
    register_timeline(receptions_timeline)
