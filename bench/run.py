"""Speed figures for the foundation, on the embedded default (SQLite, in-process tasks).

    make bench        (or: .venv/bin/python bench/run.py)

Seeds the Baita demo data into a throw-away database and media folder, then
reports: seeding time, QR rendering per code, requests per second for the
public pages through Django's handler (no network), the image-window PDF time,
and the peak memory of the process. Figures only; nothing here passes or fails.
"""

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
work = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
    "ALLOWED_HOSTS": "*", "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
    "MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private"), "STATIC_ROOT": str(work / "static"), "LOG_LEVEL": "WARNING", "SITE_URL": "https://rd.baita.example.cn",
    "DEMO_MODE": "true",  # it seeds and logs in as the demo accounts
})

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from deputies import qr  # noqa: E402
from deputies.models import Deputy  # noqa: E402
from liaison.scoping import default_township, in_township  # noqa: E402


def timed(label: str, func, repeat: int = 1) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    value = statistics.median(samples)
    print(f"{label:<45} {value * 1000:9.1f} ms (median of {repeat})")
    return value


def per_second(label: str, client: Client, path: str, n: int = 200) -> None:
    client.get(path)  # warm up
    start = time.perf_counter()
    for _ in range(n):
        assert client.get(path).status_code == 200
    elapsed = time.perf_counter() - start
    print(f"{label:<45} {n / elapsed:9.1f} req/s ({elapsed / n * 1000:.1f} ms each)")


def _requests() -> None:
    client = Client()
    code = Deputy.objects.first().code
    per_second("GET /d/ (98 deputies)", client, "/d/")
    per_second("GET /d/<code>/", client, f"/d/{code}/")
    per_second("GET /d/<code>/qr.png", client, f"/d/{code}/qr.png")
    per_second("GET /healthz", client, "/healthz")

    from petitions.models import Concern
    from petitions.selectors import concern_counts

    tracking = Concern.objects.filter(status="closed").first().tracking
    per_second("GET /t/<tracking>/ (public progress)", client, f"/t/{tracking}/")
    timed("concern_counts() over all concerns", concern_counts, repeat=20)

    client.force_login(get_user_model().objects.get(username="official"))
    per_second("GET /desk/concerns/ (official, 30 a page)", client, "/desk/concerns/", n=100)
    per_second("GET /desk/concerns/<tracking>/ (case page)", client, f"/desk/concerns/{tracking}/", n=100)
    client.force_login(get_user_model().objects.get(username="staff"))
    per_second("GET /desk/receptions/ (register, 50 a page)", client, "/desk/receptions/", n=100)
    timed("GET /staff/deputies/window.pdf (98 cards)", lambda: client.get("/staff/deputies/window.pdf"), repeat=3)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    timed("seed_demo (98 deputies, 300 concerns, ~670 receptions)",
          lambda: call_command("seed_demo", stdout=open(os.devnull, "w")))
    url = "https://rd.baita.example.cn/d/k7m2x9q/"
    timed("render one QR as PNG", lambda: qr.render_png(url), repeat=20)
    timed("render one QR as SVG", lambda: qr.render_svg(url), repeat=20)

    # The bench's own reads are the default township's (Baita's, where seed_demo puts the demo); the
    # requests get their scope from TownshipMiddleware, as they would from a browser.
    with in_township(default_township()):
        _requests()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<45} {peak:9.1f} MB")


if __name__ == "__main__":
    main()
