"""The evaluation dashboard over 1,000,000 officials and 1,000,000 cases (issue 6,
"Performance": national < 300 ms, regency < 100 ms server time), against the bare
queries in the same run.

Times, after one warm-up call each, in alternating rounds (`--rounds`, at least 3): each
sample is the best of 3 calls; printed as min / median / max over the rounds:
  - `dashboard_build` for a national officer (national scope), the same officer drilled
    down to Kab. Kutai Timur (64.08), and a Bawaslu Kab. Kutai Timur officer's own scope;
  - a national build for a campaign period that cuts months (its whole months from the
    tallies, its partial months from the rows: case_metrics.period_plan);
  - the whole page (`GET /dasbor/` through the Django test client: view, selector, map,
    template) for the national and the regency officer;
  - ceilings: the bare `GROUP BY substr(region, 1, 2)` over the officials and over the cases.

Before timing, the tallies' delta rows written by the triggers while seeding are folded
(`tally_compact`, as every pass of `watch_deadlines` does) and the time is printed;
`--rebuild` also times a full recount (`tally_rebuild`). For comparison the national and
regency builds are also timed once from the rows (NETRAL_DASHBOARD_TALLIES off), with a
whole-month period, and for a kecamatan (which always reads the rows).

`--profile` prints every SQL query of one national and one regency build with
its time, slowest first.

    .venv/bin/python -m bench dashboards                 # 1,000,000 officials + cases
    .venv/bin/python -m bench dashboards --quick         # 100,000 of each
    NETRAL_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dash \\
        .venv/bin/python -m bench dashboards             # PostgreSQL (the database must exist)
    NETRAL_BENCH_KEEP=/tmp/dash.sqlite3 .venv/bin/python -m bench dashboards  # keep/reuse SQLite
    NETRAL_BENCH_NO_SEED=1 ...            # time the database as it is (bench national's)
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.exports import SAMPLE_REGIONS, _seed, _seed_cases
from bench.harness import alternate, loadavg, report

REPEAT = 3


def _best(fn: Callable[[], Any], repeat: int = REPEAT, *, warm: bool = True) -> float:
    if warm:
        fn()  # warm-up: connection, caches of the map geometry and the translations
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def _profile(label: str, fn: Callable[[], Any]) -> None:
    from django.db import connection

    log: list[tuple[float, str]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append(((time.perf_counter() - start) * 1000, sql))

    with connection.execute_wrapper(wrapper):
        start = time.perf_counter()
        fn()
        total = (time.perf_counter() - start) * 1000
    in_sql = sum(t for t, _s in log)
    print(f"--- {label}: {total:.1f} ms, {len(log)} queries, {in_sql:.1f} ms in SQL")
    for ms, sql in sorted(log, reverse=True)[:12]:
        print(f"  {ms:8.1f} ms  {sql[:220]}")


def run(args: Any, rest: list[str]) -> None:
    n = 100_000 if args.quick else 1_000_000
    keep = os.environ.get("NETRAL_BENCH_KEEP")
    pg_url = os.environ.get("NETRAL_BENCH_DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(keep) if keep else Path(tmp) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = pg_url or f"sqlite:///{db}"
        os.environ["NETRAL_VAR_DIR"] = tmp
        os.environ.setdefault("ALLOWED_HOSTS", "localhost")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client, override_settings

        from netral.accounts.models import Assignment, Role, User
        from netral.cases.models import Case
        from netral.dashboards.selectors import DashboardFilters, dashboard_build
        from netral.registry.models import Official, Region
        from netral.registry.services.regions_load import regions_load

        settings.NETRAL_DASHBOARD_CACHE_SECONDS = 0
        call_command("migrate", verbosity=0)
        if not Region.objects.exists():
            regions_load(path=SAMPLE_REGIONS, edition="sample")
        seed = not os.environ.get("NETRAL_BENCH_NO_SEED")  # a database built elsewhere
        if seed and Official.objects.count() < n:
            start = time.perf_counter()
            _seed(n)
            print(f"seeded {n:,} officials in {time.perf_counter() - start:.1f} s", flush=True)
        if seed and Case.objects.count() < n:
            start = time.perf_counter()
            _seed_cases(n)
            print(f"seeded {n:,} cases in {time.perf_counter() - start:.1f} s", flush=True)
        # The triggers wrote one delta row per change (SQLite) or per statement and key
        # (PostgreSQL); watch_deadlines folds them each pass, as here.
        from netral.dashboards.tallies import tally_compact, tally_rebuild, tally_rows

        before = tally_rows()
        start = time.perf_counter()
        after = tally_compact()
        print(
            f"tally_compact: {before:,} -> {after:,} rows in {time.perf_counter() - start:.2f} s",
            flush=True,
        )
        if "--rebuild" in rest:
            start = time.perf_counter()
            tally_rebuild()
            print(f"tally_rebuild (recount): {time.perf_counter() - start:.2f} s", flush=True)
        with connection.cursor() as cursor:  # as a maintained database would be
            cursor.execute("VACUUM ANALYZE" if pg_url else "ANALYZE")

        national, _c = User.objects.get_or_create(username="bench")
        Assignment.objects.get_or_create(user=national, role=Role.BAWASLU_RI, region=None)
        regency, _c = User.objects.get_or_create(username="bench.kutim")
        Assignment.objects.get_or_create(user=regency, role=Role.BAWASLU_KABKOTA, region_id="64.08")
        in_regency = Official.objects.filter(region__code__startswith="64.08.").count()
        print(
            f"{connection.vendor}: {Official.objects.count():,} officials, "
            f"{Case.objects.count():,} cases; 64.08 holds {in_regency:,} officials"
        )
        if "--profile" in rest:
            _profile("national", lambda: dashboard_build(user=national, filters=DashboardFilters()))
            _profile("regency", lambda: dashboard_build(user=regency, filters=DashboardFilters()))
            _profile(
                "national, October 2024",
                lambda: dashboard_build(
                    user=national,
                    filters=DashboardFilters(
                        date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31)
                    ),
                ),
            )

        def page(user: Any) -> Callable[[], Any]:
            from bench.harness import sign_in

            client = sign_in(Client(HTTP_HOST="localhost"), user)

            def get() -> None:
                response = client.get("/dasbor/")
                assert response.status_code == 200, response.status_code

            return get

        def bare(sql: str) -> Callable[[], Any]:
            def query() -> None:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    cursor.fetchall()

            return query

        october = {"date_from": dt.date(2024, 10, 1), "date_to": dt.date(2024, 10, 31)}
        subjects: dict[str, Callable[[], Any]] = {
            "build national (national officer)": lambda: dashboard_build(
                user=national, filters=DashboardFilters()
            ),
            "build 64.08 (national officer, drill-down)": lambda: dashboard_build(
                user=national, filters=DashboardFilters(region_code="64.08")
            ),
            "build 64.08 (Bawaslu Kab. Kutai Timur)": lambda: dashboard_build(
                user=regency, filters=DashboardFilters()
            ),
            "build national, October 2024 (whole month)": lambda: dashboard_build(
                user=national, filters=DashboardFilters(**october)
            ),
            "build national, 25 Sep to 4 Dec 2024 (cuts months)": lambda: dashboard_build(
                user=national,
                filters=DashboardFilters(
                    date_from=dt.date(2024, 9, 25), date_to=dt.date(2024, 12, 4)
                ),
            ),
            "build Kec. 64.08.04 (from the rows)": lambda: dashboard_build(
                user=regency, filters=DashboardFilters(region_code="64.08.04")
            ),
            "page GET /dasbor/ national": page(national),
            "page GET /dasbor/ 64.08 officer": page(regency),
            "ceiling: bare GROUP BY officials": bare(
                "SELECT substr(region_id, 1, 2), count(*) FROM registry_official GROUP BY 1"
            ),
            "ceiling: bare GROUP BY cases": bare(
                "SELECT substr(incident_region_id, 1, 2), count(*) FROM cases_case GROUP BY 1"
            ),
            "bare GROUP BY of the case tally": bare(
                "SELECT substr(unit, 1, 2), sum(n) FROM dashboards_casetally GROUP BY 1"
            ),
        }
        for fn in subjects.values():
            fn()  # warm-up: connection, caches of the map geometry and the translations
        # Subjects and ceilings in turn, round after round (ABAB); each sample is the best of
        # REPEAT calls; printed as min / median / max over the rounds.
        spreads = alternate(
            {label: (lambda fn=fn: _best(fn, warm=False)) for label, fn in subjects.items()},
            args.rounds,
        )
        print(
            f"ms, best of {REPEAT} calls per round, {args.rounds} rounds ABAB ({loadavg()}):",
            flush=True,
        )
        for label, spread in spreads.items():
            report(label, spread, "{:.1f}", " ms")
        with override_settings(NETRAL_DASHBOARD_TALLIES=False):  # the rows, for comparison
            for label, fn in (
                (
                    "build national from the rows (once)",
                    lambda: dashboard_build(user=national, filters=DashboardFilters()),
                ),
                (
                    "build 64.08 officer from the rows (once)",
                    lambda: dashboard_build(user=regency, filters=DashboardFilters()),
                ),
            ):
                print(f"  {label:44} {_best(fn, repeat=1):8.1f} ms", flush=True)
