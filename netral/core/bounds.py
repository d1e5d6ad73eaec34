"""Upper bounds on free text, shared by every form and API schema (issue 14, point 6).

A field without a maximum let one anonymous report carry a 9.5 MB description whose PDF held a
worker for 30 s. Every text input has a maximum: the model's max_length where it has one, else
one of these (characters).
"""

from __future__ import annotations

LINE_MAX = 1000  # a one-line note
TEXT_MAX = 5000  # a multi-line note, a message, minutes, reasoning
TEXT_LONG = 20000  # the report's narrative ("Uraian kejadian"): about eight typed pages
MAX_FORMS = 10  # entries of any repeating group (reported persons, witnesses)
