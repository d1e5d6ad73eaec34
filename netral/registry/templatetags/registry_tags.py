"""Template helpers of the registry."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def include_if_exists(context: Any, template_name: str) -> SafeString:
    """Render `template_name` with the current context, or nothing if no app provides it.

    The official profile leaves sections for other areas (pledges, cases); each area adds its
    own template when it exists, and the profile does not break before it does.
    """
    try:
        found = get_template(template_name)
    except template.TemplateDoesNotExist:
        return mark_safe("")
    return mark_safe(found.render(context.flatten(), context.get("request")))  # noqa: S308


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
