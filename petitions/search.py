"""The desk's one search box: a tracking code, the constituent's mobile (all 11 digits or the last
four) or name, or words in the concern's text. Each kind is answered from an index (bench/desk_search.py)."""

import re

from django.db.models import F, Q

from petitions.lookups import ContainsText
from petitions.models import Constituent
from petitions.services import TRACKING_ALPHABET, TRACKING_LENGTH

_TRACKING = re.compile(f"[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}")
_MOBILE = re.compile(r"1\d{10}")
_LAST_FOUR = re.compile(r"\d{4}")
_DIGITS = re.compile(r"[\d\s-]+")
# Looking up the constituents first keeps the concern query on its own indexes (an OR across a
# join cannot use them). A common name may match many people: the latest to come are enough for
# a search box, and the bound keeps the list passed back to the database short.
NAME_MATCHES = 200


def _constituents(**lookup) -> list[int]:
    return list(Constituent.objects.filter(**lookup).order_by("-pk").values_list("pk", flat=True)[:NAME_MATCHES])


def concern_search_q(query: str) -> Q:
    """The condition for concerns matching `query` (already stripped, not empty).

    One word is read by its shape: 11 digits (spaces and dashes allowed) are a mobile; four
    digits its last four, or a year or house number in the text; a tracking code, in any case,
    is that code, or a word in the text; anything else is words in the text or the start of the
    constituent's name. Several words must all be in the text.
    Runs one query (for the constituents) when the query may name one; none otherwise.
    """
    if _DIGITS.fullmatch(query):
        digits = re.sub(r"\D", "", query)
        if _MOBILE.fullmatch(digits):
            return Q(constituent_id__in=_constituents(mobile=digits))
        if _LAST_FOUR.fullmatch(digits):
            return Q(constituent_id__in=_constituents(mobile_last4=digits)) | Q(ContainsText(F("content"), digits))
    words = query.split()
    if len(words) > 1:
        return Q(*(ContainsText(F("content"), word) for word in words))
    in_text = Q(ContainsText(F("content"), query))
    if _TRACKING.fullmatch(query.lower()):
        return Q(tracking=query.lower()) | in_text
    if len(query) < 2 or any(char.isdigit() for char in query):
        return in_text
    return in_text | Q(constituent_id__in=_constituents(name__startswith=query))
