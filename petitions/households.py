"""Concerns raised from a liaison household contact (channel "household"), in one step with the
contact itself (docs/households.md). The contact log is deputies' (deputies.households)."""

import datetime

from django.conf import settings
from django.db import transaction

from deputies.households import household_contact_record
from deputies.models import Deputy, HouseholdContact, LiaisonHousehold
from petitions.models import Category, Concern
from petitions.services import concern_submit


def household_concern_raise(
    *, contact: HouseholdContact, category: Category, content: str = "", recorded_by,
    submission_key: str | None = None,
) -> tuple[Concern, bool]:
    """File a concern from `contact`: channel household, addressed to the deputy who made the contact,
    the household's head (name, phone) as the constituent, its village, the text typed or else the
    contact's notes; it links back to the contact. The same `submission_key` returns the concern already
    filed (concern_submit's rule). Tells the household its tracking code by SMS after commit. Returns
    (concern, created); raises ValidationError on invalid data (e.g. no text at all)."""
    household = contact.household
    return concern_submit(
        channel=Concern.Channel.HOUSEHOLD, category=category, content=(content or contact.notes).strip(),
        mobile=household.phone, name=household.head, village=household.village, deputy=contact.deputy,
        submitted_by=recorded_by, submission_key=submission_key, household_contact=contact,
        # The deputy reads the household the notice the form shows, as the desk reads it to visitors.
        notice_version=settings.PRIVACY_NOTICE_VERSION,
    )


@transaction.atomic
def household_contact_submit(
    *, household: LiaisonHousehold, deputy: Deputy, kind: str, contacted_on: datetime.date, notes: str,
    recorded_by, category: Category | None = None, content: str = "", submission_key: str | None = None,
) -> tuple[HouseholdContact, Concern | None, bool]:
    """Record a contact and, when a `category` is given, raise a concern from it: both or neither.

    The same `submission_key` (the form's one-time token) returns what the first submit made and makes
    nothing new: one contact, one concern. Returns (contact, concern or None, created).
    """
    contact, created = household_contact_record(
        household=household, deputy=deputy, kind=kind, contacted_on=contacted_on, notes=notes,
        recorded_by=recorded_by, submission_key=submission_key)
    if not created:
        return contact, contact.concerns.order_by("created_at").first(), False
    concern = None
    if category is not None:
        concern, _created = household_concern_raise(contact=contact, category=category, content=content,
                                                    recorded_by=recorded_by, submission_key=submission_key)
    return contact, concern, True


def household_contact_get_for_deputy(*, deputy: Deputy, pk: int) -> HouseholdContact | None:
    """One of the deputy's contacts, with its household and the concerns raised from it (two queries)."""
    return (HouseholdContact.objects.filter(deputy=deputy, pk=pk).select_related("household__village")
            .prefetch_related("concerns").first())
