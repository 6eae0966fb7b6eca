"""`make bench`'s pieces that need no servers: wrk's figures read back, the ratios and medians of the
table, the filing bodies, and the gunicorn options taken from deploy/."""

import time
from pathlib import Path

from bench import load, stack

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/d/abc/
  2 threads and 8 connections
BENCH {"requests": 500, "duration_us": 5000000, "connect": 0, "read": 1, "write": 0, "status": 2, \
"timeout": 0, "p50_us": 15000, "p95_us": 42000, "p99_us": 80500}
"""


def _run(rate: float, p95: float = 40.0, saved: int | None = None) -> load.Run:
    return load.Run(requests=int(rate * 5), seconds=5.0, errors=0, p50=10.0, p95=p95, p99=90.0, saved=saved)


def test_wrk_figures_are_read_back_in_milliseconds_with_every_kind_of_error():
    run = load.parse(WRK_OUTPUT)
    assert (run.requests, run.errors, run.rate) == (500, 3, 100.0)
    assert (run.p50, run.p95, run.p99) == (15.0, 42.0, 80.5)


def test_a_row_is_the_median_over_rounds_and_its_ratio_the_median_of_each_rounds_ratio():
    samples = [load.Sample(_run(100, p95=30), 0.10), load.Sample(_run(300, p95=90), 0.20),
               load.Sample(_run(200, p95=60), 0.40)]
    row = load.summarise("QR landing", 8, samples, queries=7)
    assert (row.rate, row.ratio, row.p95, row.requests) == (200.0, 0.20, 60.0, 3000)
    assert row.lost is None


def test_answered_filings_without_their_row_are_lost_and_rows_beyond_the_answers_are_not():
    runs = [_run(20, saved=100), _run(20, saved=97)]  # 100 answered each: one run saved all, one lost 3
    row = load.summarise("filing", 8, [load.Sample(run, 0.1) for run in runs], queries=None)
    assert row.lost == 3


def test_the_table_shows_the_ratio_as_a_share_and_dashes_where_nothing_was_counted():
    row = load.summarise("cockpit", 32, [load.Sample(_run(12.4), 0.0123)], queries=None)
    line = load.table([row]).splitlines()[2]
    assert line == "| cockpit | 32 | 12.4 | 1.2 % | 10 | 40 | 90 | 0/62 | — | — |"


def test_a_filing_body_has_its_token_and_mobile_left_for_wrk_and_the_rest_in_files(tmp_path: Path):
    content_type, segments = load.form_body([("name", "张伟"), ("mobile", load.MOBILE), ("token", load.TOKEN)])
    parts = load.write_parts(segments, tmp_path, "form")
    assert content_type == "application/x-www-form-urlencoded"
    assert parts[1] == load.MOBILE and parts[3] == load.TOKEN
    assert Path(parts[0]).read_text() == "name=%E5%BC%A0%E4%BC%9F&mobile="
    assert Path(parts[2]).read_text() == "&token="


def test_a_photo_goes_as_multipart_with_its_bytes_untouched(tmp_path: Path):
    photo = tmp_path / "IMG.jpg"
    photo.write_bytes(b"\xff\xd8\r\n\x00jpeg\xff\xd9")
    content_type, segments = load.form_body([("token", load.TOKEN)], photo=photo, boundary="B")
    body = b"".join(Path(p).read_bytes() if p != load.TOKEN else b"T" for p in load.write_parts(segments, tmp_path, "m"))
    assert content_type == "multipart/form-data; boundary=B"
    assert body == (b'--B\r\nContent-Disposition: form-data; name="token"\r\n\r\nT\r\n'
                    b'--B\r\nContent-Disposition: form-data; name="photos"; filename="IMG.jpg"\r\n'
                    b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\r\n\x00jpeg\xff\xd9\r\n--B--\r\n")


def test_wrks_script_quotes_what_it_is_given():
    scenario = load.Scenario("x", "http://127.0.0.1:1", '/q?a="b"', headers={"Cookie": "sessionid=k"})
    script = load.script(scenario, 42)
    assert script.startswith('SPEC = {method = "GET", path = "/q?a=\\34b\\34", headers = {["Cookie"] = "sessionid=k"}')
    assert "run = 42}" in script.splitlines()[0]


def test_the_bench_serves_with_the_deployed_gunicorn_and_worker_options_but_its_own_address():
    options = stack.gunicorn_options()
    assert options[options.index("--workers") + 1] == "2"
    assert "--bind" not in options and "--access-logfile" not in options
    assert "--pool=prefork" in stack.worker_options()
    assert not any(option.startswith("--hostname") for option in stack.worker_options())
    assert stack.beat_options() == ["--loglevel=INFO"]
    assert stack.unit_nice() == 10 and stack.unit_nice("liaison-web.service") == 0  # the web comes first


def test_an_idle_process_is_seen_idle_at_once():
    import subprocess
    import sys

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert stack.wait_idle([sleeper.pid], window=0.2) < 2
        assert stack.cpu_seconds([sleeper.pid]) >= 0
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_requests_cpu_is_what_each_group_used_over_its_requests_the_median_of_the_rounds():
    runs = [_run(100), _run(100), _run(100)]  # 500 requests each
    for run, web in zip(runs, (1.0, 3.0, 2.0)):
        run.cpu = {"web": web, "worker": 0.5}
    row = load.summarise("filing", 8, [load.Sample(run, 0.1) for run in runs], queries=None)
    assert row.cpu_ms == {"web": 4.0, "worker": 1.0}
    table = load.cpu_table([row, load.summarise("bare", 32, [load.Sample(_run(10), 1.0)], queries=None)], 8)
    assert table.splitlines()[0] == "| scenario (8 clients), CPU ms a request | web | worker | all |"
    assert table.splitlines()[2:] == ["| filing | 4.00 | 1.00 | 5.00 |"]


def test_cpu_is_counted_by_process_tree_by_command_and_for_the_children_that_ended():
    import subprocess
    import sys

    # Spins for CPU time, not wall time: on a busy machine 0.6 s of wall time gave it 0.12 s of CPU.
    spin = "import time\nwhile time.process_time() < 0.6: pass\ntime.sleep(30)"
    spinner = subprocess.Popen([sys.executable, "-c", spin])
    try:
        before = stack.cpu_by_group({"spinner": [spinner.pid]}, {"no-such-command": "nothing"})
        subprocess.run([sys.executable, "-c", "sum(range(3_000_000))"], check=True)
        started = time.monotonic()
        while True:
            time.sleep(0.2)
            after = stack.cpu_by_group({"spinner": [spinner.pid]}, {"no-such-command": "nothing"})
            if after["spinner"] - before["spinner"] > 0.2 or time.monotonic() - started > 20:
                break
    finally:
        spinner.kill()
        spinner.wait()
    assert after["spinner"] - before["spinner"] > 0.2 and after["nothing"] == 0.0
    assert after["wrk"] > before["wrk"]  # the child that ran and ended


def test_a_process_s_cpu_keeps_what_its_children_used_after_they_ended():
    import subprocess
    import sys

    # The parent spins a child for 0.5 s, waits for it, then sleeps: the child's time is then the parent's.
    spin = "import time\nwhile time.process_time() < 0.5: pass"
    parent = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys, time\n"
                               f"subprocess.run([sys.executable, '-c', {spin!r}])\ntime.sleep(30)"])
    try:
        started = time.monotonic()
        while (used := stack.cpu_seconds([parent.pid])) <= 0.4 and time.monotonic() - started < 20:
            time.sleep(0.2)  # (on a busy machine the child's half second of spinning takes longer)
    finally:
        parent.kill()
        parent.wait()
    assert used > 0.4
