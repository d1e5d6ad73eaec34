"""Deadline rules and the holiday calendar (DOMAIN.md §5.7), editable in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.elections.models import Regime


class DeadlineStep(models.TextChoices):
    LAPORAN_WINDOW = "LAPORAN_WINDOW", _("Batas waktu penyampaian laporan")
    TEMUAN_WINDOW = "TEMUAN_WINDOW", _("Batas waktu penetapan temuan")
    KAJIAN_AWAL = "KAJIAN_AWAL", _("Kajian awal")
    NOTIF_LENGKAPI = "NOTIF_LENGKAPI", _("Pemberitahuan untuk melengkapi")
    LENGKAPI_WINDOW = "LENGKAPI_WINDOW", _("Batas waktu pelapor melengkapi")
    PENANGANAN = "PENANGANAN", _("Penanganan setelah registrasi")
    PENANGANAN_EXTENDED = "PENANGANAN_EXTENDED", _("Penanganan dengan keterangan tambahan")
    UNDANGAN_KLARIFIKASI = "UNDANGAN_KLARIFIKASI", _("Undangan klarifikasi sebelum sesi")
    PIDANA_TO_POLRI = "PIDANA_TO_POLRI", _("Penerusan tindak pidana ke Polri")
    PPK_TINDAK_LANJUT = "PPK_TINDAK_LANJUT", _("Tindak lanjut rekomendasi oleh instansi")


class DayUnit(models.TextChoices):
    CALENDAR_DAYS = "CALENDAR_DAYS", _("hari kalender")
    WORKING_DAYS = "WORKING_DAYS", _("hari kerja")
    HOURS = "HOURS", _("jam")


class Anchor(models.TextChoices):
    KNOWN_DATE = "KNOWN_DATE", _("tanggal diketahui")
    FOUND_DATE = "FOUND_DATE", _("tanggal ditemukan (atau diketahui)")
    RECEIVED_AT = "RECEIVED_AT", _("laporan diterima")
    KAJIAN_AWAL_AT = "KAJIAN_AWAL_AT", _("kajian awal dimulai")
    COMPLETION_REQUESTED_AT = "COMPLETION_REQUESTED_AT", _("pemberitahuan melengkapi")
    REGISTERED_AT = "REGISTERED_AT", _("registrasi")
    PENANGANAN_DUE = "PENANGANAN_DUE", _("akhir masa penanganan")
    DECIDED_AT = "DECIDED_AT", _("putusan status")
    LETTER_DATE = "LETTER_DATE", _("tanggal surat penerusan")
    CLARIFICATION_AT = "CLARIFICATION_AT", _("sebelum sesi klarifikasi")


class Confidence(models.TextChoices):
    CONFIRMED = "CONFIRMED", _("Terkonfirmasi")
    SECONDARY = "SECONDARY", _("Sumber sekunder")
    UNCONFIRMED = "UNCONFIRMED", _("Belum terkonfirmasi")


class DeadlineRule(models.Model):
    """One row of DOMAIN.md §5.7. A rule without an amount runs no clock (shown as unknown)."""

    regime = models.CharField(_("rezim"), max_length=10, choices=Regime.choices)
    step = models.CharField(_("tahap"), max_length=32, choices=DeadlineStep.choices)
    amount = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=16, choices=DayUnit.choices, blank=True)
    anchor = models.CharField(_("dihitung sejak"), max_length=32, choices=Anchor.choices)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    confidence = models.CharField(_("tingkat kepastian"), max_length=12, choices=Confidence.choices)
    note = models.TextField(_("catatan"), blank=True)
    warn_before_hours = models.PositiveIntegerField(
        _("peringatan sebelum tenggat (jam)"), default=24
    )

    class Meta:
        verbose_name = _("aturan tenggat")
        verbose_name_plural = _("aturan tenggat")
        ordering = ["regime", "step"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "step"], name="deadline_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.regime} {self.step}"

    @property
    def label(self) -> str:
        if self.amount is None or not self.unit:
            return str(_("belum ditetapkan"))
        return f"{self.amount} {DayUnit(self.unit).label}"


class RecipientProfile(models.Model):
    """How Netral writes to and follows up one kind of recipient of a penerusan (DOMAIN §1.3,
    §6, §7), editable in the admin: the letter's subject and body, the legal basis printed, the
    subject types the recipient is competent for, and its follow-up deadline. Rules marked
    UNCONFIRMED in DOMAIN (TNI authority, perangkat desa, PPPK) live here as data, never in code.
    """

    recipient = models.CharField(_("penerima"), max_length=20, unique=True)
    letter_subject = models.CharField(
        _("perihal surat"),
        max_length=200,
        help_text=_("Boleh memakai {election}: 'Pemilu' atau 'Pemilihan' menurut rezim perkara."),
    )
    letter_body = models.TextField(
        _("isi pembuka surat"),
        help_text=_("Boleh memakai {registration_number}, {unit} dan {election}."),
    )
    legal_basis_pemilu = models.CharField(
        _("dasar hukum yang dicetak (Pemilu)"), max_length=300, blank=True
    )
    legal_basis_pilkada = models.CharField(
        _("dasar hukum yang dicetak (Pemilihan/Pilkada)"),
        max_length=300,
        blank=True,
        help_text=_("Kosong: surat tidak mencetak dasar hukum yang belum bersumber."),
    )
    subject_types = models.JSONField(
        _("jenis subjek yang menjadi kewenangannya"),
        default=list,
        blank=True,
        help_text=_("Kosong: semua jenis subjek."),
    )
    asn_follow_up = models.BooleanField(
        _("tenggat tindak lanjut SKB 2022 (ASN)"),
        default=False,
        help_text=_(
            "SKB 2022 hanya mengatur ASN: tenggat aturan 'Tindak lanjut rekomendasi oleh "
            "instansi' berlaku bagi penerima ini."
        ),
    )
    follow_up_amount = models.PositiveIntegerField(
        _("tenggat tindak lanjut sendiri (jumlah)"), null=True, blank=True
    )
    follow_up_unit = models.CharField(
        _("satuan"), max_length=16, choices=DayUnit.choices, blank=True
    )
    follow_up_basis = models.CharField(_("dasar tenggat tindak lanjut"), max_length=300, blank=True)
    available_until = models.DateField(
        _("hanya untuk putusan sampai tanggal"),
        null=True,
        blank=True,
        help_text=_("Mis. KASN: dibubarkan 2024 (Perpres 91 dan 92/2024, SE MenPANRB 4/2024)."),
    )
    confidence = models.CharField(
        _("tingkat kepastian"), max_length=12, choices=Confidence.choices, blank=True
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("profil penerima penerusan")
        verbose_name_plural = _("profil penerima penerusan")
        ordering = ["recipient"]

    def __str__(self) -> str:
        return self.recipient


class SkbSanctionLevel(models.Model):
    """The SKB 2022 matrix row of one code (DOMAIN §3): the sanction level it carries and the
    target status it is worded for. Editable: DS08 and DS09 are in CONFLICT between sources.
    Netral suggests the level from these rows and the reported person's target status; the
    officer chooses (DOMAIN §3: "let the case officer choose the matrix row")."""

    code = models.CharField(_("kode SKB"), max_length=4, unique=True)
    level = models.CharField(
        _("tingkat sanksi"),
        max_length=8,
        blank=True,
        help_text=_("Kosong: diputus kasus per kasus (DS13)."),
    )
    target_status = models.CharField(_("status sasaran"), max_length=12)
    legal_basis = models.CharField(_("dasar"), max_length=300)
    confidence = models.CharField(_("tingkat kepastian"), max_length=12, choices=Confidence.choices)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("tingkat sanksi SKB 2022")
        verbose_name_plural = _("tingkat sanksi SKB 2022")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Holiday(models.Model):
    """National holidays and cuti bersama (SKB 3 Menteri), for counting working days."""

    class Kind(models.TextChoices):
        LIBUR_NASIONAL = "LIBUR_NASIONAL", _("Libur nasional")
        CUTI_BERSAMA = "CUTI_BERSAMA", _("Cuti bersama")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"
