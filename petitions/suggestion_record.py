"""Suggestions' part of the duty record (deputies/record.py, order 70): registered in PetitionsConfig.ready.

A suggestion counts in the year it was submitted (drafts count nowhere). "Adopted" follows the answer
category's own flag (AnswerCategory.is_adopted), so each township's categories decide it.
suggestions_section costs one query, the timeline one.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.record import Entry, Figure, Section
from petitions.models import Suggestion, SuggestionCoSigner
from petitions.record import _year_window

S = Suggestion.Status


def _submitted_in(year: int) -> Q:
    start, end = _year_window(year)
    return Q(submitted_at__gte=start, submitted_at__lt=end)


def suggestions_section(deputy, year: int) -> Section | None:
    # One query: the deputy's own suggestions and those they co-signed (a subquery, no join to repeat rows).
    own = Q(deputy=deputy)
    cosigned = Q(pk__in=SuggestionCoSigner.objects.filter(deputy=deputy, confirmed_at__isnull=False)
                 .values("suggestion_id"))
    done = Q(status__in=[S.ANSWERED, S.CLOSED])
    figures = Suggestion.objects.filter(_submitted_in(year)).filter(own | cosigned).aggregate(
        made=Count("pk", filter=own),
        cosigned=Count("pk", filter=cosigned),
        answered=Count("pk", filter=own & done),
        adopted=Count("pk", filter=own & done & Q(answer_category__is_adopted=True)),
    )
    cosigned = figures["cosigned"]
    if not (figures["made"] or cosigned):
        return None
    made = figures["made"]
    return Section(key="suggestions", title=_("Suggestions"), figures=[
        Figure("suggestions_made", _("Suggestions made"), made),
        Figure("suggestions_cosigned", _("Suggestions co-signed"), cosigned),
        Figure("suggestions_answered", _("Answered"), figures["answered"], of=made),
        Figure("suggestions_adopted", _("Adopted"), figures["adopted"], of=made),
    ])


def suggestions_timeline(deputy, year: int) -> list[Entry]:
    rows = Suggestion.objects.filter(_submitted_in(year), deputy=deputy).only("pk", "title", "submitted_at")
    return [Entry(on=timezone.localtime(row.submitted_at).date(), kind=_("Suggestion"), text=row.title,
                  url=reverse("desk:suggestion", args=[row.pk])) for row in rows]


def register() -> None:
    from deputies.record import register_section, register_timeline

    register_section(suggestions_section, order=70)
    register_timeline(suggestions_timeline)
