"""The fold of the dashboard tallies (`tally_compact`) at national breadth, on PostgreSQL.

The case and reported-person tallies spread over all 83,000 desa hold about a million
folded rows each (docs/benchmarks.md, Session 13). This bench fills them to that size with
folded rows (one per key, as a fold leaves them), then, in alternating rounds (`--rounds`):

- appends the delta rows 1,000 public reports write (per report: +1 in the case tally and
  +1 in the reported-person tally, in a kecamatan already counted, as the triggers would),
  then folds with `tally_compact` while a writer thread keeps appending one delta row per
  5 ms (a public report's trigger insert, autocommit): the fold's time, the longest
  single insert of the writer during the fold (how long a public report waits on the
  fold's lock), and how many of the big table's rows changed id (rewritten);
- the part of the fold's time spent counting the rows left (`tally_rows`, its return
  value: a COUNT(*) of each tally, outside the fold's transaction);
- ceiling: a bare `SELECT SUM(n)` over the 1,000 deltas' keys (what any fold must read).

    NETRAL_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/hdash_fold \\
        .venv/bin/python -m bench fold --rows 1000000     # the database is dropped/recreated

The database is migrated once (NETRAL_BENCH_KEEP=1 reuses a filled one).
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from bench.harness import Spread, loadavg, report

REPORTS = 1_000


def _fill(cursor: Any, rows: int) -> None:
    """`rows` folded keys in each of the case and reported-person tallies: units over
    83,000 desa-like kecamatan codes, a dozen months, a few statuses."""
    cursor.execute("TRUNCATE dashboards_casetally, dashboards_persontally")
    folded = ", folded" if _has_folded(cursor) else ""
    true = ", TRUE" if folded else ""
    cursor.execute(
        f"INSERT INTO dashboards_casetally (unit, event_id, month, origin, status, registered, "
        f"n{folded}) SELECT lpad((g %% 7300)::text, 8, '0'), g %% 3, "
        f"date '2024-01-01' + ((g / 7300) %% 12) * interval '1 month', "
        f"CASE WHEN g %% 2 = 0 THEN 'LAPORAN' ELSE 'TEMUAN' END, "
        f"'S' || ((g / 87600) %% 12)::text, g %% 5 = 0, 1 + g %% 4{true} "
        f"FROM generate_series(0, %s) g",
        [rows - 1],
    )
    cursor.execute(
        f"INSERT INTO dashboards_persontally (unit, event_id, month, finding, subject_type, "
        f"position_category, agency_id, agency_name, n{folded}) "
        f"SELECT lpad((g %% 7300)::text, 8, '0'), g %% 3, "
        f"date '2024-01-01' + ((g / 7300) %% 12) * interval '1 month', "
        f"'F' || ((g / 87600) %% 4)::text, 'PNS', '', (g / 350400) * 1000 + g %% 997, '', "
        f"1 + g %% 3{true} FROM generate_series(0, %s) g",
        [rows - 1],
    )
    cursor.execute("ANALYZE dashboards_casetally")
    cursor.execute("ANALYZE dashboards_persontally")


def _has_folded(cursor: Any) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'dashboards_casetally' "
        "AND column_name = 'folded'"
    )
    return cursor.fetchone() is not None


def _append_reports(cursor: Any, round_no: int) -> None:
    """The deltas of REPORTS public reports (each its own statement, as each report's
    transaction fires the triggers once)."""
    for i in range(REPORTS):
        g = (round_no * 7919 + i * 104729) % 87600
        unit = f"{g % 7300:08d}"
        cursor.execute(
            "INSERT INTO dashboards_casetally (unit, event_id, month, origin, status, "
            "registered, n) VALUES (%s, %s, date '2024-01-01' + %s * interval '1 month', "
            "'LAPORAN', 'S0', false, 1)",
            [unit, g % 3, (g // 7300) % 12],
        )
        cursor.execute(
            "INSERT INTO dashboards_persontally (unit, event_id, month, finding, subject_type, "
            "position_category, agency_id, agency_name, n) VALUES (%s, %s, "
            "date '2024-01-01' + %s * interval '1 month', 'F0', 'PNS', '', %s, '', 1)",
            [unit, g % 3, (g // 7300) % 12, g % 997],
        )


def _writer(url: str, stop: threading.Event, waits: list[float]) -> None:
    """A public report's trigger insert every 5 ms, autocommit; records each one's time."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        while not stop.is_set():
            start = time.perf_counter()
            conn.execute(
                "INSERT INTO dashboards_casetally (unit, event_id, month, origin, status, "
                "registered, n) VALUES ('00000001', 0, date '2024-01-01', 'LAPORAN', 'S0', "
                "false, 1)"
            )
            waits.append(time.perf_counter() - start)
            time.sleep(0.005)


def run(args: Any, rest: list[str]) -> None:
    url = os.environ.get("NETRAL_BENCH_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("bench fold: set NETRAL_BENCH_DATABASE_URL to a PostgreSQL database")
    rows = args.rows or 1_000_000
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from netral.dashboards.tallies import tally_compact, tally_rows

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dashboards_casetally")
        if not os.environ.get("NETRAL_BENCH_KEEP") or cursor.fetchone()[0] < rows:
            start = time.perf_counter()
            _fill(cursor, rows)
            print(f"filled 2 x {rows:,} folded tally rows in {time.perf_counter() - start:.1f} s")
    tally_compact()  # start from folded tallies
    fold: list[float] = []
    wait: list[float] = []
    rewritten: list[float] = []
    ceiling: list[float] = []
    counting: list[float] = []
    for round_no in range(args.rounds):
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id), count(*) FROM dashboards_persontally")
            high_id, count = cursor.fetchone()
            _append_reports(cursor, round_no)
            start = time.perf_counter()
            cursor.execute(
                "SELECT sum(n) FROM dashboards_persontally WHERE id > (SELECT max(id) - %s "
                "FROM dashboards_persontally)",
                [REPORTS],
            )
            ceiling.append(time.perf_counter() - start)
        stop, waits = threading.Event(), [0.0]
        thread = threading.Thread(target=_writer, args=(url, stop, waits))
        thread.start()
        time.sleep(0.1)
        waits.clear()
        start = time.perf_counter()
        tally_compact()
        fold.append(time.perf_counter() - start)
        time.sleep(0.05)
        stop.set()
        thread.join()
        wait.append(max(waits))
        start = time.perf_counter()
        tally_rows()  # what tally_compact returns: COUNT(*) of every tally, after the fold
        counting.append(time.perf_counter() - start)
        with connection.cursor() as cursor:  # the rows there before the reports, gone since
            cursor.execute(
                "SELECT %s - count(*) FROM dashboards_persontally WHERE id <= %s",
                [count, high_id],
            )
            rewritten.append(float(cursor.fetchone()[0]))
        print(
            f"  round {round_no + 1}: fold {fold[-1] * 1000:.0f} ms, writer's longest "
            f"insert {wait[-1] * 1000:.0f} ms, person-tally rows rewritten "
            f"{rewritten[-1]:,.0f} of {count:,} ({loadavg()})",
            flush=True,
        )
    report("tally_compact after 1,000 reports", Spread(tuple(fold)), "{:.3f}", " s")
    report("writer's longest insert during it", Spread(tuple(wait)), "{:.3f}", " s")
    report("of which counting the rows left", Spread(tuple(counting)), "{:.3f}", " s")
    report("ceiling: SUM of the 1,000 deltas", Spread(tuple(ceiling)), "{:.4f}", " s")
