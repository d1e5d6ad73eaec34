"""Forms: parsing only. Rules live in services."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from netral.cases.models import (
    CaseLinkType,
    ClarificationMode,
    ClarificationParty,
    FollowUp,
    FormalRequirement,
    Gender,
    InitialAssessment,
    MaterialRequirement,
    Platform,
    Recipient,
    ReporterKind,
    SanctionLevel,
    SanctionType,
    SkbCode,
    TargetStatus,
    ViolationType,
)
from netral.cases.sanction_rules import PPPK_UNCONFIRMED
from netral.cases.services.intake import OnlineEvidenceData
from netral.core.bounds import LINE_MAX, MAX_FORMS, TEXT_LONG, TEXT_MAX
from netral.elections.models import Regime
from netral.registry.models import RegionLevel
from netral.registry.widgets import VILLAGE_LEVELS, RegionField

DATE = forms.DateInput(attrs={"type": "date"})
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DateField(forms.DateField):
    """A date field that reads the ISO date first (what `<input type="date">` sends), then the
    active locale's formats (typed by hand where a browser shows a text box). Django tries the
    locale's formats first, and Indonesian has eight before ISO: eight failed `strptime` calls,
    about 60 µs, per date on every submission of the public form (issue 5). No Indonesian or
    English format reads a `YYYY-MM-DD` string differently, so the result is the same."""

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass  # e.g. 2026-02-30: the formats below reject it with the usual message
        return super().to_python(value)


class ReporterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Anda melapor sebagai"),
        choices=ReporterKind.choices,
        initial=ReporterKind.WNI_HAK_PILIH,
    )
    name = forms.CharField(
        label=_("Nama lengkap"), max_length=200, help_text=_("Sesuai kartu identitas (KTP).")
    )
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=100, required=False)
    birth_date = DateField(label=_("Tanggal lahir"), required=False, widget=DATE)
    gender = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=[("", "—"), *Gender.choices], required=False
    )
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
    nationality = forms.CharField(label=_("Kewarganegaraan"), max_length=60, initial="Indonesia")
    address = forms.CharField(
        max_length=TEXT_MAX, label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(
        label=_("Nomor telepon/HP"),
        max_length=30,
        help_text=_("Untuk dihubungi pengawas bila perlu."),
    )
    email = forms.EmailField(
        max_length=254,
        label=_("E-mail (tidak wajib)"),
        required=False,
        help_text=_("Kami kirim kabar perkembangan laporan ke sini."),
    )
    confidential = forms.BooleanField(
        label=_("Rahasiakan identitas saya"),
        required=False,
        help_text=_("Identitas hanya dilihat petugas yang menangani; setiap akses dicatat."),
    )
    attorney = forms.CharField(label=_("Kuasa pelapor (jika ada)"), max_length=300, required=False)


class EventForm(forms.Form):
    # No default regime (issue 12 point 8): it follows the chosen election when there is one
    # (services.intake), and is otherwise the reporter's explicit choice.
    regime = forms.ChoiceField(
        label=_("Jenis pemilihan"),
        choices=Regime.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    election_event = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Peristiwa yang dilaporkan"),
        max_length=300,
        help_text=_("Singkat, mis. 'Kepala desa ikut kampanye pasangan calon'."),
    )
    incident_place = forms.CharField(
        label=_("Tempat kejadian"), max_length=300, help_text=_("Nama tempat, jalan, RT/RW.")
    )
    event_date = DateField(label=_("Tanggal kejadian"), widget=DATE)
    known_date = DateField(
        label=_("Tanggal Anda mengetahui kejadian"),
        widget=DATE,
        help_text=_("Laporan disampaikan paling lama 7 hari sejak diketahui."),
    )
    description = forms.CharField(
        max_length=TEXT_LONG,
        label=_("Uraian kejadian"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan berurutan: apa yang terjadi, di mana, kapan, dan bagaimana."),
    )
    evidence_list = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Daftar bukti lain"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bukti yang tidak diunggah (mis. benda, dokumen asli), satu per baris."),
    )
    statement = forms.BooleanField(
        label=_("Saya menyatakan laporan ini benar dan dapat dipertanggungjawabkan."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("event_date")
            and data.get("known_date")
            and (data["known_date"] < data["event_date"])
        ):
            self.add_error(
                "known_date", _("Tanggal diketahui tidak boleh sebelum tanggal kejadian.")
            )
        if not data.get("regime") and not data.get("election_event"):
            self.add_error("regime", _("Pilih jenis pemilihan (Pemilu atau Pilkada)."))
        return data


class PersonForm(forms.Form):
    official_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nama terlapor"), max_length=200, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    agency_name = forms.CharField(label=_("Instansi/desa"), max_length=200, required=False)
    address = forms.CharField(label=_("Alamat (jika tahu)"), max_length=300, required=False)
    phone = forms.CharField(label=_("No. telp/HP (jika tahu)"), max_length=30, required=False)


class WitnessForm(forms.Form):
    name = forms.CharField(label=_("Nama saksi"), max_length=200, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("No. telp/HP"), max_length=30, required=False)


class OnlineEvidenceForm(forms.Form):
    """A post seen online (issue 13 point 17); a row without an address is ignored."""

    platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", "—"), *Platform.choices], required=False
    )
    account = forms.CharField(
        label=_("Akun"), max_length=200, required=False, help_text=_("Nama atau @akun pengunggah.")
    )
    url = forms.URLField(
        label=_("Alamat (URL) unggahan"),
        max_length=2000,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    seen_at = forms.DateTimeField(
        label=_("Waktu dilihat"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("url") and not data.get("platform"):
            self.add_error("platform", _("Pilih platform tempat unggahan dilihat."))
        if not data.get("url") and (data.get("account") or data.get("seen_at")):
            self.add_error("url", _("Isi alamat (URL) unggahan."))
        return data

    def as_data(self) -> OnlineEvidenceData | None:
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("url"):
            return None
        return OnlineEvidenceData(
            platform=data["platform"],
            url=data["url"],
            account=data.get("account") or "",
            seen_at=data.get("seen_at"),
        )


OnlineEvidenceFormSet = forms.formset_factory(
    OnlineEvidenceForm, extra=2, max_num=10, validate_max=True
)


def online_evidence_formset(post: Any) -> Any:
    """The links' formset, bound only when the page sent it (older clients send none)."""
    if post is not None and "daring-TOTAL_FORMS" in post:
        return OnlineEvidenceFormSet(post, prefix="daring")
    return OnlineEvidenceFormSet(prefix="daring")


def online_evidence(formset: Any) -> list[OnlineEvidenceData]:
    return [item for form in formset.forms if (item := form.as_data()) is not None]


# validate_max: more than MAX_FORMS entries is an error naming the group, never a silent cut
# (absolute_max keeps Django from even building forms past it).
PersonFormSet = forms.formset_factory(
    PersonForm, extra=3, max_num=MAX_FORMS, validate_max=True, absolute_max=MAX_FORMS
)
WitnessFormSet = forms.formset_factory(
    WitnessForm, extra=2, max_num=MAX_FORMS, validate_max=True, absolute_max=MAX_FORMS
)


class StatusLoginForm(forms.Form):
    tracking_number = forms.CharField(label=_("Nomor pelacakan"), max_length=20)
    pin = forms.CharField(label=_("PIN"), max_length=12, widget=forms.PasswordInput)


class CompletionAnswerForm(forms.Form):
    answer = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Jawaban/kelengkapan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan pencabutan"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )


class IntakeForm(forms.Form):
    """Officer intake: office report, temuan or informasi awal."""

    origin = forms.ChoiceField(
        label=_("Asal"),
        choices=[
            ("LAPORAN", _("Laporan diterima di kantor")),
            ("TEMUAN", _("Temuan")),
            ("INFORMASI_AWAL", _("Informasi awal")),
        ],
    )
    # The levels the intake service accepts (services/intake.py _validate_case_data): a
    # temuan may be placed at a kecamatan or a regency, e.g. a camat seen at a campaign post.
    incident_region = RegionField(
        label=_("Wilayah kejadian"),
        levels=(*VILLAGE_LEVELS, RegionLevel.KECAMATAN, RegionLevel.KABKOTA),
        scope="mine",
        help_text=_("Desa/kelurahan (atau kecamatan): ketik namanya lalu pilih dari daftar."),
    )
    found_date = DateField(label=_("Tanggal ditemukan (temuan)"), required=False, widget=DATE)


class KajianAwalForm(forms.Form):
    formal = forms.MultipleChoiceField(
        label=_("Syarat formal terpenuhi"),
        choices=FormalRequirement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    material = forms.MultipleChoiceField(
        label=_("Syarat materiil terpenuhi"),
        choices=MaterialRequirement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    result = forms.ChoiceField(label=_("Hasil kajian awal"), choices=InitialAssessment.choices)
    message = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Pesan kepada pelapor (bila perlu dilengkapi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    respond_by = DateField(
        label=_("Batas waktu melengkapi (bila aturan belum ditetapkan)"),
        required=False,
        widget=DATE,
    )
    target_region = RegionField(label=_("Wilayah unit tujuan (pelimpahan)"), required=False)
    direct_forwarding = forms.BooleanField(
        label=_("Peraturan perundang-undangan lainnya: diteruskan langsung tanpa registrasi"),
        required=False,
    )
    note = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Catatan/alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RegimeForm(forms.Form):
    """An officer corrects the case's election or regime (issue 12 point 8), with the reason."""

    election_event = forms.IntegerField(label=_("Pemilihan"), required=False)
    regime = forms.ChoiceField(
        label=_("Jenis pemilihan (bila tanpa pemilihan)"),
        choices=[("", "---------"), *Regime.choices],
        required=False,
    )
    note = forms.CharField(label=_("Alasan perbaikan"), max_length=1000)


class CompletionNoticeForm(forms.Form):
    """The reporter was told to complete the report by other means than e-mail (Ps. 22(1))."""

    means = forms.CharField(
        label=_("Cara pemberitahuan (telepon, surat, langsung)"), max_length=100
    )


class TransitionForm(forms.Form):
    to = forms.CharField(max_length=32, widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClarificationForm(forms.Form):
    party = forms.ChoiceField(label=_("Pihak"), choices=ClarificationParty.choices)
    party_name = forms.CharField(label=_("Nama pihak"), max_length=200)
    reported_person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    scheduled_at = forms.DateTimeField(
        label=_("Waktu"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    mode = forms.ChoiceField(label=_("Cara"), choices=ClarificationMode.choices)
    location = forms.CharField(label=_("Tempat/tautan"), max_length=300)


class ClarificationRecordForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.BooleanField(label=_("Hadir"), required=False)
    minutes = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Keterangan/berita acara"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PersonDecideForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    finding = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("TERBUKTI", _("Terbukti")),
            ("TIDAK_TERBUKTI", _("Tidak terbukti / bukan pelanggaran")),
        ],
    )
    violation_types = forms.MultipleChoiceField(
        label=_("Jenis pelanggaran"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[c for c in ViolationType.choices if c[0] != ViolationType.BUKAN_PELANGGARAN],
    )
    skb_codes = forms.MultipleChoiceField(
        label=_("Kode SKB 2022"), choices=SkbCode.choices, required=False
    )
    target_status = forms.ChoiceField(
        label=_("Status sasaran (bakal calon/calon)"),
        choices=[("", "---------"), *TargetStatus.choices],
        required=False,
    )
    articles = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Pasal (satu per baris)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasoning = forms.CharField(
        max_length=TEXT_MAX,
        label=_("Pertimbangan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RecommendationForm(forms.Form):
    reported_person = forms.IntegerField(required=False)
    # No default recipient (KASN, first of the list, was one: issue 12 point 12); the view
    # narrows the choices to what the case allows (selectors.recipient_choices).
    recipient = forms.ChoiceField(
        label=_("Penerima"), choices=[("", "---------"), *Recipient.choices]
    )
    recipient_name = forms.CharField(label=_("Nama/jabatan penerima"), max_length=200)
    letter_number = forms.CharField(label=_("Nomor surat"), max_length=80)
    letter_date = DateField(label=_("Tanggal surat"), widget=DATE)

    def __init__(self, *args: Any, recipients: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        if recipients is not None:
            self.fields["recipient"].choices = recipients  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status tindak lanjut"), choices=FollowUp.choices)
    note = forms.CharField(max_length=LINE_MAX, label=_("Keterangan"), required=False)


class SanctionForm(forms.Form):
    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    reported_person = forms.IntegerField()
    level = forms.ChoiceField(label=_("Tingkat"), choices=SanctionLevel.choices)
    # The UNCONFIRMED PPPK choices are marked as such (DOMAIN §4.2; issue 12 point 15).
    type = forms.ChoiceField(
        label=_("Jenis sanksi"),
        choices=[
            (
                value,
                format_lazy("{} ({})", label, _("belum terkonfirmasi"))
                if value in PPPK_UNCONFIRMED
                else label,
            )
            for value, label in SanctionType.choices
        ],
    )
    decree_number = forms.CharField(label=_("Nomor SK/putusan"), max_length=120)
    decree_date = DateField(label=_("Tanggal SK"), widget=DATE)
    imposed_by = forms.CharField(label=_("Pejabat yang menjatuhkan"), max_length=200)
    note = forms.CharField(max_length=LINE_MAX, label=_("Keterangan"), required=False)


class LinkForm(forms.Form):
    other = forms.IntegerField(label=_("ID perkara lain"))
    type = forms.ChoiceField(label=_("Hubungan"), choices=CaseLinkType.choices)
    note = forms.CharField(max_length=LINE_MAX, label=_("Catatan"), required=False)


class AssignForm(forms.Form):
    officer = forms.IntegerField(label=_("Petugas"))


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("Keterangan bukti"), max_length=300, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("REPORT_FORM", _("Formulir laporan")),
            ("STATUS_NOTICE", _("Pemberitahuan status")),
            ("RECEIPT", _("Tanda terima")),
        ]
    )


class ForwardForm(forms.Form):
    """Pelimpahan (T9): the receiving unit and the reasons (Perbawaslu 7/2022 Ps. 20)."""

    # A region code, or selectors.FORWARD_TO_NATIONAL ("RI") for Bawaslu RI.
    destination = forms.CharField(label=_("Unit tujuan pelimpahan"), max_length=13)
    note = forms.CharField(
        label=_("Alasan pelimpahan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    letter_number = forms.CharField(
        label=_("Nomor surat pelimpahan"),
        max_length=80,
        required=False,
    )
