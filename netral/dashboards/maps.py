"""Offline choropleth maps: server-side SVG from the packaged GeoJSON boundaries.

No tile server and no JavaScript: the boundaries of data/kabkota.geojson.gz and
data/provinsi.geojson.gz (cahyadsn/wilayah_boundaries, MIT; see data/SOURCE.md) are
drawn as SVG paths, so the same map shows in the browser, in the evaluation report PDF
(WeasyPrint) and on the public transparency page.

Projection: plain equirectangular (x = longitude, y = -latitude). Indonesia spans about
6°N to 11°S, where the distortion of this projection stays under 2 %, and it lets each
unit's path string be computed once (per simplification level) and reused by every view:
the viewBox does the fitting. Pure functions, no database.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .tables import Dashboard, UnitRow, format_cell

DATA_DIR = Path(__file__).resolve().parent / "data"
BOUNDARY_FILES: dict[str, Path] = {
    "provinsi": DATA_DIR / "provinsi.geojson.gz",
    "kabkota": DATA_DIR / "kabkota.geojson.gz",
}
ATTRIBUTION = gettext_lazy("Batas wilayah: cahyadsn/wilayah_boundaries (MIT), disederhanakan")

# ColorBrewer YlOrRd, 5 classes (colour-blind safe, prints in grey scale in order).
PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
NO_DATA = "#d9d9d9"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: exterior ring, then holes
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass(frozen=True)
class MapUnit:
    """One unit to colour: `value` None means "no data" (e.g. no officials to divide by)."""

    code: str
    name: str
    value: float | None
    label: str  # the value as shown to people ("12,5")
    href: str | None = None


@dataclass(frozen=True)
class LegendClass:
    color: str
    label: str


@dataclass(frozen=True)
class ChoroplethMap:
    svg: str  # complete <svg> element, safe to mark_safe (everything inserted is escaped)
    legend: list[LegendClass]
    without_geometry: list[MapUnit]  # listed in the table, never silently dropped


def shapes_from_geojson(data: dict[str, Any]) -> dict[str, Shape]:
    shapes: dict[str, Shape] = {}
    for feature in data["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        coords = geometry["coordinates"]
        raw = [coords] if geometry["type"] == "Polygon" else coords
        polygons = tuple(
            tuple([(float(x), float(y)) for x, y in ring] for ring in polygon) for polygon in raw
        )
        xs = [x for poly in polygons for x, _y in poly[0]]
        ys = [y for poly in polygons for _x, y in poly[0]]
        shapes[props["kode"]] = Shape(
            code=props["kode"],
            name=props["nama"],
            polygons=polygons,
            bbox=(min(xs), min(ys), max(xs), max(ys)),
        )
    return shapes


@functools.cache
def shapes_for(level: str) -> dict[str, Shape]:
    """The packaged boundaries of `level` ("provinsi" or "kabkota"), parsed once per process."""
    with gzip.open(BOUNDARY_FILES[level], "rt", encoding="utf-8") as fh:
        return shapes_from_geojson(json.load(fh))


def _simplify(ring: Ring, tolerance: float) -> Ring:
    """Radial-distance simplification: drop points closer than `tolerance` to the last kept one.

    Cheap and stable; the source is already simplified upstream, this only thins it for
    small-scale (national) maps. A ring never drops below 4 points.
    """
    if tolerance <= 0 or len(ring) <= 8:
        return ring
    kept = [ring[0]]
    tol2 = tolerance * tolerance
    for point in ring[1:-1]:
        last = kept[-1]
        if (point[0] - last[0]) ** 2 + (point[1] - last[1]) ** 2 >= tol2:
            kept.append(point)
    kept.append(ring[-1])
    return kept if len(kept) >= 4 else ring


_PATH_CACHE: dict[tuple[str, str, float], str] = {}


def shape_path(shape: Shape, tolerance: float, level: str = "") -> str:
    """SVG path data for `shape` in lon/-lat units, cached per (unit, tolerance)."""
    key = (level, shape.code, tolerance)
    cached = _PATH_CACHE.get(key)
    if cached is not None:
        return cached
    parts: list[str] = []
    largest = max(shape.polygons, key=lambda poly: _extent(poly[0]))
    for polygon in shape.polygons:
        for ring in polygon:
            # Islets and holes smaller than about two pixels are invisible at this scale;
            # the unit's largest part is always kept.
            if polygon is not largest and _extent(ring) < 2 * tolerance:
                continue
            points = _simplify(ring, tolerance)
            if len(points) < 4:
                continue
            head = f"M{points[0][0]:.3f} {-points[0][1]:.3f}"
            body = "L" + " ".join(f"{x:.3f} {-y:.3f}" for x, y in points[1:-1])
            parts.append(head + body + "Z")
    path = "".join(parts)
    _PATH_CACHE[key] = path
    return path


def _extent(ring: Ring) -> float:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _tolerance_for(bbox: tuple[float, float, float, float]) -> float:
    """About a pixel of an 800-pixel-wide map, snapped to a few levels (a small cache)."""
    span = max(bbox[2] - bbox[0], bbox[3] - bbox[1])
    for level in (0.001, 0.004, 0.015, 0.04, 0.08):
        if span / 800 <= level:
            return level
    return 0.08


def class_breaks(values: Iterable[float], classes: int = len(PALETTE)) -> list[float]:
    """Upper bounds of equal-width classes over (0, max]; zero gets the first class.

    Equal widths keep the legend readable across periods ("0", "0,1-2,5", ...); the
    data table next to the map carries the exact values.
    """
    top = max(values, default=0.0)
    if top <= 0:
        return [0.0]
    step = _nice(top / (classes - 1))
    return [0.0] + [round(step * i, 6) for i in range(1, classes)]


def _nice(x: float) -> float:
    exponent = math.floor(math.log10(x))
    fraction = x / 10**exponent
    for nice in (1, 2, 2.5, 5, 10):
        if fraction <= nice:
            return float(nice * 10.0**exponent)
    return float(10.0 ** (exponent + 1))  # pragma: no cover - fraction is always <= 10


def color_for(value: float | None, breaks: Sequence[float]) -> str:
    if value is None:
        return NO_DATA
    for index, upper in enumerate(breaks):
        if value <= upper:
            return PALETTE[index]
    return PALETTE[min(len(breaks), len(PALETTE) - 1)]


def _fmt(x: float) -> str:
    text = f"{x:,.1f}" if x % 1 else f"{x:,.0f}"
    return text.replace(",", "\u2009").replace(".", ",")


def legend_for(breaks: Sequence[float]) -> list[LegendClass]:
    legend = [LegendClass(PALETTE[0], "0")]
    for index in range(1, len(breaks)):
        low, high = breaks[index - 1], breaks[index]
        legend.append(LegendClass(PALETTE[index], f"> {_fmt(low)} \N{EN DASH} {_fmt(high)}"))
    legend.append(LegendClass(NO_DATA, _("tidak ada data")))
    return legend


def choropleth(
    *, units: Sequence[MapUnit], level: str, title: str, shapes: dict[str, Shape] | None = None
) -> ChoroplethMap:
    """Colour `units` on the boundaries of `level`; units with no boundary are returned apart."""
    shapes = shapes if shapes is not None else shapes_for(level)
    drawn = [(u, shapes[u.code]) for u in units if u.code in shapes]
    missing = [u for u in units if u.code not in shapes]
    breaks = class_breaks(u.value for u in units if u.value is not None)
    legend = legend_for(breaks)
    if not drawn:
        return ChoroplethMap(svg="", legend=legend, without_geometry=missing)
    min_x = min(s.bbox[0] for _u, s in drawn)
    min_y = min(s.bbox[1] for _u, s in drawn)
    max_x = max(s.bbox[2] for _u, s in drawn)
    max_y = max(s.bbox[3] for _u, s in drawn)
    bbox = (min_x, min_y, max_x, max_y)
    tolerance = _tolerance_for(bbox)
    pad = max(max_x - min_x, max_y - min_y) * 0.02
    width = max_x - min_x + 2 * pad
    height = max_y - min_y + 2 * pad
    view_box = f"{min_x - pad:.3f} {-max_y - pad:.3f} {width:.3f} {height:.3f}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" class="choropleth" '
        # "group", not "img": the units are links (drill-down), and an img may not contain any.
        f'role="group" aria-labelledby="map-title" preserveAspectRatio="xMidYMid meet" '
        f'width="800" height="{max(1, round(800 * height / width))}">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<g stroke="#555" stroke-width="{width / 900:.4f}" stroke-linejoin="round" '
        'fill-rule="evenodd">',
    ]
    for unit, shape in drawn:
        path = shape_path(shape, tolerance, level)
        fill = color_for(unit.value, breaks)
        tip = f"{unit.name}: {unit.label}"
        element = (
            f'<path d="{path}" fill="{fill}" '
            f'data-code="{escape(unit.code)}"><title>{escape(tip)}</title></path>'
        )
        if unit.href:
            element = f'<a href="{escape(unit.href)}" aria-label="{escape(tip)}">{element}</a>'
        out.append(element)
    out.append("</g></svg>")
    return ChoroplethMap(svg="".join(out), legend=legend, without_geometry=missing)


# --- from a dashboard to a map -----------------------------------------------------------


def _cases_per_1000(unit: UnitRow) -> float | None:
    return unit.cases_per_1000


def _pledge_coverage(unit: UnitRow) -> float | None:
    return unit.pledge_coverage


def _officials(unit: UnitRow) -> float | None:
    return float(unit.officials)


METRIC_VALUE: dict[str, Callable[[UnitRow], float | None]] = {
    "cases_per_1000": _cases_per_1000,
    "pledge_coverage": _pledge_coverage,
    "officials": _officials,
}


def dashboard_map(
    dashboard: Dashboard,
    *,
    metric: str,
    title: str,
    href: Callable[[str], str] | None = None,
    units: Sequence[UnitRow] | None = None,
) -> ChoroplethMap:
    """Colour the dashboard's child units by `metric`.

    Provinces and kabupaten/kota have packaged boundaries. Below that (kecamatan, desa)
    there are none: the map then shows the scope's own outline with its total, and the
    units stay in the table (`without_geometry`).
    """
    units = dashboard.units if units is None else units
    child_level, scope_code = dashboard.child_level, dashboard.scope_code
    value_of = METRIC_VALUE[metric]
    if child_level in ("PROVINSI", "KABKOTA"):
        level = "provinsi" if child_level == "PROVINSI" else "kabkota"
        map_units = [
            MapUnit(
                u.code,
                u.name,
                value_of(u),
                format_cell(value_of(u)),
                href(u.code) if href else None,
            )
            for u in units
            if len(u.code) == (2 if level == "provinsi" else 5)
        ]
        return choropleth(units=map_units, level=level, title=title)
    whole = UnitRow(
        code=scope_code or "",
        name=dashboard.scope_name,
        officials=sum(u.officials for u in units),
        pledged=sum(u.pledged for u in units),
        cases=sum(u.cases for u in units),
    )
    level = "kabkota" if scope_code and len(scope_code) == 5 else "provinsi"
    outline = choropleth(
        units=[MapUnit(whole.code, whole.name, value_of(whole), format_cell(value_of(whole)))],
        level=level,
        title=title,
    )
    missing = [MapUnit(u.code, u.name, value_of(u), format_cell(value_of(u))) for u in units]
    return ChoroplethMap(svg=outline.svg, legend=outline.legend, without_geometry=missing)
