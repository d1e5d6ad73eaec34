"""QR codes for verification and signing links (pure: segno, no database)."""

from __future__ import annotations

import io

import segno

# The mask of the QR codes stamped on certificates. ISO/IEC 18004 §7.8 has the encoder pick
# the one of eight masks with the lowest penalty score; every mask is valid and named in the
# symbol's format information, so any reader decodes it. Segno's pure-Python evaluation of
# the eight took 85 % of a 139-certificate batch (issue 15 performance; docs/benchmarks.md),
# so certificates use one fixed mask. Pages (qr_svg) keep the evaluated best mask.
CERTIFICATE_MASK = 2  # the one segno picks most often for verification URLs


def qr_matrix(data: str, *, mask: int | None = None) -> list[list[bool]]:
    """Dark modules, row by row, without the quiet zone (`mask`: a fixed mask pattern, 0-7;
    None evaluates the eight and keeps the best)."""
    code = segno.make(data, error="m", micro=False, mask=mask)
    return [[bool(cell) for cell in row] for row in code.matrix]


def qr_svg(data: str, *, scale: int = 4) -> str:
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")
