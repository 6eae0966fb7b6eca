"""What the soak asks of the station's own database and queue, run in the station's environment
(bench/soak/stack.py `Station.manage`): each command prints one line of JSON.

    python -m bench.soak.station seed
    python -m bench.soak.station overdue <prefix> <count>      cases two days past their deadline
    python -m bench.soak.station ticks <times>                 every beat task <times> times at once
    python -m bench.soak.station settle <claimed-before>       sweep until every message is out
    python -m bench.soak.station count <prefix>                what the filings of one fault left behind
"""

import datetime
import json
from collections import Counter
import sys
import time

import django

django.setup()

from celery.schedules import crontab  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison.calendar import subtract_working_days  # noqa: E402
from liaison.celery import app  # noqa: E402
from liaison.models import Notification  # noqa: E402
from liaison.outbox import notifications_muted  # noqa: E402
from liaison.scoping import county_wide, default_township, in_township  # noqa: E402
from liaison.tasks import retry_pending_notifications  # noqa: E402
from petitions.models import Concern, ConcernEvent, Filing  # noqa: E402
from petitions.services import concern_submit  # noqa: E402
from petitions.tasks import sweep_filings  # noqa: E402
from tests.factories import CategoryFactory, DeputyFactory, UnitFactory  # noqa: E402

DEPUTY_MOBILE = "13900000088"
UNIT_PHONE = "13700000042"


def seed() -> dict:
    with in_township(default_township()):
        deputy = DeputyFactory(mobile=DEPUTY_MOBILE)
        category = CategoryFactory(name="道路照明", default_unit=UnitFactory(phone=UNIT_PHONE))
    return {"deputy_code": deputy.code, "category": category.pk, "deputy_mobile": DEPUTY_MOBILE}


def overdue(prefix: str, count: int) -> dict:
    """`count` cases as two days without beat leave them: half forwarded and two working days past their
    deadline, half never forwarded and filed a week ago. Their filing's messages went out long ago."""
    township = default_township()
    today = timezone.localdate()
    with in_township(township), notifications_muted():
        from deputies.models import Deputy
        from petitions.models import Category

        deputy = Deputy.objects.get(mobile=DEPUTY_MOBILE)
        category = Category.objects.get(name="道路照明")
        made = [concern_submit(channel=Concern.Channel.QR, category=category, deputy=deputy, name="陈西荣",
                               mobile=f"{prefix}{n:08d}", content=f"第{n}号：桥头路灯坏了两周。")[0]
                for n in range(1, count + 1)]
    forwarded, untaken = made[: count // 2], made[count // 2:]
    with county_wide():
        Concern.objects.filter(pk__in=[c.pk for c in forwarded]).update(
            status=Concern.Status.ASSIGNED, unit=category.default_unit,
            deadline_on=subtract_working_days(today, 2))
        Concern.objects.filter(pk__in=[c.pk for c in untaken]).update(
            created_at=timezone.now() - datetime.timedelta(days=7))
    return {"overdue": count}


def _ticks_in_two_days(entry: dict) -> int:
    schedule = entry["schedule"]
    if isinstance(schedule, crontab):
        return 2 * len(schedule.hour) * len(schedule.minute)
    return int(2 * 24 * 3600 // schedule)


def ticks(times: int) -> dict:
    """Every task of the beat schedule `times` times, all sent at once: beat back after two days, and then
    some (celery beat itself sends a missed entry once; a second beat or a catch-up per missed tick would
    send more). Returns how many were sent and how many two days really held."""
    sent = held = 0
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        held += _ticks_in_two_days(entry)
        for _ in range(times):
            app.send_task(entry["task"])
            sent += 1
    return {"sent": sent, "two_days_of_ticks": held}


@county_wide()
def settle(claimed_before: float, timeout: float = 60) -> dict:
    """Run the outbox sweep (as beat does every 5 minutes) until no message is waiting or being sent.

    A row a worker claimed before `claimed_before` (a Unix time: the fault's end) and still "sending" is
    in doubt — its worker died, or lost the database, between claiming and recording the send — and the
    sweep takes it back only after 10 minutes. Its clock is moved back so the soak need not wait: such a
    message arrives up to 15 minutes late, once (its gateway id stays the same).
    """
    started = time.monotonic()
    cutoff = datetime.datetime.fromtimestamp(claimed_before, tz=datetime.UTC)
    in_doubt = set()
    waiting = Q(status__in=[Notification.Status.PENDING, Notification.Status.SENDING])
    # Filings taken in but not registered (the nudge lost with Redis, a worker killed): beat's minute sweep,
    # each of them aged past the minute it leaves to the nudge.
    pending = Filing.objects.filter(state=Filing.State.PENDING)
    while pending.exists() and time.monotonic() - started < timeout:
        pending.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
        sweep_filings.delay()
        time.sleep(1.5)
    while Notification.objects.filter(waiting).exists() and time.monotonic() - started < timeout:
        stuck = Notification.objects.filter(status=Notification.Status.SENDING, updated_at__lt=cutoff)
        in_doubt.update(stuck.values_list("pk", flat=True))
        stuck.update(updated_at=timezone.now() - datetime.timedelta(minutes=11))
        retry_pending_notifications.delay(0)
        time.sleep(1.5)
    left = Notification.objects.filter(waiting)
    return {"in_doubt": len(in_doubt), "seconds": round(time.monotonic() - started, 1), "left": left.count(),
            "filings_left": pending.count(),
            "failed": Notification.objects.filter(status=Notification.Status.FAILED).count(),
            # Why, if anything is left: how it stands, and whether the worker takes tasks at all.
            "left_by_state": {f"{status}/{attempts}": n for status, attempts, n in left.values_list(
                "status", "attempts").annotate(n=Count("pk")).values_list("status", "attempts", "n")},
            "queued": app.connection_for_write().default_channel.client.llen("celery") if left.exists() else 0}


@county_wide()
def count(prefix: str) -> dict:
    """The concerns filed from mobiles starting with `prefix`: how many, how many per mobile, and any
    saved without its filing event or its two messages (the constituent's and the deputy's)."""
    concerns = Concern.objects.filter(constituent__mobile__startswith=prefix)
    per_mobile = concerns.values("constituent__mobile").annotate(n=Count("pk"))
    half_saved = concerns.annotate(
        filed=Count("events", filter=Q(events__kind=ConcernEvent.Kind.TRANSITION,
                                       events__to_status=Concern.Status.SUBMITTED), distinct=True),
    ).exclude(filed=1)
    trackings = list(concerns.values_list("tracking", flat=True))
    queued = Counter(Notification.objects.filter(subject_id__in=concerns.values("pk"), key__startswith="submitted:")
                     .values_list("subject_id", flat=True))
    escalations = ConcernEvent.objects.filter(concern__in=concerns, kind=ConcernEvent.Kind.ESCALATION)
    return {
        "rows": concerns.count(),
        "mobiles": per_mobile.count(),
        "duplicates": sum(row["n"] - 1 for row in per_mobile),
        "half_saved": half_saved.count(),
        "without_messages": sum(1 for pk in concerns.values_list("pk", flat=True) if queued[pk] != 2),
        "trackings": trackings,
        "escalations": escalations.count(),
        "escalated_cases": escalations.values("concern").distinct().count(),
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = {
        "seed": lambda: seed(),
        "overdue": lambda: overdue(args[0], int(args[1])),
        "ticks": lambda: ticks(int(args[0])),
        "settle": lambda: settle(float(args[0])),
        "count": lambda: count(args[0]),
    }[command]()
    print(json.dumps(result, ensure_ascii=False))
