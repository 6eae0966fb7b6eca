"""The four faults, each while phones file concerns, and what each cost (`Figures`).

Each fault runs on a `Station` (bench/soak/stack.py) that is up and idle, and leaves it up and idle:
the faults run one after another on one station, each with its own range of mobile numbers.
"""

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.soak.load import Load
from bench.soak.stack import Station

# A 503 is allowed from a request that was under way during the fault; this long after the fault
# healed, the station must answer again without anything being restarted.
GRACE_SECONDS = 2.0


@dataclass
class Size:
    filings: int = 30
    clients: int = 6
    pg_down: float = 2.0  # seconds PostgreSQL stays stopped
    worker_down: float = 1.0  # seconds before the killed worker is started again (systemd: RestartSec=5)
    redis_frozen: float = 3.0
    redis_down: float = 2.0
    overdue: int = 10  # cases past their deadline when beat comes back
    ticks: int = 4  # times each beat task is sent at once


@dataclass
class Figures:
    fault: str
    filings: int = 0  # filings sent
    answered: int = 0  # got their receipt
    rows: int = 0  # concerns saved
    duplicates: int = 0  # concerns saved twice for one filing
    half_saved: int = 0  # saved without their filing event or their two messages
    requests: int = 0
    unavailable: int = 0  # 503 answers
    unavailable_outside: int = 0  # 503s from requests that ended before the fault or began GRACE_SECONDS after
    errors: int = 0  # any other failure: 500, no answer, a 503 without the station's busy page
    worst: float = 0.0  # slowest request, seconds
    messages_expected: int = 0
    delivered: int = 0  # messages that reached a phone (the gateway's `delivered`)
    missing: int = 0  # expected and never delivered
    delivered_twice: int = 0  # a phone got the same message again
    resent: int = 0  # sent again to the gateway under the same id (in doubt), dropped there
    in_doubt: int = 0  # claimed and never recorded sent: sent by the sweep after its 10 minutes
    window: float = 0.0  # seconds the fault lasted
    notes: dict = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What makes this fault a failure; empty if it cost nothing it may not."""
        found = []
        if self.answered != self.filings:
            found.append(f"{self.filings - self.answered} filings never got their receipt")
        if self.rows != self.filings:
            found.append(f"{self.rows} concerns saved for {self.filings} filings")
        for name in ("duplicates", "half_saved", "unavailable_outside", "errors", "missing", "delivered_twice"):
            if getattr(self, name):
                found.append(f"{name}: {getattr(self, name)}")
        if self.notes["settle"]["left"]:
            found.append(f"messages never sent: {self.notes['settle']}")
        if self.notes.get("recovered") is False:
            found.append("/healthz was not 200 after the fault")
        escalation = self.notes.get("escalation")
        if escalation and not (escalation["events"] == escalation["escalated_cases"] == escalation["cases"]
                               and escalation["texts"] == 2 * escalation["cases"] and not escalation["texts_twice"]):
            found.append(f"escalation: {escalation}")
        return found


def _under_load(station: Station, size: Size, prefix: str, fault) -> tuple[Load, float, float]:
    """Run `fault()` once a quarter of the filings are answered, while the rest keep coming; returns
    the load and the fault's window (monotonic start and end)."""
    load = Load(station.port, f"/d/{station.seed['deputy_code']}/concern/", category=station.seed["category"],
                prefix=prefix, count=size.filings, clients=size.clients)
    runner = threading.Thread(target=load.run)
    runner.start()
    try:
        load.wait_for(max(1, size.filings // 4))
        started = time.monotonic()
        fault()
        ended = time.monotonic()
    except BaseException:
        load.stopped.set()  # interrupted: the phones finish the filing in hand and stop
        raise
    finally:
        runner.join()
    return load, started, ended


def _figures(name: str, station: Station, load: Load, window: tuple[float, float], prefix: str) -> Figures:
    # Wall-clock time of the fault's end, for the database's timestamps.
    settled = station.manage("settle", time.time() - (time.monotonic() - window[1]))
    counted = station.manage("count", prefix)
    requests = [r for f in load.filings for r in f.requests]
    started, ended = window
    figures = Figures(
        name, filings=len(load.filings), answered=sum(1 for f in load.filings if f.receipt),
        rows=counted["rows"], duplicates=counted["duplicates"],
        half_saved=counted["half_saved"] + counted["without_messages"],
        requests=len(requests), unavailable=sum(1 for r in requests if r.status == 503),
        unavailable_outside=sum(1 for r in requests if r.status == 503
                                and (r.ended < started or r.started > ended + GRACE_SECONDS)),
        errors=sum(1 for r in requests
                   if r.status not in (200, 302, 503) or (r.status == 503 and not r.busy_page)),
        worst=max((r.took for r in requests), default=0.0), window=ended - started,
    )
    # Every filing tells two phones: the constituent (their tracking code) and the deputy.
    trackings = set(counted["trackings"])
    about = [m for m in station.gateway["received"] if _tracking_in(m["text"], trackings)]
    delivered = [m for m in station.gateway["delivered"] if _tracking_in(m["text"], trackings)]
    figures.messages_expected = 2 * len(trackings)
    figures.delivered = len(delivered)
    per_message = Counter((m["mobile"], m["text"]) for m in delivered)
    figures.delivered_twice = sum(n - 1 for n in per_message.values())
    figures.missing = figures.messages_expected - len(per_message)
    figures.resent = len(about) - len(delivered)
    failures = Counter(f"{r.method} {r.status}" for r in requests if r.status not in (200, 302, 503))
    if failures:
        figures.notes["failures"] = dict(failures)
        # What gunicorn logged besides the database being away: the cause, where a fault left no other trace.
        figures.notes["logged"] = _logged_errors(station.workdir / "gunicorn.log")
    exits = [code for at, code in station.worker_exits if at >= time.time() - (time.monotonic() - started)]
    if exits:
        figures.notes["worker_exits"] = exits  # the worker died by itself and was started again
    figures.in_doubt = settled.pop("in_doubt")
    figures.notes["settle"] = settled
    figures.notes["recovered"] = station.healthz() == 200
    return figures


def _logged_errors(log: Path, limit: int = 5) -> list[str]:
    """The last line of each traceback in `log` (the exception raised), but a lost database connection's."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        if re.match(r"[\w.]+(Error|Exception|Interrupted)\b", line) and "OperationalError" not in line \
                and "AdminShutdown" not in line and line not in found:
            found.append(line[:300])
    return found[-limit:]


def _tracking_in(text: str, trackings: set[str]) -> bool:
    # The texts carry the code in a URL (/t/<code>/ or /desk/concerns/<code>/).
    return any(part in trackings for part in text.replace("/", " ").split())


def postgres_restarted(station: Station, size: Size, prefix: str = "135") -> Figures:
    """PostgreSQL stopped (fast: open sessions cut) and started again `pg_down` s later, as a restart for
    an upgrade does. Expected: 503s only meanwhile, every filing saved once, gunicorn not restarted."""
    web_pid = station.web.pid

    def fault():
        station.postgres.stop()
        time.sleep(size.pg_down)
        station.postgres.start()

    load, started, ended = _under_load(station, size, prefix, fault)
    figures = _figures("PostgreSQL restarted", station, load, (started, ended), prefix)
    figures.notes["same_gunicorn"] = station.web.pid == web_pid and station.web.poll() is None
    return figures


def worker_killed(station: Station, size: Size, prefix: str = "136") -> Figures:
    """The Celery worker and its pool SIGKILLed while the gateway holds messages it sent (the gateway
    answers slowly for the moment), started again `worker_down` s later. Expected: every message
    delivered once — those in doubt are sent again under their id, which the gateway drops."""
    killed_at = {}

    def fault():
        station.gateway["delay"] = 2.0
        deadline = time.monotonic() + 20
        while station.gateway["in_flight"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        killed_at["in_flight"] = station.gateway["in_flight"]
        station.kill_worker()
        station.gateway["delay"] = 0.0
        time.sleep(size.worker_down)
        station.start_worker()

    load, started, ended = _under_load(station, size, prefix, fault)
    figures = _figures("Worker killed mid-send", station, load, (started, ended), prefix)
    figures.notes["in_flight_at_kill"] = killed_at["in_flight"]
    return figures


def beat_stopped_two_days(station: Station, size: Size, prefix: str = "137", overdue_prefix: str = "133") -> Figures:
    """Two days without beat: `overdue` cases past their deadline (or never forwarded), then every beat
    task sent `ticks` times at once while filings go on. Expected: each case escalates once (one event,
    one text to the deputy and one to the township's escalation mobile)."""
    station.manage("overdue", overdue_prefix, size.overdue)
    fired = {}

    def fault():
        fired.update(station.manage("ticks", size.ticks))

    load, started, ended = _under_load(station, size, prefix, fault)
    figures = _figures("Beat stopped two days", station, load, (started, ended), prefix)
    cases = station.manage("count", overdue_prefix)
    trackings = set(cases["trackings"])
    texts = Counter((m["mobile"], m["text"]) for m in station.gateway["delivered"]
                    if _tracking_in(m["text"], trackings))
    # Each case: one escalation event, one text to the deputy and one to the escalation mobile.
    figures.notes["escalation"] = {
        "cases": len(trackings), "events": cases["escalations"], "escalated_cases": cases["escalated_cases"],
        "texts": sum(texts.values()), "texts_twice": sum(n - 1 for n in texts.values()),
    }
    figures.notes["ticks"] = fired
    return figures


def redis_frozen_then_stopped(station: Station, size: Size, prefix: str = "138") -> Figures:
    """Redis frozen (SIGSTOP: connections open, nothing answers) for `redis_frozen` s, thawed, then
    stopped (it comes back empty: the queued tasks are gone) for `redis_down` s and started again.
    Expected: no 503 at all, every filing saved and answered, each message delivered once (the
    sweep sends what the broker never took or lost)."""

    def fault():
        station.redis.freeze()
        time.sleep(size.redis_frozen)
        station.redis.thaw()
        time.sleep(size.redis_frozen / 2)
        station.redis.stop()
        time.sleep(size.redis_down)
        station.redis.start()

    load, started, ended = _under_load(station, size, prefix, fault)
    figures = _figures("Redis frozen, then stopped", station, load, (started, ended), prefix)
    # Redis is not the database: a filing never waits for a database that is up, so any 503 counts.
    figures.unavailable_outside = figures.unavailable
    return figures


FAULTS = {"pg": postgres_restarted, "worker": worker_killed, "beat": beat_stopped_two_days,
          "redis": redis_frozen_then_stopped}
