"""First-load weight and throttled load time of the public pages, served the way `make run` serves them.

    .venv/bin/python bench/page_weight.py                 # prints a table
    .venv/bin/python bench/page_weight.py --json out.json # and keeps the figures
    .venv/bin/python bench/page_weight.py --lighthouse /path/to/node_modules/.bin/lighthouse

Seeds the Baita demo data into a throw-away database, media and static folder, starts
gunicorn with DEBUG off (the Makefile's RUN_ENV: compressed, hashed static files through
WhiteNoise), and opens every public page in a fresh Chromium context on a 360x640 phone
with the browser cache disabled and the network throttled through the DevTools protocol to
400 kbit/s down and up with 400 ms latency: an old phone on a weak rural signal.

For each page: bytes on the wire (headers and bodies, as compressed as they were sent),
requests, and the time from navigation start to the load event. Pages that need a session
(the receipt, the unlocked tracking page, the rating form) are first reached unthrottled in
the same context, as the constituent would, and then reloaded throttled.
Figures only; nothing here passes or fails.
"""

import argparse
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KBIT = 1000 / 8  # bytes per second in one kbit/s
THROTTLE = {"offline": False, "latency": 400, "downloadThroughput": 400 * KBIT, "uploadThroughput": 400 * KBIT}
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "zh-CN"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(work: Path, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings", "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
        "DEMO_MODE": "true",  # it serves the seeded demo
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0", "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"), "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "STATIC_ROOT": str(work / "static"), "LOG_LEVEL": "WARNING",
    }


def _prepare(env: dict) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "liaison.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def _records() -> dict:
    """Codes of the demo rows each page shows, read straight from the bench database."""
    import django

    django.setup()
    from deputies.models import Deputy, Site
    from liaison.scoping import default_township, in_township
    from petitions.models import Concern

    with in_township(default_township()):  # seed_demo's township, the one 127.0.0.1 serves
        deputy = Deputy.objects.get(name="王智慧")
        closed = Concern.objects.filter(status="closed", constituent__isnull=False).order_by("pk").first()
        resolved = Concern.objects.filter(status="resolved", constituent__isnull=False).order_by("pk").first()
        return {
            "deputy": deputy.code,
            "site": Site.objects.get(kind="station").code,
            "closed": (closed.tracking, closed.constituent.mobile[-4:]),
            "resolved": (resolved.tracking, resolved.constituent.mobile[-4:]),
        }


def _verify(page, base: str, tracking: str, last4: str) -> str:
    page.goto(f"{base}/t/{tracking}/")
    page.fill("#verify-form input[name=last4]", last4)
    page.click("#verify-form button[type=submit]")
    page.wait_for_load_state()
    return f"/t/{tracking}/"


# Each load files from another mobile: the same concern again from the same one is caught as a repeat
# (petitions.dedupe), and the form answers it without a receipt.
_MOBILES = (f"138{n:08d}" for n in itertools.count(12345678))


def _file_concern(page, base: str, deputy: str) -> str:
    page.goto(f"{base}/d/{deputy}/concern/")
    page.fill("input[name=name]", "陈西荣")
    page.fill("input[name=mobile]", next(_MOBILES))
    page.select_option("select[name=category]", index=1)
    page.fill("textarea[name=content]", "村口窨井盖下沉破损，晚上骑电瓶车很危险。")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/receipt/")
    return page.url.removeprefix(base)


def _pages(records: dict) -> list[tuple[str, object]]:
    """(label, path or a function(page, base) -> path that prepares the session first)."""
    closed, resolved = records["closed"], records["resolved"]
    return [
        ("portal /", "/"),
        ("directory /d/", "/d/"),
        ("deputy /d/<code>/", f"/d/{records['deputy']}/"),
        ("site /s/<code>/", f"/s/{records['site']}/"),
        ("concern form", f"/d/{records['deputy']}/concern/"),
        ("receipt", lambda page, base: _file_concern(page, base, records["deputy"])),
        ("tracking, locked", f"/t/{closed[0]}/"),
        ("tracking, unlocked", lambda page, base: _verify(page, base, *closed)),
        ("rating form", lambda page, base: _verify(page, base, *resolved)),
        ("404", "/d/nosuch1/"),
    ]


def _measure(browser, base: str, target) -> dict:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    path = target(page, base) if callable(target) else target
    cdp = context.new_cdp_session(page)
    sent, received, document = [], [], {}
    cdp.on("Network.requestWillBeSent", lambda event: sent.append(event["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    cdp.on("Network.responseReceived", lambda event: event["type"] == "Document" and document.setdefault(
        "id", event["requestId"]))
    cdp.on("Network.loadingFinished", lambda event: event["requestId"] == document.get("id") and document.setdefault(
        "bytes", event["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    response = page.goto(base + path, wait_until="load", timeout=120_000)
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    # Requests finished by then: lazy images already asked for do not hold the load event back.
    at_load = {"bytes_at_load": sum(received), "requests_at_load": len(received)}
    page.wait_for_load_state("networkidle", timeout=120_000)  # then what the phone fetched after (lazy images)
    context.close()
    return {"path": path, "status": response.status, "html_bytes": document.get("bytes", 0), **at_load,
            "bytes": sum(received), "requests": len(received),
            "load_s": round(load_ms / 1000, 2), "urls": sent}


def _lighthouse(binary: str, base: str, path: str, cookies: list[dict]) -> dict:
    """Lighthouse's mobile scores (its default: a throttled mid-range phone); none for an error page,
    which Lighthouse refuses to score."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [binary, base + path, "--quiet", "--output=json", f"--output-path={report}",
                   "--only-categories=performance,accessibility,best-practices,seo",
                   "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        for _attempt in range(3):  # Lighthouse asks to be run again when its trace misses the navigation
            subprocess.run(command, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            result = json.loads(report.read_text()) if report.exists() else {}
            if result.get("runtimeError", {}).get("code") != "NO_NAVSTART":
                break
        if result.get("runtimeError"):
            print(f"lighthouse on {path}: {result['runtimeError'].get('message', '')}", file=sys.stderr)
        categories = result.get("categories", {})
    return {key: None if value["score"] is None else round(value["score"] * 100) for key, value in categories.items()}


def _session_cookies(browser, base: str, target) -> tuple[str, list[dict]]:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    path = target(page, base) if callable(target) else target
    cookies = context.cookies()
    context.close()
    return path, cookies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--lighthouse", help="path of a lighthouse binary: also score every page (mobile)")
    parser.add_argument("--repeat", type=int, default=3, help="loads per page; the median load time is shown")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away folder")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="liaison-weight-"))
    port = _free_port()
    env = _environment(work, port)
    os.environ.update(env)  # this process reads the same database to find the demo codes
    _prepare(env)
    records = _records()
    server = _serve(env, port)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for label, target in _pages(records):
                runs = [_measure(browser, base, target) for _ in range(args.repeat)]
                row = {"page": label, **runs[0], "load_s": statistics.median(run["load_s"] for run in runs)}
                if args.lighthouse:
                    path, cookies = _session_cookies(browser, base, target)
                    row["lighthouse"] = _lighthouse(args.lighthouse, base, path, cookies)
                rows.append(row)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"Throttled: {THROTTLE['downloadThroughput'] / KBIT:.0f} kbit/s down/up, {THROTTLE['latency']} ms latency;"
          f" {PHONE['viewport']['width']}x{PHONE['viewport']['height']} phone, cache disabled;"
          f" load time: median of {args.repeat}\n")
    print("HTML KB: the page itself on the wire. KB and requests: up to the load event, and in all once the")
    print("network is idle (lazy images included).")
    header = (f"{'page':<22} {'status':>6} {'HTML KB':>7} {'KB load':>8} {'req load':>8} {'KB all':>7} {'req all':>7}"
              f" {'load s':>7}")
    if args.lighthouse:
        header += "   perf a11y best  seo"
    print(header)
    for row in rows:
        line = (f"{row['page']:<22} {row['status']:>6} {row['html_bytes'] / 1024:>7.1f}"
                f" {row['bytes_at_load'] / 1024:>8.1f} {row['requests_at_load']:>8}"
                f" {row['bytes'] / 1024:>7.1f} {row['requests']:>7} {row['load_s']:>7.2f}")
        if args.lighthouse:
            scores = row["lighthouse"]
            keys = ("performance", "accessibility", "best-practices", "seo")
            line += "   " + " ".join(f"{'-' if scores.get(k) is None else scores[k]:>4}" for k in keys)
        print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
