"""Soak the big screen in headless Chromium: thousands of refreshes with the period shortened, then the JS
heap and the DOM node count at the start and at the end (after a garbage collection each time).

    .venv/bin/python bench/screen_soak.py [--url http://127.0.0.1:8011/screen/] [--refreshes 2000]

Against a running station (`make run`): its real data is read once, then the screen's fetches are answered
by the browser itself, alternately with that data and with it cut to one row per list, so each refresh adds
and removes rows as real changes would (and the server's speed is not what is measured)."""

import argparse
import json
import time
import urllib.request

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def metrics(cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    found = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"js_heap_used_mb": round(found["JSHeapUsedSize"] / 2**20, 2), "dom_nodes": int(found["Nodes"]),
            "listeners": int(found["JSEventListeners"])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8011/screen/")
    parser.add_argument("--refreshes", type=int, default=2000)
    parser.add_argument("--period", type=float, default=0.05, help="seconds between refreshes")
    args = parser.parse_args()
    data_url = args.url.rstrip("/") + "/data.json"
    with urllib.request.urlopen(data_url) as answer:  # the real data, once
        full = json.load(answer)
    short = {k: v[:1] if isinstance(v, list) and k != "figures" else v for k, v in full.items()}
    bodies = [json.dumps(d, ensure_ascii=False) for d in (full, short)]
    calls = {"n": 0}

    def alternate(route):
        calls["n"] += 1
        route.fulfill(status=200, content_type="application/json", body=bodies[calls["n"] % 2])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.route("**/data.json", alternate)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(f"{args.url}?refresh={args.period}&rotate=0.5")
        page.wait_for_selector("body[data-refreshes]")
        start, started = metrics(cdp), time.monotonic()
        done = 0
        while done < args.refreshes:
            page.wait_for_timeout(1000)  # not time.sleep: the route handler runs only while Playwright waits
            done = int(page.get_attribute("body", "data-refreshes") or 0)
        end = metrics(cdp)
        seconds = time.monotonic() - started
        reloaded = page.evaluate("performance.getEntriesByType('navigation').length")
        browser.close()
    print(f"{done} refreshes in {seconds:.0f} s (one page load: {reloaded} navigation)")
    print(f"{'':12}{'JS heap used (MB)':>20}{'DOM nodes':>12}{'listeners':>12}")
    for name, m in (("start", start), ("end", end)):
        print(f"{name:12}{m['js_heap_used_mb']:>20}{m['dom_nodes']:>12}{m['listeners']:>12}")


if __name__ == "__main__":
    main()
