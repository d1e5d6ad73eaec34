"""People and material of a case: reporter, reported persons, witnesses, evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.cases.models.case import Case
from netral.cases.models.choices import (
    EvidenceCheck,
    EvidenceKind,
    Gender,
    PersonFinding,
    Platform,
    ReporterKind,
    SkbCode,
    TargetStatus,
    ViolationType,
)
from netral.core.bounds import TEXT_MAX
from netral.core.encryption import EncryptedEmailField, EncryptedTextField
from netral.core.models import BaseModel
from netral.registry.models import SubjectType


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Reporter(BaseModel):
    """Pelapor, Formulir Model B.1 part 1 (DOMAIN.md §5.3)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    kind = models.CharField(_("jenis pelapor"), max_length=16, choices=ReporterKind.choices)
    # Identity and contact data are encrypted at rest (issue 14 pt 15; UU 27/2022 PDP art. 35;
    # Perbawaslu 7/2022 on keeping a reporter's identity confidential): netral/core/encryption.py.
    name = EncryptedTextField(_("nama"), max_length=200)
    birth_place = EncryptedTextField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    nationality = models.CharField(_("kewarganegaraan"), max_length=60, default="Indonesia")
    address = EncryptedTextField(_("alamat"), max_length=TEXT_MAX, multiline=True)
    phone = EncryptedTextField(_("nomor telepon/HP"), max_length=30)
    email = EncryptedEmailField(_("email"), max_length=254, blank=True)
    confidential = models.BooleanField(
        _("rahasiakan identitas"),
        default=False,
        help_text=_(
            "Identitas hanya terlihat oleh petugas yang menangani, dan setiap akses dicatat."
        ),
    )
    attorney = models.CharField(
        _("kuasa (surat kuasa khusus)"),
        max_length=300,
        blank=True,
        help_text=_("Diisi jika laporan disampaikan oleh kuasa pelapor."),
    )

    class Meta:
        verbose_name = _("pelapor")
        verbose_name_plural = _("pelapor")

    def __str__(self) -> str:
        return _("Pelapor dirahasiakan") if self.confidential else self.name  # type: ignore[return-value]


class ReporterIdentityView(models.Model):
    """Every time an officer sees a confidential reporter's identity."""

    reporter = models.ForeignKey(Reporter, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} @ {self.viewed_at:%Y-%m-%d %H:%M}"


class ReportedPerson(BaseModel):
    """Terlapor: from the registry or typed, with its own finding (DOMAIN.md §8.2 invariants)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reported_persons")
    official = models.ForeignKey(
        "registry.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_in",
        verbose_name=_("pejabat di registri"),
    )
    name = models.CharField(_("nama"), max_length=200)
    # Contact data encrypted at rest (issue 14 pt 15).
    address = EncryptedTextField(_("alamat"), max_length=300, blank=True)
    phone = EncryptedTextField(_("nomor telepon/HP"), max_length=30, blank=True)
    subject_type = models.CharField(
        _("jenis subjek"), max_length=16, choices=SubjectType.choices, blank=True
    )
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    agency_name = models.CharField(_("instansi"), max_length=200, blank=True)
    target_status = models.CharField(
        _("status sasaran"), max_length=12, choices=TargetStatus.choices, blank=True
    )
    finding = models.CharField(
        _("status terlapor"),
        max_length=16,
        choices=PersonFinding.choices,
        default=PersonFinding.BELUM_DIPUTUS,
    )
    # Several qualifications per person (DOMAIN.md §7: e.g. PERUU_LAINNYA + PIDANA).
    violation_types = models.JSONField(_("jenis pelanggaran"), default=list, blank=True)
    skb_codes = models.JSONField(_("kode SKB 2022"), default=list, blank=True)
    articles = models.JSONField(_("pasal"), default=list, blank=True)
    reasoning = models.TextField(_("pertimbangan"), blank=True)

    class Meta:
        verbose_name = _("terlapor")
        verbose_name_plural = _("terlapor")
        ordering = ["id"]

    @property
    def violation_labels(self) -> list[str]:
        """The qualifications as people read them (never the stored codes, issue 12 pt 17)."""
        return [_label(ViolationType, v) for v in self.violation_types or []]

    @property
    def skb_labels(self) -> list[str]:
        return [_label(SkbCode, c) for c in self.skb_codes or []]

    def __str__(self) -> str:
        return self.name


class Witness(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="witnesses")
    name = models.CharField(_("nama"), max_length=200)
    # Contact data encrypted at rest (issue 14 pt 15).
    address = EncryptedTextField(_("alamat"), max_length=300, blank=True)
    phone = EncryptedTextField(_("nomor telepon/HP"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("saksi")
        verbose_name_plural = _("saksi")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the client's file name: a digest-based name cannot carry a path.
    return f"evidence/{instance.case.code}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """Bukti, with a SHA-256 digest for the chain of custody."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("jenis bukti"), max_length=16, choices=EvidenceKind.choices)
    description = models.CharField(_("keterangan"), max_length=300)
    copies = models.PositiveSmallIntegerField(_("jumlah rangkap"), default=1)
    file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Online evidence (kind TAUTAN, issue 13 point 17): where a post was seen. The address is
    # shown to officers as a link and never fetched here (patrol captures do that, through
    # core/netguard.py).
    url = models.URLField(_("alamat (URL) unggahan"), max_length=2000, blank=True)
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices, blank=True)
    account = models.CharField(_("akun"), max_length=200, blank=True)
    seen_at = models.DateTimeField(_("waktu dilihat"), null=True, blank=True)
    # The deep content check (issue 15 §1; netral/cases/uploads.py): small files are checked
    # whole in the request (CHECKED at once); a file above NETRAL_EVIDENCE_WORKER_CHECK_KB has
    # only the cheap checks there and is PENDING until the worker has decoded or parsed it
    # all; REFUSED files are moved to quarantine and never served (check_note says why).
    check_status = models.CharField(
        _("pemeriksaan berkas"),
        max_length=8,
        choices=EvidenceCheck.choices,
        default=EvidenceCheck.CHECKED,
    )
    check_note = models.CharField(_("catatan pemeriksaan"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class CompletionRequest(BaseModel):
    """A request to the reporter to complete formal/material requirements (Ps. 22)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="completion_requests")
    missing = models.JSONField(_("syarat yang kurang"), default=list)
    message = models.TextField(_("pesan kepada pelapor"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("jawaban pelapor"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # "dalam waktu yang ditetapkan" (Perbawaslu 7/2022 Ps. 22(7)): the officer's date, used when
    # the LENGKAPI_WINDOW rule is left blank (its length is UNCONFIRMED, DOMAIN §5.5).
    respond_by = models.DateField(_("batas waktu melengkapi"), null=True, blank=True)
    # The reporter was told (Ps. 22(1), NOTIF_LENGKAPI): the e-mail left, or the officer
    # recorded another way (telephone, letter, in person).
    notified_at = models.DateTimeField(_("pemberitahuan disampaikan"), null=True, blank=True)
    notified_by = models.CharField(_("cara pemberitahuan"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.message[:40]}"
