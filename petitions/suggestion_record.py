"""Suggestions' part of the duty record (deputies/record.py, order 70): registered in PetitionsConfig.ready.

A suggestion counts in the year it was submitted (drafts count nowhere). "Adopted" follows the answer
category's own flag (AnswerCategory.is_adopted), so each township's categories decide it. The section
also lists the year's public suggestions the deputy led or co-signed (petitions.suggestion_selectors:
answered, adopted), linked to their public pages: the deputy's public page shows them.
suggestions_section costs one query, the timeline one.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.record import Entry, Figure, Section
from petitions.models import Suggestion, SuggestionCoSigner
from petitions.record import _year_window
from petitions.suggestion_selectors import PUBLIC_STATUSES, public_text

S = Suggestion.Status


def _submitted_in(year: int) -> Q:
    start, end = _year_window(year)
    return Q(submitted_at__gte=start, submitted_at__lt=end)


def _rows(deputy, year: int) -> list[dict]:
    """The deputy's own suggestions and those they co-signed (confirmed) submitted in `year`, each once, with
    what its public entry needs. One query: the rows repeat per linked concern (a left join, to mask what the
    concerns' constituents gave in the title); a deputy has a handful a year, not thousands."""
    cosigned = Q(pk__in=SuggestionCoSigner.objects.filter(deputy=deputy, confirmed_at__isnull=False)
                 .values("suggestion_id"))
    found = (
        Suggestion.objects.filter(_submitted_in(year)).filter(Q(deputy=deputy) | cosigned)
        .values("pk", "deputy_id", "status", "code", "title", "submitted_at", "answer_category__is_adopted",
                "concerns__place", "concerns__constituent__name", "concerns__constituent__mobile")
        .order_by("-submitted_at", "-pk")
    )
    rows: dict[int, dict] = {}
    for found_row in found:
        row = rows.setdefault(found_row["pk"], {**found_row, "people": []})
        if found_row["concerns__place"] is not None:  # a linked concern (its place is "" when none was given)
            row["people"].append((found_row["concerns__constituent__name"] or "",
                                  found_row["concerns__constituent__mobile"] or "", found_row["concerns__place"]))
    return list(rows.values())


def suggestions_section(deputy, year: int) -> Section | None:
    rows = _rows(deputy, year)
    if not rows:
        return None
    own = [row for row in rows if row["deputy_id"] == deputy.pk]
    answered = [row for row in own if row["status"] in PUBLIC_STATUSES]
    public = [row for row in rows if row["status"] in PUBLIC_STATUSES and row["answer_category__is_adopted"]]
    return Section(key="suggestions", title=_("Suggestions"), figures=[
        Figure("suggestions_made", _("Suggestions made"), len(own)),
        Figure("suggestions_cosigned", _("Suggestions co-signed"), len(rows) - len(own)),
        Figure("suggestions_answered", _("Answered"), len(answered), of=len(own)),
        Figure("suggestions_adopted", _("Adopted"), sum(1 for row in answered if row["answer_category__is_adopted"]),
               of=len(own)),
    ], entries=[
        Entry(on=timezone.localtime(row["submitted_at"]).date(),
              kind=_("Lead deputy") if row["deputy_id"] == deputy.pk else _("Co-signed"),
              text=public_text(people=row["people"], text=row["title"]),
              url=reverse("petitions:suggestion", args=[row["code"]]), public=True)
        for row in public
    ])


def suggestions_timeline(deputy, year: int) -> list[Entry]:
    rows = Suggestion.objects.filter(_submitted_in(year), deputy=deputy).only("pk", "title", "submitted_at")
    return [Entry(on=timezone.localtime(row.submitted_at).date(), kind=_("Suggestion"), text=row.title,
                  url=reverse("desk:suggestion", args=[row.pk])) for row in rows]


def register() -> None:
    from deputies.record import register_section, register_timeline

    register_section(suggestions_section, order=70)
    register_timeline(suggestions_timeline)
