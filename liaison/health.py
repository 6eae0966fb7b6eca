from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from liaison.celery import app as celery_app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool | None:
    """True/False for a real broker; None when tasks run in-process (no broker to reach)."""
    if celery_app.conf.task_always_eager:
        return None
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_safe  # HEAD too: load balancers and uptime monitors probe with it
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database_ok()
    broker = _broker_ok()
    healthy = database and broker is not False
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database else "error",
        "broker": {True: "ok", False: "error", None: "eager"}[broker],
    }
    return JsonResponse(body, status=200 if healthy else 503)
