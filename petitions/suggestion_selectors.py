"""Reads of deputies' suggestions for the public pages (docs/suggestions.md, "Public pages").

The rule: a suggestion is public once it is answered (or closed after the answer) in an answer category
that counts as adopted (AnswerCategory.is_adopted, configured per township). Drafts, suggestions still
being handled, re-handled ones until answered again, and answers not adopted are nobody's public page.

Public pages show the deputies (their names are public), the answering unit, the category, the answer and
the deputy's rating; never the concerns' constituents: the concerns a suggestion grew from are a count,
and anything a constituent gave (name, mobile, the place they gave) is masked wherever someone typed it
into the title, the content or the answer — the title and content may have been taken from a concern.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.masking import mask_in_text
from liaison.privacy import mask_mobiles_in
from liaison.scoping import county_wide
from petitions.models import Concern, Suggestion, SuggestionCoSigner, SuggestionUnit

S = Suggestion.Status
PUBLIC_STATUSES = (S.ANSWERED, S.CLOSED)
PUBLIC = Q(status__in=PUBLIC_STATUSES, answer_category__is_adopted=True)
# The cockpit's figures about suggestions, counted and listed with the same condition (as CASE_FIGURES):
# answered (its answer stands: one sent back for re-handling is not answered until answered again), and
# adopted (answered in a category that counts as adopted, as on the public list).
SUGGESTION_FIGURES = {"answered": Q(status__in=PUBLIC_STATUSES), "adopted": PUBLIC}


@dataclass(frozen=True)
class PublicDeputy:
    name: str
    url: str  # "" for a deputy no longer active (their page is gone)


@dataclass(frozen=True)
class PublicSuggestion:
    """What a public page shows of one suggestion: named values, already masked."""

    url: str
    code: str
    title: str
    content: str
    kind: str
    deputy: PublicDeputy
    cosigners: list[PublicDeputy]
    submitted_on: datetime.date | None
    unit: str  # the answering (lead) unit
    category: str
    answer: str
    answered_on: datetime.date | None
    rating: str  # "" until the deputy has rated this answer
    follow_up: str
    concern_count: int  # the concerns it grew from: a count, never who raised them


def _public_rows() -> QuerySet[Suggestion]:
    """Public suggestions with everything their pages show: four queries however many rows."""
    return (
        Suggestion.objects.filter(PUBLIC)
        .select_related("township", "deputy", "answer_category")
        .prefetch_related(
            Prefetch("assignments", to_attr="current_leads", queryset=SuggestionUnit.objects.filter(
                role=SuggestionUnit.Role.LEAD, returned_at__isnull=True).select_related("unit")),
            Prefetch("cosigners", to_attr="confirmed_cosigners", queryset=SuggestionCoSigner.objects.filter(
                confirmed_at__isnull=False).select_related("deputy")),
            # Only to mask what the constituents gave; the pages show the number of concerns alone.
            Prefetch("concerns", to_attr="source_concerns", queryset=Concern.objects.select_related(
                "constituent").only("pk", "place", "constituent__name", "constituent__mobile")),
        )
    )


def suggestion_list_public() -> QuerySet[Suggestion]:
    """The current township's public suggestions, the latest answers first (for a Paginator)."""
    return _public_rows().order_by("-answered_at", "-pk")


def suggestion_adopted_count(*, since: datetime.date) -> int:
    """Suggestions of the current township answered as adopted since `since` (station time): one query."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    return Suggestion.objects.filter(PUBLIC, answered_at__gte=start).count()


def suggestions_filtered(
    suggestions: QuerySet[Suggestion], *, status: str = "", figure: str = "",
    date_from: datetime.date | None = None, date_to: datetime.date | None = None,
) -> QuerySet[Suggestion]:
    """The back office's suggestion list narrowed: by status, by a cockpit figure, submitted between two
    days included (station time)."""
    if status:
        suggestions = suggestions.filter(status=status)
    if figure in SUGGESTION_FIGURES:
        suggestions = suggestions.filter(SUGGESTION_FIGURES[figure])
    if date_from:
        suggestions = suggestions.filter(submitted_at__gte=_start_of(date_from))
    if date_to:
        suggestions = suggestions.filter(submitted_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return suggestions


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def suggestion_get_public(*, code: str) -> Suggestion | None:
    """One public suggestion by its code, looked up across the county (codes are unique county-wide); the
    view then enters its township."""
    with county_wide():
        return _public_rows().filter(code=code).first()


def public_text(*, people: list[tuple[str, str, str]], text: str) -> str:
    """`text` with each (name, mobile, place) of `people` masked wherever typed, and any mobile number."""
    for name, mobile, place in people:
        text = mask_in_text(text, name=name, mobile=mobile, place=place)
    return mask_mobiles_in(text)


def _people(suggestion: Suggestion) -> list[tuple[str, str, str]]:
    return [
        (c.constituent.name if c.constituent else "", c.constituent.mobile if c.constituent else "", c.place)
        for c in suggestion.source_concerns
    ]


def _deputy(deputy) -> PublicDeputy:
    return PublicDeputy(name=deputy.name, url=deputy.get_absolute_url() if deputy.is_active else "")


def _on(moment) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def suggestion_public(suggestion: Suggestion) -> PublicSuggestion:
    """The public view of a row from suggestion_list_public / suggestion_get_public (no query)."""
    people = _people(suggestion)
    lead = suggestion.current_leads[0] if suggestion.current_leads else None
    closed = suggestion.status == S.CLOSED
    return PublicSuggestion(
        url=suggestion.get_absolute_url(), code=suggestion.code,
        title=public_text(people=people, text=suggestion.title),
        content=public_text(people=people, text=suggestion.content),
        kind=suggestion.get_kind_display(),
        deputy=_deputy(suggestion.deputy),
        cosigners=[_deputy(c.deputy) for c in suggestion.confirmed_cosigners],
        submitted_on=_on(suggestion.submitted_at),
        unit=lead.unit.name if lead else "",
        category=str(suggestion.answer_category),
        answer=public_text(people=people, text=suggestion.answer),
        answered_on=_on(suggestion.answered_at),
        # An answer given again after "not satisfied" has no rating until the deputy rates it again.
        rating=suggestion.get_rating_display() if closed and suggestion.rating else "",
        follow_up=public_text(people=people, text=suggestion.follow_up_note),
        concern_count=len(suggestion.source_concerns),
    )
