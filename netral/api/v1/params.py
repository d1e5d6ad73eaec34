"""Bounds on every API parameter (issue 14, points 6 and 7): an id, a page, an offset, a date or
a text past these is a documented 422, never a database error."""

from __future__ import annotations

import datetime as dt

ID_MAX = 2**63 - 1  # PostgreSQL bigint; SQLite's INTEGER
OFFSET_MAX = 10_000_000
QUERY_MAX = 100  # a search text
CODE_MAX = 13  # a Kemendagri region code (64.08.04.2001)
CHOICE_MAX = 32  # a stored code (DIREGISTRASI, KEPALA_DESA)

# Dates a filter may name: far outside elections, and inside what date arithmetic can reach
# (9999-12-31 plus one day overflows).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
