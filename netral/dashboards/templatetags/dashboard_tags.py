from __future__ import annotations

from django import template

from netral.dashboards.tables import Cell, format_cell

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """A table cell in Indonesian number format (the PDF and the page use the same)."""
    return format_cell(value)


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key, "")
