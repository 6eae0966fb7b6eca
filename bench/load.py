"""Driving the servers with wrk, in rounds interleaved with the bare view, and the one table of results.

A round runs, for each number of clients, the bare view, then every scenario (in an order turned by one
each round, so none is always measured first or last), then the bare view again; a scenario's ratio is its
rate over the mean of the two bare runs around it, so a machine that gets busier or quieter during the run
moves both. The table gives the median over rounds of each figure.
"""

import json
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

LUA = Path(__file__).with_name("wrk.lua")
WRK_THREADS = 2  # the machine's two cores; each thread drives half the connections
TOKEN, MOBILE = "@TOKEN@", "@MOBILE@"


@dataclass
class Scenario:
    name: str
    base_url: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    # The body: file paths and TOKEN / MOBILE placeholders, in order (bench/wrk.lua).
    parts: list[str] = field(default_factory=list)
    queries: int | None = None  # SQL queries one request makes, counted apart (None: not counted)
    # For filings: how many rows the server holds, counted before and after each run.
    count_rows: Callable[[], int] | None = None


@dataclass
class Run:
    requests: int
    seconds: float
    errors: int
    p50: float  # milliseconds
    p95: float
    p99: float
    saved: int | None = None  # rows the run added, for filings
    # For filings: seconds from the run's end until the last of them was saved (the worker registers them).
    registered_in: float | None = None
    # CPU seconds each group of processes used from the run's start until the servers were idle again.
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def answered(self) -> int:
        return self.requests - self.errors


def form_body(fields: list[tuple[str, str]], *, photo: Path | None = None,
              boundary: str = "bench-form-boundary") -> tuple[str, list[bytes | str]]:
    """A form's Content-Type and body, as bytes and the TOKEN / MOBILE placeholders wrk fills in per request;
    multipart/form-data with `photo` as the field "photos", else URL-encoded."""
    segments: list[bytes | str] = []
    if photo is None:
        for n, (name, value) in enumerate(fields):
            segments.append(("&" if n else "") + f"{quote_plus(name)}=")
            segments.append(value if value in (TOKEN, MOBILE) else quote_plus(value))
        content_type = "application/x-www-form-urlencoded"
    else:
        for name, value in fields:
            segments += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n', value, "\r\n"]
        segments += [f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="{photo.name}"\r\n'
                     "Content-Type: image/jpeg\r\n\r\n", photo.read_bytes(), f"\r\n--{boundary}--\r\n"]
        content_type = f"multipart/form-data; boundary={boundary}"
    return content_type, [s.encode() if isinstance(s, str) and s not in (TOKEN, MOBILE) else s for s in segments]


def write_parts(segments: list[bytes | str], directory: Path, stem: str) -> list[str]:
    """Scenario.parts: the bytes between placeholders each in a file (a body may hold a photo's bytes)."""
    parts: list[str] = []
    pending = b""
    for segment in [*segments, None]:
        if isinstance(segment, bytes):
            pending += segment
            continue
        if pending:
            path = directory / f"{stem}-{len(parts)}.part"
            path.write_bytes(pending)
            parts.append(str(path))
            pending = b""
        if segment is not None:
            parts.append(segment)
    return parts


def parse(output: str) -> Run:
    """The figures wrk's done() printed (bench/wrk.lua)."""
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    values = json.loads(line.removeprefix("BENCH "))
    errors = sum(values[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return Run(requests=values["requests"], seconds=values["duration_us"] / 1e6, errors=errors,
               p50=values["p50_us"] / 1000, p95=values["p95_us"] / 1000, p99=values["p99_us"] / 1000)


def _lua_string(value: str) -> str:
    return '"' + "".join(f"\\{ord(c)}" if c in '"\\' or ord(c) < 32 else c for c in value) + '"'


def script(scenario: Scenario, run_id: int) -> str:
    """The Lua wrk runs for one scenario: its SPEC, then bench/wrk.lua."""
    headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in scenario.headers.items())
    parts = ", ".join(_lua_string(part) for part in scenario.parts)
    spec = (f"SPEC = {{method = {_lua_string(scenario.method)}, path = {_lua_string(scenario.path)}, "
            f"headers = {{{headers}}}, parts = {{{parts}}}, run = {run_id}}}\n")
    return spec + LUA.read_text()


def wrk(scenario: Scenario, clients: int, seconds: int, run_id: int, workdir: Path,
        settle: Callable[[], object] = lambda: None, cpu: Callable[[], dict[str, float]] = dict) -> Run:
    """One run of wrk; then `settle` (waits for the servers to be idle) before rows are counted or the next
    run starts. `cpu` tells the CPU seconds used so far by each group of processes (bench.stack.cpu_by_group):
    the run keeps what each used until the servers were idle, work the worker took on included."""
    path = workdir / f"wrk-{run_id}.lua"
    path.write_text(script(scenario, run_id))
    before = scenario.count_rows() if scenario.count_rows else None
    cpu_before = cpu()
    result = subprocess.run(
        ["wrk", "-t", str(min(WRK_THREADS, clients)), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "30s",
         "-s", str(path), scenario.base_url + scenario.path],
        capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"wrk failed on {scenario.name}: {result.stderr or result.stdout}")
    run = parse(result.stdout)
    ended = time.monotonic()
    settle()
    run.cpu = {group: used - cpu_before.get(group, 0.0) for group, used in cpu().items()}
    if scenario.count_rows:
        run.saved = scenario.count_rows() - before
        run.registered_in = time.monotonic() - ended
    path.unlink()
    return run


@dataclass
class Sample:
    run: Run
    ratio: float


def measure(scenarios: list[Scenario], bare: Scenario, *, clients: tuple[int, ...], rounds: int, seconds: int,
            workdir: Path, settle: Callable[[], object] = lambda: None, cpu: Callable[[], dict[str, float]] = dict,
            log: Callable[[str], None] = print) -> dict[tuple[str, int], list[Sample]]:
    """Every scenario at every number of clients, `rounds` times, interleaved with the bare view."""
    samples: dict[tuple[str, int], list[Sample]] = {}
    run_id = 100  # above the warm-up's; each run's own number makes its tokens, mobiles and addresses its own
    for number in range(rounds):
        for count in clients:
            order = scenarios[number % len(scenarios):] + scenarios[:number % len(scenarios)]
            run_id += 1
            opening = wrk(bare, count, seconds, run_id, workdir, settle, cpu)
            runs = []
            for scenario in order:
                run_id += 1
                runs.append((scenario, wrk(scenario, count, seconds, run_id, workdir, settle, cpu)))
            run_id += 1
            closing = wrk(bare, count, seconds, run_id, workdir, settle, cpu)
            bare_rate = (opening.rate + closing.rate) / 2
            samples.setdefault((bare.name, count), []).extend(
                [Sample(opening, opening.rate / bare_rate), Sample(closing, closing.rate / bare_rate)])
            for scenario, run in runs:
                samples.setdefault((scenario.name, count), []).append(Sample(run, run.rate / bare_rate))
            log(f"round {number + 1}/{rounds}, {count} clients: bare view {bare_rate:.0f}/s")
    return samples


@dataclass
class Row:
    name: str
    clients: int
    rate: float
    ratio: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int
    queries: int | None
    lost: int | None  # filings answered but not saved
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU milliseconds a request, per group of processes


def summarise(name: str, clients: int, samples: list[Sample], queries: int | None) -> Row:
    """Medians over the rounds; errors and requests summed; lost = answered filings without their row."""
    runs = [sample.run for sample in samples]
    lost = None
    if all(run.saved is not None for run in runs):
        lost = sum(max(0, run.answered - run.saved) for run in runs)
    return Row(name=name, clients=clients, rate=statistics.median(run.rate for run in runs),
               ratio=statistics.median(sample.ratio for sample in samples),
               p50=statistics.median(run.p50 for run in runs), p95=statistics.median(run.p95 for run in runs),
               p99=statistics.median(run.p99 for run in runs), errors=sum(run.errors for run in runs),
               requests=sum(run.requests for run in runs), queries=queries, lost=lost,
               cpu_ms={group: statistics.median(run.cpu.get(group, 0.0) * 1000 / max(run.requests, 1) for run in runs)
                       for group in runs[0].cpu})


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def table(rows: list[Row]) -> str:
    """One Markdown table: it prints readably and goes into the README as it is."""
    lines = ["| scenario | clients | req/s | of bare | p50 ms | p95 ms | p99 ms | errors | queries | lost |",
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in rows:
        # No request finished within a run: wrk has no latency to give.
        latency = [_ms(value) if row.requests else "—" for value in (row.p50, row.p95, row.p99)]
        lines.append(
            f"| {row.name} | {row.clients} | {row.rate:.1f} | {row.ratio * 100:.1f} % | {' | '.join(latency)} | "
            f"{row.errors}/{row.requests} | "
            f"{'—' if row.queries is None else row.queries} | "
            f"{'—' if row.lost is None else row.lost} |")
    return "\n".join(lines)


def cpu_table(rows: list[Row], clients: int) -> str:
    """Where one request's CPU time went, per group of processes, at `clients`: the web's own share, and what
    the worker, the database and the rest did for it (until the servers were idle again)."""
    rows = [row for row in rows if row.clients == clients and row.cpu_ms]
    if not rows:
        return ""
    groups = list(rows[0].cpu_ms)
    lines = [f"| scenario ({clients} clients), CPU ms a request | {' | '.join(groups)} | all |",
             "|---|" + "--:|" * (len(groups) + 1)]
    for row in rows:
        lines.append(f"| {row.name} | {' | '.join(f'{row.cpu_ms[g]:.2f}' for g in groups)} | "
                     f"{sum(row.cpu_ms.values()):.2f} |")
    return "\n".join(lines)
