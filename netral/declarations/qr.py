"""QR codes for verification and signing links (pure: segno, no database)."""

from __future__ import annotations

import io

import segno


def qr_matrix(data: str) -> list[list[bool]]:
    """Dark modules, row by row, without the quiet zone."""
    code = segno.make(data, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def qr_svg(data: str, *, scale: int = 4) -> str:
    code = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")
