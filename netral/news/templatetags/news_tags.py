from __future__ import annotations

from django import template

from netral.news.labels import label

register = template.Library()


@register.filter
def news_label(code: str) -> str:
    """The translated label of an extraction code (event kind, institution, regime)."""
    return label(code)


@register.filter
def region_label(code: str) -> str:
    from netral.news.extract.gazetteer import load_gazetteer

    entry = load_gazetteer().regions.get(code)
    return f"{entry.name} ({code})" if entry else code
