"""People see labels, never stored codes (issue 13 point 9).

    {% load labels %}
    {{ k|label:"registry.SubjectType" }}              -> "Kepala desa" / "Village head"
    {{ template.subject_types|labels:"registry.SubjectType" }} -> "Kepala desa, Anggota BPD"

The enum is named "<app>.<TextChoices class>" and is looked up in netral.<app>.models. A
value the enum does not know is shown as it is (old data must still show something).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache

from django import template
from django.db.models import TextChoices

register = template.Library()


@cache
def _choices(enum: str) -> type[TextChoices]:
    app, _dot, name = enum.partition(".")
    module = importlib.import_module(f"netral.{app}.models")
    found = getattr(module, name)
    if not (isinstance(found, type) and issubclass(found, TextChoices)):
        raise template.TemplateSyntaxError(f"{enum} is not a TextChoices")
    return found


def choice_label(value: object, enum: str) -> str:
    choices = _choices(enum)
    key = str(value.value if isinstance(value, TextChoices) else value)
    try:
        return str(choices(key).label)
    except ValueError:
        return key


@register.filter
def label(value: object, enum: str) -> str:
    if value in (None, ""):
        return ""
    return choice_label(value, enum)


@register.filter
def labels(values: Iterable[object] | None, enum: str) -> str:
    return ", ".join(choice_label(v, enum) for v in values or [])


@register.filter(needs_autoescape=True)
def links(text: str, autoescape: bool = True) -> str:
    """Text with its web addresses as links (issue 13 point 12): escaped, http(s) only,
    rel="nofollow noopener noreferrer" so an evidence link never vouches for or reaches
    back into Netral."""
    from django.utils.html import urlize
    from django.utils.safestring import mark_safe

    html = urlize(str(text or ""), nofollow=True, autoescape=autoescape)
    return mark_safe(html.replace('rel="nofollow"', 'rel="nofollow noopener noreferrer"'))  # noqa: S308


# Actor labels stored by services for a non-person actor, in whichever language was active
# then (cases.workflow.Actor values, "Pelapor"/"Reporter"); shown in the reader's language.
_ACTORS = {
    "SISTEM": "system",
    "System": "system",
    "PELAPOR": "reporter",
    "Pelapor": "reporter",
    "Reporter": "reporter",
    "PENGAWAS": "officer",
}


@register.filter
def actor(stored: str) -> str:
    from django.utils.translation import gettext

    kind = _ACTORS.get(str(stored or ""))
    if kind == "system":
        return gettext("Sistem Netral")
    if kind == "reporter":
        return gettext("Pelapor")
    if kind == "officer":
        return gettext("Pengawas pemilu")
    return str(stored or "")
