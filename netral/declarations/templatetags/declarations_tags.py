"""`{% load declarations_tags %}{% official_pledges official as pledges %}` for the
registry's official profile (the template _official_pledges.html uses it): only signatures
made at events the viewer may see."""

from __future__ import annotations

from typing import Any

from django import template

from netral.accounts import access
from netral.declarations import selectors
from netral.declarations.models import Signature
from netral.registry.models import Official

register = template.Library()


@register.simple_tag(takes_context=True)
def official_pledges(context: Any, official: Official) -> list[Signature]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return selectors.official_pledges(
        official=official, signatures=access.signatures_visible_to(user)
    )


@register.filter
def event_kind(code: str) -> str:
    """'SOSIALISASI' -> 'Sosialisasi' / 'Socialisation' (issue 13 point 9)."""
    from netral.declarations.forms import EVENT_KINDS

    return str(dict(EVENT_KINDS).get(code, code))
