"""The public form's filings, taken in at once and registered as concerns by the worker.

When a QR campaign goes out, hundreds of people file within minutes on a two-core server. A
concern takes some thirty queries to register (constituent, timeline, photos, two messages) and
a photo half a second of CPU to clean; done in the request, the crowd waits in line for them. So
the request checks the form (a photo by its header only), counts the limits, saves one row with
the tracking code chosen now, and answers; the worker registers it through the one filing service
(services.concern_submit), in its township, one transaction each. Nothing is lost on the way: the
row is in the database before the filer is answered, and beat's sweep registers any the nudge
missed (Redis away, a worker killed). In the embedded default (tasks in-process) the filing is
registered in the request, as before.

A filing found to repeat an earlier concern (the same form token, or the same words within
petitions.dedupe's window) keeps only its link to that concern, so its receipt can answer the
filer, and gives back the limits it counted. docs/public-pages.md has the filer's side.
"""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import DatabaseError, transaction
from django.utils import timezone

from deputies.models import Deputy, Site, Village
from liaison import counters
from liaison.celery import send_or_give_up
from liaison.models import Township
from liaison.outbox import deliveries_gathered
from liaison.photos import clean_photo
from liaison.public_pages import stamps_gathered
from liaison.scoping import county_wide, in_township
from petitions import services, throttle
from petitions.intake_models import Filing
from petitions.models import Category, Concern

logger = logging.getLogger("petitions.intake")

MAX_ATTEMPTS = 5
BATCH = 100
# Set while a registering task is on its way: a crowd's filings send one task, not one each.
NUDGE_KEY = "petitions:intake:nudged"
NUDGE_SECONDS = 60
# The sweep leaves the newest filings to the task their nudge sent.
SWEEP_AFTER = datetime.timedelta(minutes=1)
REPEATS_KEPT = datetime.timedelta(days=7)


def filing_accept(*, deputy: Deputy | None, site: Site | None, data: dict, limits: list, held_because: str) -> Filing:
    """Save one checked filing of the public form and have it registered; returns it (its tracking code).
    Registered in the request (tasks in-process), a repeat comes back as one (state and earlier concern)."""
    township = (deputy or site).township
    filing = Filing(township=township, tracking=services.new_tracking(), deputy=deputy, site=site,
                    submission_key=data["submission_key"], payload={
                        "name": data["name"], "mobile": data["mobile"],
                        "village": data["village"] and data["village"].pk, "category": data["category"].pk,
                        "content": data["content"], "place": data["place"], "is_public": data["is_public"],
                        "notice_version": settings.PRIVACY_NOTICE_VERSION, "held_because": held_because,
                        "limits": [limit.key for limit in limits],
                    })
    storage = storages["private"]
    filing.photos = [storage.save(f"intake/{filing.tracking}-{n}", upload)
                     for n, upload in enumerate(data["photos"])]
    try:
        filing.save()
        if settings.CELERY_TASK_ALWAYS_EAGER:
            _register_or_note(filing.pk)
    except DatabaseError:
        # Not saved (the database restarting), or saved but not registered in the request, where no sweep
        # registers it later (the embedded default runs no beat): the filer sends it again, counted then.
        throttle.give_back_filing(filing.payload["limits"])
        raise
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(_nudge, robust=True)  # a lost nudge is the sweep's to make up, never an error
        return filing
    # Registered (the row is gone) or a repeat or failed (the row says which, and which concern it repeats).
    return Filing.objects.filter(pk=filing.pk).select_related(
        "deputy", "site", "concern__constituent").first() or filing


def _nudge() -> None:
    from petitions.tasks import register_filings

    # With Redis away the flag and the task would each wait on it: the sweep finds the filing instead.
    if counters.store_down():
        return
    try:
        first = cache.add(NUDGE_KEY, 1, NUDGE_SECONDS)
    except counters.redis_errors() as exc:
        logger.warning("no nudge for the filings (%s); left for the sweep", type(exc).__name__)
        return
    if first:
        send_or_give_up(register_filings)


def register_filings_now(*, older_than: datetime.timedelta | None = None) -> int:
    """Register the pending filings of every township (older than `older_than`, if given); how many."""
    try:
        cache.delete(NUDGE_KEY)  # first: a filing saved from now on sends a task of its own
    except counters.redis_errors() as exc:  # its flag goes by itself within NUDGE_SECONDS; register anyway
        logger.warning("the filings' nudge flag not cleared (%s)", type(exc).__name__)
    done, last = 0, 0
    while True:
        with county_wide():
            pending = Filing.objects.filter(state=Filing.State.PENDING, pk__gt=last)
            if older_than is not None:
                pending = pending.filter(created_at__lt=timezone.now() - older_than)
            batch = list(pending.order_by("pk").values_list("pk", "township_id", "payload__category")[:BATCH])
            if not batch:
                return done
            townships = Township.objects.in_bulk({township_id for _pk, township_id, _category in batch})
            categories = Category.objects.in_bulk({category for _pk, _township_id, category in batch})
        for category in categories.values():
            if category.township_id in townships:
                category.township = townships[category.township_id]  # the concern's township, not read again
        # The batch's texts sent by one task, and its townships' pages stamped together, not after each filing.
        with deliveries_gathered(), stamps_gathered():
            for pk, township_id, category_id in batch:
                category = categories.get(category_id)
                with in_township(townships[township_id]):
                    # (Another township's is read in the filing's scope, and not found: the filing fails.)
                    done += _register_or_note(pk, category if category and category.township_id == township_id
                                              else None)
        last = batch[-1][0]


def _register_or_note(pk: int, category: Category | None = None) -> int:
    try:
        return _register(pk, category)
    except (DatabaseError, OSError, SoftTimeLimitExceeded):
        # The database or the disk is away, or the task's time is up: the sweep tries again, not counted
        # against the filing.
        raise
    except Exception as exc:
        logger.exception("filing %s not registered", pk)
        _note_failure(pk, exc)
        return 0


def _register(pk: int, category: Category | None) -> int:
    with transaction.atomic():
        # skip_locked: a second worker (or the sweep) passes over the filing one is registering. of=self: the
        # filing's row only (PostgreSQL locks no nullable side of the outer joins to deputy and site).
        filing = Filing.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            pk=pk, state=Filing.State.PENDING).select_related("deputy", "site").first()
        if filing is None:
            return 0
        data = filing.payload
        storage = storages["private"]
        photos = [photo for name in filing.photos if (photo := _cleaned(storage, name, filing.tracking))]
        concern, created = services.concern_submit(
            channel=Concern.Channel.QR, tracking=filing.tracking, deputy=filing.deputy, site=filing.site,
            name=data["name"], mobile=data["mobile"],
            village=Village.objects.filter(pk=data["village"]).first() if data["village"] else None,
            category=category or Category.objects.get(pk=data["category"]), content=data["content"],
            place=data["place"], photos=photos, is_public=data["is_public"], submission_key=filing.submission_key,
            notice_version=data["notice_version"], held_because=data["held_because"],
        )
        if created:
            filing.delete()
        else:
            filing.state, filing.concern, filing.payload = Filing.State.REPEATED, concern, {}
            filing.save(update_fields=["state", "concern", "payload"])
    # Committed: the raw photos are done with, and a repeat is not another filing against the limits.
    for name in filing.photos:
        storage.delete(name)
    if not created:
        throttle.give_back_filing(data["limits"])
    return 1


def _cleaned(storage, name: str, tracking: str):
    """The photo cleaned, or None: one whose header passed but whose pixels cannot be read is left out
    rather than losing the concern with it."""
    with storage.open(name) as upload:
        try:
            return clean_photo(upload)
        except ValidationError:
            logger.warning("a photo of filing %s could not be read; registered without it", tracking)
            return None


def _note_failure(pk: int, exc: Exception) -> None:
    """Count a failed try; a filing the form's checks passed but the service refused, or one failing
    MAX_ATTEMPTS times, is failed: it waits in the admin for the staff ("register again")."""
    filing = Filing.objects.filter(pk=pk).first()
    if filing is None:
        return
    filing.attempts += 1
    filing.last_error = f"{type(exc).__name__}: {exc}"[:300]
    if isinstance(exc, ValidationError) or filing.attempts >= MAX_ATTEMPTS:
        filing.state = Filing.State.FAILED
    filing.save(update_fields=["attempts", "last_error", "state"])


def sweep() -> int:
    """Beat's minute: register what no task did; forget repeats older than REPEATS_KEPT, and failed filings
    nobody registered again within PERSONAL_DATA_RETENTION_DAYS (docs/privacy.md). Returns how many filings
    it registered."""
    done = register_filings_now(older_than=SWEEP_AFTER)
    now = timezone.now()
    with county_wide():
        Filing.objects.filter(state=Filing.State.REPEATED, created_at__lt=now - REPEATS_KEPT).delete()
        _forget(Filing.objects.filter(state=Filing.State.FAILED, created_at__lt=now - datetime.timedelta(
            days=settings.PERSONAL_DATA_RETENTION_DAYS)))
    return done


def _forget(filings) -> None:
    """Delete failed filings with their raw photos (a repeat's went when it was registered): a photo can show
    a face or a house, personal data kept no longer than the filing that brought it."""
    storage = storages["private"]
    for filing in filings.only("pk", "photos"):
        # Still failed: the staff may have chosen "register again" since the list was read.
        if not Filing.objects.filter(pk=filing.pk, state=Filing.State.FAILED).delete()[0]:
            continue
        for name in filing.photos:  # after its row: a filing never points at a missing photo
            try:
                storage.delete(name)
            except OSError:
                logger.exception("raw photo %s of a forgotten filing not deleted: delete it by hand", name)


def register_again(filings) -> int:
    """The admin's action: failed filings go back to pending, their tries counted afresh."""
    count = filings.filter(state=Filing.State.FAILED).update(state=Filing.State.PENDING, attempts=0)
    if count:
        transaction.on_commit(_nudge, robust=True)
    return count


def failed_count() -> int:
    """The current scope's filings waiting for the staff to register them again (the held list says so)."""
    return Filing.objects.filter(state=Filing.State.FAILED).count()


def filing_of(tracking: str) -> Filing | None:
    """The filing a receipt names, across the county (codes resolve on any host), with what its answer needs."""
    with county_wide():
        return Filing.objects.filter(tracking=tracking).select_related(
            "township", "deputy", "site", "concern__constituent").first()
