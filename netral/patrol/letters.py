"""The takedown letter (surat permintaan penurunan konten) as a PDF (WeasyPrint)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from netral.core.zones import local_in, zone_for_code
from netral.patrol.models import ActKind, Capture, TakedownLetter


def _violation(capture: Capture) -> str:
    parts = []
    if capture.act_kind:
        parts.append(str(ActKind(capture.act_kind).label))
    if capture.suggested_skb:
        parts.append(f"SKB 2022 {capture.suggested_skb}")
    return "; ".join(parts) or "-"


def letter_pdf(
    *, letter: TakedownLetter, captures: Sequence[Capture], verify_url: Callable[[str], str]
) -> bytes:
    """Rendered in the default language (Indonesian), whatever the viewer's, and with its
    times in the sending unit's zone (WIB, WITA or WIT, issue 12 point 7), wherever it is
    rendered (a request of a viewer elsewhere, the worker)."""
    from weasyprint import HTML

    zone = zone_for_code(letter.unit_region_id)
    rows: list[dict[str, Any]] = []
    for i, c in enumerate(captures, start=1):
        shot = next((f for f in c.files.all() if f.role in ("SCREENSHOT", "UPLOAD")), None)
        rows.append(
            {
                "n": i,
                "url": c.url,
                "account": (c.account.handle if c.account else "")
                or (c.official.name if c.official else "-"),
                "official": c.official.name if c.official else "",
                "platform": c.platform or "-",
                "date": local_in(c.seen_at or c.captured_at or c.created_at, zone),
                "violation": _violation(c),
                "seal": c.seal.get("digest", ""),
                "file_digest": shot.sha256 if shot else "",
                "code": str(c.code),
                "verify": verify_url(str(c.code)),
            }
        )
    with translation.override(settings.LANGUAGE_CODE), timezone.override(zone.tz):
        html = render_to_string(
            "patrol/pdf/takedown_letter.html",
            {"letter": letter, "rows": rows, "date": local_in(letter.created_at, zone)},
        )
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
