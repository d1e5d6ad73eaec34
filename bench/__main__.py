"""`make bench`: run every benchmark (or those named on the command line) and print results.

Each benchmark module has `run(args, rest) -> None` and compares against a ceiling measured in
the same run, alternating subject and ceiling (bench/harness.py). Results are recorded by hand
in docs/benchmarks.md. Common options (each benchmark reads what applies to it):

    --quick              smaller sizes, for a smoke run
    --rows N             the size a benchmark builds (officials, cases, ...), instead of its own
    --rounds N           alternating rounds of subject and ceiling (at least 3)
    --pg-url URL         the PostgreSQL server to use (default postgres://postgres@127.0.0.1:5432)
    --pg-database NAME   the database a benchmark may drop and recreate there (default per bench)

Each benchmark's wall time is printed after it, and a summary at the end.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

from bench.harness import loadavg

BENCHMARKS: list[str] = [
    "regions_load",
    "officials_import",
    "officials_search",
    "exports",
    "dashboards",
    "declarations",
    "cases",
    "patrol",
    "news_extraction",
    "jobs",
    "event_page",
    "public_form",
    "national",
    "fold",
]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"subset of {BENCHMARKS}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--rows", type=int, default=None, help="size to build (per benchmark)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (>= 3)")
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server"
    )
    parser.add_argument("--pg-database", default=None, help="database to drop and recreate")
    args, rest = parser.parse_known_args()
    args.rounds = max(3, args.rounds)
    took: list[tuple[str, float]] = []
    for name in args.names or BENCHMARKS:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; choose from {BENCHMARKS}")
        print(f"\n### {name} ({loadavg()})", flush=True)
        start = time.perf_counter()
        importlib.import_module(f"bench.{name}").run(args, rest)
        took.append((name, time.perf_counter() - start))
        print(f"### {name} took {took[-1][1]:.0f} s ({loadavg()})", flush=True)
    print("\n### wall time per benchmark")
    for name, seconds in took:
        print(f"  {name:20} {seconds:7.0f} s")


if __name__ == "__main__":
    main()
