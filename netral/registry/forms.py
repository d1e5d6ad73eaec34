from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from netral.core.bounds import ID_MAX, PAGE_MAX
from netral.registry.models import PositionCategory, SubjectType
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


class OfficialForm(forms.Form):
    """One official (issue 13 §14): the import's columns, checked by the import's rules in
    services/official_edit.py. Field names are the import's column names."""

    jenis = forms.ChoiceField(label=_("Jenis subjek"), choices=SubjectType.choices)
    nama = forms.CharField(label=_("Nama"), max_length=200)
    nip = forms.CharField(
        label=_("NIP (atau NI PPPK)"), max_length=18, required=False, help_text=_("18 digit")
    )
    nik = forms.CharField(label=_("NIK"), max_length=16, required=False, help_text=_("16 digit"))
    nrp = forms.CharField(label=_("NRP"), max_length=30, required=False)
    jabatan = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    kategori_jabatan = forms.ChoiceField(
        label=_("Kategori jabatan"),
        required=False,
        choices=[("", _("Tanpa kategori")), *PositionCategory.choices],
    )
    instansi = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    kode_wilayah = RegionField(label=_("Wilayah tugas"), scope="mine")
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    telepon = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    media_sosial = forms.CharField(
        label=_("Media sosial"),
        required=False,
        max_length=2000,
        help_text=_("platform:akun, dipisah titik koma (;), mis. facebook:budi.santoso"),
    )
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)
