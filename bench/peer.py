"""django-helpdesk 2.6, the peer measured in the same run: installed into a throw-away virtualenv (its
dependencies are not the station's), its own database in the bench's PostgreSQL, served by gunicorn with the
station's options (bench/stack.py)."""

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import django
import gunicorn

from bench import stack

PROJECT = Path(__file__).with_name("helpdesk_peer")


def install(venv: Path) -> Path:
    """The peer's virtualenv, with the station's own Django and gunicorn versions; returns its bin/."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
         "-r", str(PROJECT / "requirements.txt"), f"django=={django.__version__}", f"gunicorn=={gunicorn.__version__}"],
        check=True)
    return venv / "bin"


def environment(database_url: str, work: Path) -> dict[str, str]:
    return {"DJANGO_SETTINGS_MODULE": "bench.helpdesk_peer.settings", "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(work / "helpdesk-media")}


def seed(bin_dir: Path, env: dict[str, str], tickets: int) -> dict:
    """Runs bench/helpdesk_peer/seed.py; returns what it printed."""
    result = subprocess.run([str(bin_dir / "python"), "-m", "bench.helpdesk_peer.seed", str(tickets)],
                            cwd=stack.ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the helpdesk peer's seeding failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def serving(bin_dir: Path, env: dict[str, str], port: int, log: Path):
    with stack.gunicorn(env, port, log, app="bench.helpdesk_peer.wsgi", gunicorn_bin=str(bin_dir / "gunicorn"),
                        ready_path="/tickets/submit/") as process:
        yield process
