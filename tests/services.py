"""Start a throw-away PostgreSQL and Redis, run a command against them, stop them.

    python -m tests.services .venv/bin/python -m pytest -m production

The command gets DATABASE_URL and REDIS_URL in its environment, and REDIS_PID, the Redis server's
process id (tests/production/test_frozen_redis.py freezes it); the Celery worker itself is started
by the production tier's fixture (tests/production/conftest.py).
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"PostgreSQL's {name} is missing: run scripts/ensure-system-packages")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; drop to the postgres system user when we are root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def postgresql():
    data = Path(tempfile.mkdtemp(prefix="liaison-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres([_pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                      "--locale=C.UTF-8"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c fsync=off -c synchronous_commit=off -c max_connections=50"
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"),
                                 "-w", "start"]), check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/liaison"
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def redis():
    """Yields (url, pid)."""
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="liaison-redis-"))
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--maxmemory-policy", "noeviction", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                    break
            except OSError:
                if process.poll() is not None:
                    sys.exit("redis-server exited at start")
                import time

                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", process.pid
    finally:
        process.send_signal(signal.SIGCONT)  # a test that froze it may have failed before thawing it
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    with postgresql() as database_url, redis() as (redis_url, redis_pid):
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "REDIS_PID": str(redis_pid)}
        print(f"PostgreSQL at {database_url}, Redis at {redis_url}", flush=True)
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
