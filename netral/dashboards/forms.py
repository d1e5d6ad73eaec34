"""Dashboard filters: region (drill-down), election event and period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netral.core.bounds import date_validators
from netral.elections.models import ElectionEvent
from netral.registry.widgets import RegionField

from .selectors import DashboardFilters

MAP_METRICS = [
    ("cases_per_1000", _("Perkara per 1.000 pejabat")),
    ("pledge_coverage", _("Cakupan ikrar (%)")),
    ("officials", _("Jumlah pejabat")),
]


class DashboardFilterForm(forms.Form):
    region = RegionField(label=_("Wilayah"), required=False, scope="mine")
    event = forms.ModelChoiceField(
        label=_("Pemilihan"),
        queryset=ElectionEvent.objects.order_by("-voting_day"),
        required=False,
        empty_label=_("Semua pemilihan"),
    )
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=date_validators(),
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=date_validators(),
    )
    metric = forms.ChoiceField(label=_("Peta menurut"), choices=MAP_METRICS, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("Tanggal akhir harus sama dengan atau setelah tanggal awal."),
            )
        return data

    def filters(self) -> DashboardFilters:
        data = self.cleaned_data
        return DashboardFilters(
            region_code=data.get("region") or None,
            event=data.get("event"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def map_metric(self) -> str:
        return str(self.cleaned_data.get("metric") or MAP_METRICS[0][0])
