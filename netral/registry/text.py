"""Pure text helpers for search (accent- and case-insensitive matching)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents, collapse spaces: 'Pëngadilan  Négeri' -> 'pengadilan negeri'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("\u2019", "'")
    return _SPACES.sub(" ", stripped).strip().casefold()
