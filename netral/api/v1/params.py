"""Bounds on every API parameter (issue 14, points 6 and 7): an id, a page, an offset, a date or
a text past these is a documented 422, never a database error."""

from __future__ import annotations

from netral.core.bounds import DATE_MAX, DATE_MIN, ID_MAX

__all__ = ["CHOICE_MAX", "CODE_MAX", "DATE_MAX", "DATE_MIN", "ID_MAX", "OFFSET_MAX", "QUERY_MAX"]

OFFSET_MAX = 10_000_000
QUERY_MAX = 100  # a search text
CODE_MAX = 13  # a Kemendagri region code (64.08.04.2001)
CHOICE_MAX = 32  # a stored code (DIREGISTRASI, KEPALA_DESA)
