"""Cached public pages on the production stack (liaison/public_pages.py): with Redis the township stamps are
mirrored there, so a hit needs no database, and a change committed by any process still shows at once."""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from deputies.models import Deputy
from liaison import cache as shared_cache
from liaison import counters, public_pages
from liaison.models import PagesStamp
from liaison.scoping import county_wide
from tests.factories import ConcernFactory, DeputyFactory
from tests.production.conftest import ROOT, wait_for
from tests.production.test_frozen_redis import _frozen_redis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def deputy(monkeypatch, celery_worker):
    cache.clear()  # the tier's Redis outlives each test; its database does not
    # An earlier test's frozen Redis leaves this process taking the cache to be down for a while.
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    monkeypatch.setattr(counters, "_down_until", 0.0)
    with transaction.atomic():
        deputy = DeputyFactory(name="王智慧")
    created = _stamp(deputy)
    # The worker then stores the deputy's QR images, a change of the page that stamps it anew, after that
    # commit, and mirrors the new stamp to Redis after the stamp's commit: a test must not start in between.
    # (Not "until Redis holds the database's stamp": two tasks' mirror writes may land in either order, and
    # then Redis rightly keeps the other one; CI once waited for that in vain.)
    wait_for(lambda: Deputy.objects.get(pk=deputy.pk).qr_png, timeout=60)
    wait_for(lambda: _mirrored_stamp(deputy) not in (None, created) and _worker_is_idle(), timeout=60)
    yield deputy
    public_pages._unmirrored.clear()  # a township of this test's database, left by a failed test


def _page(client, deputy) -> str:
    response = client.get(f"/d/{deputy.code}/")
    assert response.status_code == 200
    return response.content.decode()


def _stamp(deputy):
    return PagesStamp.objects.get(pk=deputy.township_id).stamp


def _mirrored_stamp(deputy):
    return cache.get(public_pages._stamp_key(deputy.township_id))


def _worker_is_idle() -> bool:
    from liaison.celery import app

    inspect = app.control.inspect(timeout=1)
    active, reserved = inspect.active(), inspect.reserved()
    return bool(active) and not any(active.values()) and not any((reserved or {}).values())


def test_a_hit_reads_its_stamp_from_redis_not_the_database(client, deputy):
    drawn = _page(client, deputy)
    with CaptureQueriesContext(connection) as queries:
        served = _page(client, deputy)

    assert served == drawn and len(queries) == 0
    assert _mirrored_stamp(deputy) == _stamp(deputy)


def test_a_change_committed_by_another_process_shows_on_the_next_request(client, deputy):
    assert "王智慧" in _page(client, deputy)
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    rename = ("from deputies.models import Deputy\nfrom liaison.scoping import county_wide\n"
              f"with county_wide():\n    Deputy.objects.filter(pk={deputy.pk}).update(name='王明亮')")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", rename], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "DATABASE_URL": url,
                                                         "DJANGO_SETTINGS_MODULE": "tests.settings"})
    assert result.returncode == 0, result.stderr

    page = _page(client, deputy)
    assert "王明亮" in page and "王智慧" not in page


def test_a_stamp_gone_from_redis_is_read_from_the_database_and_mirrored_again(client, deputy):
    _page(client, deputy)
    cache.delete(public_pages._stamp_key(deputy.township_id))  # as after an eviction

    with CaptureQueriesContext(connection) as queries:
        _page(client, deputy)

    assert len(queries) == 1 and _mirrored_stamp(deputy) == _stamp(deputy)


def test_a_stamp_redis_missed_is_stamped_anew_once_it_answers(client, deputy, settings):
    settings.COUNTER_RETRY_SECONDS = 0  # Redis is asked again at once, not after the usual pause
    _page(client, deputy)
    before = _mirrored_stamp(deputy)
    with _frozen_redis(at_most=10):
        with county_wide(), transaction.atomic():
            type(deputy).objects.filter(pk=deputy.pk).update(name="王明亮")
    # Committed, and the stamp's write timed out: Redis may hold the old stamp, or apply the write once thawed.
    assert public_pages._unmirrored == {deputy.township_id}
    lost = PagesStamp.objects.get(pk=deputy.township_id).stamp

    public_pages.stamp_all_pending()  # as at the end of the request, the task or the process

    assert not public_pages._unmirrored
    assert _mirrored_stamp(deputy) == PagesStamp.objects.get(pk=deputy.township_id).stamp not in (before, lost)
    assert "王明亮" in _page(client, deputy)


def _reads_of_redis() -> int:
    stats = counters._redis().info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


def test_a_tracking_page_hit_is_two_reads_of_redis_and_a_locked_out_visitor_is_told_so(deputy):
    from django.test import Client

    with transaction.atomic():
        concern = ConcernFactory(deputy=deputy, mobile="13812345678", content="私下反映的路灯", is_public=False)
    path = f"/t/{concern.tracking}/"
    drawn = Client().get(path, REMOTE_ADDR="198.51.100.1")
    reads = _reads_of_redis()
    with CaptureQueriesContext(connection) as queries:
        served = Client().get(path, REMOTE_ADDR="198.51.100.2")

    # One for the page and its township's stamp together, one for the digit check's counters.
    assert served.content == drawn.content and len(queries) == 0 and _reads_of_redis() - reads == 2
    for _ in range(5):
        Client().post(path + "verify/", {"last4": "0000"}, REMOTE_ADDR="203.0.113.7")
    assert 'id="verify-locked"' in Client().get(path, REMOTE_ADDR="203.0.113.7").content.decode()
    assert Client().get(path, REMOTE_ADDR="198.51.100.3").content == drawn.content
