"""`make bench`: the production stack under a crowd of phones and officials, in one table.

    make bench                            (both scales, township first; about half an hour each on 2 cores)
    make bench SCALE=township ROUNDS=3 DURATION=3
    .venv/bin/python bench/run.py township --rounds 5 --duration 5
    .venv/bin/python bench/run.py county --concerns 100000      (a smaller county)
    .venv/bin/python bench/run.py township --only "form POST"   (those scenarios and the bare view, quicker)

For each scale (bench/scales.py), on its own throw-away PostgreSQL and Redis (tests/services.py, as the
production test tier starts them): migrate and seed with a Celery worker running, time the QR codes of
every deputy and site through it, install and seed django-helpdesk 2.6 beside it (bench/peer.py), start beat
and gunicorn (options from deploy/, bench/stack.py; production settings, to which bench/settings.py adds only
the bare view), then drive every scenario with wrk at 8 and 32 clients, in rounds interleaved with the bare
view (bench/load.py). The table: requests a second, that rate as a share of the bare view's in the same round,
latency percentiles, errors of all requests, SQL queries of one request (counted apart, through Django's test
client), and for filings the answered ones without their row. Then each gunicorn worker's memory.

Every filing is a new phone's: a fresh form token and mobile, its own client address (X-Real-IP, as nginx
passes it), opened long enough ago not to look automated. Results go to bench/results/ (git-ignored).
Figures only; nothing here passes or fails.
"""

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load, peer, stack  # noqa: E402
from bench.load import MOBILE, TOKEN, Scenario  # noqa: E402
from tests.services import _free_port, postgresql, redis  # noqa: E402
from tests.sms_gateway import running_gateway  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CLIENTS = (8, 32)
# Processes by command, each a group of the CPU table: the database and the cache serve web and worker alike.
SERVERS = {"postgres": "PostgreSQL", "redis-server": "Redis"}
PHOTO_BYTES = 3 * 1000 * 1000
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "zh-CN,zh;q=0.9",
           "User-Agent": "Mozilla/5.0 (Linux; Android 13) bench"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scales", nargs="*", choices=["township", "county"], default=["township", "county"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--concerns", type=int, help="the scale's concerns (township: 10,000; county: 1,000,000)")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="measure only the scenarios whose name holds TEXT (again for more), beside the bare view")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        (scale,) = arguments.scales
        _scale(scale, arguments.rounds, arguments.duration, arguments.concerns, arguments.only)
        return
    print(machine(), flush=True)
    # One process a scale: Django reads its database's address once, and each scale has its own PostgreSQL.
    for scale in arguments.scales:
        more = ["--concerns", str(arguments.concerns)] if arguments.concerns else []
        more += [f"--only={text}" for text in arguments.only]
        subprocess.run([sys.executable, __file__, scale, "--one", "--rounds", str(arguments.rounds),
                        "--duration", str(arguments.duration), *more], check=True)
    print("\nTables: " + ", ".join(str(RESULTS / f"{scale}.md") for scale in arguments.scales))


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return (f"{os.cpu_count()} CPUs ({model}), {memory / 1024 / 1024:.0f} GB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def _scale(scale: str, rounds: int, duration: int, concerns: int | None, only: list[str]) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"liaison-bench-{scale}-"))
    try:
        _measure_scale(scale, rounds, duration, concerns, only, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure_scale(scale: str, rounds: int, duration: int, concerns: int | None, only: list[str],
                   work: Path) -> None:
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with postgresql() as database_url, redis() as (redis_url, _pid), running_gateway() as gateway:
        from bench.seeding import create_database

        create_database(database_url)
        port, peer_port = _free_port(), _free_port()
        env = stack.environment(database_url=database_url, redis_url=redis_url, work=work,
                                site_url=f"http://127.0.0.1:{port}", sms_url=gateway["url"])
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        with stack.celery_worker(env, logs / f"{scale}-celery.log") as worker:
            from bench import scales

            station = getattr(scales, scale)(*([concerns] if concerns else []))
            qr = _time_qr()
            print(qr, flush=True)
            peer_env = peer.environment(database_url.rsplit("/", 1)[0] + "/helpdesk", work)
            create_database(peer_env["DATABASE_URL"])
            peer_bin = peer.install(work / "helpdesk-venv")
            # As many tickets as the station holds concerns, in all its townships: the same size of tables.
            helpdesk = peer.seed(peer_bin, peer_env, _concern_rows())
            print(f"helpdesk peer: {helpdesk['tickets']:,} tickets", flush=True)
            seeded = time.perf_counter() - started
            with stack.celery_beat(env, logs / f"{scale}-beat.log", work / "celerybeat-schedule"), \
                    stack.gunicorn(env, port, logs / f"{scale}-gunicorn.log", ready_path="/bench/bare/") as web, \
                    peer.serving(peer_bin, peer_env, peer_port, logs / f"{scale}-helpdesk.log") as peer_web:
                first_filing = _last_concern_id() + 1
                scenarios, bare = _scenarios(station, helpdesk, port, peer_port, work)
                scenarios = [s for s in scenarios if not only or any(text in s.name for text in only)]
                servers = [web.pid, peer_web.pid, worker.pid]
                settle = lambda: stack.wait_idle(servers)  # noqa: E731
                trees = {"web": [web.pid, peer_web.pid], "worker": [worker.pid]}
                cpu = lambda: stack.cpu_by_group(trees, SERVERS)  # noqa: E731
                for number, scenario in enumerate(scenarios):  # warm: templates, connections, caches
                    load.wrk(scenario, CLIENTS[0], 2, 1 + number, work, settle)
                load_before = os.getloadavg()
                samples = load.measure(scenarios, bare, clients=CLIENTS, rounds=rounds, seconds=duration,
                                       workdir=work, settle=settle, cpu=cpu)
                memory = stack.worker_rss_mb(web.pid), stack.worker_rss_mb(peer_web.pid)
                load_after = os.getloadavg()
            held = _held(first_filing)
    rows = [load.summarise(s.name, count, samples[(s.name, count)], s.queries)
            for s in [bare, *scenarios] for count in CLIENTS]
    report = "\n".join([
        f"### {scale}: {station.concerns:,} concerns in the measured township; {station.deputies:,} deputies in all",
        "",
        f"{datetime.date.today():%Y-%m-%d}, {machine()}; gunicorn {' '.join(stack.gunicorn_options())}; "
        f"wrk, {rounds} round{'s' if rounds > 1 else ''} of {duration} s per figure; seeded in {seeded / 60:.1f} min; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after.",
        "",
        load.table(rows),
        "",
        load.cpu_table(rows, CLIENTS[0]),
        "",
        f"Gunicorn workers' memory after the run: station {', '.join(f'{mb:.0f} MB' for mb in memory[0])}; "
        f"helpdesk {', '.join(f'{mb:.0f} MB' for mb in memory[1])}. {qr} Filings held for review: {held}. "
        f"The worker registered each run's filings within {_registered(samples):.1f} s of its end (the longest).",
    ])
    print("\n" + report, flush=True)
    if not only:  # the whole table; a part of it only under its date
        (RESULTS / f"{scale}.md").write_text(report + "\n")
    (RESULTS / f"{scale}-{datetime.datetime.now():%Y%m%d-%H%M}.md").write_text(report + "\n")


def _time_qr() -> str:
    """Every deputy's and site's QR code re-rendered through the worker, as `manage.py regenerate_qr --force`
    does after SITE_URL changes; timed until the last is stored."""
    from django.db import connection

    from deputies.services import qr_regenerate_all

    def left() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT count(*) FROM deputies_deputy WHERE qr_target = '')"
                           " + (SELECT count(*) FROM deputies_site WHERE qr_target = '')")
            return cursor.fetchone()[0]

    started = time.perf_counter()
    done = qr_regenerate_all(force=True)
    while left() and time.perf_counter() - started < 900:
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM deputies_deputy")
        (deputies,) = cursor.fetchone()
    return (f"QR codes: {done.total:,} ({deputies:,} deputies and their sites) rendered by the worker in "
            f"{seconds:.1f} s, {seconds / done.total * 2000:.0f} s for 2,000 at that rate.")


def _last_concern_id() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM petitions_concern")
        return cursor.fetchone()[0]


def _held(first_id: int) -> str:
    """The bench's filings held for review, with the reasons noted on their timelines: none, if every
    filing looked like a person's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT e.note, count(*) FROM petitions_concern c JOIN petitions_concernevent e ON e.concern_id = c.id
            WHERE c.id >= %s AND c.status = 'held' AND e.note <> '' GROUP BY e.note""", [first_id])
        reasons = cursor.fetchall()
    return "; ".join(f"{count} ({note})" for note, count in reasons) or "none"


def _registered(samples) -> float:
    return max((sample.run.registered_in for runs in samples.values() for sample in runs
                if sample.run.registered_in is not None), default=0.0)


def _concern_rows() -> int:
    """The concerns saved, once the worker has registered every filing taken in (petitions.intake): a filing
    still pending, or failed, is not (yet) a saved concern, and counts as lost if never registered."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        while time.perf_counter() - started < 600:
            cursor.execute("SELECT count(*) FROM petitions_filing WHERE state = 'pending'")
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.2)
        cursor.execute("SELECT count(*) FROM petitions_concern")
        return cursor.fetchone()[0]


def _photo(path: Path) -> Path:
    """A phone's 12-megapixel photo of about 3 MB (noise over a gradient, so it compresses like one)."""
    import io

    from PIL import Image

    size = (4032, 3024)
    picture = Image.blend(Image.effect_noise((size[0] // 2, size[1] // 2), 40).resize(size).convert("RGB"),
                          Image.linear_gradient("L").resize(size).convert("RGB"), 0.5)
    for quality in range(80, 100):
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=quality)
        if buffer.tell() >= PHOTO_BYTES:
            break
    path.write_bytes(buffer.getvalue())
    return path


def _scenarios(station, helpdesk: dict, port: int, peer_port: int, work: Path) -> tuple[list[Scenario], Scenario]:
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from petitions.forms.public import form_started

    base, peer_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{peer_port}"
    code = station.deputy_code
    handler, official = _session(station.handler), _session(station.official)
    csrf = _get_new_csrf_string()  # a token equal to the cookie's secret is accepted as it is
    photo = _photo(work / "IMG_2041.jpg")
    # Opened a minute before: a form sent within FILING_MIN_SECONDS would be held as automated.
    form = [("csrfmiddlewaretoken", csrf), ("name", "张伟"), ("mobile", MOBILE), ("village", ""),
            ("category", str(station.category_id)), ("content", "村口路灯不亮，已经两个多月了，晚上很危险，希望尽快修复。"),
            ("place", "村口"), ("is_public", "on"), ("token", TOKEN),
            ("started", form_started(timezone.now() - datetime.timedelta(minutes=1))), ("website", "")]

    def page(name: str, path: str, **headers) -> Scenario:
        return Scenario(name, base, path, headers={**HEADERS, **headers})

    def filing(name: str, with_photo: bool) -> Scenario:
        content_type, segments = load.form_body(form, photo=photo if with_photo else None)
        return Scenario(name, base, f"/d/{code}/concern/", method="POST",
                        headers={**HEADERS, "Content-Type": content_type, "Cookie": f"csrftoken={csrf}"},
                        parts=load.write_parts(segments, work, f"filing-{with_photo}"), count_rows=_concern_rows)

    peer_form = [("csrfmiddlewaretoken", csrf), ("queue", str(helpdesk["queue"])), ("title", "村口路灯不亮"),
                 ("body", "村口路灯已经坏了两个多月，晚上很危险，希望尽快修复。"), ("priority", "3"),
                 ("submitter_email", helpdesk["email"]), ("due_date", "")]
    peer_type, peer_segments = load.form_body(peer_form)
    scenarios = [
        page("QR landing /d/‹code›/", f"/d/{code}/"),
        page("QR image /d/‹code›/qr.png", f"/d/{code}/qr.png"),
        page("site page /s/‹code›/", f"/s/{station.site_code}/"),
        page("directory /d/", "/d/"),
        page("portal /", "/"),
        page("concern form GET", f"/d/{code}/concern/"),
        filing("concern form POST", with_photo=False),
        filing("concern form POST, one 3 MB photo", with_photo=True),
        page("tracking page /t/‹code›/", f"/t/{station.tracking}/"),
        page("handler's queue /desk/unit/", "/desk/unit/", Cookie=handler),
        page("handler's queue, first view", "/desk/unit/?view=@VIEW@", Cookie=handler),
        page("official's list, status and category", f"/desk/concerns/{station.filter_query}", Cookie=official),
        page("official's list, first view", f"/desk/concerns/{station.filter_query}&view=@VIEW@", Cookie=official),
        page("official's search 路灯", f"/desk/concerns/?q={quote('路灯')}", Cookie=official),
        page("official's search, first view", f"/desk/concerns/?q={quote('路灯')}&view=@VIEW@", Cookie=official),
        page("cockpit /cockpit/", "/cockpit/", Cookie=official),
        page("screen JSON /screen/data.json", "/screen/data.json"),
        Scenario("helpdesk public form GET", peer_base, "/tickets/submit/", headers=HEADERS,
                 queries=helpdesk["queries"]["form"]),
        Scenario("helpdesk public form POST", peer_base, "/tickets/submit/", method="POST",
                 headers={**HEADERS, "Content-Type": peer_type, "Cookie": f"csrftoken={csrf}"},
                 parts=load.write_parts(peer_segments, work, "helpdesk"), queries=helpdesk["queries"]["post"]),
        Scenario("helpdesk public ticket view", peer_base, helpdesk["view"], headers=HEADERS,
                 queries=helpdesk["queries"]["view"]),
    ]
    bare = page("bare Django view", "/bench/bare/")
    cookies = {handler: station.handler, official: station.official}
    for scenario in [bare, *scenarios]:
        if scenario.base_url != base:
            continue
        if scenario.method == "GET":
            scenario.queries = _queries(scenario.path, user=cookies.get(scenario.headers.get("Cookie")))
        else:
            with_photo = "multipart" in scenario.headers["Content-Type"]
            scenario.queries = _queries(scenario.path, form=form, photo=photo if with_photo else None)
    return scenarios, bare


def _session(user) -> str:
    from bench.seeding import logged_in

    return f"sessionid={logged_in(user).cookies['sessionid'].value}"


def _queries(path: str, *, user=None, form: list[tuple[str, str]] | None = None, photo: Path | None = None) -> int:
    """SQL queries of one request (after one that warms the caches) through Django's test client, as `user`;
    with `form`, a filing of it (a fresh token and mobile each time)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.seeding import logged_in

    client = logged_in(user) if user else Client()
    extra = {"HTTP_HOST": "127.0.0.1", "HTTP_X_REAL_IP": "10.99.0.1"}

    def request():
        if form is None:
            return client.get(path.replace("@VIEW@", uuid.uuid4().hex), **extra)
        fresh = {TOKEN: str(uuid.uuid4()), MOBILE: f"139{uuid.uuid4().int % 10**8:08d}"}
        data = {name: fresh.get(value, value) for name, value in form}
        if photo:
            data["photos"] = SimpleUploadedFile(photo.name, photo.read_bytes(), content_type="image/jpeg")
        return client.post(path, data, **extra)

    request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code < 400, (path, response.status_code)
    if form is not None:
        # Until the worker has registered these filings their township keeps changing: a page counted meanwhile
        # would be drawn afresh, not asked again.
        _concern_rows()
    return len(captured)


if __name__ == "__main__":
    main()
