from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from netral.core.bounds import ID_MAX, PAGE_MAX
from netral.registry.models import SubjectType
from netral.registry.selectors import OfficialFilters
from netral.registry.widgets import RegionField


class OfficialSearchForm(forms.Form):
    q = forms.CharField(label=_("Nama, NIP, NIK atau NRP"), required=False, max_length=100)
    jenis = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *SubjectType.choices]
    )
    wilayah = RegionField(
        label=_("Wilayah"),
        required=False,
        scope="mine",
        help_text=_("termasuk semua wilayah di bawahnya"),
    )
    instansi = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=PAGE_MAX, widget=forms.HiddenInput
    )

    def _data(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}

    def filters(self) -> OfficialFilters:
        data = self._data()
        return OfficialFilters(
            q=data.get("q") or "",
            subject_type=data.get("jenis") or "",
            region=data.get("wilayah") or "",
            agency_id=data.get("instansi"),
        )

    def page_number(self) -> int:
        return int(self._data().get("page") or 1)

    def querystring(self) -> str:
        data = self._data()
        return urlencode({k: data[k] for k in ("q", "jenis", "wilayah", "instansi") if data.get(k)})


class OfficialImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))
    dry_run = forms.BooleanField(label=_("Hanya validasi (tidak menyimpan)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.NETRAL_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maks. %(mb)d MB).") % {"mb": settings.NETRAL_MAX_UPLOAD_MB}
            )
        return upload
