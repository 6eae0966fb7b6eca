"""The cockpit's and the big screen's server time at a million concerns on PostgreSQL (issue 11: under 300 ms each).

    .venv/bin/python bench/cockpit.py                        (a million concerns over 20 townships; 10-15 minutes)
    .venv/bin/python bench/cockpit.py --concerns 100000      (about 2 minutes)
    .venv/bin/python bench/cockpit.py --townships 1          (one station holding them all)
    .venv/bin/python bench/cockpit.py --keep                 (then keeps the loaded PostgreSQL until Ctrl-C)
    .venv/bin/python bench/cockpit.py --database URL         (benches a database --keep kept, migrated to this checkout)

On demand, not part of make test. Starts a throw-away PostgreSQL (tests/services.py), migrates and loads a
county with generate_series SQL (bench/cockpit_load.py): the concerns dealt out to the townships over a year
and a half (from January 1 of last year at the latest, so this year, last year and the same part of last
year are full), each with the timeline events of what happened to it so far (accepted by station staff some
hours after filing, assigned, started, resolved, rated, some reopened by a "not satisfied" rating: about four
a concern) and its status, outcome, satisfaction and dates as of now; 0.4 constituents and 0.2 receptions a
concern, an activity of some kind for every 200, the duty days of six sites a township with their shifts,
ten liaison households a deputy with a contact for every four concerns, and sixty suggestions a township a
year. The desk's text-search indexes are dropped first and not rebuilt: nothing here searches text. Then
VACUUM ANALYZE, and through Django's test client (no network: the server's own time) it requests

- /screen/data.json of the first township, anonymous as the wall screen is, and its station's screen;
- the cockpit (dashboard:cockpit) for each period and for one site, as an official of the first township,
  and for each period as a county official looking at the whole county. Skipped, with a note, while the
  URLconf has no cockpit.

For each it prints the median of 5 cold requests (the cache cleared before each) and of 5 warm ones (served
by the cache), the number of queries of a cold and of a warm request, the cold median as a ratio to the bare
view's (bench/urls.py: timed after each request, by the same client; on a shared machine the ratio moves
less than the milliseconds), and the 3 slowest queries of the cold request with EXPLAIN (ANALYZE, BUFFERS) in
brief (run outside the cockpit's transaction: parallel plans the request itself did not use, see
liaison.db.without_parallel_workers); a file gets their full plans with the whole SQL, and every
query of each cold request with its time. "Cold" is Django's cache only: PostgreSQL's buffers and the OS's
page cache stay warm, as on a station serving all day. The PostgreSQL is tests/services.py's: default
settings (shared_buffers 128 MB, JIT on), no fsync. Figures only; nothing here passes or fails.
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import cockpit_load  # noqa: E402
from bench.seeding import (  # noqa: E402
    brief,
    constituents_load,
    create_database,
    environment,
    explain,
    logged_in,
    login,
    reference_rows,
)
from bench.seeding import townships as make_townships  # noqa: E402
from tests.services import postgresql  # noqa: E402

REPEAT = 5
TARGET_MS = 300
SLOWEST = 3
PERIODS = [("year (the default)", {}), ("month", {"period": "month"}), ("quarter", {"period": "quarter"}),
           # Chosen dates that cut months in two: their edges are summed from day rows, not month rows.
           ("15 Mar - 20 Oct", {"period": "custom", "date_from": f"{datetime.date.today().year}-03-15",
                                "date_to": f"{datetime.date.today().year}-10-20"})]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--townships", type=int, default=20, help="spread the rows over this many townships")
    parser.add_argument("--keep", action="store_true", help="keep the loaded PostgreSQL running until Ctrl-C")
    parser.add_argument("--database", help="bench this database, loaded by an earlier run with --keep")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="liaison-cockpit-bench-"))
    try:
        if arguments.database:
            _bench(arguments.database, None, None, work)
            return
        with postgresql() as database_url:
            create_database(database_url)
            _bench(database_url, max(1, arguments.concerns), max(1, arguments.townships), work)
            if arguments.keep:
                print(f"\nThe loaded database, until Ctrl-C: --database {database_url}", flush=True)
                _wait_for_interrupt()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def _bench(database_url: str, concerns: int | None, township_count: int | None, work: Path) -> None:
    """Loads `concerns` over `township_count` townships first, or (None) benches what an earlier run loaded,
    after migrating it to this checkout."""
    environment(database_url, work)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # the station's URLs and /bench/bare/
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from liaison import roles
    from liaison.models import Township

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if concerns is None:
        townships = list(Township.objects.order_by("pk"))
        official, county = User.objects.get(username="official"), User.objects.get(username="county")
    else:
        townships = make_townships(township_count)
        reference_rows(townships)
        site_ids = cockpit_load.sites_and_setup(townships)
        official = login("official", roles.OFFICIAL, townships[0])
        county = login("county", roles.COUNTY_OFFICIAL)
        _load(concerns, townships, site_ids)
    started_counting = time.perf_counter()
    if concerns is None:
        _counted_as_beat_does()  # counts anew only what a migration since asked to (it clears the marks)
    else:
        call_command("rebuild_figures", stdout=open(os.devnull, "w"))  # the rows were written around the services
    print(f"the cockpit's running totals counted in {time.perf_counter() - started_counting:.1f} s", flush=True)
    print(f"migrated and loaded in {(time.perf_counter() - started) / 60:.1f} min", flush=True)
    _shape(townships[0])
    # On a shared machine the figures move with what else runs: the load says how much did.
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()), flush=True)
    with tempfile.NamedTemporaryFile("w", prefix="liaison-cockpit-plans-", suffix=".txt", delete=False) as plans:
        _run_screen(townships[0], plans)
        _run_cockpit(official, county, townships, plans)
    _run_warming(official, county)
    print("\nload average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"\nThe full plans, with the whole SQL: {plans.name}")


def _load(n: int, townships: list, site_ids: list[int]) -> None:
    from django.db import connection
    from django.utils import timezone

    start = cockpit_load.span_start(timezone.localdate())
    print(f"{n:,} concerns over {len(townships)} townships, filed from {timezone.localtime(start):%Y-%m-%d} to now",
          flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'")
        # The desk's search indexes (petitions migration *_desk_search): nothing here searches text, and
        # keeping them up to date row by row would double the load.
        cursor.execute("DROP INDEX concern_content_trgm_idx; DROP INDEX concern_content_bigram_idx")
        constituents_load(cursor, int(n * 0.4), townships)
        cockpit_load.concerns_load(cursor, n, townships, site_ids, start)
        cockpit_load.receptions_load(cursor, max(1, n // 5), townships, site_ids, start)
        cockpit_load.activities_load(cursor, max(len(townships), n // 200), townships, start)
        cockpit_load.duty_load(cursor, townships, start)
        cockpit_load.households_load(cursor, max(1, n // 4), townships, start)
        cockpit_load.suggestions_load(cursor, townships, start)
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s", flush=True)
        cursor.execute("""
            SELECT relname, to_char(reltuples, 'FM999,999,999'), pg_size_pretty(pg_total_relation_size(oid))
            FROM pg_class WHERE relkind = 'r' AND relname IN (
                'petitions_concern', 'petitions_concernevent', 'petitions_constituent', 'petitions_reception',
                'deputies_activity', 'deputies_dutyday', 'deputies_shift', 'petitions_suggestion',
                'deputies_householdcontact')
            ORDER BY pg_total_relation_size(oid) DESC""")
        print("rows and size with indexes: " + ", ".join(
            f"{name} {rows} ({size})" for name, rows, size in cursor.fetchall()), flush=True)


def _shape(township) -> None:
    """What the first township's figures count, to read the timings against."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FILTER (WHERE created_at >= %(year)s),
                   count(*) FILTER (WHERE created_at >= %(last_year)s AND created_at < %(year)s),
                   count(*) FILTER (WHERE status IN ('submitted', 'accepted', 'assigned', 'in_progress')),
                   count(*) FILTER (WHERE status IN ('submitted', 'accepted', 'assigned', 'in_progress')
                                    AND deadline_on < %(today)s),
                   count(*) FILTER (WHERE status = 'resolved'),
                   count(*) FILTER (WHERE satisfaction <> '')
            FROM petitions_concern WHERE township_id = %(township)s""",
            {"township": township.pk, "today": today,
             "year": timezone.make_aware(datetime.datetime(today.year, 1, 1)),
             "last_year": timezone.make_aware(datetime.datetime(today.year - 1, 1, 1))})
        this_year, last_year, open_, overdue, awaiting, rated = cursor.fetchone()
        cursor.execute("""
            SELECT count(*), count(*) FILTER (WHERE kind = 'rating' AND satisfaction = 'unsatisfied')
            FROM petitions_concernevent WHERE township_id = %s""", [township.pk])
        events, unsatisfied = cursor.fetchone()
    print(f"{township.name}: {this_year:,} concerns this year, {last_year:,} last year; {open_:,} open "
          f"({overdue:,} overdue), {awaiting:,} resolved awaiting a rating, {rated:,} rated satisfied or basically; "
          f"{events:,} events, {unsatisfied:,} of them 'not satisfied' ratings", flush=True)


def _run_screen(township, plans) -> None:
    from django.test import Client

    station = _station(township)
    print(f"\n=== the big screen's JSON, {township.name} (anonymous)", flush=True)
    client = Client()
    for label, url in [("township screen", "/screen/data.json"),
                       (f"station screen ({station.code})", f"/screen/{station.code}/data.json")]:
        _report(label, url, {}, _measure(client, url, {}), plans)


def _run_cockpit(official, county, townships: list, plans) -> None:
    from django.urls import NoReverseMatch, reverse

    from liaison.scoping import SESSION_KEY

    try:
        url = reverse("dashboard:cockpit")
    except NoReverseMatch:
        print("\n=== the cockpit: skipped, the URLconf has no dashboard:cockpit yet", flush=True)
        return
    station = _station(townships[0]).code
    print(f"\n=== the cockpit ({url}), an official of {townships[0].name}", flush=True)
    client = logged_in(official)
    for label, params in [*PERIODS, (f"site {station}", {"site": station})]:
        _report(label, url, params, _measure(client, url, params), plans)
    count = f"{len(townships)} townships" if len(townships) > 1 else "its one township"
    print(f"\n=== the cockpit ({url}), a county official, the whole county ({count})", flush=True)
    client = logged_in(county, **{SESSION_KEY: ""})  # no township chosen: the whole county
    for label, params in PERIODS:
        _report(label, url, params, _measure(client, url, params), plans)


def _run_warming(official, county) -> None:
    """What serves officials in production: beat's dashboard.warm_cockpits computes the preset views of every
    township and of the county; its run time is the database work it costs every few minutes, and the
    preset views are then served from the cache."""
    from django.core.cache import cache
    from django.urls import reverse

    from dashboard.tasks import warm_cockpits
    from liaison.scoping import SESSION_KEY

    cache.clear()
    started = time.perf_counter()
    warmed = warm_cockpits()
    took = time.perf_counter() - started
    print(f"\n=== beat's dashboard.warm_cockpits: {warmed} views in {took:.1f} s", flush=True)
    url = reverse("dashboard:cockpit")
    for who, client in (("official", logged_in(official)), ("county", logged_in(county, **{SESSION_KEY: ""}))):
        for label, params in PERIODS[:3]:  # the preset views warm_cockpits computes
            times = []
            for _ in range(REPEAT):
                begun = time.perf_counter()
                assert client.get(url, params).status_code == 200
                times.append((time.perf_counter() - begun) * 1000)
            print(f"  {who:<8} {label:<20} served after warming {statistics.median(times):6.1f} ms", flush=True)


def _station(township):
    from deputies.models import Site
    from liaison.scoping import in_township

    with in_township(township):
        return Site.objects.get(kind=Site.Kind.STATION)


def _counted_as_beat_does() -> None:
    """Beat's petitions.count_figures brings the running totals up to date every minute; here, before each
    cold request (not timed), as it would have within the minute."""
    from liaison.scoping import county_wide
    from petitions.rollups import catch_up

    with county_wide():
        catch_up()


def _measure(client, url: str, params: dict) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Once first: the imports, templates and connection of a first request are no request's cost later.
    response = client.get(url, params)
    if response.status_code != 200:
        return {"status": response.status_code}
    cache.clear()
    _counted_as_beat_does()
    with CaptureQueriesContext(connection) as cold:
        client.get(url, params)
    # Copied now: every request clears the connection's log (django.db.reset_queries).
    cold_queries = list(cold.captured_queries)
    with CaptureQueriesContext(connection) as warm:
        client.get(url, params)
    warm_queries = len(warm.captured_queries)
    samples = {"cold": [], "warm": [], "bare": []}
    for kind in ("cold", "warm"):
        for _ in range(REPEAT):
            if kind == "cold":
                cache.clear()
                _counted_as_beat_does()
            started = time.perf_counter()
            client.get(url, params)
            samples[kind].append(time.perf_counter() - started)
            # The bare view beside each, by the same client: how fast the machine is just now.
            started = time.perf_counter()
            client.get("/bench/bare/")
            samples["bare"].append(time.perf_counter() - started)
    return {"status": 200, "bytes": len(response.content), "cold_queries": cold_queries,
            "warm_queries": warm_queries,
            **{kind: statistics.median(values) * 1000 for kind, values in samples.items()}}


def _report(label: str, url: str, params: dict, measured: dict, plans) -> None:
    if measured["status"] != 200:
        print(f"  {label:<28} answered {measured['status']}: not timed", flush=True)
        return
    queries = measured["cold_queries"]
    flag = "" if measured["cold"] < TARGET_MS else f"  (over {TARGET_MS} ms)"
    sql_ms = sum(float(query["time"]) for query in queries) * 1000
    line = (f"  {label:<28} cold {measured['cold']:7.1f} ms, warm {measured['warm']:6.1f} ms (medians of {REPEAT}); "
            f"{len(queries)} queries cold ({sql_ms:.0f} ms in SQL), {measured['warm_queries']} warm; "
            f"{measured['bytes'] / 1024:.0f} KB; cold {measured['cold'] / measured['bare']:.0f}x the bare view's "
            f"{measured['bare']:.1f} ms{flag}")
    print(line, flush=True)
    plans.write(f"\n=== {url} {params}\n{line}\n\n  Every query of the cold request, the slowest first:\n")
    for query in sorted(queries, key=lambda q: float(q["time"]), reverse=True):
        plans.write(f"  {float(query['time']) * 1000:7.1f} ms  {' '.join(query['sql'].split())[:240]}\n")
    # Reads only: EXPLAIN ANALYZE runs what it explains (a session's UPDATE), and a SAVEPOINT has no plan.
    reads = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    for query in sorted(reads, key=lambda q: float(q["time"]), reverse=True)[:SLOWEST]:
        sql = query["sql"]
        plan = explain(sql)
        print(f"\n    {float(query['time']) * 1000:.1f} ms: {sql[:200]} …\n{brief(plan)}\n", flush=True)
        plans.write(f"\n  {float(query['time']) * 1000:.1f} ms: {sql}\n{plan}\n")


if __name__ == "__main__":
    main()
