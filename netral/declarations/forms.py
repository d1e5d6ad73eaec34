"""Input forms (parse only; rules live in services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    StrOrPromise = str | _StrPromise

from netral.core.bounds import TEXT_MAX
from netral.declarations.models import DocumentKind, EventDocument, PledgeKind, PledgeTemplate
from netral.declarations.services import EventFacts, SpeakerIn
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import SubjectType
from netral.registry.widgets import RegionField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _datetime_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


EVENT_KINDS = [
    ("SOSIALISASI", _("Sosialisasi")),
    ("DEKLARASI", _("Deklarasi")),
    ("APEL", _("Apel")),
    ("RAKOR", _("Rapat koordinasi")),
]


class EventForm(forms.Form):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=300)
    kinds = forms.MultipleChoiceField(
        label=_("Jenis kegiatan"), choices=EVENT_KINDS, widget=forms.CheckboxSelectMultiple
    )
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Jam mulai (waktu setempat)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    region = RegionField(
        label=_("Wilayah"), scope="mine", help_text=_("Ketik namanya, mis. Kutai Timur")
    )
    venue = forms.CharField(label=_("Tempat"), max_length=300, required=False)
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=300)
    theme = forms.CharField(label=_("Tema"), max_length=300, required=False)
    opened_by = forms.CharField(
        label=_("Dibuka oleh"),
        max_length=300,
        required=False,
        help_text=_("Mis. Penjabat Bupati Kutai Timur"),
    )
    attendance_total = forms.IntegerField(label=_("Jumlah hadir"), min_value=0, required=False)
    villages_represented = forms.IntegerField(
        label=_("Desa/kelurahan terwakili"), min_value=0, required=False
    )
    election_event = forms.ModelChoiceField(
        label=_("Pemilihan"), required=False, queryset=ElectionEvent.objects.all()
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


def facts_of(data: dict[str, Any]) -> EventFacts:
    return EventFacts(
        theme=data.get("theme") or "",
        opened_by=data.get("opened_by") or "",
        attendance_total=data.get("attendance_total"),
        villages_represented=data.get("villages_represented"),
        start_time=data.get("start_time"),
    )


class EventFactsForm(forms.Form):
    """Issue 13 §6: what happened at the event, editable after it."""

    start_time = EventForm.base_fields["start_time"]
    venue = EventForm.base_fields["venue"]
    theme = EventForm.base_fields["theme"]
    opened_by = EventForm.base_fields["opened_by"]
    attendance_total = EventForm.base_fields["attendance_total"]
    villages_represented = EventForm.base_fields["villages_represented"]
    materials = EventForm.base_fields["materials"]
    basis = EventForm.base_fields["basis"]
    witnesses = EventForm.base_fields["witnesses"]


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
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    institution = forms.CharField(label=_("Instansi"), max_length=200)
    topic = forms.CharField(label=_("Materi"), max_length=300, required=False)

    def speaker(self) -> SpeakerIn:
        d = self.cleaned_data
        return SpeakerIn(d["name"], d["institution"], d["topic"], d["position"])


class SpeakerRowForm(SpeakerForm):
    """One speaker row of the event form; a row left empty is ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


SpeakerFormSet = forms.formset_factory(SpeakerRowForm, extra=3, max_num=30, validate_max=True)


def speakers_of(formset: Any) -> list[SpeakerIn]:
    return [f.speaker() for f in formset.forms if f.has_changed() and f.cleaned_data]


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
    signed_at = _datetime_field(
        _("Waktu tanda tangan"), _("Kosong: tanggal dan jam mulai kegiatan (waktu setempat).")
    )

    def __init__(self, *args: Any, templates: QuerySet[PledgeTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[PledgeTemplate]", self.fields["template"])
        field.queryset = templates


class BatchSignForm(forms.Form):
    """Issue 13 §3: record the paper signatures of the selected participants (or of all
    those the filter shows) in one go, with one scanned sheet for the batch."""

    templates = forms.ModelMultipleChoiceField(
        label=_("Naskah yang ditandatangani"),
        queryset=PledgeTemplate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    signed_at = _datetime_field(
        _("Waktu tanda tangan"), _("Kosong: tanggal dan jam mulai kegiatan (waktu setempat).")
    )
    evidence = forms.ModelChoiceField(
        label=_("Lembar tanda tangan yang sudah diunggah"),
        required=False,
        queryset=EventDocument.objects.none(),
    )
    sheet = forms.FileField(
        label=_("Atau unggah lembar yang dipindai (PDF, JPG, PNG atau WebP)"), required=False
    )
    sheet_caption = forms.CharField(
        label=_("Keterangan lembar"),
        max_length=300,
        required=False,
        help_text=_("Mis. Lembar tanda tangan Desa Sangatta Utara"),
    )

    def __init__(
        self,
        *args: Any,
        templates: QuerySet[PledgeTemplate],
        sheets: QuerySet[EventDocument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelMultipleChoiceField[PledgeTemplate]", self.fields["templates"]
        ).queryset = templates
        cast("forms.ModelChoiceField[EventDocument]", self.fields["evidence"]).queryset = sheets


class SpokenPledgeForm(forms.Form):
    """Issue 13 §4: an ikrar lisan read out by everyone present, with its evidence."""

    template = forms.ModelChoiceField(label=_("Naskah"), queryset=PledgeTemplate.objects.none())
    spoken_at = _datetime_field(
        _("Waktu pengucapan"), _("Kosong: tanggal dan jam mulai kegiatan (waktu setempat).")
    )
    led_by = forms.CharField(
        label=_("Dipimpin oleh"),
        max_length=300,
        required=False,
        help_text=_("Mis. Ketua APDESI Kabupaten Kutai Timur"),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Bukti yang sudah diunggah (foto, video, notulen)"),
        required=False,
        queryset=EventDocument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(
        label=_("Atau unggah bukti (foto, video MP4/WebM, notulen PDF)"), required=False
    )
    file_kind = forms.ChoiceField(
        label=_("Jenis bukti yang diunggah"),
        required=False,
        choices=[
            (DocumentKind.PHOTO, DocumentKind.PHOTO.label),
            (DocumentKind.VIDEO, DocumentKind.VIDEO.label),
            (DocumentKind.MINUTES, DocumentKind.MINUTES.label),
        ],
    )

    def __init__(
        self,
        *args: Any,
        templates: QuerySet[PledgeTemplate],
        documents: QuerySet[EventDocument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[PledgeTemplate]", self.fields["template"]).queryset = templates
        cast(
            "forms.ModelMultipleChoiceField[EventDocument]", self.fields["evidence"]
        ).queryset = documents

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("evidence") and not data.get("file"):
            raise forms.ValidationError(
                _("Bukti: pilih atau unggah sedikitnya satu foto, video atau notulen.")
            )
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=PledgeKind.choices)
    title = forms.CharField(label=_("Judul"), max_length=250)
    election_event = forms.ModelChoiceField(
        label=_("Pemilihan"),
        required=False,
        queryset=ElectionEvent.objects.all(),
        empty_label=_("Semua pemilihan"),
    )
    regime = forms.ChoiceField(
        label=_("Rezim"),
        required=False,
        choices=[("", _("Pemilu dan Pilkada")), *Regime.choices],
    )
    subject_types = forms.MultipleChoiceField(
        label=_("Untuk (jenis subjek)"),
        required=False,
        choices=SubjectType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosong: untuk semua."),
    )
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


class TemplateCreateForm(TemplateForm):
    region = RegionField(label=_("Wilayah pemilik"), scope="mine")


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
