"""Server-side SVG charts for the report PDF (WeasyPrint runs no JavaScript).

They draw exactly the numbers of the table they belong to (`Table.chart_data()`), the same
data the page's Chart.js reads. Pure functions.
"""

from __future__ import annotations

from django.utils.html import escape

from .tables import ChartData, format_cell

SERIES_COLORS = ["#1d4ed8", "#b45309", "#15803d", "#9d174d"]


def chart_svg(data: ChartData, *, width: int = 640) -> str:
    """A horizontal bar chart (one bar group per label); lines for time series."""
    if data["kind"] == "line":
        return _line_svg(data, width=width)
    return _hbar_svg(data, width=width)


def _hbar_svg(data: ChartData, *, width: int) -> str:
    labels = data["labels"]
    series = data["datasets"]
    bar_h = 14
    group_h = bar_h * len(series) + 8
    label_w = 190
    value_w = 60
    plot_w = width - label_w - value_w
    top = max((v or 0.0) for s in series for v in s["data"]) if labels else 0.0
    height = group_h * len(labels) + 24 * len(series) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img">'
    ]
    for i, label in enumerate(labels):
        y = i * group_h + 4
        out.append(
            f'<text x="{label_w - 6}" y="{y + group_h / 2}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_short(label))}</text>'
        )
        for j, s in enumerate(series):
            value = s["data"][i]
            w = 0.0 if not top or value is None else plot_w * value / top
            by = y + j * bar_h
            color = SERIES_COLORS[j % len(SERIES_COLORS)]
            out.append(
                f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{color}"/>'
            )
            text = format_cell(value if value is None or value % 1 else int(value))
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{by + bar_h / 2}" '
                f'dominant-baseline="middle">{escape(text)}</text>'
            )
    y = len(labels) * group_h + 10
    for j, s in enumerate(series):
        color = SERIES_COLORS[j % len(SERIES_COLORS)]
        out.append(f'<rect x="{label_w}" y="{y + j * 24}" width="12" height="12" fill="{color}"/>')
        out.append(
            f'<text x="{label_w + 18}" y="{y + j * 24 + 6}" dominant-baseline="middle">'
            f"{escape(s['label'])}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _line_svg(data: ChartData, *, width: int) -> str:
    labels = data["labels"]
    series = data["datasets"]
    height = 220
    left, right, top_pad, bottom = 40, 10, 10, 40
    plot_w = width - left - right
    plot_h = height - top_pad - bottom
    top = max([(v or 0.0) for s in series for v in s["data"]] + [1.0])
    step = plot_w / max(1, len(labels) - 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10" role="img">',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
        f'y2="{top_pad + plot_h}" stroke="#999"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end">{format_cell(top)}</text>',
    ]
    for j, s in enumerate(series):
        color = SERIES_COLORS[j % len(SERIES_COLORS)]
        points = " ".join(
            f"{left + i * step:.1f},{top_pad + plot_h - plot_h * (v or 0.0) / top:.1f}"
            for i, v in enumerate(s["data"])
        )
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        out.append(
            f'<text x="{left}" y="{height - 4 - j * 12}" fill="{color}">{escape(s["label"])}</text>'
        )
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0:
            out.append(
                f'<text x="{left + i * step:.1f}" y="{top_pad + plot_h + 12}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
