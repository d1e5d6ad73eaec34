"""Triggers that keep the dashboard tallies (netral/dashboards/models.py) in step with the
cases, reported persons, officials and their social accounts, and the upkeep around them:
rebuild, check, compact (an incremental fold, `tally_compact`).

Why triggers: every path that writes these tables (workflow services, the public form, the
admin, `import_officials`, bulk loaders, future migrations) keeps the tallies right in the
same transaction without having to remember to; a service-level hook would be one more rule
for every writer (docs/decisions/0007-dashboard-tallies.md).

Each tally is one SELECT over the source tables (`_Tally.select`), written once and used three
ways: by the triggers, with the changed table replaced by its old or new rows (a -1 row for
the old keys, +1 for the new); by `tally_rebuild`, over the whole tables; and by
`tally_check`, which compares the two. PostgreSQL runs one statement-level trigger per
statement with transition tables, summing the statement's rows per key (a bulk import of a
million officials adds one grouped INSERT, not a million rows; an update that moves no key
writes nothing); SQLite has only row triggers, guarded by WHEN so that an update of other
columns costs nothing, and reading the fired row's NEW/OLD columns directly.

Local months and days are computed in the database in each case's own zone, that of its
handling unit (WIB, WITA or WIT by the province of `handling_region_id`; Bawaslu RI: WIB), as
the case pages, letters and exports date it (issue 12 point 7): the SQL CASE is generated from
netral.core.zones.PREFIXES, the one mapping of province codes to zones, and
case_metrics.local_date reads the rows the same way. None of the three zones has daylight
saving time, so SQLite applies each as a fixed offset. `TallyState` records the rule
(UNIT_ZONES) and a digest of the trigger SQL: after every migrate, `tally_ensure` reinstalls
the triggers and recounts when they are missing, changed or counted under another rule;
`netral dashboard_tallies` reports the same problems, and `--rebuild` mends them by hand.
"""

# Every SQL string here is built from the constants of this module and of netral.core.zones
# (table and column names, zone names and offsets), never from input.
# ruff: noqa: S608

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from netral.cases.models.choices import CLOSED_STATUSES, PersonFinding, Status
from netral.core.progress import tqdm_progress
from netral.core.zones import zone_sql

# The source tables and the columns a tally may read from each (the SQLite update
# triggers' WHEN clause lists exactly these).
CASES = "cases_case"
PERSONS = "cases_reportedperson"
OFFICIALS = "registry_official"
SOCIAL = "registry_socialaccount"
COLUMNS: dict[str, tuple[str, ...]] = {
    CASES: (
        "id",
        "incident_region_id",
        "handling_region_id",  # whose zone the case's days are counted in
        "election_event_id",
        "received_at",
        "created_at",
        "status",
        "origin",
        "registered_at",
        "regime",
        "extended_at",
        "decided_at",
        "due_at",
    ),
    PERSONS: (
        "id",
        "case_id",
        "official_id",
        "finding",
        "subject_type",
        "agency_name",
        "violation_types",
        "skb_codes",
    ),
    OFFICIALS: (
        "id",
        "region_id",
        "subject_type",
        "position_category",
        "is_active",
        "agency_id",
    ),
    SOCIAL: ("id", "official_id"),
}
ALIAS = {CASES: "c", PERSONS: "rp", OFFICIALS: "o", SOCIAL: "s"}
# A public draft is not yet a case for the evaluation (case_metrics.NOT_YET_CASES).
IS_CASE = f"c.status <> '{Status.DRAFT_PUBLIK.value}'"


# What TallyState.time_zone records: the local days are each case's own unit's (not the
# TIME_ZONE setting, which no longer changes them).
UNIT_ZONES = "WIB/WITA/WIT (unit)"
# The region code whose zone a case's days are in: its handling unit (zones.case_zone).
CASE_ZONE_CODE = "c.handling_region_id"


class Dialect:
    """The few SQL expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, vendor: str, time_zone: str = UNIT_ZONES) -> None:
        self.vendor = vendor
        self.time_zone = time_zone

    def _zone(self) -> str:
        """Each row's zone, from the province of its handling unit (zones.PREFIXES): its
        name on PostgreSQL, its fixed offset for strftime() on SQLite."""
        if self.vendor == "postgresql":
            return zone_sql(CASE_ZONE_CODE, lambda z: f"'{z.tz.key}'")
        return zone_sql(CASE_ZONE_CODE, lambda z: f"'{z.offset_seconds:+d} seconds'")

    def _local(self, expr: str, pattern: str) -> str:
        # whole seconds: SQLite's date arithmetic rounds to milliseconds (case_metrics)
        return f"strftime('{pattern}', substr({expr}, 1, 19), {self._zone()})"

    def month(self, expr: str) -> str:
        if self.vendor == "postgresql":
            return f"(date_trunc('month', ({expr}) AT TIME ZONE {self._zone()}))::date"
        return self._local(expr, "%Y-%m-01")

    def day(self, expr: str) -> str:
        if self.vendor == "postgresql":
            return f"(({expr}) AT TIME ZONE {self._zone()})::date"
        return self._local(expr, "%Y-%m-%d")

    def explode(self, expr: str) -> tuple[str, str, str]:
        """(join clause, element expression, condition) over the string elements of a JSON
        list column. Other elements (null, numbers, lists) are no code: counted, a null
        would break the tally's NOT NULL column and refuse the write (case_metrics._as_list
        skips them too). Codes are cut to the tally's column width (CodeTally.code), which
        PostgreSQL would otherwise enforce by refusing the write as well."""
        if self.vendor == "postgresql":
            safe = f"CASE WHEN jsonb_typeof({expr}) = 'array' THEN {expr} ELSE '[]' END"
            join = f"CROSS JOIN LATERAL jsonb_array_elements({safe}) AS v(code)"
            return join, "substr(v.code #>> '{}', 1, 64)", "jsonb_typeof(v.code) = 'string'"
        safe = f"CASE WHEN json_type({expr}) = 'array' THEN {expr} ELSE '[]' END"
        return f"JOIN json_each({safe}) AS v", "substr(v.value, 1, 64)", "v.type = 'text'"


Sources = dict[str, str]  # table -> what to read it from (the table, or its old/new rows)
# SQLite: the trigger's own row is read as NEW.col / OLD.col, not joined as a table (a
# one-row derived table per fired row cost 3x as much: 6 s per million officials imported).
ROW = "ROW:"


def _from(s: Sources, *items: tuple[str, str, str, str], where: str) -> str:
    """FROM ... WHERE ... over (table, alias, join, on) items; a table read from the
    trigger's own row (ROW) is left out and its join condition moved into the WHERE
    (`_signed` then names its columns NEW.x or OLD.x)."""
    parts: list[str] = []
    conditions: list[str] = []
    for table, alias, join, on in items:
        source = s.get(table, table)
        if source.startswith(ROW):
            if on:
                conditions.append(on)
            continue
        if not parts:  # the first table read: FROM, its join condition a filter
            parts.append(f"{source} {alias}".strip())
            if on:
                conditions.append(on)
        else:
            parts.append(f"{join} {source} {alias}".strip() + (f" ON {on}" if on else ""))
    head = "FROM " + " ".join(parts) + " " if parts else ""
    return head + "WHERE " + " AND ".join([*conditions, where])


def _case_keys(d: Dialect, unit_len: int = 8) -> list[str]:
    return [
        f"substr(c.incident_region_id, 1, {unit_len})",
        "coalesce(c.election_event_id, 0)",
        d.month("coalesce(c.received_at, c.created_at)"),
    ]


def _persons_from(s: Sources, *extra: tuple[str, str, str, str], where: str) -> str:
    # A reported person need not be in the registry (LEFT JOIN), but when the officials'
    # old or new rows drive a trigger only their own persons move (JOIN): a LEFT JOIN would
    # count every other person once more for each official inserted.
    join = "LEFT JOIN" if s[OFFICIALS] == OFFICIALS else "JOIN"
    return _from(
        s,
        (PERSONS, "rp", "", ""),
        (CASES, "c", "JOIN", "c.id = rp.case_id"),
        (OFFICIALS, "o", join, "o.id = rp.official_id"),
        *extra,
        where=where,
    )


Select = tuple[list[str], str]  # (key expressions, "[FROM ...] WHERE ..." after them)


def _official_tally(d: Dialect, s: Sources) -> list[Select]:
    keys = ["substr(o.region_id, 1, 8)", "o.subject_type", "coalesce(o.position_category, '')"]
    return [(keys, _from(s, (OFFICIALS, "o", "", ""), where="o.is_active"))]


def _account_tally(d: Dialect, s: Sources) -> list[Select]:
    # Every account (the patrol coverage counts inactive officials' accounts too). An
    # official's move or delete moves its accounts as well (with deferred foreign keys an
    # account may be deleted after its official).
    keys = ["substr(o.region_id, 1, 8)"]
    items = ((SOCIAL, "s", "", ""), (OFFICIALS, "o", "JOIN", "o.id = s.official_id"))
    return [(keys, _from(s, *items, where="1 = 1"))]


def _case_tally(d: Dialect, s: Sources) -> list[Select]:
    keys = [*_case_keys(d), "c.origin", "c.status", "c.registered_at IS NOT NULL"]
    return [(keys, _from(s, (CASES, "c", "", ""), where=IS_CASE))]


def _person_tally(d: Dialect, s: Sources) -> list[Select]:
    keys = [
        *_case_keys(d),
        "rp.finding",
        "rp.subject_type",
        "coalesce(o.position_category, '')",
        "coalesce(o.agency_id, 0)",
        "CASE WHEN o.agency_id IS NULL THEN rp.agency_name ELSE '' END",
    ]
    return [(keys, _persons_from(s, where=IS_CASE))]


def _code_tally(d: Dialect, s: Sources) -> list[Select]:
    selects = []
    for kind, column in (("V", "violation_types"), ("S", "skb_codes")):
        join, element, is_code = d.explode(f"rp.{column}")
        keys = [*_case_keys(d), "rp.finding", f"'{kind}'", element]
        selects.append(
            (
                keys,
                _from(
                    s,
                    (PERSONS, "rp", "", ""),
                    (CASES, "c", "JOIN", "c.id = rp.case_id"),
                    (join, "", "", ""),
                    where=f"{IS_CASE} AND {is_code}",
                ),
            )
        )
    return selects


def _decision_tally(d: Dialect, s: Sources) -> list[Select]:
    keys = [
        *_case_keys(d, unit_len=5),
        "c.regime",
        d.day("c.received_at"),
        d.day("c.registered_at"),
        "c.extended_at IS NOT NULL",
        d.day("c.decided_at"),
    ]
    where = f"{IS_CASE} AND c.decided_at IS NOT NULL"
    return [(keys, _from(s, (CASES, "c", "", ""), where=where))]


def _due_tally(d: Dialect, s: Sources) -> list[Select]:
    closed = ", ".join(f"'{status}'" for status in sorted(CLOSED_STATUSES))
    keys = [*_case_keys(d), d.day("c.due_at")]
    where = f"{IS_CASE} AND c.due_at IS NOT NULL AND c.status NOT IN ({closed})"
    return [(keys, _from(s, (CASES, "c", "", ""), where=where))]


@dataclass(frozen=True)
class _Tally:
    table: str
    columns: tuple[str, ...]  # key columns, in the order `select` yields them
    sources: tuple[str, ...]  # source tables whose changes move this tally
    select: Callable[[Dialect, Sources], list[Select]]
    nullable: tuple[str, ...] = ()  # key columns that may be NULL (matched with IS, not =)
    # (source table, event) whose trigger leaves this tally alone: a change that cannot move it
    unmoved: tuple[tuple[str, str], ...] = ()

    def moved_by(self, table: str, event: str) -> bool:
        return table in self.sources and (table, event) not in self.unmoved


_CASE_KEY_COLUMNS = ("unit", "event_id", "month")
TALLIES = (
    _Tally(
        "dashboards_officialtally",
        ("unit", "subject_type", "position_category"),
        (OFFICIALS,),
        _official_tally,
    ),
    _Tally(
        "dashboards_casetally",
        (*_CASE_KEY_COLUMNS, "origin", "status", "registered"),
        (CASES,),
        _case_tally,
    ),
    _Tally(
        "dashboards_persontally",
        (
            *_CASE_KEY_COLUMNS,
            "finding",
            "subject_type",
            "position_category",
            "agency_id",
            "agency_name",
        ),
        (CASES, PERSONS, OFFICIALS),
        _person_tally,
    ),
    _Tally(
        "dashboards_codetally",
        (*_CASE_KEY_COLUMNS, "finding", "kind", "code"),
        (CASES, PERSONS),
        _code_tally,
    ),
    _Tally(
        "dashboards_decisiontally",
        (
            *_CASE_KEY_COLUMNS,
            "regime",
            "received_day",
            "registered_day",
            "extended",
            "decided_day",
        ),
        (CASES,),
        _decision_tally,
        nullable=("received_day", "registered_day"),
    ),
    _Tally("dashboards_duetally", (*_CASE_KEY_COLUMNS, "due_day"), (CASES,), _due_tally),
    _Tally(
        "dashboards_accounttally",
        ("unit",),
        (SOCIAL, OFFICIALS),
        _account_tally,
        # An official being inserted has no account yet (accounts point at it): every writer
        # inserts the official first. Counting its accounts there would count twice those a
        # bulk load on SQLite inserts before its end-of-load delta (tally_bulk_insert_end).
        unmoved=((OFFICIALS, "INSERT"),),
    ),
)


# The national rollups (docs/decisions/0016-national-tally-rollups.md). At national breadth a
# case-grain tally keeps about one row per case (1,000,000 cases over 83,000 desa do not
# compress at the kecamatan), and a national view grouped all of them: 1.5 s a build. A
# rollup holds the tally's *folded* rows cut to the province and stripped of the columns a
# national view does not group by; the fold keeps it (`_fold_sql`, `_fold_whole`,
# `tally_rebuild`), in the transaction that folds the tally, so a public report's own
# transaction writes nothing more. What a national view reads is the rollup's view: the
# rollup's rows plus the tally's unfolded deltas cut the same way, in one statement, so one
# snapshot sees every delta exactly once, whether a fold committed before it or not.
ROLLUP_UNIT_LEN = 2


@dataclass(frozen=True)
class _Rollup:
    source: _Tally
    table: str  # the folded rows of `source`, cut: kept by the fold
    view: str  # the rollup plus the source's unfolded deltas, cut: what a national view reads
    columns: tuple[str, ...]  # its key columns: the source's kept, then any computed
    computed: tuple[tuple[str, str], ...] = ()  # (column, SQL over the source's columns)

    def expr(self, column: str) -> str:
        """The column of the rollup as an expression over the source tally's row."""
        computed = dict(self.computed)
        if column in computed:
            return computed[column]
        return f"substr({column}, 1, {ROLLUP_UNIT_LEN})" if column == "unit" else column

    @property
    def as_tally(self) -> _Tally:
        """The rollup table as a tally of its own, for `_fold_sql` (it has no triggers)."""
        nullable = tuple(c for c in self.source.nullable if c in self.columns)
        return _Tally(self.table, self.columns, (), lambda d, s: [], nullable=nullable)

    def view_sql(self) -> str:
        cols = ", ".join(self.columns)
        cut = ", ".join(c if self.expr(c) == c else f"{self.expr(c)} AS {c}" for c in self.columns)
        return (
            f"CREATE VIEW {self.view} AS SELECT id, {cols}, n FROM {self.table} "
            f"UNION ALL SELECT id, {cut}, n FROM {self.source.table} WHERE NOT folded"
        )


def _rollup(
    source: str, name: str, *, drop: tuple[str, ...] = (), add: tuple[tuple[str, str], ...] = ()
) -> _Rollup:
    tally = next(t for t in TALLIES if t.table == source)
    columns = (*(c for c in tally.columns if c not in drop), *(c for c, _e in add))
    return _Rollup(tally, f"dashboards_{name}rollup", f"dashboards_{name}national", columns, add)


ROLLUPS = (
    _rollup("dashboards_officialtally", "officialtally"),
    _rollup("dashboards_casetally", "casetally"),
    # the findings per subject type and category, without the agency (ranked apart)
    _rollup("dashboards_persontally", "persontally", drop=("agency_id", "agency_name")),
    # The agencies' ranking: the reported persons per agency, event and whether proven, over
    # the whole country and every month (cut by province and month, 1,000,000 persons spread
    # over every desa keep 950,000 rows; like this, 150,000). It serves the national view of
    # every month (the rows of a case lie in a province: its place of incident is a region,
    # never null); a national view of some months ranks from the person tally.
    _rollup(
        "dashboards_persontally",
        "agencytally",
        drop=("unit", "month", "finding", "subject_type", "position_category"),
        add=(("proven", f"finding = '{PersonFinding.TERBUKTI.value}'"),),
    ),
    # ... and per month, for a national view of some months (442,000 rows over 13 months,
    # a month's 34,000 found by an index on the month; the person tally has no such index and
    # was read whole: 0.3 to 0.5 s)
    _rollup(
        "dashboards_persontally",
        "agencymonthtally",
        drop=("unit", "finding", "subject_type", "position_category"),
        add=(("proven", f"finding = '{PersonFinding.TERBUKTI.value}'"),),
    ),
    _rollup("dashboards_codetally", "codetally"),
    _rollup("dashboards_decisiontally", "decisiontally"),
    _rollup("dashboards_duetally", "duetally"),
    _rollup("dashboards_accounttally", "accounttally"),
)


def _rollups_of(tally: _Tally) -> list[_Rollup]:
    return [r for r in ROLLUPS if r.source.table == tally.table]


def _rollup_delta_sql(rollup: _Rollup) -> str:
    """The deltas a fold is about to fold (the ids in netral_fold_ids), cut, added to the
    rollup as its own unfolded rows (folded right after: `tally_compact`)."""
    cols = ", ".join(rollup.columns)
    cut = ", ".join(rollup.expr(c) for c in rollup.columns)
    group = ", ".join(str(i) for i in range(1, len(rollup.columns) + 1))
    return (
        f"INSERT INTO {rollup.table} ({cols}, n) SELECT {cut}, SUM(n) "
        f"FROM {rollup.source.table} WHERE id IN (SELECT id FROM netral_fold_ids) "
        f"GROUP BY {group} HAVING SUM(n) <> 0"
    )


def _rollup_refill(cursor: Any, rollup: _Rollup) -> None:
    """The rollup counted again from the source tally's folded rows (after a rewrite or a
    recount of the source, in the same transaction)."""
    cols = ", ".join(rollup.columns)
    cut = ", ".join(rollup.expr(c) for c in rollup.columns)
    group = ", ".join(str(i) for i in range(1, len(rollup.columns) + 1))
    empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
    cursor.execute(f"{empty} {rollup.table}")
    cursor.execute(
        f"INSERT INTO {rollup.table} ({cols}, n, folded) SELECT {cut}, SUM(n), TRUE "
        f"FROM {rollup.source.table} WHERE folded GROUP BY {group} HAVING SUM(n) <> 0"
    )
    if connection.vendor == "postgresql":  # its statistics: read right after (the plans)
        cursor.execute(f"ANALYZE {rollup.table}")


def _keys(tally: _Tally) -> str:
    return ", ".join(f"k{i}" for i in range(len(tally.columns)))


def _signed(tally: _Tally, d: Dialect, sources: Sources, sign: int) -> list[str]:
    """The tally's SELECTs with their key columns named k0.. and a signed count column."""
    out = []
    for exprs, rest in tally.select(d, sources):
        named = ", ".join(f"{e} AS k{i}" for i, e in enumerate(exprs))
        sql = f"SELECT {named}, {sign} AS n {rest}"
        for table, source in sources.items():
            if source.startswith(ROW):  # SQLite: the trigger's row itself
                sql = re.sub(rf"\b{ALIAS[table]}\.", f"{source.removeprefix(ROW)}.", sql)
        out.append(sql)
    return out


def _delta_insert(tally: _Tally, parts: list[str]) -> str:
    keys = _keys(tally)
    union = " UNION ALL ".join(parts)
    return (
        f"INSERT INTO {tally.table} ({', '.join(tally.columns)}, n) "
        f"SELECT {keys}, SUM(n) FROM ({union}) d GROUP BY {keys} HAVING SUM(n) <> 0"
    )


def _base_sources() -> Sources:
    return {CASES: CASES, PERSONS: PERSONS, OFFICIALS: OFFICIALS, SOCIAL: SOCIAL}


def _trigger_bodies(d: Dialect, table: str, event: str) -> list[str]:
    """The INSERTs a change of `table` (INSERT, UPDATE or DELETE) runs."""
    if d.vendor == "postgresql":
        old, new = "old_rows", "new_rows"
    else:
        old, new = f"{ROW}OLD", f"{ROW}NEW"
    statements = []
    for tally in TALLIES:
        if not tally.moved_by(table, event):
            continue
        parts: list[str] = []
        if event in ("UPDATE", "DELETE"):
            parts += _signed(tally, d, {**_base_sources(), table: old}, -1)
        if event in ("UPDATE", "INSERT"):
            parts += _signed(tally, d, {**_base_sources(), table: new}, 1)
        if d.vendor == "postgresql":  # a statement's rows, summed per key
            statements.append(_delta_insert(tally, parts))
        else:  # one row: its -1 and +1 as they are (a fold cancels an unmoved key)
            columns = ", ".join(tally.columns)
            statements += [f"INSERT INTO {tally.table} ({columns}, n) {part}" for part in parts]
    return statements


EVENTS = ("INSERT", "UPDATE", "DELETE")


def _trigger_name(table: str, event: str) -> str:
    return f"netral_tally_{table}_{event.lower()}"


def install_sql(d: Dialect, *, guarded: bool = True) -> list[str]:
    """DROP + CREATE of every tally trigger (idempotent). `guarded`: with the PostgreSQL
    functions' early return (`_case_guard`), which changes what runs, not what is counted."""
    return [
        sql
        for table in COLUMNS
        for event in EVENTS
        for sql in _install_one(d, table, event, guarded=guarded)
    ]


def _case_guard(table: str, event: str) -> str:
    """PostgreSQL: the early return of the trigger function of `table` (cases or reported
    persons) when none of the statement's rows belongs to a case the tallies count. Every
    tally those two tables move counts cases only (IS_CASE: not a public draft), so such a
    statement's INSERTs would add nothing; they still ran, planned and locked the tallies:
    0.3 ms of the server's CPU for a public report's draft and two reported persons, a
    quarter of what their writes cost it (issue 15, docs/benchmarks.md "Session 18"). The
    other tables' tallies count officials and accounts whatever the cases: no guard."""
    sources = {"INSERT": ["new_rows"], "DELETE": ["old_rows"]}.get(event, ["old_rows", "new_rows"])
    if table == CASES:
        found = [f"EXISTS (SELECT 1 FROM {rows} c WHERE {IS_CASE})" for rows in sources]
    else:
        found = [
            f"EXISTS (SELECT 1 FROM {rows} rp JOIN {CASES} c ON c.id = rp.case_id WHERE {IS_CASE})"
            for rows in sources
        ]
    return f"IF NOT ({' OR '.join(found)}) THEN\n    RETURN NULL;\n  END IF;\n  "


def _install_one(d: Dialect, table: str, event: str, *, guarded: bool = True) -> list[str]:
    """DROP + CREATE of the tally trigger of one table and event."""
    name = _trigger_name(table, event)
    bodies = _trigger_bodies(d, table, event)
    if d.vendor == "postgresql":
        refs = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        body = ";\n  ".join(bodies)
        guard = _case_guard(table, event) if guarded and table in (CASES, PERSONS) else ""
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$\nBEGIN\n  {guard}{body};\n  RETURN NULL;\nEND\n$$",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {refs} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    when = ""
    if event == "UPDATE":
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COLUMNS[table] if c != "id")
        when = f" WHEN {changed}"
    body = ";\n  ".join(bodies)
    return [
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} AFTER {event} ON {table}{when}\nBEGIN\n  {body};\nEND",
    ]


def tally_bulk_insert_begin(*, table: str, streamed: bool = False, **kwargs: Any) -> None:
    """Receiver of netral.core.signals.bulk_insert_begin. SQLite: the INSERT trigger of
    `table` stands aside for the bulk statement (dropped inside the writer's transaction,
    so a failed statement brings it back with the rollback). PostgreSQL's trigger already
    sums a statement's rows per key: it stands aside only for a `streamed` load (many COPY
    statements, or one long one whose transition table would hold every row), disabled
    inside the writer's transaction (ALTER TABLE: no other session sees it disabled, and
    the writer's lock keeps other writers out until the commit)."""
    if table not in COLUMNS:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, 'INSERT')}")
        elif connection.vendor == "postgresql" and streamed:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {_trigger_name(table, 'INSERT')}")


def tally_bulk_insert_end(
    *, table: str, inserted: str, streamed: bool = False, **kwargs: Any
) -> None:
    """Receiver of netral.core.signals.bulk_insert_end. Where the trigger stood aside, each
    tally reading `table` gets one delta per key for the rows the block wrote (its own
    SELECT over them, as PostgreSQL's statement trigger writes), and the trigger is put
    back. Measured on a million officials, SQLite: instead of 1,000,000 delta rows (+2.6 s
    in the INSERT, 2.1 s to fold), 34,804 grouped rows (3.0 s to count, 0.05 s to fold);
    PostgreSQL, streamed: one grouped delta instead of one per COPY batch, each over a
    transition table holding a copy of the batch's rows."""
    if table not in COLUMNS:
        return
    if connection.vendor == "postgresql" and not streamed:
        return
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    d = dialect()
    rows = f"(SELECT * FROM {table} WHERE {inserted})"
    with connection.cursor() as cursor:
        for tally in TALLIES:
            if tally.moved_by(table, "INSERT"):
                cursor.execute(
                    _delta_insert(tally, _signed(tally, d, {**_base_sources(), table: rows}, 1))
                )
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {_trigger_name(table, 'INSERT')}")
        else:
            for sql in _install_one(d, table, "INSERT"):
                cursor.execute(sql)


def uninstall_sql(vendor: str) -> list[str]:
    out = []
    for table in COLUMNS:
        for event in EVENTS:
            name = _trigger_name(table, event)
            if vendor == "postgresql":
                out += [
                    f"DROP TRIGGER IF EXISTS {name} ON {table}",
                    f"DROP FUNCTION IF EXISTS {name}()",
                ]
            else:
                out.append(f"DROP TRIGGER IF EXISTS {name}")
    return out


def dialect(conn: BaseDatabaseWrapper | None = None) -> Dialect:
    return Dialect((conn or connection).vendor)


def installed_triggers(conn: BaseDatabaseWrapper | None = None) -> set[str]:
    pg = "SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE 'netral_tally_%%'"
    return {row[0] for row in _tally_catalog(conn or connection, pg, "name")}


def _tally_catalog(conn: BaseDatabaseWrapper, postgres_sql: str, columns: str) -> list[Any]:
    """Rows about the tally triggers: `postgres_sql` on PostgreSQL, else `columns` of
    SQLite's catalogue of its triggers."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(postgres_sql)
        else:
            cursor.execute(
                f"SELECT {columns} FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'netral_tally_%'"
            )
        return list(cursor.fetchall())


def expected_triggers() -> set[str]:
    return {_trigger_name(t, e) for t in COLUMNS for e in EVENTS}


def definition(d: Dialect) -> str:
    """A digest of the trigger SQL: a change of the tallies' definitions (or of the zone
    rule) makes `tally_ensure` rebuild them. Taken without the guards (`_case_guard`): they
    change what runs, not what is counted, and a recount of a national database is long."""
    return _definition(d.vendor, d.time_zone)


@functools.lru_cache(maxsize=4)
def _definition(vendor: str, time_zone: str) -> str:
    sql = install_sql(Dialect(vendor, time_zone), guarded=False)
    return hashlib.sha256("\n".join(sql).encode()).hexdigest()


def tallies_current() -> bool:
    """Whether the tallies were counted with the triggers and zone rule of this code (one
    query; the dashboard reads the rows otherwise). Missing triggers are
    `tally_ensure`'s business after every migrate."""
    from netral.dashboards.models import TallyState

    d = dialect()
    state = TallyState.objects.filter(pk=1).values_list("time_zone", "definition").first()
    return state == (d.time_zone, definition(d))


def tally_problem() -> str | None:
    """Why the tallies cannot be trusted as they stand (None: they can)."""
    from netral.dashboards.models import TallyState

    d = dialect()
    if installed_triggers() != expected_triggers():
        return "triggers missing"
    state = TallyState.objects.filter(pk=1).first()
    if state is None or state.rebuilt_at is None:
        return "never counted"
    if state.time_zone != d.time_zone:
        return f"counted in time zone {state.time_zone}, this code counts in {d.time_zone}"
    if state.definition != definition(d):
        return "definitions changed"
    return None


def tally_ensure(**kwargs: Any) -> None:
    """post_migrate: rebuild the tallies when their triggers are missing (a SQLite table
    rebuild by a later migration drops its triggers), their definition or zone rule changed,
    or they were never counted (a new or flushed database). Otherwise nothing."""
    using = kwargs.get("using", "default")
    if using != "default" or connection.vendor not in {"sqlite", "postgresql"}:
        return
    if not _tables_exist():
        # Migrated back past the tallies (or not yet up to them): a trigger left behind
        # would make every write of a case, reported person or official fail.
        with connection.cursor() as cursor:
            for sql in uninstall_sql(connection.vendor):
                cursor.execute(sql)
        return
    if tally_problem() is not None:
        tally_rebuild()
    elif installed_sql_differs():
        tally_install()  # written otherwise, counting the same (a guard): no recount


def installed_sql_differs(conn: BaseDatabaseWrapper | None = None) -> bool:
    """Whether a tally trigger in the database is written otherwise than this code writes
    it, while counting the same (the definition digest leaves the guards out)."""
    conn = conn or connection
    expected: dict[str, str] = {}
    for sql in install_sql(dialect(conn)):
        if sql.startswith("CREATE OR REPLACE FUNCTION "):  # PostgreSQL: the function's body
            name = sql.removeprefix("CREATE OR REPLACE FUNCTION ").split("(", 1)[0]
            expected[name] = sql.split("AS $$", 1)[1].rsplit("$$", 1)[0]
        elif sql.startswith("CREATE TRIGGER ") and conn.vendor == "sqlite":
            expected[sql.split()[2]] = sql
    pg = "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'netral_tally_%%'"
    return dict(_tally_catalog(conn, pg, "name, sql")) != expected


def _tables_exist() -> bool:
    from netral.dashboards.models import TallyState

    needed = {t.table for t in TALLIES} | {r.table for r in ROLLUPS} | {TallyState._meta.db_table}
    return needed <= set(connection.introspection.table_names())


def _recount_sql(tally: _Tally, d: Dialect) -> str:
    keys = _keys(tally)
    union = " UNION ALL ".join(_signed(tally, d, _base_sources(), 1))
    return f"SELECT {keys}, SUM(n) FROM ({union}) d GROUP BY {keys}"


def _state_save(**fields: Any) -> None:
    from netral.dashboards.models import TallyState

    TallyState.objects.update_or_create(pk=1, defaults=fields)


def tally_install(conn: BaseDatabaseWrapper | None = None) -> None:
    """(Re)create the triggers. Does not recount: see tally_rebuild."""
    conn = conn or connection
    with conn.cursor() as cursor:
        for sql in install_sql(dialect(conn)):
            cursor.execute(sql)


def tally_rebuild(*, show_progress: bool = False) -> None:
    """Reinstall the triggers and recount every tally from the source tables, in one
    transaction (the tables are locked against writers meanwhile on PostgreSQL, so no
    change falls between the recount and the triggers)."""
    d = dialect()
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = ", ".join([CASES, PERSONS, OFFICIALS, SOCIAL])
                cursor.execute(f"LOCK TABLE {tables} IN SHARE MODE")
            tally_install()
            report, close = tqdm_progress("tally", unit="tabel", disable=not show_progress)
            empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
            for done, tally in enumerate(TALLIES, start=1):
                cursor.execute(f"{empty} {tally.table}")  # TRUNCATE: no bloat (tally_compact)
                cursor.execute(
                    f"INSERT INTO {tally.table} ({', '.join(tally.columns)}, n, folded) "
                    f"SELECT *, TRUE FROM ({_recount_sql(tally, d)}) r"
                )
                for rollup in _rollups_of(tally):
                    _rollup_refill(cursor, rollup)
                report(done, len(TALLIES))
            close()
        now = timezone.now()
        _state_save(
            time_zone=d.time_zone, definition=definition(d), rebuilt_at=now, compacted_at=now
        )
    # A recount follows a change of the zone rule, which the dashboards' period expressions
    # follow too: their PostgreSQL statistics are made again from this code's expressions.
    from netral.cases.models import Case
    from netral.dashboards.statistics import case_period_statistics_create

    case_period_statistics_create(connection, Case)


def tally_compact() -> int:
    """Fold the delta rows of every tally that has any into the folded rows of their keys,
    one row per key (dropping keys that sum to zero), in one transaction. Returns the number
    of rows left. A quiet pass of `watch_deadlines` reads six partial indexes, empty.

    Incremental: a fold reads the unfolded rows it can see (the deltas, by the partial index
    `<tally>_delta`), the folded rows of the keys they touch (by `<tally>_key`), writes one
    folded row per such key and deletes exactly the rows it summed, by id. The rest of the
    table is not read or written: 1,000 reports over a million-row tally fold in
    milliseconds, not the seconds of a rewrite (docs/benchmarks.md, Session 14).

    No lock blocks a writer. The triggers only append; the fold deletes only rows that
    already existed and no writer touches, so it needs no table lock stronger than a
    writer's own (ROW EXCLUSIVE) and the public form never waits on it. A delta whose writer
    has not committed when the fold reads the unfolded rows is not among them, whatever its
    id (ids are allocated before commit, so no id watermark is used): it stays unfolded,
    counted by every reader, and the next fold takes it. Each row the fold sums is deleted
    by its id in the same transaction, so none is counted twice. Two folds do not run at once
    (PostgreSQL: a transaction-level advisory lock; the second gives way at once; SQLite has
    one writer at a time). After a bulk load (WHOLE_FOLD_DELTAS deltas or more) a tally no
    writer holds is rewritten whole instead (`_fold_whole`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
            if not cursor.fetchone()[0]:
                return tally_rows()
        for tally in TALLIES:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {tally.table} WHERE NOT folded "
                f"LIMIT {WHOLE_FOLD_DELTAS}) d"
            )
            deltas = cursor.fetchone()[0]
            if not deltas:
                continue
            if deltas < WHOLE_FOLD_DELTAS or not _fold_whole(cursor, tally):
                for sql in _fold_sql(tally, connection.vendor):
                    cursor.execute(sql)
                for rollup in _rollups_of(tally):  # its rows added by the fold above
                    for sql in _fold_sql(rollup.as_tally, connection.vendor):
                        cursor.execute(sql)
        _state_save(compacted_at=timezone.now())
    return tally_rows()


# From this many deltas on (a bulk load's), a tally is rewritten whole when no writer holds
# it: deleting millions of deltas one by one would leave the table's file at its bloated
# size, and every read would scan the dead pages (docs/benchmarks.md: 16 ms for 2,000 live
# rows). The rewrite's lock then lasts about as long as reading the deltas would anyway.
WHOLE_FOLD_DELTAS = 100_000


def _fold_whole(cursor: Any, tally: _Tally) -> bool:
    """Fold a tally by rewriting it whole (the fold before the incremental one): under an
    ACCESS EXCLUSIVE lock on PostgreSQL, taken NOWAIT (False: a writer holds the tally; the
    caller folds incrementally instead), so that every delta is committed and none arrives
    meanwhile; TRUNCATE leaves no dead rows."""
    from django.db import OperationalError

    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                cursor.execute(f"LOCK TABLE {tally.table} IN ACCESS EXCLUSIVE MODE NOWAIT")
        except OperationalError:
            return False
    cols = ", ".join(tally.columns)
    cursor.execute("DROP TABLE IF EXISTS netral_tally_fold")
    cursor.execute(
        f"CREATE TEMP TABLE netral_tally_fold AS SELECT {cols}, SUM(n) AS n "
        f"FROM {tally.table} GROUP BY {cols} HAVING SUM(n) <> 0"
    )
    cursor.execute(
        f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} {tally.table}"
    )
    cursor.execute(
        f"INSERT INTO {tally.table} ({cols}, n, folded) "
        f"SELECT {cols}, n, TRUE FROM netral_tally_fold"
    )
    cursor.execute("DROP TABLE netral_tally_fold")
    for rollup in _rollups_of(tally):
        _rollup_refill(cursor, rollup)
    return True


FOLD_LOCK = 0x6E7461_6C6C79  # "ntally": the advisory lock key folds serialise on


def _fold_sql(tally: _Tally, vendor: str) -> list[str]:
    """The statements that fold one tally's visible deltas (tally_compact)."""
    cols = ", ".join(tally.columns)
    t = tally.table
    pg = vendor == "postgresql"
    null_safe = "IS NOT DISTINCT FROM" if pg else "IS"
    on = " AND ".join(
        f"t.{c} {null_safe if c in tally.nullable else '='} k.{c}" for c in tally.columns
    )
    temp = "CREATE TEMP TABLE"
    return [
        "DROP TABLE IF EXISTS netral_fold_ids",
        "DROP TABLE IF EXISTS netral_fold_keys",
        f"{temp} netral_fold_ids (id bigint PRIMARY KEY)",
        # the deltas committed now: exactly these are summed and deleted below
        f"INSERT INTO netral_fold_ids SELECT id FROM {t} WHERE NOT folded",
        # the national rollups take exactly these deltas, cut (ROLLUPS)
        *(_rollup_delta_sql(r) for r in _rollups_of(tally)),
        f"{temp} netral_fold_keys AS SELECT DISTINCT {cols} FROM {t} "
        f"WHERE id IN (SELECT id FROM netral_fold_ids)",
        *(["ANALYZE netral_fold_keys"] if pg else []),
        # with the folded rows of their keys (one each, or several after migration 0007)
        f"INSERT INTO netral_fold_ids SELECT t.id FROM netral_fold_keys k "
        f"JOIN {t} t ON {on} WHERE t.folded",
        *(["ANALYZE netral_fold_ids"] if pg else []),
        f"INSERT INTO {t} ({cols}, n, folded) SELECT {cols}, SUM(n), TRUE FROM {t} "
        f"WHERE id IN (SELECT id FROM netral_fold_ids) GROUP BY {cols} HAVING SUM(n) <> 0",
        f"DELETE FROM {t} WHERE id IN (SELECT id FROM netral_fold_ids)",
        "DROP TABLE netral_fold_ids",
        "DROP TABLE netral_fold_keys",
    ]


def tally_rows() -> int:
    with connection.cursor() as cursor:
        total = 0
        for tally in TALLIES:
            cursor.execute(f"SELECT COUNT(*) FROM {tally.table}")
            total += cursor.fetchone()[0]
    return total


def tally_compact_after_bulk_write(**kwargs: Any) -> None:
    """Receiver of netral.core.signals.bulk_written."""
    if connection.vendor in {"sqlite", "postgresql"}:
        tally_compact()


def tally_check() -> dict[str, list[tuple[Any, ...]]]:
    """Keys whose summed tally differs from a recount of the source tables, per tally
    (empty lists: all is well). Each entry is (*keys, tally sum, recount)."""
    d = dialect()
    out: dict[str, list[tuple[Any, ...]]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for tally in TALLIES:
            keys = _keys(tally)
            named = ", ".join(f"{c} AS k{i}" for i, c in enumerate(tally.columns))
            cursor.execute(
                f"SELECT {keys}, SUM(n) FROM (SELECT {named}, n FROM {tally.table}) t "
                f"GROUP BY {keys} HAVING SUM(n) <> 0"
            )
            have = {tuple(_norm(v) for v in r[:-1]): r[-1] for r in cursor.fetchall()}
            cursor.execute(_recount_sql(tally, d))
            want = {tuple(_norm(v) for v in r[:-1]): r[-1] for r in cursor.fetchall()}
            out[tally.table] = _differences(have, want)
        for rollup in ROLLUPS:
            # each rollup against its source's folded rows, cut (what the fold keeps)
            keys = ", ".join(f"k{i}" for i in range(len(rollup.columns)))
            named = ", ".join(f"{c} AS k{i}" for i, c in enumerate(rollup.columns))
            cut = ", ".join(f"{rollup.expr(c)} AS k{i}" for i, c in enumerate(rollup.columns))
            sums = "SELECT {keys}, SUM(n) FROM (SELECT {cols}, n FROM {table}{where}) t "
            sums += "GROUP BY {keys} HAVING SUM(n) <> 0"
            cursor.execute(sums.format(keys=keys, cols=named, table=rollup.table, where=""))
            have = {tuple(_norm(v) for v in r[:-1]): r[-1] for r in cursor.fetchall()}
            cursor.execute(
                sums.format(keys=keys, cols=cut, table=rollup.source.table, where=" WHERE folded")
            )
            want = {tuple(_norm(v) for v in r[:-1]): r[-1] for r in cursor.fetchall()}
            out[rollup.table] = _differences(have, want)
    return out


def in_step() -> dict[str, list[tuple[Any, ...]]]:
    """What `tally_check` returns when all is well."""
    tables = [t.table for t in TALLIES] + [r.table for r in ROLLUPS]
    return {table: list[tuple[Any, ...]]() for table in tables}


def _differences(
    have: dict[tuple[Any, ...], int], want: dict[tuple[Any, ...], int]
) -> list[tuple[Any, ...]]:
    return [
        (*key, have.get(key, 0), want.get(key, 0))
        for key in sorted(set(have) | set(want), key=repr)
        if have.get(key, 0) != want.get(key, 0)
    ]


def _norm(value: Any) -> Any:
    """Compare keys across what the recount yields and what the table stores (SQLite hands
    back computed dates as text and booleans as 0/1)."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
