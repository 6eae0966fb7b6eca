"""The repeat check at a million concerns on PostgreSQL: its query plan and its cost.

    .venv/bin/python -m tests.services env -u REDIS_URL .venv/bin/python bench/dedupe_plan.py [ROWS]

Fills a throw-away PostgreSQL (tests/services.py starts one) with ROWS concerns (default
1,000,000) made in SQL, then prints EXPLAIN ANALYZE of the look-up concern_submit makes
before filing (petitions.dedupe.earlier_submission) and times a miss, a hit and a whole
filing. Figures only; nothing here passes or fails.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000

url = urlparse(os.environ["DATABASE_URL"])
with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = 'liaison'").fetchone():
        admin.execute("CREATE DATABASE liaison")
os.environ.update({"DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
                   "ALLOWED_HOSTS": "*", "LOG_LEVEL": "WARNING", "SITE_URL": "https://rd.baita.example.cn"})

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from deputies.models import Area, Deputy, Site, Village  # noqa: E402
from liaison.outbox import notifications_muted  # noqa: E402
from liaison.scoping import default_township, in_township  # noqa: E402
from petitions import dedupe  # noqa: E402
from petitions.models import Category, Concern  # noqa: E402
from petitions.services import concern_submit  # noqa: E402


def _fill() -> tuple[Deputy, Category]:
    area, _ = Area.objects.get_or_create(name="白塔片区")
    village, _ = Village.objects.get_or_create(name="白塔村", defaults={"area": area})
    site, _ = Site.objects.get_or_create(name="白塔镇人大代表联络站",
                                         defaults={"kind": Site.Kind.STATION, "code": "bench01"})
    deputy, _ = Deputy.objects.get_or_create(code="bench02", defaults={
        "name": "王智慧", "level": Deputy.Level.TOWNSHIP, "village": village, "site": site, "mobile": "13900000000"})
    category, _ = Category.objects.get_or_create(name="环境卫生")
    if Concern.objects.count() < ROWS:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            # A concern a minute going back ~2 years, each holding a content key as real filings do.
            cursor.execute(
                """
                INSERT INTO petitions_concern (township_id, tracking, channel, deputy_id, category_id, content,
                    status, place, result, outcome, satisfaction, satisfaction_comment, is_public, submission_key,
                    dedupe_key, created_at, updated_at)
                SELECT %s, 'b' || i, 'qr', %s, %s, '第' || i || '号反映：村口路灯不亮。', 'closed', '', '已修复', 'fixed',
                    '', '', false, 'bench-' || i, md5('bench' || i)::uuid,
                    now() - i * interval '1 minute', now() - i * interval '1 minute'
                FROM generate_series(1, %s) AS i
                """,
                [deputy.township_id, deputy.pk, category.pk, ROWS],
            )
            cursor.execute("ANALYZE petitions_concern")
        print(f"filled {ROWS:,} concerns in {time.perf_counter() - start:.1f} s")
    return deputy, category


def _median_ms(func, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    # One station's filings, as a request on its host makes them: the look-up is its township's.
    with in_township(default_township()):
        _measure()


def _measure() -> None:
    deputy, category = _fill()
    key = dedupe.concern_key(township_id=category.township_id, mobile="13812345678", submitted_by=None,
                             deputy=deputy, site=None, content="新的一条反映", place="")
    queryset = Concern.objects.filter(Q(submission_key="a-new-token") | Q(dedupe_key=key))[:2]
    print("\nThe check before filing (the same query earlier_submission makes):")
    print(queryset.explain(analyze=True))
    miss = _median_ms(lambda: dedupe.earlier_submission(Concern, submission_key="a-new-token", dedupe_key=key))
    print(f"\nlook-up, nothing found                      {miss:7.2f} ms (median of 200)")
    with notifications_muted():
        first, _ = concern_submit(channel="qr", category=category, deputy=deputy, mobile="13812345678",
                                  content="新的一条反映", submission_key="bench-first")
        hit = _median_ms(lambda: concern_submit(channel="qr", category=category, deputy=deputy, mobile="13812345678",
                                                content="新的 一条反映", submission_key="bench-again"))
        counter = iter(range(10**6))
        filing = _median_ms(lambda: concern_submit(channel="qr", category=category, deputy=deputy,
                                                   mobile="13812345678", content=f"另一条反映{next(counter)}"),
                            repeat=100)
    print(f"a repeat caught (whole concern_submit)      {hit:7.2f} ms (median of 200)")
    print(f"a new concern filed (whole concern_submit)  {filing:7.2f} ms (median of 100)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('petitions_concern_dedupe_key_key'))")
        print(f"concerns now: {Concern.objects.count():,}; the content key's index: {cursor.fetchone()[0]}")


if __name__ == "__main__":
    main()
