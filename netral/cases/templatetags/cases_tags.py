"""Template tags for showing case data on other apps' pages (the official's profile)."""

from __future__ import annotations

from typing import Any

from django import template

from netral.cases import selectors
from netral.registry.models import Official

register = template.Library()


@register.simple_tag(takes_context=True)
def official_cases(context: Any, official: Official) -> dict[str, Any]:
    """The official's cases (as terlapor) the viewer may see, their sanctions and pledges."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"appearances": [], "sanctions": [], "pledges": []}
    return {
        "appearances": selectors.official_cases(user=user, official=official),
        "sanctions": selectors.sanctions_for_official(user=user, official=official),
        "pledges": selectors.pledges_for_official(user=user, official=official),
    }
