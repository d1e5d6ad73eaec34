"""The shapes every dashboard output shares: the HTML page, the report PDF and the XLSX.

A selector builds a `Dashboard` once; the page, the PDF and the workbook only format it, so
their numbers cannot drift apart (tests/dashboards/test_views.py checks this). Rates are
rounded here, once, to one decimal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict

from django.utils.formats import number_format

Cell = str | int | float | None


def rate(numerator: int, denominator: int, per: int = 100) -> float | None:
    """`numerator / denominator * per`, one decimal; None (not 0) when nothing to divide by."""
    if denominator <= 0:
        return None
    return round(numerator * per / denominator, 1)


def format_cell(value: Cell) -> str:
    """Numbers in the active language's format (issue 13 point 10): Indonesian 1.234 and
    12,5, English 1,234 and 12.5; an empty rate shows as an en dash."""
    if value is None:
        return "\N{EN DASH}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        return number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True)
    return value


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar", "hbar", "line" or "doughnut"
    label_column: int
    value_columns: tuple[int, ...]


class ChartDataset(TypedDict):
    label: str
    data: list[float | None]


class ChartData(TypedDict):
    kind: str
    labels: list[str]
    datasets: list[ChartDataset]


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: Chart | None = None
    note: str = ""

    def chart_data(self) -> ChartData | None:
        """What the page's Chart.js reads (json_script): the table's own numbers, nothing else."""
        if self.chart is None or not self.rows:
            return None
        return {
            "kind": self.chart.kind,
            "labels": [str(row[self.chart.label_column]) for row in self.rows],
            "datasets": [
                {
                    "label": self.columns[col],
                    "data": [_num(row[col]) for row in self.rows],
                }
                for col in self.chart.value_columns
            ],
        }

    def formatted_rows(self) -> list[list[str]]:
        return [[format_cell(c) for c in row] for row in self.rows]


def _num(value: Cell) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


@dataclass(frozen=True)
class Figure:
    """A headline number ("Pejabat terdaftar: 1.234")."""

    key: str
    label: str
    value: Cell
    suffix: str = ""
    basis: tuple[int, int] | None = None  # (numerator, denominator) of a rate


@dataclass
class UnitRow:
    """One child unit of the scope, for the map and the drill-down table."""

    code: str
    name: str
    officials: int = 0
    pledged: int = 0
    cases: int = 0

    @property
    def cases_per_1000(self) -> float | None:
        return rate(self.cases, self.officials, per=1000)

    @property
    def pledge_coverage(self) -> float | None:
        return rate(self.pledged, self.officials)


@dataclass
class Dashboard:
    scope_code: str | None  # None: the user's whole jurisdiction
    scope_name: str
    child_level: str  # RegionLevel of the units, "" when mixed
    event_id: int | None
    event_name: str
    date_from: dt.date | None
    date_to: dt.date | None
    generated_at: dt.datetime
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    breadcrumbs: list[tuple[str | None, str]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # metrics not available yet, said plainly
    tallied: bool = False  # read from the tallies (netral/dashboards/tallies.py), not the rows
    # The region whose zone the report's times are printed in (issue 12 point 7): the scope,
    # or for the user's whole jurisdiction the viewer's unit; None: Bawaslu RI (WIB).
    zone_code: str | None = None

    @property
    def generated_label(self) -> str:
        """'2024-11-14 21:05 WITA': when the figures were computed, with the zone's name."""
        from netral.core.zones import format_local, zone_for_code

        return format_local(self.generated_at, zone_for_code(self.zone_code), "%Y-%m-%d %H:%M")

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)
