"""Input forms (parse only; rules live in services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from netral.core.bounds import TEXT_MAX
from netral.declarations.models import DocumentKind, PledgeKind, PledgeTemplate
from netral.declarations.services import SpeakerIn
from netral.elections.models import ElectionEvent
from netral.registry.models import SubjectType
from netral.registry.widgets import RegionField

EVENT_KINDS = [
    ("SOSIALISASI", _("Sosialisasi")),
    ("DEKLARASI", _("Deklarasi")),
    ("APEL", _("Apel")),
    ("RAKOR", _("Rapat koordinasi")),
]


def parse_speakers(text: str) -> list[SpeakerIn]:
    """One speaker per line: "name | institution | topic" (topic optional)."""
    speakers = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise forms.ValidationError(
                _('Baris %(n)d: tulis "nama | instansi | materi".') % {"n": n}
            )
        speakers.append(SpeakerIn(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return speakers


class EventForm(forms.Form):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=300)
    kinds = forms.MultipleChoiceField(
        label=_("Jenis kegiatan"), choices=EVENT_KINDS, widget=forms.CheckboxSelectMultiple
    )
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    region = RegionField(
        label=_("Wilayah"), scope="mine", help_text=_("Ketik namanya, mis. Kutai Timur")
    )
    venue = forms.CharField(label=_("Tempat"), max_length=300, required=False)
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=300)
    election_event = forms.ModelChoiceField(
        label=_("Pemilihan"), required=False, queryset=ElectionEvent.objects.all()
    )
    speakers = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Narasumber (satu per baris: nama | instansi | materi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    materials = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Materi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    basis = forms.CharField(label=_("Dasar (SE/undangan)"), max_length=300, required=False)
    witnesses = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Saksi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pledges = forms.ModelMultipleChoiceField(
        label=_("Naskah yang ditandatangani"),
        required=False,
        queryset=PledgeTemplate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, templates: QuerySet[PledgeTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[PledgeTemplate]", self.fields["pledges"])
        field.queryset = templates

    def clean_speakers(self) -> list[SpeakerIn]:
        return parse_speakers(self.cleaned_data.get("speakers", ""))


class EventPledgesForm(forms.Form):
    pledges = forms.ModelMultipleChoiceField(
        label=_("Naskah yang ditandatangani"),
        required=False,
        queryset=PledgeTemplate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, templates: QuerySet[PledgeTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[PledgeTemplate]", self.fields["pledges"])
        field.queryset = templates


class ParticipantRuleForm(forms.Form):
    region = RegionField(label=_("Wilayah peserta"), scope="mine")
    subject_types = forms.MultipleChoiceField(
        label=_("Jenis subjek"), choices=SubjectType.choices, widget=forms.CheckboxSelectMultiple
    )


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    institution = forms.CharField(label=_("Instansi"), max_length=200)
    topic = forms.CharField(label=_("Materi"), max_length=300, required=False)


class AttendanceForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in SubjectType.choices:
            self.fields[value] = forms.IntegerField(label=label, min_value=0, required=False)

    def counts(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.cleaned_data.items() if v}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Berkas (PDF, JPG, PNG atau WebP)"))
    caption = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    link_unevidenced = forms.BooleanField(
        label=_("Jadikan bukti bagi tanda tangan yang dicatat petugas dan belum berbukti"),
        required=False,
    )


class InstitutionalForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Naskah"), queryset=PledgeTemplate.objects.none())
    name = forms.CharField(label=_("Nama"), max_length=200)
    title = forms.CharField(label=_("Jabatan"), max_length=200)
    institution = forms.CharField(label=_("Instansi"), max_length=200)

    def __init__(self, *args: Any, templates: QuerySet[PledgeTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[PledgeTemplate]", self.fields["template"])
        field.queryset = templates


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=PledgeKind.choices)
    title = forms.CharField(label=_("Judul"), max_length=250)
    preamble = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Pembuka"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    points = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Butir (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    closing = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Penutup"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def points_list(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["points"].splitlines() if p.strip()]


class CopyForm(forms.Form):
    region = RegionField(label=_("Wilayah pemilik salinan"), scope="mine")


class CoverageForm(forms.Form):
    region = RegionField(label=_("Wilayah"), scope="mine")
    election_event = forms.ModelChoiceField(
        label=_("Pemilihan"),
        required=False,
        queryset=ElectionEvent.objects.all(),
        empty_label=_("Semua kegiatan"),
    )


class QrIdentifyForm(forms.Form):
    identifier = forms.CharField(label=_("NIP, NI PPPK, NIK atau NRP Anda"), max_length=40)


class SignForm(forms.Form):
    code = forms.CharField(label=_("Kode sekali pakai"), max_length=12)
    templates = forms.ModelMultipleChoiceField(
        label=_("Naskah yang saya tandatangani"),
        queryset=PledgeTemplate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label=_("Saya telah membaca dan menyetujui naskah di atas."))

    def __init__(self, *args: Any, templates: QuerySet[PledgeTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelMultipleChoiceField[PledgeTemplate]", self.fields["templates"])
        field.queryset = templates
