"""Fill locale/en/LC_MESSAGES/django.po from scripts/translations_en_core.py, then compile.

Usage: .venv/bin/python scripts/fill_po.py   (after `make messages` added new msgids)
Prints the msgids still untranslated; tests/foundation/test_i18n.py fails while any remain.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).parent))
from translations_en_core import EN

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> None:
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        value = EN.get(entry.msgid)
        if value is None:
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            one, many = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: one, 1: many}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(PO))
    subprocess.run(["msgfmt", "--check", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")


if __name__ == "__main__":
    main()
