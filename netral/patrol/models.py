"""Patroli siber (issue 16): watch lists, sealed captures of public pages, triage and
takedown requests. Capture is triggered by an officer on a public URL or by an upload of
what the officer saw; Netral never logs in to a platform (UU ITE Ps. 30 and 32)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.core.models import BaseModel


class TermKind(models.TextChoices):
    CALON = "CALON", _("Nama calon/bakal calon")
    PARTAI = "PARTAI", _("Partai politik")
    NOMOR = "NOMOR", _("Nomor urut/kampanye")
    LAINNYA = "LAINNYA", _("Kata lain")


class WatchTerm(BaseModel):
    """A name searched for in captured text, per election event and unit (kept by officers)."""

    election_event = models.ForeignKey(
        "elections.ElectionEvent",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pemilihan"),
    )
    unit_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah satuan"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=TermKind.choices)
    term = models.CharField(_("kata yang dicari"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("daftar pantau nama")
        verbose_name_plural = _("daftar pantau nama")
        ordering = ["kind", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["election_event", "unit_region", "term"], name="patrol_term_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.term


class CheckResult(models.TextChoices):
    NIHIL = "NIHIL", _("Diperiksa, tidak ada temuan")
    DITANGKAP = "DITANGKAP", _("Ada tangkapan")


class AccountCheck(BaseModel):
    """An officer looked at a registered account (with or without a capture)."""

    account = models.ForeignKey(
        "registry.SocialAccount", on_delete=models.CASCADE, related_name="patrol_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("hasil"), max_length=10, choices=CheckResult.choices)
    capture = models.ForeignKey(
        "patrol.Capture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pemeriksaan akun")
        verbose_name_plural = _("pemeriksaan akun")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "-created_at"], name="patrol_check_account")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.result}"


class ProposalStatus(models.TextChoices):
    DIAJUKAN = "DIAJUKAN", _("Menunggu konfirmasi")
    DIKONFIRMASI = "DIKONFIRMASI", _("Dikonfirmasi")
    DITOLAK = "DITOLAK", _("Ditolak")


class AccountProposal(BaseModel):
    """An account an officer found, pending a registry manager's confirmation."""

    official = models.ForeignKey(
        "registry.Official", on_delete=models.CASCADE, related_name="+", verbose_name=_("pejabat")
    )
    platform = models.CharField(_("platform"), max_length=40)
    handle = models.CharField(_("akun atau URL"), max_length=300)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DIAJUKAN
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("usulan akun")
        verbose_name_plural = _("usulan akun")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


class PatrolAssignment(BaseModel):
    """Which officer watches a registered account (a watch list split among officers)."""

    account = models.OneToOneField(
        "registry.SocialAccount", on_delete=models.CASCADE, related_name="patrol_assignment"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("petugas"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("penugasan patroli")
        verbose_name_plural = _("penugasan patroli")

    def __str__(self) -> str:
        return f"{self.account_id} -> {self.officer_id}"


class CaptureMethod(models.TextChoices):
    PERAMBAN = "PERAMBAN", _("Diambil peramban Netral")
    UNGGAHAN = "UNGGAHAN", _("Diunggah petugas")


class CaptureStatus(models.TextChoices):
    ANTRE = "ANTRE", _("Dalam antrean")
    PROSES = "PROSES", _("Sedang diambil")
    SELESAI = "SELESAI", _("Selesai dan disegel")
    GAGAL = "GAGAL", _("Gagal diambil")


class ActKind(models.TextChoices):
    """The kind of act seen (SKB 2022 KE04/DS06, KE02/DS02, KE05/DS07; DOMAIN §3)."""

    SUKA = "SUKA", _("Menyukai (like)")
    KOMENTAR = "KOMENTAR", _("Berkomentar")
    BAGIKAN = "BAGIKAN", _("Membagikan (share)")
    UNGGAHAN = "UNGGAHAN", _("Mengunggah/memposting")
    FOTO_PROFIL = "FOTO_PROFIL", _("Foto profil/foto bersama dengan simbol keberpihakan")
    IKUT_GRUP = "IKUT_GRUP", _("Bergabung/mengikuti akun pemenangan")
    LAINNYA = "LAINNYA", _("Lainnya")


class Triage(models.TextChoices):
    BELUM = "BELUM", _("Belum dipilah")
    TIDAK_RELEVAN = "TIDAK_RELEVAN", _("Tidak relevan")
    PANTAU = "PANTAU", _("Perlu dipantau")
    TEMUAN = "TEMUAN", _("Temuan")


class Capture(BaseModel):
    """One sealed capture of a public page (or an officer's upload of what they saw)."""

    code = models.UUIDField(_("kode verifikasi"), default=uuid.uuid4, unique=True, editable=False)
    unit_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah satuan patroli"),
    )
    election_event = models.ForeignKey(
        "elections.ElectionEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemilihan"),
    )
    method = models.CharField(_("cara"), max_length=10, choices=CaptureMethod.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=CaptureStatus.choices, default=CaptureStatus.ANTRE
    )
    url = models.URLField(_("alamat (URL)"), max_length=2000, blank=True)
    url_key = models.CharField(max_length=2000, blank=True, db_index=True, editable=False)
    final_url = models.URLField(_("alamat akhir"), max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(_("status HTTP"), null=True, blank=True)
    captured_at = models.DateTimeField(_("waktu pengambilan"), null=True, blank=True)
    seen_at = models.DateTimeField(_("waktu dilihat petugas"), null=True, blank=True)
    seen_where = models.CharField(_("tempat/perangkat melihat"), max_length=300, blank=True)
    statement = models.TextField(_("pernyataan petugas"), blank=True)
    visible_text = models.TextField(_("teks yang terlihat"), blank=True)
    phash = models.CharField(_("hash persepsi"), max_length=16, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    near_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    platform = models.CharField(_("platform"), max_length=40, blank=True)
    official = models.ForeignKey(
        "registry.Official",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pejabat"),
    )
    account = models.ForeignKey(
        "registry.SocialAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("akun terdaftar"),
    )
    hits = models.JSONField(_("nama yang ditemukan"), default=list, blank=True)
    act_kind = models.CharField(
        _("jenis perbuatan"), max_length=12, choices=ActKind.choices, blank=True
    )
    triage = models.CharField(
        _("pemilahan"), max_length=14, choices=Triage.choices, default=Triage.BELUM
    )
    triage_note = models.CharField(_("catatan pemilahan"), max_length=500, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    suggested_skb = models.CharField(_("kode SKB yang disarankan"), max_length=4, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perkara"),
    )
    record = models.JSONField(_("rekaman yang disegel"), default=dict, blank=True)
    seal = models.JSONField(_("segel"), default=dict, blank=True)
    error = models.CharField(_("kesalahan"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("tangkapan")
        verbose_name_plural = _("tangkapan")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["triage", "-created_at"], name="patrol_capture_triage"),
            models.Index(fields=["phash"], name="patrol_capture_phash"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.url}"

    @property
    def is_finished(self) -> bool:
        return self.status in {CaptureStatus.SELESAI, CaptureStatus.GAGAL}


class FileRole(models.TextChoices):
    WACZ = "WACZ", _("Arsip web (WACZ)")
    WARC = "WARC", _("Arsip web (WARC)")
    SCREENSHOT = "SCREENSHOT", _("Tangkapan layar halaman penuh")
    TEXT = "TEXT", _("Teks yang terlihat")
    DOM = "DOM", _("Salinan halaman (HTML)")
    UPLOAD = "UPLOAD", _("Berkas unggahan petugas")
    SAVED_PAGE = "SAVED_PAGE", _("Halaman tersimpan petugas (HTML atau MHTML)")


def capture_file_path(instance: CaptureFile, filename: str) -> str:
    return f"patrol/{instance.capture.code}/{filename}"


class CaptureFile(models.Model):
    capture = models.ForeignKey(Capture, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("jenis berkas"), max_length=10, choices=FileRole.choices)
    file = models.FileField(upload_to=capture_file_path, max_length=300)
    name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("berkas tangkapan")
        verbose_name_plural = _("berkas tangkapan")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class TakedownRecipient(models.TextChoices):
    KOMDIGI = "KOMDIGI", _("Kementerian Komunikasi dan Digital (Kominfo/Komdigi)")
    PLATFORM = "PLATFORM", _("Penyelenggara platform")


class TakedownLetter(BaseModel):
    """A numbered request to take content down, with a table of the captures it covers."""

    number = models.CharField(_("nomor surat"), max_length=100, unique=True)
    unit_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah satuan"),
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    recipient = models.CharField(_("tujuan"), max_length=10, choices=TakedownRecipient.choices)
    recipient_name = models.CharField(_("nama penerima"), max_length=200)
    unit_name = models.CharField(_("satuan pengirim"), max_length=200)
    signer_name = models.CharField(_("penanda tangan"), max_length=200, blank=True)
    pdf = models.FileField(upload_to="patrol/letters/%Y/", max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("surat permintaan penurunan konten")
        verbose_name_plural = _("surat permintaan penurunan konten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_region", "year", "sequence"], name="patrol_letter_sequence"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TakedownState(models.TextChoices):
    DIMINTA = "DIMINTA", _("Diminta diturunkan")
    DITURUNKAN = "DITURUNKAN", _("Sudah diturunkan")
    DITOLAK = "DITOLAK", _("Ditolak")


class TakedownItem(BaseModel):
    letter = models.ForeignKey(TakedownLetter, on_delete=models.CASCADE, related_name="items")
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="takedowns")
    state = models.CharField(
        _("status"), max_length=10, choices=TakedownState.choices, default=TakedownState.DIMINTA
    )
    last_checked_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True)
    last_check_status = models.PositiveSmallIntegerField(null=True, blank=True)
    recheck = models.ForeignKey(
        Capture, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("alamat yang diminta diturunkan")
        verbose_name_plural = _("alamat yang diminta diturunkan")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "capture"], name="patrol_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id}:{self.capture_id} {self.state}"
