"""The soak at full size: four faults on one production stack, then the figures of each.

    make soak                                   (or: .venv/bin/python -m bench.soak)
    .venv/bin/python -m bench.soak --filings 200 --clients 8 --faults pg,redis

Figures only; it exits 1 if a fault cost something it may not (the table says what). The JSON of
each run goes to bench/soak/results/ (git-ignored). SOAK_KEEP=1 keeps the stack's logs.
"""

import argparse
import dataclasses
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

from bench.soak.faults import FAULTS, Size
from bench.soak.stack import Station
from tests.sms_gateway import running_gateway

RESULTS = Path(__file__).resolve().parent / "results"
COLUMNS = [("filings sent", "filings"), ("rows saved", "rows"), ("answered", "answered"),
           ("messages delivered", "delivered"), ("duplicates", "duplicates"),
           ("twice to a phone", "delivered_twice"), ("missing", "missing"), ("in doubt", "in_doubt"),
           ("503s", "unavailable"), ("errors", "errors"), ("worst (s)", "worst"), ("fault (s)", "window")]


def table(results: list) -> str:
    rows = [["fault", *(title for title, _ in COLUMNS)]]
    for figures in results:
        rows.append([figures.fault, *(f"{getattr(figures, name):.2f}" if isinstance(getattr(figures, name), float)
                                      else str(getattr(figures, name)) for _, name in COLUMNS)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", type=int, default=400, help="filings per fault (default 400)")
    parser.add_argument("--clients", type=int, default=16, help="phones filing at once (default 16)")
    parser.add_argument("--faults", default=",".join(FAULTS), help="which, in order (default: pg,worker,beat,redis)")
    options = parser.parse_args()
    size = Size(filings=options.filings, clients=options.clients, pg_down=5.0, worker_down=5.0, redis_frozen=5.0,
                redis_down=5.0, overdue=100, ticks=24)
    results = []
    started = time.monotonic()
    with running_gateway() as gateway, Station(gateway) as station:
        for i, name in enumerate(options.faults.split(",")):
            # Mobiles of their own per fault (15<i>…): the same text from the same mobile again would be
            # "already received", rightly, and the counts are per range.
            extra = {"overdue_prefix": f"17{i}"} if name == "beat" else {}
            figures = FAULTS[name](station, size, prefix=f"15{i}", **extra)
            results.append(figures)
            print(f"{figures.fault}: {json.dumps(dataclasses.asdict(figures), ensure_ascii=False)}", flush=True)
    print(f"\n{size.clients} phones, {size.filings} filings per fault, on {os.cpu_count()} cores "
          f"({platform.processor() or platform.machine()}); {time.monotonic() - started:.0f} s in all\n")
    print(table(results))
    failed = [(f.fault, f.problems()) for f in results if f.problems()]
    for fault, problems in failed:
        print(f"\n{fault}: " + "; ".join(problems))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"soak-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({"size": dataclasses.asdict(size), "results": [dataclasses.asdict(f) for f in results]},
                              ensure_ascii=False, indent=1))
    print(f"\n{out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
