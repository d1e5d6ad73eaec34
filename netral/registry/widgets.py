"""The region picker: one widget and one form field for every field that takes a region.

The server renders a plain text input holding the region code (it works without JavaScript)
with the region's name and hierarchy beside it; static/js/region-picker.js turns it into an
accessible combobox (ARIA 1.2 pattern) that searches by name through `registry:region_pick`
and keeps the code in a hidden input under the field's name. No inline script or style, so
a strict Content Security Policy needs no exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from netral.registry.models import REGION_CODE_RE, Region, RegionLevel

VILLAGE_LEVELS = (RegionLevel.DESA, RegionLevel.KELURAHAN)


def region_label(code: str) -> str:
    """'Kec. Sangatta Utara, Kab. Kutai Timur, Prov. Kalimantan Timur', or '' if unknown."""
    from netral.registry import selectors

    if not code or not REGION_CODE_RE.match(code):
        return ""
    region = selectors.region_get(code=code)
    if region is None:
        return ""
    return selectors.region_with_ancestry(region=region).label


class RegionPicker(forms.TextInput):
    """Search-as-you-type by name, hierarchy shown; submits the region code.

    `levels` limits the choices (e.g. villages only); `scope="mine"` offers only regions in
    the signed-in user's jurisdiction (a convenience: the service still checks access)."""

    template_name = "registry/widgets/region_picker.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        levels: Iterable[str] = (),
        scope: str = "all",
    ) -> None:
        super().__init__(attrs)
        self.levels = tuple(str(level) for level in levels)
        self.scope = scope

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        code = str(value or "").strip()
        widget["attrs"].update(
            {
                "data-region-picker": "",
                "data-url": reverse("registry:region_pick"),
                "data-scope": self.scope,
                "autocomplete": "off",
                "inputmode": "search",
                "data-msg-none": _("Tidak ada wilayah yang cocok."),
                "data-msg-count": _("%s wilayah ditemukan; pilih dengan panah dan Enter."),
            }
        )
        if self.levels:
            widget["attrs"]["data-levels"] = ",".join(self.levels)
        label = region_label(code)
        widget["region_label"] = label
        widget["attrs"]["data-label"] = label
        widget["attrs"].setdefault("placeholder", _("Ketik nama wilayah, mis. Sangatta"))
        return context


class RegionField(forms.CharField):
    """A region code picked with RegionPicker; cleans to the code (a str) of an existing region."""

    default_error_messages = {
        "invalid": _("Pilih wilayah dari daftar (ketik namanya, mis. Sangatta)."),
        "unknown": _("Wilayah tidak dikenal: %(code)s"),
        "level": _("Pilih wilayah tingkat %(levels)s."),
    }

    def __init__(self, *, levels: Iterable[str] = (), scope: str = "all", **kwargs: Any) -> None:
        self.levels = tuple(str(level) for level in levels)
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("widget", RegionPicker(levels=self.levels, scope=scope))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code: str = super().clean(value).strip()
        if not code:
            return code
        if not REGION_CODE_RE.match(code):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        region = Region.objects.filter(code=code).only("level").first()
        if region is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        if self.levels and region.level not in self.levels:
            names = ", ".join(str(RegionLevel(level).label).lower() for level in self.levels)
            raise forms.ValidationError(
                self.error_messages["level"], code="level", params={"levels": names}
            )
        return code
