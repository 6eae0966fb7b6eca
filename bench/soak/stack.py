"""The production stack in processes of its own, each of which a fault can stop, freeze or kill.

PostgreSQL and Redis are started like the production test tier's (tests/services.py) but kept by
this module, so they can be restarted on the same port; gunicorn and the Celery worker run with
production settings and the flags of deploy/liaison-web.service and deploy/liaison-worker.service;
the SMS gateway is tests/sms_gateway.py, in the driver's process.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.services import _as_postgres, _free_port, _pg_bin

ROOT = Path(__file__).resolve().parents[2]


def _wait_for_port(port: int, *, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited at start") from None
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


class Postgres:
    """A throw-away cluster; `stop()` and `start()` are the fault (a restart keeps its data and port)."""

    def __init__(self):
        # Its own temporary folder: initdb runs as the postgres user, who cannot enter the soak's (0700).
        self.data = Path(tempfile.mkdtemp(prefix="liaison-soak-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self.port = _free_port()
        subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/liaison"
        self.start()
        subprocess.run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "liaison"],
                       check=True)

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off "
                   "-c synchronous_commit=off -c max_connections=60")
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options,
                                     "-l", str(self.data / "log"), "-w", "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        # "fast": what `systemctl restart postgresql` does — open sessions are cut, not waited for.
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL)


class Redis:
    """redis-server without persistence, as in production tier: stopped, it comes back empty."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "redis"
        self.dir.mkdir()
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--maxmemory-policy", "noeviction", "--dir", str(self.dir)], stdout=subprocess.DEVNULL)
        _wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def queued(self) -> int:
        """Tasks waiting in the broker's queue (0 when Redis does not answer)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"LLEN celery\r\n")
                return int(sock.recv(64).strip().lstrip(b":") or 0)
        except (OSError, ValueError):
            return 0


class Station:
    """gunicorn and a Celery worker on a Postgres and a Redis, with production settings.

    Used as a context manager; everything it started is stopped on exit. `manage(...)` runs
    bench/soak/station.py with the same environment (seeding, counting, firing beat's tasks).
    """

    def __init__(self, gateway: dict, *, restart_seconds: float = 5.0, workdir: Path | None = None, log=print):
        self.gateway = gateway
        self.log = log
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="liaison-soak-"))
        self.web = self.worker = None
        self.postgres = self.redis = None
        # systemd's part (deploy/liaison-worker.service: Restart=on-failure, RestartSec=5): a worker that
        # exits by itself is started again. Each such exit is recorded: (Unix time, exit code).
        self.restart_seconds = restart_seconds
        self.worker_exits: list[tuple[float, int]] = []
        self._supervised = threading.Event()
        self._closing = threading.Event()

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _start(self) -> None:
        started = time.monotonic()
        self.postgres = Postgres()
        self.redis = Redis(self.workdir)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")}
        self.env = {
            **keep, "DJANGO_SETTINGS_MODULE": "liaison.settings", "PYTHONPATH": str(ROOT),
            "DEBUG": "false", "SECRET_KEY": "soak-" + "s" * 50, "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": self.url,
            "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.postgres.url, "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(self.workdir / "media"), "PRIVATE_MEDIA_ROOT": str(self.workdir / "private-media"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "SMS_BACKEND": "liaison.sms.HttpGatewaySmsBackend", "SMS_GATEWAY_URL": self.gateway["url"],
            "SMS_GATEWAY_TOKEN": "soak-token", "ESCALATION_MOBILES": "13700000099",
            # Each simulated phone files at once and from its own address (as nginx passes it on): the
            # abuse limits (docs/privacy.md) would otherwise hold the filings for review, which texts nobody.
            "FILING_MIN_SECONDS": "0", "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        }
        # Independent of each other: on two cores they take the time of the longer one.
        with ThreadPoolExecutor(2) as pool:
            steps = [pool.submit(self._run, "manage.py", "migrate", "--noinput", "-v0"),
                     pool.submit(self._run, "manage.py", "collectstatic", "--noinput", "-v0")]
            for step in steps:
                step.result()
        self.seed = self.manage("seed")
        self.start_web()
        self.start_worker()
        threading.Thread(target=self._supervise, daemon=True).start()
        self.log(f"stack up in {time.monotonic() - started:.0f} s: gunicorn {self.url}, PostgreSQL "
                 f"{self.postgres.port}, Redis {self.redis.port}, worker pid {self.worker.pid}; logs in {self.workdir}")

    def _run(self, *args: str) -> str:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def manage(self, *args) -> dict:
        """bench/soak/station.py `args` in the station's environment; its JSON answer."""
        return json.loads(self._run("-m", "bench.soak.station", *map(str, args)).strip().splitlines()[-1])

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")
        # A session of its own: the fault kills the worker's whole process group, parent and children.
        return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def start_web(self) -> None:
        # deploy/liaison-web.service's flags (and `make run`'s): 2 sync workers of 4 threads, 30 s timeout.
        self.web = self._spawn("gunicorn", [str(Path(sys.executable).parent / "gunicorn"), "liaison.wsgi",
                                            "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4",
                                            "--timeout", "30"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.workdir / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=3) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def start_worker(self) -> None:
        # deploy/liaison-worker.service's flags; INFO only for its "ready" line.
        log = self.workdir / "worker.log"
        seen = log.stat().st_size if log.exists() else 0
        self.worker = self._spawn("worker", [sys.executable, "-m", "celery", "-A", "liaison", "worker",
                                             "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
                                             "--without-gossip", "--without-mingle", "--hostname=soak@%h"])
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes()[seen:]:
            if self.worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {log}")
            time.sleep(0.2)
        self._supervised.set()

    def kill_worker(self) -> None:
        """SIGKILL to the worker and its pool processes at once, as the OOM killer or a power cut would.
        The fault starts it again itself (`start_worker`), when it chooses."""
        self._supervised.clear()
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def _supervise(self) -> None:
        while not self._closing.wait(0.2):
            if not self._supervised.is_set() or self.worker.poll() is None:
                continue
            self.worker_exits.append((time.time(), self.worker.returncode))
            self.log(f"the worker exited ({self.worker.returncode}); started again in {self.restart_seconds} s, "
                     f"as systemd would (see {self.workdir / 'worker.log'})")
            if not self._closing.wait(self.restart_seconds):
                # Its pool processes may outlive it; systemd (KillMode=mixed) ends them too.
                try:
                    os.killpg(self.worker.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                try:
                    self.start_worker()
                except RuntimeError as exc:  # e.g. Redis still away: tried again, as systemd keeps trying
                    self.log(str(exc))

    def healthz(self) -> int:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def close(self) -> None:
        self._closing.set()
        self._supervised.clear()
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
            shutil.rmtree(self.postgres.data, ignore_errors=True)
        if not os.environ.get("SOAK_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)
