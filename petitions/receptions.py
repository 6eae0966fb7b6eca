"""The station desk: walk-in receptions (接待选民登记), the register, and concerns filed for callers."""

import datetime
from collections.abc import Iterable, Sequence
from typing import TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet

from deputies.models import Deputy, DutyDay, Site, Village
from liaison.scoping import check_same_township
from petitions import dedupe
from petitions.models import Category, Concern, Reception
from petitions.services import concern_submit, constituent_get_or_create


class NewConcern(TypedDict):
    content: str
    category: Category


@transaction.atomic
def reception_record(
    *,
    received_on: datetime.date,
    site: Site,
    deputies: Sequence[Deputy],
    mobile: str,
    name: str,
    village: Village | None,
    visitor_count: int,
    matters: str,
    answer: str,
    satisfaction: str,
    recorded_by,
    new_concerns: Iterable[NewConcern] = (),
    submission_key: str | None = None,
) -> tuple[Reception, bool]:
    """Record one walk-in reception and turn the listed matters into concerns, all or nothing.

    `mobile` must already be a valid mainland number (the visitor is a Constituent,
    one per mobile). Each of `new_concerns` becomes a walk-in concern linked to the
    reception, addressed to the first deputy on duty (if any) at `site`; whatever was
    raised but not turned into a concern stands as answered on the spot. The same
    `submission_key` (the desk form's one-time token) returns the reception already
    recorded and makes nothing new, so a double click records the visit once; so does
    the same visitor, site, day and matters within DUPLICATE_WINDOW_MINUTES (the form
    sent again after going Back, petitions.dedupe). Raises ValidationError on invalid
    data. Notifications for the concerns go out after commit, for a new reception only.
    Returns (reception, created); its concerns are `reception.concerns`. Both record the privacy
    notice version the desk form shows (the visitor is read it).
    """
    dedupe_key = dedupe.reception_key(mobile=mobile, site=site, received_on=received_on, matters=matters)
    if existing := dedupe.earlier_submission(Reception, submission_key=submission_key, dedupe_key=dedupe_key):
        return existing, False
    deputies = list(deputies)
    try:
        with transaction.atomic():
            constituent = constituent_get_or_create(township=site.township, mobile=mobile, name=name, village=village)
            reception = Reception(
                township=site.township, received_on=received_on, site=site, constituent=constituent, visitor_count=visitor_count,
                village=village, matters=matters, answer=answer, satisfaction=satisfaction,
                recorded_by=recorded_by, submission_key=submission_key, dedupe_key=dedupe_key,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                # The site's duty day on that date, when the roster has one: the visit counts for that day.
                duty_day=DutyDay.objects.filter(site=site, held_on=received_on).first(),
            )
            reception.full_clean(exclude=["submission_key", "dedupe_key"])
            check_same_township(reception, *deputies)
            reception.save()
            reception.deputies.set(deputies)
            for item in new_concerns:
                concern_submit(
                    channel=Concern.Channel.WALK_IN, category=item["category"], content=item["content"],
                    mobile=mobile, name=name, village=village, deputy=deputies[0] if deputies else None,
                    site=site, submitted_by=recorded_by, reception=reception,
                    notice_version=settings.PRIVACY_NOTICE_VERSION,
                )
    except IntegrityError:
        # Two clicks, or the same visit sent twice, raced past the check above; the other one won
        # and made the concerns.
        if existing := dedupe.earlier_submission(Reception, submission_key=submission_key, dedupe_key=dedupe_key):
            return existing, False
        raise
    return reception, True


def concern_file_by_phone(
    *,
    mobile: str,
    name: str = "",
    village: Village | None = None,
    category: Category,
    content: str,
    recorded_by,
    submission_key: str | None = None,
) -> tuple[Concern, bool]:
    """Staff file a concern for someone who phoned the station; only the caller's mobile is required.

    The same `submission_key` (the form's one-time token), or the same text for the same
    caller within DUPLICATE_WINDOW_MINUTES, returns the concern already filed, so a
    double click or the form sent again files once. Raises ValidationError on invalid
    data; notifies the caller after commit, for a new concern only. Returns (concern, created).
    """
    return concern_submit(
        channel=Concern.Channel.PHONE, category=category, content=content, mobile=mobile, name=name,
        village=village, submitted_by=recorded_by, submission_key=submission_key,
        notice_version=settings.PRIVACY_NOTICE_VERSION,
    )


def reception_search(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    deputy: Deputy | None = None,
    village: Village | None = None,
    site: Site | None = None,
    query: str = "",
) -> QuerySet[Reception]:
    """The reception register's selector (list, print and .xlsx export alike): receptions matching
    the filters, newest first, with everything a row shows loaded in a fixed number of queries."""
    receptions = Reception.objects.select_related("site", "constituent", "village").prefetch_related(
        "deputies",
        Prefetch("concerns", queryset=Concern.objects.only("pk", "tracking", "reception_id").order_by("created_at")),
    )
    if date_from:
        receptions = receptions.filter(received_on__gte=date_from)
    if date_to:
        receptions = receptions.filter(received_on__lte=date_to)
    if deputy:
        receptions = receptions.filter(deputies=deputy)
    if village:
        receptions = receptions.filter(village=village)
    if site:
        receptions = receptions.filter(site=site)
    if query:
        receptions = receptions.filter(
            Q(matters__icontains=query) | Q(answer__icontains=query)
            | Q(constituent__name__icontains=query) | Q(constituent__mobile__contains=query)
        )
    return receptions.order_by("-received_on", "-created_at", "-pk")
