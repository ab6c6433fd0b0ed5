"""Benchmark: build the demo district once and report the time (goal: well under 60 s) and row counts.

    .venv/bin/python benchmarks/demo_build.py [--seed N] [--db PATH]

Prints `demo_build_seconds: X`, the database size and one `table: rows` line per table.
Without --db the database goes to a temporary folder that is removed afterwards.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ilp import demo  # noqa: E402

GOAL_SECONDS = 60.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--db", help="write the demo database here (default: a temporary file)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ilp-demo-bench-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "demo.duckdb"
        t0 = time.perf_counter()
        counts = demo.build(path, seed=args.seed)
        seconds = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
    print(f"demo_build_seconds: {seconds:.2f}")
    print(f"demo_build_goal_seconds: {GOAL_SECONDS:.0f} ({'ok' if seconds < GOAL_SECONDS else 'TOO SLOW'})")
    print(f"demo_db_mb: {size_mb:.1f}")
    for table, n in counts.items():
        print(f"{table}: {n}")
    return 0 if seconds < GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
