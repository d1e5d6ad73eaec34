"""`{% load declarations_tags %}{% official_pledges official as pledges %}` for the
registry's official profile (the template _official_pledges.html uses it)."""

from __future__ import annotations

from django import template

from netral.declarations import selectors
from netral.declarations.models import Signature
from netral.registry.models import Official

register = template.Library()


@register.simple_tag
def official_pledges(official: Official) -> list[Signature]:
    return selectors.official_pledges(official=official)


@register.filter
def event_kind(code: str) -> str:
    """'SOSIALISASI' -> 'Sosialisasi' / 'Socialisation' (issue 13 point 9)."""
    from netral.declarations.forms import EVENT_KINDS

    return str(dict(EVENT_KINDS).get(code, code))
