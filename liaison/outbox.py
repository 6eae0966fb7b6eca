"""The notification outbox: queue a message once, deliver it with retries."""

import datetime
import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from liaison import sms
from liaison.celery import delay_after_commit, send_or_give_up
from liaison.models import Notification
from liaison.scoping import county_wide, current_township

logger = logging.getLogger("liaison.notifications")
MAX_ATTEMPTS = 5
# Set while loading demo data or historical cases: those must not message anyone.
_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def notifications_muted():
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# A task's messages, each waiting at most the gateway's 10 s: within the task's soft time limit (240 s).
GATHERED_PER_TASK = 20


class _Gathered:
    def __init__(self):
        self.ids: list[int] = []
        self.open = True

    def add(self, notification_id: int) -> None:  # on commit
        if not self.open:  # committed after the block (an outer transaction): on its own, as outside a block
            send_or_give_up(_deliver_one(), notification_id)
            return
        self.ids.append(notification_id)

    def send(self) -> None:
        from liaison.tasks import deliver_notifications_task

        for start in range(0, len(self.ids), GATHERED_PER_TASK):  # (several: the pool's processes share them)
            send_or_give_up(deliver_notifications_task, self.ids[start:start + GATHERED_PER_TASK])


_gathered: ContextVar[_Gathered | None] = ContextVar("notifications_gathered", default=None)


@contextmanager
def deliveries_gathered():
    """The messages queued in the block are delivered once it ends, by one task for each GATHERED_PER_TASK of
    those committed by then; not one task each. For work that queues many at once, as the worker registering a
    crowd's filings (two texts a filing), where sending, receiving and acknowledging a task for each message was
    the worker's work too: 24 ms of its CPU a filing with, 29 ms without (bench/run.py, township)."""
    gathered = _Gathered()
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
        gathered.open = False
        gathered.send()


def _deliver_one():
    from liaison.tasks import deliver_notification_task

    return deliver_notification_task


def notification_queue(
    *, key: str, channel: str, recipient: str, body: str, subject: str = "", about: models.Model | None = None,
    township=None, daily_cap: int | None = None,
) -> Notification | None:
    """Queue one message; a second call with the same key queues nothing. Returns the new row or None.

    The message belongs to `township`, else to the township of what it is `about`, else to the
    township of the current scope; with none of these it is an error (raises ValueError).

    `daily_cap` (SMS only): when the number has already been sent that many SMS today (station
    time, every township's messages together), the row is recorded as skipped, with the reason in
    last_error, and never sent. Being over the cap never raises.

    Delivery is enqueued after commit; if the broker is down or does not answer the row stays
    pending and the periodic retry sweep sends it later. Never raises for the broker.
    """
    if not recipient or _muted.get():
        return None
    township = township or getattr(about, "township", None) or current_township()
    if township is None:
        raise ValueError("A message belongs to a township: pass township= or about=, or queue it inside one.")
    skipped_because = _over_daily_cap(recipient, daily_cap) if channel == Notification.Channel.SMS else ""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key[:200], channel=channel, recipient=recipient, body=body, subject=subject, about=about,
                township=township, last_error=skipped_because,
                status=Notification.Status.SKIPPED if skipped_because else Notification.Status.PENDING,
            )
    except IntegrityError:
        return None
    if skipped_because:
        logger.warning("notification %s skipped: the number's daily cap of %s SMS", notification.pk, daily_cap)
        return notification
    # The row is the message; the task only says "send it now". A broker that is down or frozen
    # costs this request at most one REDIS_TIMEOUT, and the sweep sends the row once it is back.
    gathered = _gathered.get()
    if gathered is not None:
        transaction.on_commit(lambda: gathered.add(notification.pk))
    else:
        delay_after_commit(_deliver_one(), notification.pk)
    return notification


def _over_daily_cap(recipient: str, daily_cap: int | None) -> str:
    """Why an SMS to `recipient` must not go out today, or "". Counted from the outbox itself (served by
    notification_recipient_idx): two messages queued at the same instant may both pass, so the cap can
    be passed by one or two, never by a flood."""
    if daily_cap is None:
        return ""
    start_of_day = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    with county_wide():
        sent_today = Notification.objects.filter(
            channel=Notification.Channel.SMS, recipient=recipient, created_at__gte=start_of_day,
        ).exclude(status=Notification.Status.SKIPPED).count()
    if sent_today < daily_cap:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Not sent: this number already had %(n)d SMS today, the daily cap.") % {"n": sent_today}


@county_wide()  # delivery is the county's: one worker sends every township's messages
def notification_deliver(*, notification_id: int) -> bool:
    """Send one pending message. Returns True if this call sent it.

    Claims the row with a conditional update, so two workers (or a task run
    twice) never send the same message twice. Raises on a failed attempt so the
    task can retry; after MAX_ATTEMPTS the row is marked failed.
    """
    claimed = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENDING, updated_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        if notification.channel == Notification.Channel.SMS:
            sms.get_backend().send(notification.recipient, notification.body, reference=message_reference(notification))
        else:
            send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient])
    except Exception as exc:
        attempts = notification.attempts + 1
        status = Notification.Status.FAILED if attempts >= MAX_ATTEMPTS else Notification.Status.PENDING
        Notification.objects.filter(pk=notification_id).update(
            status=status, attempts=attempts, last_error=str(exc)[:2000], updated_at=timezone.now()
        )
        logger.warning("notification %s attempt %s failed: %s", notification_id, attempts, exc)
        raise
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.Status.SENT, attempts=notification.attempts + 1, sent_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return True


def message_reference(notification: Notification) -> str:
    """The message's reference for the gateway: the same on every attempt, and unlike the row's number
    never the same for two installations sharing one gateway account (nor after a database restore)."""
    seed = f"{settings.SITE_URL}|{notification.pk}|{notification.key}|{notification.created_at.isoformat()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


@county_wide()
def notifications_pending_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Pending rows nobody is delivering: never tried (the broker was down at commit), or
    failed and left longer than the task's own retries take (its retry chain was lost)."""
    now = timezone.now()
    # A row stuck in "sending" for 10 minutes belongs to a worker that died mid-send.
    stuck = now - timezone.timedelta(minutes=10)
    Notification.objects.filter(status=Notification.Status.SENDING, updated_at__lt=stuck).update(
        status=Notification.Status.PENDING
    )
    never_tried = Q(attempts=0, updated_at__lt=now - timezone.timedelta(seconds=older_than_seconds))
    retry_lost = Q(attempts__gt=0, updated_at__lt=now - timezone.timedelta(minutes=40))  # > the task's back-off
    return list(
        Notification.objects.filter(never_tried | retry_lost, status=Notification.Status.PENDING)
        .order_by("created_at").values_list("pk", flat=True)[:500]
    )


# When the sweep last finished, for /healthz. In the cache, not a table: it is rewritten every run,
# and after a Redis restart /healthz says "never" until the next run rather than anything false.
_SWEEP_KEY = "outbox:last-sweep"


def sweep_mark_done() -> None:
    try:
        cache.set(_SWEEP_KEY, timezone.now(), timeout=None)
    except Exception as exc:  # the sweep did its work; only the record of it is lost
        logger.warning("could not record the outbox sweep (%s)", type(exc).__name__)


def sweep_last_at():
    """When the outbox sweep last finished (an aware datetime), or None if not since the cache was emptied."""
    return cache.get(_SWEEP_KEY)
