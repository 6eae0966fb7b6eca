"""/healthz: can this web process serve? The database and the broker, each given CHECK_SECONDS to answer.

A frozen server (a stopped process, a dead link) keeps its connections open and never answers, so
every check runs in a thread of its own and the probe waits for it only until the deadline: the
answer is a 503 within 2 s, never a probe that hangs while the load balancer's next ones pile up. A
check still hanging from an earlier probe is not started again; it counts as failed until it returns.

Beat's last outbox sweep is shown with its age, and only shown: a late beat is a fault of the
background processes, not of this web process. Answering 503 for it would take every healthy web
node out of the load balancer and stop the filings, which do not need beat at all; so the probe
stays 200 and a monitor watches `beat.status` ("late" after three missed runs).
"""

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from django.conf import settings
from django.db import connection, connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from liaison.celery import app as celery_app
from liaison.outbox import sweep_last_at

# Each check's share of the 2 s the probe promises; the rest is the request's own.
CHECK_SECONDS = 1.5
_running: dict[str, tuple[threading.Thread, Future]] = {}
_running_lock = threading.Lock()


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _broker_ok() -> bool:
    url = celery_app.conf.broker_url
    if url.startswith(("redis://", "rediss://", "unix://")):
        # A PING, not kombu's connect: connecting to a frozen Redis succeeds (the kernel answers for it).
        import redis

        client = redis.Redis.from_url(url, socket_timeout=CHECK_SECONDS, socket_connect_timeout=CHECK_SECONDS)
        try:
            return client.ping() is True
        finally:
            client.close()
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=CHECK_SECONDS)
    return True


def _start(name: str, check: Callable) -> Future | None:
    """Run `check` in a thread; None if the same check from an earlier probe has not answered yet."""
    with _running_lock:
        earlier = _running.get(name)
        # Not the thread's life: after answering it still closes its connection (a round trip to PostgreSQL),
        # and a probe just then must not take that for a hanging check.
        if earlier is not None and not earlier[1].done():
            return None
        future: Future = Future()

        def run() -> None:
            try:
                future.set_result(check())
            except Exception as exc:
                future.set_exception(exc)
            finally:
                connections.close_all()  # this thread's own; the thread ends here

        thread = threading.Thread(target=run, name=f"healthz-{name}", daemon=True)
        _running[name] = (thread, future)
        thread.start()
    return future


def _wait(future: Future | None, deadline: float):
    """The check's result, or its exception (a timeout if it is still running at the deadline)."""
    if future is None:
        return TimeoutError("still running since an earlier probe")
    try:
        return future.result(timeout=max(deadline - time.monotonic(), 0))
    except Exception as exc:
        return exc


def _beat(last_at) -> dict:
    if isinstance(last_at, Exception) or last_at is None:
        return {"status": "unknown" if isinstance(last_at, Exception) else "never",
                "last_sweep_at": None, "age_seconds": None}
    age = max(int((timezone.now() - last_at).total_seconds()), 0)
    every = settings.CELERY_BEAT_SCHEDULE["retry-pending-notifications"]["schedule"]  # seconds
    return {"status": "late" if age > 3 * every else "ok",
            "last_sweep_at": timezone.localtime(last_at).isoformat(timespec="seconds"), "age_seconds": age}


@never_cache
@require_safe  # HEAD too: load balancers and uptime monitors probe with it
def healthz(request: HttpRequest) -> JsonResponse:
    is_eager = celery_app.conf.task_always_eager
    deadline = time.monotonic() + CHECK_SECONDS
    # All started before any is waited for: the three share one deadline.
    database = _start("database", _database_ok)
    broker = None if is_eager else _start("broker", _broker_ok)
    sweep = None if is_eager else _start("sweep", sweep_last_at)
    database_ok = _wait(database, deadline) is True
    broker_ok = None if is_eager else _wait(broker, deadline) is True
    healthy = database_ok and broker_ok is not False
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database_ok else "error",
        # eager: no broker to reach; tasks run in-process (no REDIS_URL).
        "broker": {True: "ok", False: "error", None: "eager"}[broker_ok],
        # No beat runs without a broker.
        "beat": {"status": "eager", "last_sweep_at": None, "age_seconds": None} if is_eager
        else _beat(_wait(sweep, deadline)),
    }
    return JsonResponse(body, status=200 if healthy else 503)
