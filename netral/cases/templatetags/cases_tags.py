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


@register.filter
def public_status(status: str) -> str:
    """The status in the reporter's words (never "Draf"), cases.outcome."""
    from netral.cases.outcome import public_status_label

    return public_status_label(status)


@register.simple_tag
def public_outcome(case: Any) -> list[str]:
    from netral.cases.outcome import public_outcome as outcome

    return outcome(case)


@register.filter
def case_time(moment: Any, case: Any) -> str:
    """A moment in the handling unit's zone, with the zone's name (issue 12 point 7):
    '14-11-2024 23:59 WITA'. Indonesia has three zones; a time without one is ambiguous."""
    from netral.core.zones import case_zone, format_local

    if not moment:
        return "-"
    return format_local(moment, case_zone(case))


@register.filter
def deadline_step(code: str) -> str:
    """A deadline step's label (people read labels, never stored codes)."""
    from netral.cases.models import DeadlineStep

    try:
        return str(DeadlineStep(code).label)
    except ValueError:
        return code or "-"


@register.filter
def sanction_level(code: str) -> str:
    from netral.cases.models import SanctionLevel

    try:
        return str(SanctionLevel(code).label)
    except ValueError:
        return code or "-"
