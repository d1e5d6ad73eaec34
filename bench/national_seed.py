"""Seed cases at national breadth in minutes, for `bench national` (PostgreSQL only).

`bench.exports._seed_cases` builds the cases in Python and writes them through the ORM with
the tally triggers firing: 2,548 s for 1,000,000 cases (docs/benchmarks.md, Session 13). Here
the same cases (the same origins, regimes, statuses, dates, registration and decision pattern
by sequence number, one reported person each with the same findings, violation types and SKB
codes) are written by two `INSERT ... SELECT` over `generate_series`, spread over every desa
and kelurahan of the loaded regions, with the tally triggers dropped meanwhile; then
`tally_rebuild` reinstalls the triggers and recounts the tallies from the rows, so the
tallies are exactly what the triggers would have counted (`tally_check` compares them).

Each reported person points at one of the first `officials` officials of the registry (in
id order, spread by a stride), so the reported persons' agencies are the registry's.
"""

# The SQL below is built from constants of this module only.

from __future__ import annotations

import time
from typing import Any

STATUSES = (
    "DITERIMA",
    "DIREGISTRASI",
    "KLARIFIKASI",
    "DIPUTUS",
    "DITERUSKAN",
    "SELESAI",
    "TIDAK_DIREGISTRASI",
    "DIHENTIKAN",
)
BATCH = 200_000


def _array(values: tuple[str, ...]) -> str:
    return "(ARRAY[" + ", ".join(f"'{v}'" for v in values) + "])"


CASES_SQL = f"""
INSERT INTO cases_case (
    created_at, updated_at, code, origin, regime, status, channel, incident_place, title,
    description, event_date, known_date, received_at, initial_assessment, checklist,
    late_filing, direct_forwarding, registered_at, registration_unit, registration_number,
    decided_at, due_at, due_step, due_basis, due_confidence, pin_hash, incident_region_id,
    handling_region_id
)
SELECT now(), now(), gen_random_uuid(),
    {_array(("LAPORAN", "TEMUAN", "INFORMASI_AWAL"))}[i %% 3 + 1],
    {_array(("PEMILU", "PILKADA"))}[i %% 2 + 1],
    {_array(STATUSES)}[i %% {len(STATUSES)} + 1],
    'KANTOR', 'x', 'x', 'x', r::date, r::date, r, '', '[]', false, false,
    reg, '', '', dec, CASE WHEN i %% 4 = 0 THEN r + interval '5 days' END, '', '', '', '',
    d.code, substr(d.code, 1, 5)
FROM generate_series(%(start)s, %(stop)s) AS i
JOIN desa d ON d.rn = i %% %(desa)s
CROSS JOIN LATERAL (
    SELECT timestamptz '2024-01-01 09:00:00+07' + ((i * 7) %% (360 * 24)) * interval '1 hour'
        AS r
) t
CROSS JOIN LATERAL (SELECT CASE WHEN i %% 10 < 7 THEN r + interval '1 day' END AS reg) u
CROSS JOIN LATERAL (
    SELECT CASE WHEN reg IS NOT NULL AND i %% 2 = 1 THEN r + (1 + i %% 6) * interval '1 day'
    END AS dec
) v
"""

PERSONS_SQL = """
INSERT INTO cases_reportedperson (
    created_at, updated_at, name, address, phone, subject_type, position, agency_name,
    target_status, finding, violation_types, skb_codes, articles, reasoning, case_id,
    official_id
)
SELECT now(), now(), 'x', '', '', (ARRAY['PNS', 'KEPALA_DESA', 'PPPK'])[c.id %% 3 + 1], '', '',
    '', (ARRAY['BELUM_DIPUTUS', 'TERBUKTI', 'TIDAK_TERBUKTI'])[c.id %% 3 + 1],
    (ARRAY['["PERUU_LAINNYA"]', '["PERUU_LAINNYA", "PIDANA"]', '[]'])[c.id %% 3 + 1]::jsonb,
    (ARRAY['["DS06"]', '["KE04"]', '[]'])[c.id %% 3 + 1]::jsonb, '[]', '', c.id, o.id
FROM cases_case c
JOIN officials o ON o.rn = (c.id * 37) %% %(officials)s
WHERE c.id > %(after)s
"""


def alerts_fired(cursor: Any, after: int) -> int:
    """Record the deadline alerts of the seeded cases (ids above `after`) as fired.

    The seeded cases are a past election's (2024): their deadlines came due then, and the
    watcher alerted on each as it did. Without these rows the first `netral worker` of a
    bench would spend its first hour sending 250,000 overdue alerts one by one (alert, case
    event, audit entry, a mail job each), and the form's rounds would measure that instead
    of the import and the certificate batch they name (issue 15; Session 16 found it)."""
    from netral.cases.models import CLOSED_STATUSES

    cursor.execute(
        "INSERT INTO monitoring_deadlinealert (kind, step, due_at, created_at, case_id)"
        " SELECT 'OVERDUE', c.due_step, c.due_at, c.due_at, c.id FROM cases_case c"
        " WHERE c.id > %s AND c.due_at IS NOT NULL AND c.due_at <= now()"
        " AND NOT (c.status = ANY(%s))"
        " ON CONFLICT (case_id, step, kind, due_at) WHERE recommendation_id IS NULL DO NOTHING",
        [after, sorted(CLOSED_STATUSES)],
    )
    fired = int(cursor.rowcount)
    # as autovacuum would after such a growth: with the table's statistics of before, the
    # watcher's query planned a nested loop over a sequential scan of the alerts
    cursor.execute("ANALYZE monitoring_deadlinealert")
    print(f"  {fired:,} past deadline alerts recorded as fired", flush=True)
    return fired


def seed_cases_fast(n: int, officials: int | None = None) -> None:
    """n cases over every desa, one reported person each; then the tallies recounted."""
    from django.db import connection, transaction

    from netral.dashboards.tallies import tally_rebuild, uninstall_sql

    assert connection.vendor == "postgresql", "bench.national_seed is for PostgreSQL"
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in uninstall_sql("postgresql"):
            cursor.execute(sql)
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        after = cursor.fetchone()[0]
        # numbered lookup tables (an array subscript would detoast the whole array per row)
        cursor.execute(
            "CREATE TEMP TABLE desa ON COMMIT DROP AS SELECT (row_number() OVER "
            "(ORDER BY code) - 1)::int AS rn, code FROM registry_region "
            "WHERE level IN ('DESA', 'KELURAHAN')"
        )
        cursor.execute("ALTER TABLE desa ADD PRIMARY KEY (rn)")
        cursor.execute(
            "CREATE TEMP TABLE officials ON COMMIT DROP AS SELECT (row_number() OVER "
            "(ORDER BY id) - 1)::int AS rn, id FROM (SELECT id FROM registry_official "
            "ORDER BY id LIMIT %s) s",
            [officials or n],
        )
        cursor.execute("ALTER TABLE officials ADD PRIMARY KEY (rn)")
        cursor.execute("ANALYZE desa")
        cursor.execute("ANALYZE officials")
        cursor.execute("SELECT (SELECT count(*) FROM desa), (SELECT count(*) FROM officials)")
        n_desa, n_officials = cursor.fetchone()
        for offset in range(0, n, BATCH):
            cursor.execute(
                CASES_SQL,
                {"start": offset, "stop": min(n, offset + BATCH) - 1, "desa": n_desa},
            )
        print(f"  cases inserted in {time.perf_counter() - start:.1f} s", flush=True)
        cursor.execute(PERSONS_SQL, {"after": after, "officials": n_officials})
        print(f"  reported persons inserted in {time.perf_counter() - start:.1f} s", flush=True)
        alerts_fired(cursor, after)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_reportedperson")
    tally_rebuild()
    with connection.cursor() as cursor:
        for table in ("casetally", "persontally", "codetally", "decisiontally", "duetally"):
            cursor.execute(f"VACUUM ANALYZE dashboards_{table}")
    print(f"  tallies recounted; {time.perf_counter() - start:.1f} s in all", flush=True)
