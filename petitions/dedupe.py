"""Catching a repeat: the same thing sent again, so it is filed once and messaged once.

Two ways a repeat shows itself. The form's one-time token (`submission_key`) catches a
double tap or a resent POST. Going Back may hand the browser a fresh form with a new
token, and a villager may type the same text again from another browser, so a content
key catches those: who sent it, to whom, and the text without its whitespace.

The content key is unique in its table, held by the latest row that carries it. Within
DUPLICATE_WINDOW_MINUTES that row is the answer to a repeat; older, it gives the key
up to the new row. Because the key is unique, two posts racing past the check cannot
both insert: the loser's IntegrityError leads it to the winner (the services' shape).
"""

import datetime
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

_NAMESPACE = uuid.UUID("5b0d8e4a-3c1f-4f57-9d8e-2a6b7c1d0e93")


def normalise(text: str) -> str:
    """The text as compared: NFKC (a phone keyboard's full-width letters and digits are the plain
    ones) with no whitespace at all. Chinese puts no spaces between words, so a space or line
    break typed the second time is noise, not another concern."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def content_key(*parts) -> uuid.UUID | None:
    """The key of a submission's content and scope, or None when the window is off (0 minutes)."""
    if settings.DUPLICATE_WINDOW_MINUTES <= 0:
        return None
    return uuid.uuid5(_NAMESPACE, "\x1f".join("" if part is None else str(part) for part in parts))


def concern_key(
    *, township_id: int, mobile: str, submitted_by, deputy, site, content: str, place: str
) -> uuid.UUID | None:
    """A concern's content key: its text and place, from this mobile (or, with none, this user: a
    deputy's patrol) to this deputy and site, in this township. None when nobody identifies the sender.

    The township is in the key because the key is unique across the county while a repeat is looked for
    in one township: a caller who phones two stations with the same words (no deputy, no site) would
    otherwise find the second station's filing refused by a row it cannot see."""
    sender = f"mobile:{mobile}" if mobile else (f"user:{submitted_by.pk}" if submitted_by else None)
    if sender is None:
        return None
    return content_key("concern", township_id, sender, deputy and deputy.pk, site and site.pk, normalise(content),
                       normalise(place))


def reception_key(*, mobile: str, site, received_on: datetime.date, matters: str) -> uuid.UUID | None:
    """A reception's content key: the same visitor at the same site on the same day raising the same matters."""
    return content_key("reception", mobile, site.pk, received_on.isoformat(), normalise(matters))


def window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.DUPLICATE_WINDOW_MINUTES)


def earlier_submission(
    model: type[models.Model], *, submission_key: str | None, dedupe_key: uuid.UUID | None
) -> models.Model | None:
    """The row this submission repeats: the one made with the same form token, else the one
    holding the same content key if made within the window. None if it is new.

    One query on two unique indexes. Side effect: a key holder older than the window
    releases the key (conditionally, so racing callers release it once), so the new
    row can take it.
    """
    if not (submission_key or dedupe_key):
        return None
    lookup = Q(submission_key=submission_key) if submission_key else Q()
    if dedupe_key:
        lookup |= Q(dedupe_key=dedupe_key)
    rows = list(model.objects.filter(lookup)[:2])
    for row in rows:
        if submission_key and row.submission_key == submission_key:
            return row
    for row in rows:  # at most one: the key is unique
        if row.created_at >= window_start():
            return row
        model.objects.filter(pk=row.pk, dedupe_key=dedupe_key).update(dedupe_key=None)
    return None
