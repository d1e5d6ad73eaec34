"""Input forms of news monitoring (parse only; rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netral.declarations.forms import EVENT_KINDS, parse_speakers
from netral.declarations.services import SpeakerIn
from netral.elections.models import Regime
from netral.registry.models import RegionLevel
from netral.registry.widgets import RegionField


class UrlForm(forms.Form):
    url = forms.URLField(label=_("Alamat artikel"), max_length=1000, assume_scheme="https")


class TextForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=500, required=False)
    published = forms.DateField(
        label=_("Tanggal terbit"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    url = forms.URLField(label=_("Alamat sumber (bila ada)"), required=False, assume_scheme="https")
    text = forms.CharField(
        label=_("Teks artikel"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tanpa judul terpisah, baris pertama dianggap judul."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas HTML artikel"))


class EventProposalForm(forms.Form):
    """The event form, pre-filled from the article; the officer edits before accepting."""

    title = forms.CharField(label=_("Nama kegiatan"), max_length=300)
    kinds = forms.MultipleChoiceField(
        label=_("Jenis kegiatan"), choices=EVENT_KINDS, widget=forms.CheckboxSelectMultiple
    )
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    region = RegionField(label=_("Wilayah"), scope="mine")
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=300)
    venue = forms.CharField(label=_("Tempat"), max_length=300, required=False)
    speakers = forms.CharField(
        label=_("Narasumber (satu per baris: nama | instansi | materi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    materials = forms.CharField(
        label=_("Materi, jumlah dan naskah yang dikutip"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    witnesses = forms.CharField(
        label=_("Saksi dan penanda tangan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_speakers(self) -> list[SpeakerIn]:
        return parse_speakers(self.cleaned_data.get("speakers", ""))


class LeadProposalForm(forms.Form):
    title = forms.CharField(label=_("Peristiwa"), max_length=300)
    description = forms.CharField(
        label=_("Uraian kejadian"), widget=forms.Textarea(attrs={"rows": 5})
    )
    region = RegionField(
        label=_("Wilayah kejadian"),
        scope="mine",
        levels=[
            RegionLevel.KABKOTA,
            RegionLevel.KECAMATAN,
            RegionLevel.DESA,
            RegionLevel.KELURAHAN,
        ],
    )
    regime = forms.ChoiceField(label=_("Rezim pemilihan"), choices=Regime.choices)
    event_date = forms.DateField(
        label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"})
    )
    persons = forms.CharField(
        label=_("Pihak yang diduga (satu per baris: nama | jabatan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_persons(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data.get("persons", "").splitlines():
            if not line.strip():
                continue
            name, _sep, position = line.partition("|")
            rows.append({"name": name.strip(), "position": position.strip()})
        return rows


class DismissForm(forms.Form):
    note = forms.CharField(label=_("Alasan"), max_length=500, required=False)
