import logging
import os
import time

from celery import Celery
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("liaison.tasks")
# After a send fails, this process does not try the broker again for this long: with Redis frozen,
# each try costs a request REDIS_TIMEOUT, and a filing queues several messages. What was not sent
# meanwhile waits for the sweep that looks for it (retry-pending-notifications, regenerate_qr).
BROKER_BACKOFF_SECONDS = 30.0
_broker_failed_at: float | None = None


def delay_after_commit(task, *args) -> None:
    """Send `task` with `args` once the current transaction commits; never raise into the caller.

    For tasks that are only a nudge to act on rows already saved, which a periodic sweep finds
    again if the nudge is lost. A broker that refuses or does not answer is logged (the task's
    name and the ids it carries, never personal data) and the caller goes on.
    """
    from django.db import transaction

    transaction.on_commit(lambda: send_or_give_up(task, *args))


def send_or_give_up(task, *args, **options) -> bool:
    """Send `task` now (with apply_async's `options`, as countdown); False if the broker refused it or is in
    back-off after a failure."""
    global _broker_failed_at
    if _broker_failed_at is not None and time.monotonic() - _broker_failed_at < BROKER_BACKOFF_SECONDS:
        return False
    try:
        task.apply_async(args, **options)
    except OperationalError as exc:  # kombu's wrapper of every connection and timeout error
        _broker_failed_at = time.monotonic()
        logger.warning("broker did not take %s%r (%s); left for the sweep", task.name, args, type(exc).__name__)
        return False
    except Exception:
        # Only with tasks run in-process (no broker): the task itself failed. Its row says so.
        logger.exception("%s%r failed", task.name, args)
        return False
    _broker_failed_at = None
    return True
