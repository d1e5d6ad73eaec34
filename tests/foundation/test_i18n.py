"""Indonesian is the source language; every English catalogue must be complete."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    [
        ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po",
        *(ROOT / "netral").glob("*/locale/en/LC_MESSAGES/django.po"),
    ]
)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_an_english_translation(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert missing == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_is_up_to_date(po_path: Path) -> None:
    mo = po_path.with_suffix(".mo")
    assert mo.exists()
    compiled = {e.msgid for e in polib.mofile(str(mo))}
    source = {e.msgid for e in polib.pofile(str(po_path)) if e.translated()}
    assert source <= compiled, "run compilemessages"
