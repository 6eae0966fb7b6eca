"""The two sizes `make bench` seeds, quickly: bulk SQL (bench/seeding.py, bench/cockpit_load.py) wherever
the rows are many.

- township: the Baita demo as `make run` has it (seed_demo: 98 deputies, a year of receptions, duty,
  activities, households and suggestions, with Hengxi and Butou beside it), its concerns topped up to
  10,000 with their timelines;
- county: 20 townships of 98 deputies each (1,960), 1,000,000 concerns with their timelines, and
  receptions, activities, duty, households and suggestions in proportion (as bench/cockpit.py loads them),
  the desk's search indexes built after the load.

Each returns the Station the scenarios are drawn from: the busiest deputy of the first township, a closed
public case, a handler and an official of that township.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass

from bench import cockpit_load
from bench.seeding import constituents_load, drawing_from, login, reference_rows
from bench.seeding import townships as make_townships

TOWNSHIP_CONCERNS = 10_000
COUNTY_CONCERNS = 1_000_000
COUNTY_TOWNSHIPS = 20


@dataclass
class Station:
    township: object
    handler: object
    official: object
    deputy_code: str
    site_code: str  # the township's liaison station: its page, as a poster's QR code opens it
    tracking: str
    category_id: int
    filter_query: str  # an official's filtered list: one status and one category
    concerns: int  # the first township's
    deputies: int  # the county's


def township(concerns: int = TOWNSHIP_CONCERNS) -> Station:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from deputies.models import Site
    from liaison.demo import ACCOUNTS
    from liaison.scoping import default_township, in_township

    started = time.perf_counter()
    # DEMO_MODE only here: seed_demo refuses to run without it; the station then serves as deployed.
    subprocess.run([sys.executable, "manage.py", "seed_demo"], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "DEMO_MODE": "true", "LOG_LEVEL": "ERROR"})
    print(f"seed_demo in {time.perf_counter() - started:.1f} s", flush=True)
    # A station outside demo mode refuses to start while an account keeps the published demo password.
    for user in get_user_model().objects.filter(username__in=[account[0] for account in ACCOUNTS]):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    baita = default_township()
    with in_township(baita):
        sites = [site.pk for site in Site.objects.order_by("kind", "pk")]
        station = Site.objects.get(kind=Site.Kind.STATION).pk
    # The station first, then five more sites (bench/cockpit_load.py deals the walk-ins out over six).
    site_ids = [station, *[pk for pk in sites if pk != station][:cockpit_load.SITES_PER_TOWNSHIP - 1]]
    with connection.cursor() as cursor, drawing_from(baita):
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM petitions_concern WHERE township_id = %s",
                       [baita.pk])
        existing, _ = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(id), 0) FROM petitions_concern")
        (last,) = cursor.fetchone()
        more = concerns - existing
        constituents_load(cursor, int(more * 0.4), [baita])
        cockpit_load.concerns_load(cursor, more, [baita], site_ids, cockpit_load.span_start(timezone.localdate()),
                                   first_id=last + 1)
        cursor.execute("VACUUM ANALYZE")
    print(f"township seeded in {time.perf_counter() - started:.1f} s", flush=True)
    User = get_user_model()
    return _station(baita, handler=User.objects.get(username="handler"), official=User.objects.get(username="official"))


def county(concerns: int = COUNTY_CONCERNS) -> Station:
    import importlib
    from pathlib import Path

    from django.db import connection
    from django.utils import timezone

    from liaison import roles

    started = time.perf_counter()
    townships = make_townships(COUNTY_TOWNSHIPS)
    reference_rows(townships)
    site_ids = cockpit_load.sites_and_setup(townships)
    n, start = concerns, cockpit_load.span_start(timezone.localdate())
    (module,) = (Path(__file__).resolve().parents[1] / "petitions" / "migrations").glob("*_desk_search.py")
    search = importlib.import_module(f"petitions.migrations.{module.stem}")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'")
        # Built once after the load (as bench/desk_search.py does): faster than row by row.
        cursor.execute("DROP INDEX concern_content_trgm_idx; DROP INDEX concern_content_bigram_idx")
        constituents_load(cursor, int(n * 0.4), townships)
        cockpit_load.concerns_load(cursor, n, townships, site_ids, start)
        cockpit_load.receptions_load(cursor, n // 5, townships, site_ids, start)
        cockpit_load.activities_load(cursor, n // 200, townships, start)
        cockpit_load.duty_load(cursor, townships, start)
        cockpit_load.households_load(cursor, n // 4, townships, start)
        cockpit_load.suggestions_load(cursor, townships, start)
        for statement in search._CREATE[1:]:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")
    print(f"county seeded in {(time.perf_counter() - started) / 60:.1f} min", flush=True)
    first = townships[0]
    handler = login("handler", roles.HANDLER, first)
    with connection.cursor() as cursor:
        # The handler works in the unit with the most open cases of the first township.
        cursor.execute("""
            SELECT unit_id FROM petitions_concern
            WHERE township_id = %s AND status IN ('assigned', 'in_progress') GROUP BY unit_id
            ORDER BY count(*) DESC LIMIT 1""", [first.pk])
        (unit_id,) = cursor.fetchone()
    _add_member(first, unit_id, handler)
    return _station(first, handler=handler, official=login("official", roles.OFFICIAL, first))


def _add_member(township, unit_id: int, user) -> None:
    from liaison.scoping import in_township
    from petitions.models import Unit

    with in_township(township):
        Unit.objects.get(pk=unit_id).members.add(user)


def _station(township, *, handler, official) -> Station:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT d.code FROM deputies_deputy d JOIN petitions_concern c ON c.deputy_id = d.id
            WHERE d.township_id = %s GROUP BY d.id ORDER BY count(*) DESC, d.id LIMIT 1""", [township.pk])
        (deputy_code,) = cursor.fetchone()
        cursor.execute("SELECT code FROM deputies_site WHERE township_id = %s AND kind = 'station' ORDER BY id LIMIT 1",
                       [township.pk])
        (site_code,) = cursor.fetchone()
        # The page a filer opens from the SMS when it is done: the whole timeline, the text shown.
        cursor.execute("""
            SELECT tracking FROM petitions_concern
            WHERE township_id = %s AND status = 'closed' AND is_public ORDER BY id DESC LIMIT 1""", [township.pk])
        (tracking,) = cursor.fetchone()
        cursor.execute("""
            SELECT category_id FROM petitions_concern WHERE township_id = %s AND status = 'assigned'
            GROUP BY category_id ORDER BY count(*) DESC LIMIT 1""", [township.pk])
        (category_id,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM petitions_concern WHERE township_id = %s", [township.pk])
        (concerns,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM deputies_deputy")
        (deputies,) = cursor.fetchone()
    return Station(township=township, handler=handler, official=official, deputy_code=deputy_code,
                   site_code=site_code, tracking=tracking, category_id=category_id,
                   filter_query=f"?status=assigned&category={category_id}",
                   concerns=concerns, deputies=deputies)
