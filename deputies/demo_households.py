"""Demo household contacts (docs/demo-data.md): a year of visits and calls for most deputies, so the
deputies' "my households", the staff's lists and the duty record have something to show — and a few
deputies silent for longer than HOUSEHOLD_CONTACT_DAYS, so the "not contacted" list is not empty.

Deterministic (a fixed seed) and idempotent: nothing is added if the township has contacts already.
"""

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from deputies.models import Deputy, HouseholdContact

NOTES = [
    "家里老人身体还好，问了医保缴费的事。", "反映村道路灯坏了两盏，晚上出行不便。", "今年杨梅收成不错，希望多组织销售对接。",
    "询问宅基地建房审批要走哪些手续。", "门口水沟堵塞，下雨天积水漫到路上。", "孩子上幼儿园名额紧张，希望增加托育。",
    "反映村里垃圾清运不及时。", "对村里新修的文化礼堂很满意。", "希望村卫生室下午也有医生坐诊。",
    "野猪下山毁坏庄稼，希望组织防控。", "一切正常，没有新的诉求。", "问了低保申请的进度。",
]


@transaction.atomic
def seed_household_contacts(*, seed: int, today: datetime.date | None = None) -> int:
    """Contacts over the past year for the township in scope. Of its deputies, about one in eight has
    contacted nobody for longer than the period and a few never: the rest are in touch. Returns how many
    contacts were made."""
    if HouseholdContact.objects.exists():
        return 0
    rng = random.Random(seed + 9)
    today = today or timezone.localdate()
    quiet_days = settings.HOUSEHOLD_CONTACT_DAYS
    contacts = []
    deputies = Deputy.objects.filter(is_active=True).prefetch_related("households").order_by("pk")
    for number, deputy in enumerate(deputies):
        households = list(deputy.households.all())
        if not households or number % 16 == 7:  # a few never contacted theirs
            continue
        silent = number % 8 == 3  # last contact longer ago than the period
        newest = quiet_days + rng.randint(5, 60) if silent else 0
        for household in households:
            for _visit in range(rng.randint(1, 4)):
                days_ago = rng.randint(newest, 364)
                contacts.append(HouseholdContact(
                    township_id=deputy.township_id, household=household, deputy=deputy,
                    kind=rng.choice([HouseholdContact.Kind.VISIT] * 2 + [HouseholdContact.Kind.CALL]),
                    contacted_on=today - datetime.timedelta(days=days_ago), notes=rng.choice(NOTES),
                    recorded_by=deputy.user,
                ))
        if not silent:  # in touch: one contact within the last month
            contacts.append(HouseholdContact(
                township_id=deputy.township_id, household=rng.choice(households), deputy=deputy,
                kind=HouseholdContact.Kind.VISIT, contacted_on=today - datetime.timedelta(days=rng.randint(0, 30)),
                notes=rng.choice(NOTES), recorded_by=deputy.user,
            ))
    HouseholdContact.objects.bulk_create(contacts)
    return len(contacts)
