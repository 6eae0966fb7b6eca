"""The desk's searches at a million concerns on PostgreSQL: timings and query plans.

    .venv/bin/python bench/desk_search.py               (a million concerns; about ten minutes)
    .venv/bin/python bench/desk_search.py --concerns 100000
    .venv/bin/python bench/desk_search.py --townships 20    (the same rows spread over 20 townships)

On demand, not part of make test. Starts a throw-away PostgreSQL (tests/services.py),
migrates, loads the concerns (and 0.4 per concern constituents) with generate_series SQL,
builds the search indexes after the load (faster than row by row), VACUUM ANALYZE, then
requests the desk list as station staff for each kind of search, as the page does (the
tabs' counting query and the page of rows), and prints the median time of the whole
request and EXPLAIN (ANALYZE, BUFFERS) of its queries on concerns and constituents.
Last, it times the .xlsx export of a range longer than the row cap. Figures only;
nothing here passes or fails.

Every row belongs to a township (liaison.scoping). With --townships N the concerns,
constituents and reference rows are spread evenly over N townships (the default one and
N - 1 more), each concern pointing at its own township's rows, and the staff login works
in the first: the figures are then one township's desk in a county of N.
"""

import argparse
import importlib
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.seeding import (  # noqa: E402
    CHANNELS, DETAILS, ISSUES, PLACES, REQUESTS, TRACKING_FUNCTION, brief, constituents_load, create_database,
    environment, explain, logged_in, login, pick, reference_rows,
)
from bench.seeding import townships as make_townships  # noqa: E402
from tests.services import postgresql  # noqa: E402

# Words of known frequency: one row in five thousand holds each rare one.
RARE = ["村口窨井盖下沉破损", "申请危房改造补助"]
OPEN_ROWS = 20_000  # the newest concerns are still open (and some of them overdue); the rest ended


def _load(n: int, townships: list) -> None:
    from django.db import connection

    (module,) = (ROOT / "petitions" / "migrations").glob("*_desk_search.py")  # the migration's own SQL
    migration = importlib.import_module(f"petitions.migrations.{module.stem}")
    t = len(townships)
    township_ids = [township.pk for township in townships]
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        # Built once after the load: faster than keeping them up to date row by row.
        cursor.execute("DROP INDEX concern_content_trgm_idx; DROP INDEX concern_content_bigram_idx")
        cursor.execute(TRACKING_FUNCTION)
        constituents_load(cursor, int(n * 0.4), townships)
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO petitions_concern (
                township_id, tracking, channel, deputy_id, constituent_id, category_id, village_id, place, content,
                status, unit_id, deadline_on, result, outcome, satisfaction, satisfaction_comment, is_public,
                merged_into_id, created_at, updated_at, resolved_at, closed_at, notice_version)
            SELECT (%(townships)s::bigint[])[1 + k], pg_temp.tracking(i), channel, deputy_id, constituent_id,
                   category_id, village_id, '', content,
                   status, CASE WHEN status IN ('submitted', 'accepted') THEN NULL ELSE unit_id END,
                   CASE WHEN status IN ('submitted', 'accepted') THEN NULL ELSE (created_at + interval '10 days')::date END,
                   CASE WHEN status IN ('resolved', 'closed', 'rejected') THEN '已答复。' ELSE '' END,
                   CASE status WHEN 'rejected' THEN 'rejected' WHEN 'merged' THEN 'duplicate'
                               WHEN 'resolved' THEN 'fixed'
                               WHEN 'closed' THEN (ARRAY['fixed', 'fixed', 'explained', 'not_feasible'])[1 + floor(r2 * 4)::int]
                               ELSE '' END,
                   '', '', r2 < 0.3,
                   -- Into an earlier concern of the same township (concern i has id i: a fresh table).
                   CASE WHEN status = 'merged' THEN CASE WHEN i > %(t)s THEN i - %(t)s ELSE i END END,
                   created_at, created_at + r2 * interval '20 days',
                   CASE WHEN status IN ('resolved', 'closed') THEN created_at + interval '8 days' END,
                   CASE WHEN status IN ('closed', 'rejected', 'merged') THEN created_at + interval '15 days' END, ''
            FROM (
                SELECT i, k, r2,
                       (%(channels)s::text[])[1 + floor(random() * 8)::int] AS channel,
                       {pick('deputies_deputy', t, 'k')} AS deputy_id,
                       CASE WHEN random() < 0.97 THEN {pick('petitions_constituent', t, 'k')} END AS constituent_id,
                       {pick('petitions_category', t, 'k')} AS category_id,
                       {pick('deputies_village', t, 'k')} AS village_id,
                       {pick('petitions_unit', t, 'k')} AS unit_id,
                       CASE WHEN i > %(n)s - %(open)s
                            THEN (ARRAY['submitted', 'accepted', 'assigned', 'in_progress', 'resolved'])[1 + floor(r * 5)::int]
                            WHEN r < 0.90 THEN 'closed' WHEN r < 0.95 THEN 'rejected' ELSE 'merged' END AS status,
                       now() - interval '5 years' * (1 - i::float / %(n)s) - random() * interval '2 hours' AS created_at,
                       (%(places)s::text[])[1 + floor(random() * %(np)s)::int]
                       || (%(issues)s::text[])[1 + floor(random() * %(ni)s)::int] || '，'
                       || (%(details)s::text[])[1 + floor(random() * %(nd)s)::int] || '，'
                       || (%(requests)s::text[])[1 + floor(random() * %(nr)s)::int] || '。'
                       || CASE WHEN random() < 0.5
                               THEN '另外' || (%(places)s::text[])[1 + floor(random() * %(np)s)::int]
                                    || (%(issues)s::text[])[1 + floor(random() * %(ni)s)::int] || '。'
                               ELSE '' END
                       || CASE WHEN random() < 0.0002 THEN %(rare0)s WHEN random() < 0.0002 THEN %(rare1)s ELSE '' END
                       AS content
                -- Dealt out to the townships in turn: each has concerns of every age, and open ones.
                FROM (SELECT i, (i - 1) %% %(t)s AS k, random() AS r, random() AS r2
                      FROM generate_series(1, %(n)s) AS i) AS numbered
            ) AS generated""",
            {"townships": township_ids, "t": t,
             "channels": CHANNELS, "n": n, "open": min(OPEN_ROWS, n // 10), "places": PLACES, "np": len(PLACES),
             "issues": ISSUES, "ni": len(ISSUES), "details": DETAILS, "nd": len(DETAILS), "requests": REQUESTS,
             "nr": len(REQUESTS), "rare0": RARE[0], "rare1": RARE[1]})
        print(f"{n:,} concerns in {time.perf_counter() - started:.1f} s", flush=True)
        for statement in migration._CREATE[1:]:
            if "CREATE INDEX" in statement:
                started = time.perf_counter()
                cursor.execute(statement)
                print(f"{statement.split()[5]} built in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s", flush=True)
        cursor.execute("""
            SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class
            WHERE relname IN ('petitions_concern', 'concern_content_trgm_idx', 'concern_content_bigram_idx',
                              'petitions_constituent')""")
        print("sizes:", ", ".join(f"{name} {size}" for name, size in cursor.fetchall()), flush=True)


def _examples(township) -> dict[str, str]:
    """A tracking code, mobile and name of the staff's own township, to search for."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.tracking, k.mobile, k.name FROM petitions_concern c
            JOIN petitions_constituent k ON k.id = c.constituent_id
            WHERE c.township_id = %(township)s
            ORDER BY c.id LIMIT 1
            OFFSET (SELECT count(*) / 3 FROM petitions_concern WHERE township_id = %(township)s)""",
            {"township": township.pk})
        tracking, mobile, name = cursor.fetchone()
    return {"tracking": tracking, "mobile": mobile, "last4": mobile[-4:], "name": name}


def _timed(client, url: str, params: dict, repeat: int = 5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    # Copied now: the next requests clear the connection's log.
    queries = list(captured.captured_queries)
    assert response.status_code == 200, response.status_code
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, params)
        samples.append(time.perf_counter() - started)
    return response, statistics.median(samples), queries


def _cases(examples: dict[str, str]) -> list[tuple[str, dict]]:
    return [
        ("the list, no filter (newest first)", {}),
        ("overdue tab, by deadline", {"overdue": "on", "sort": "deadline"}),
        ("tracking code", {"q": examples["tracking"]}),
        ("full mobile", {"q": examples["mobile"]}),
        ("last four digits", {"q": examples["last4"]}),
        (f"name ({examples['name']})", {"q": examples["name"]}),
        ("2-char word, common (路灯)", {"q": "路灯"}),
        ("2-char word, rare (窨井)", {"q": "窨井"}),
        ("4-char word, common (环境卫生)", {"q": "环境卫生"}),
        ("4-char word, rare (危房改造)", {"q": "危房改造"}),
        ("2-char word + closed tab, by last change", {"q": "路灯", "status": "closed", "sort": "-updated"}),
        ("4-char word + in-progress tab, by deadline", {"q": "环境卫生", "status": "in_progress", "sort": "deadline"}),
        ("2-char rare word + assigned tab", {"q": "窨井", "status": "assigned"}),
    ]


def _run_searches(staff, township, plans) -> None:
    client = logged_in(staff)  # the requests get the staff's township from TownshipMiddleware
    for label, params in _cases(_examples(township)):
        response, seconds, queries = _timed(client, "/desk/concerns/", params)
        shown = response.content.decode().split('id="concern-count">', 1)[1].split("<", 1)[0]
        heading = (f"\n=== {label}: {params}\n    request {seconds * 1000:.1f} ms (median of 5), page says "
                   f"'{shown}', {len(queries)} queries")
        print(heading, flush=True)
        plans.write(heading + "\n")
        for query in queries:
            sql = query["sql"]
            if "petitions_concern" in sql or "petitions_constituent" in sql:
                plan = explain(sql)
                print(f"\n  {sql[:160]} …\n{brief(plan)}", flush=True)
                plans.write(f"\n  {sql}\n{plan}\n")


def _run_export(staff) -> None:
    from django.conf import settings
    from django.utils import timezone

    client = logged_in(staff)
    today = timezone.localdate()
    params = {"date_from": (today.replace(year=today.year - 2)).isoformat(), "date_to": today.isoformat()}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get("/desk/concerns/export.xlsx", params)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n=== export .xlsx of two years (cap {settings.EXPORT_ROW_LIMIT:,} rows): {seconds:.1f} s, "
          f"{size / 1e6:.1f} MB, peak memory of the process {before:.0f} → {after:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--townships", type=int, default=1, help="spread the rows over this many townships")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="liaison-desk-bench-"))
    try:
        _bench(arguments.concerns, max(1, arguments.townships), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(concerns: int, township_count: int, work: Path) -> None:
    with postgresql() as database_url:
        create_database(database_url)
        environment(database_url, work)
        import django

        django.setup()
        from django.core.management import call_command

        from liaison import roles

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        townships = make_townships(township_count)
        reference_rows(townships)
        # One station's accounts need no membership; a county's do.
        staff = login("staff", roles.STAFF, townships[0] if township_count > 1 else None)
        _load(concerns, townships)
        if township_count > 1:
            print(f"{township_count} townships; the staff login works in {townships[0].name}", flush=True)
        with tempfile.NamedTemporaryFile("w", prefix="liaison-desk-plans-", suffix=".txt", delete=False) as plans:
            _run_searches(staff, townships[0], plans)
        _run_export(staff)
        print(f"\nThe full plans, with the whole SQL: {plans.name}")


if __name__ == "__main__":
    main()
