"""Demo concerns raised from liaison household contacts (docs/demo-data.md): a couple of recent
contacts, one of them the demo deputy's, became household-channel concerns through the real service."""

import datetime

from django.db import transaction
from django.utils import timezone

from deputies.households import household_contact_record
from deputies.models import Deputy, HouseholdContact
from liaison.outbox import notifications_muted
from petitions.households import household_concern_raise
from petitions.models import Category, Concern

# (notes the contact holds, the category the concern goes to)
RAISED = [("门口水沟堵塞", "道路交通"), ("路灯坏了", "道路交通"), ("野猪下山", "农业生产")]


@transaction.atomic
def seed_household_concerns() -> int:
    """Idempotent: nothing if a household concern already links to a contact. Returns how many were filed."""
    if Concern.objects.filter(household_contact__isnull=False).exists():
        return 0
    contacts = HouseholdContact.objects.select_related("household__village", "deputy").order_by("-contacted_on", "pk")
    # The demo deputy's visit first, so their login shows a concern raised from a visit.
    mine = _demo_deputys_visit()
    chosen = [mine] if mine else []
    for words, _category in RAISED:
        found = contacts.filter(notes__contains=words).exclude(pk__in=[c.pk for c in chosen]).first()
        if found:
            chosen.append(found)
    categories = {c.name: c for c in Category.objects.all()}
    filed = 0
    with notifications_muted():
        for contact in chosen[:3]:
            category = next((categories[name] for words, name in RAISED if words in contact.notes and name in categories),
                            next(iter(categories.values()), None))
            if category is None:
                break
            household_concern_raise(contact=contact, category=category, recorded_by=contact.deputy.user)
            filed += 1
    return filed


def _demo_deputys_visit() -> HouseholdContact | None:
    """A visit of the demo deputy (the login "deputy") three days ago, recorded as they would."""
    deputy = Deputy.objects.filter(user__username="deputy").select_related("user").first()
    household = deputy.households.select_related("village").order_by("pk").first() if deputy else None
    if household is None:
        return None
    contact, _created = household_contact_record(
        household=household, deputy=deputy, kind=HouseholdContact.Kind.VISIT,
        contacted_on=timezone.localdate() - datetime.timedelta(days=3),
        notes="户主反映门口水沟堵塞，下雨天积水漫到路上，希望尽快疏通。", recorded_by=deputy.user)
    return contact
