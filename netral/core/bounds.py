"""Upper bounds on free text, shared by every form and API schema (issue 14, point 6).

A field without a maximum let one anonymous report carry a 9.5 MB description whose PDF held a
worker for 30 s. Every text input has a maximum: the model's max_length where it has one, else
one of these (characters).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

LINE_MAX = 1000  # a one-line note
TEXT_MAX = 5000  # a multi-line note, a message, minutes, reasoning
TEXT_LONG = 20000  # the report's narrative ("Uraian kejadian"): about eight typed pages
MAX_FORMS = 10  # entries of any repeating group (reported persons, witnesses)

# Ids, pages and dates a request may name (issue 14, point 7): past these a filter is a form
# error, never a database overflow (SQLite's INTEGER and PostgreSQL's bigint are 64-bit) or a
# date arithmetic overflow (9999-12-31 plus one day).
ID_MAX = 2**63 - 1
PAGE_MAX = 1_000_000
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)


def date_validators() -> list[Any]:
    from django.core.validators import MaxValueValidator, MinValueValidator

    return [MinValueValidator(DATE_MIN), MaxValueValidator(DATE_MAX)]
