"""An error summary for long forms (issue 13 point 16): every error at once, at the top,
each linked to its field, as the GOV.UK pattern does. Templates render
`components/error_summary.html` with the list; static/js/error-summary.js moves the focus
to it so a screen reader announces it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS


@dataclass(frozen=True)
class ErrorItem:
    anchor: str  # the id of the field to jump to ("" when there is none)
    label: str
    message: str


def error_summary(
    items: Iterable[forms.BaseForm | forms.BaseFormSet[Any]], *, extra: Iterable[ErrorItem] = ()
) -> list[ErrorItem]:
    """Every error of the forms and formsets, in page order, then `extra` errors."""
    out: list[ErrorItem] = []
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            out += [ErrorItem("", "", str(m)) for m in item.non_form_errors()]
            for number, form in enumerate(item.forms, start=1):
                out += _form_errors(form, suffix=f" ({number})")
        else:
            out += _form_errors(item)
    out += list(extra)
    return out


def _form_errors(form: forms.BaseForm, *, suffix: str = "") -> list[ErrorItem]:
    if not form.is_bound:
        return []
    out: list[ErrorItem] = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            out += [ErrorItem("", "", str(m)) for m in messages]
            continue
        bound = form[name]
        anchor = "" if bound.is_hidden else (bound.id_for_label or bound.auto_id or "")
        out += [ErrorItem(anchor, f"{bound.label}{suffix}", str(m)) for m in messages]
    return out
