"""Signals between apps that must not import each other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

# Sent (inside the writer's transaction) after a bulk load wrote many rows at once: an
# officials import, the demo data. The dashboard tallies fold their delta rows on it
# (netral/dashboards/tallies.py), so the first dashboard after a big import is as fast as
# any other.
bulk_written = Signal()

# Sent around one bulk INSERT into `table` (inside the writer's transaction): before it, and
# after it with `inserted`, an SQL condition on `table` that selects exactly the rows the
# INSERT wrote (an id range). Row-by-row bookkeeping of that table (the SQLite tally
# triggers) may stand aside for the statement and count its rows once, grouped, afterwards.
# `streamed`: the rows arrive through many statements or one long COPY (the direct load of
# an empty registry, which holds the table's lock throughout); statement-level bookkeeping
# (the PostgreSQL tally triggers) stands aside too.
bulk_insert_begin = Signal()
bulk_insert_end = Signal()


@contextmanager
def bulk_insert(*, table: str, inserted: str, streamed: bool = False) -> Iterator[None]:
    """Wrap one bulk INSERT into `table` that writes the rows matching `inserted` (or, with
    `streamed`, a load of many statements that no other writer of `table` can interleave
    with: the caller holds a lock that keeps them out).

    Must run inside a transaction: if the block fails, whatever the receivers of
    `bulk_insert_begin` did rolls back with it."""
    bulk_insert_begin.send(sender=None, table=table, streamed=streamed)
    yield
    bulk_insert_end.send(sender=None, table=table, inserted=inserted, streamed=streamed)
