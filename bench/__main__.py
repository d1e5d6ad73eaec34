"""`make bench`: run every benchmark (or those named on the command line) and print results.

Each benchmark module has `run(args) -> None` and compares against a ceiling measured in
the same run. Results are recorded by hand in docs/benchmarks.md. Add a module here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

BENCHMARKS: list[str] = [
    "regions_load",
    "officials_import",
    "exports",
    "dashboards",
    "declarations",
    "cases",
    "event_page",
]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"subset of {BENCHMARKS}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args, rest = parser.parse_known_args()
    for name in args.names or BENCHMARKS:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; choose from {BENCHMARKS}")
        print(f"\n### {name}", flush=True)
        importlib.import_module(f"bench.{name}").run(args, rest)


if __name__ == "__main__":
    main()
