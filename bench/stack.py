"""The production stack `make bench` measures, started the way deploy/ runs it.

PostgreSQL and Redis come from tests/services.py (as the production test tier's); the Celery worker, beat
and gunicorn take their options from deploy/liaison-worker.service, -beat.service and -web.service, so the
bench serves with whatever the deployment serves with.
"""

import os
import re
import resource
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def unit_command(unit: str) -> list[str]:
    """The ExecStart of a systemd unit in deploy/, continuation lines joined, split as a shell would."""
    text = (DEPLOY / unit).read_text().replace("\\\n", " ")
    (line,) = re.findall(r"^ExecStart=(.*)$", text, re.MULTILINE)
    return shlex.split(line)


def gunicorn_options(unit: str = "liaison-web.service") -> list[str]:
    """The unit's gunicorn options but where it binds and logs, which the bench chooses."""
    command = unit_command(unit)
    options, words = [], iter(command[command.index("liaison.wsgi") + 1:])
    for word in words:
        if word in ("--bind", "--access-logfile"):
            next(words)
        else:
            options.append(word)
    return options


def worker_options(unit: str = "liaison-worker.service") -> list[str]:
    command = unit_command(unit)
    # %%h is systemd's host name; the bench's worker has a name of its own.
    return [word for word in command[command.index("worker") + 1:] if not word.startswith("--hostname")]


def unit_nice(unit: str = "liaison-worker.service") -> int:
    """The unit's Nice= (0 without one)."""
    found = re.findall(r"^Nice=(-?\d+)$", (DEPLOY / unit).read_text(), re.MULTILINE)
    return int(found[0]) if found else 0


def beat_options(unit: str = "liaison-beat.service") -> list[str]:
    command = unit_command(unit)
    # The schedule file goes in the bench's own folder.
    return [word for word in command[command.index("beat") + 1:] if not word.startswith("--schedule")]


def environment(*, database_url: str, redis_url: str, work: Path, site_url: str, sms_url: str) -> dict[str, str]:
    """deploy/liaison.env.example's settings for a plain-HTTP station on this host (the TLS-only protections
    off, as `make run` has them), with the bench's URLconf (bench/settings.py)."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
        "SITE_URL": site_url, "ALLOWED_HOSTS": "127.0.0.1,.localhost,testserver",
        "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "STATIC_ROOT": str(work / "static"), "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"), "SERVE_MEDIA": "false",
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP", "DEMO_MODE": "false",
        "SMS_BACKEND": "liaison.sms.HttpGatewaySmsBackend", "SMS_GATEWAY_URL": sms_url,
        "SMS_GATEWAY_TOKEN": "bench",
        "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }


def _stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def celery_worker(env: dict[str, str], log: Path, python: str = sys.executable):
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [python, "-m", "celery", "-A", "liaison", "worker", *worker_options(), "--hostname=bench@%h"],
            cwd=ROOT, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "liaison.settings"},
            stdout=out, stderr=subprocess.STDOUT, preexec_fn=lambda: os.nice(unit_nice()))
    try:
        from liaison.celery import app

        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {log}")
        yield process
    finally:
        _stop(process, timeout=60)


@contextmanager
def celery_beat(env: dict[str, str], log: Path, schedule: Path, python: str = sys.executable):
    """The one beat a deployment runs: its interval jobs (the cockpit's warm-up, the retry sweep) fall due at
    its start and then run under the load as they would on a station."""
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [python, "-m", "celery", "-A", "liaison", "beat", *beat_options(), f"--schedule={schedule}"],
            cwd=ROOT, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "liaison.settings"},
            stdout=out, stderr=subprocess.STDOUT)
    try:
        time.sleep(2)
        if process.poll() is not None:
            raise RuntimeError(f"celery beat exited at start; see {log}")
        yield process
    finally:
        _stop(process)


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path, *, app: str = "liaison.wsgi", cwd: Path = ROOT,
             gunicorn_bin: str | None = None, ready_path: str = "/"):
    """gunicorn serving `app` on 127.0.0.1:port with deploy/liaison-web.service's options; yields its process."""
    gunicorn_bin = gunicorn_bin or str(Path(sys.executable).with_name("gunicorn"))
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [gunicorn_bin, app, "--bind", f"127.0.0.1:{port}", *gunicorn_options(), "--access-logfile", "-"],
            cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"http://127.0.0.1:{port}{ready_path}", process, log)
        yield process
    finally:
        _stop(process)


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url}; see {log}")


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each worker of a gunicorn master (its child processes), in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        (kb,) = re.findall(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        sizes.append(int(kb) / 1024)
    return sorted(sizes)


def _tree(pid: int) -> list[int]:
    """The process and its descendants."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid, *(descendant for child in children for descendant in _tree(int(child)))]


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used so far by these processes and their descendants."""
    ticks = 0
    for pid in (p for root in pids for p in _tree(root)):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended between the listing and now
        ticks += sum(map(int, fields[11:15]))  # utime, stime, and of the children it reaped (cutime, cstime)
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_by_group(trees: dict[str, list[int]], commands: dict[str, str]) -> dict[str, float]:
    """CPU seconds used so far by each group: the process trees of `trees` (name: root pids), every process
    whose command is a key of `commands` (its value the group; PostgreSQL's backends are children of no
    process the bench started), and this process's children that ended (wrk)."""
    used = {name: cpu_seconds(roots) for name, roots in trees.items()}
    for group in commands.values():
        used.setdefault(group, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, fields = (entry / "stat").read_text().split("(", 1)[1].rsplit(")", 1)
        except OSError:
            continue
        if comm in commands:
            # With the time of children it reaped: PostgreSQL's postmaster outlives the backends that close.
            stat = fields.split()
            used[commands[comm]] += sum(map(int, stat[11:15])) / os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, each run gone before it is counted
    used["wrk"] = children.ru_utime + children.ru_stime
    return used


def wait_idle(pids: list[int], *, window: float = 0.5, busy: float = 0.05, timeout: float = 300) -> float:
    """Wait until these processes use less than `busy` of a core over `window` seconds: wrk stops sending, not
    the server working off what it already took (uploads in flight, the messages a filing queued), which
    would otherwise be charged to the next run. Returns the seconds waited. (At county scale the worker
    registered a run of filings up to 153 s after it: 120 s let its work run into the next scenarios.)"""
    started = time.monotonic()
    last = cpu_seconds(pids)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = cpu_seconds(pids)
        if now - last < busy * window:
            break
        last = now
    return time.monotonic() - started

