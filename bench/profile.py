"""Where one request spends its time: pyinstrument's profile of it, against a database a bench kept loaded.

    .venv/bin/python bench/cockpit.py --keep                   (load a county once; prints its --database URL)
    .venv/bin/python bench/profile.py --database URL /cockpit/ --as county period=quarter
    .venv/bin/python bench/profile.py --database URL /cockpit/ --as official --warm

Logs in as one of the bench's accounts (official: the first township's; county: the whole county; none:
anonymous), requests the page once to load code and templates, clears the cache (unless --warm), brings the
cockpit's running totals up to date as beat does, and profiles the next request; prints the profile and the
SQL time of that request (or, with --times N, times N such requests one after another). Figures only.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.seeding import environment, logged_in  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="a database kept by bench/cockpit.py --keep")
    parser.add_argument("path")
    parser.add_argument("params", nargs="*", help="query parameters as name=value")
    parser.add_argument("--as", dest="who", choices=("official", "county", "none"), default="official")
    parser.add_argument("--warm", action="store_true", help="profile a request served by the cache")
    parser.add_argument("--dump", help="write the request's SQL to this file (to EXPLAIN it in psql)")
    parser.add_argument("--times", type=int, default=0,
                        help="instead of profiling, time this many requests one after another and print the median")
    parser.add_argument("--queries", type=int, default=15, help="list this many of the slowest queries")
    arguments = parser.parse_intermixed_args()
    environment(arguments.database, Path(tempfile.mkdtemp(prefix="liaison-profile-")))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from liaison.scoping import SESSION_KEY, county_wide
    from petitions.rollups import catch_up

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name the hashed files
    params = dict(param.split("=", 1) for param in arguments.params)
    if arguments.who == "none":
        client = Client()
    else:
        session = {SESSION_KEY: ""} if arguments.who == "county" else {}
        client = logged_in(User.objects.get(username=arguments.who), **session)
    assert client.get(arguments.path, params).status_code == 200

    def prepare() -> None:
        if not arguments.warm:
            cache.clear()
        with county_wide():
            catch_up()  # as beat's petitions.count_figures keeps them: not the request's work

    if arguments.times:
        taken = []
        for _ in range(arguments.times):
            prepare()
            started = time.perf_counter()
            client.get(arguments.path, params)
            taken.append((time.perf_counter() - started) * 1000)
        print(f"median {statistics.median(taken):.0f} ms of {len(taken)}: {' '.join(f'{t:.0f}' for t in taken)}")
        return
    prepare()
    profiler = Profiler(interval=0.0005)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.start()
        client.get(arguments.path, params)
        profiler.stop()
        took = time.perf_counter() - started
    sql = sum(float(query["time"]) for query in queries.captured_queries)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if arguments.dump:
        Path(arguments.dump).write_text("".join(f"{query['sql']};\n" for query in queries.captured_queries))
    for query in sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:arguments.queries]:
        print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
    print(f"{took * 1000:.0f} ms, {len(queries.captured_queries)} queries taking {sql * 1000:.0f} ms")


if __name__ == "__main__":
    main()
