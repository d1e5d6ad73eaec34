"""Kemendagri regions (DOMAIN.md §10); supervised officials are added by the registry issue."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.core.encryption import BlindIndexField, EncryptedTextField, MaskField

# Permendagri 58/2021; Kepmendagri 300.2.2-2138/2025 (DOMAIN.md §10).
REGION_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.[123]\d{3})?)?)?$")


class RegionLevel(models.TextChoices):
    PROVINSI = "PROVINSI", _("Provinsi")
    KABKOTA = "KABKOTA", _("Kabupaten/Kota")
    KECAMATAN = "KECAMATAN", _("Kecamatan")
    KELURAHAN = "KELURAHAN", _("Kelurahan")
    DESA = "DESA", _("Desa")


# Prefix used when a region is named inside an ancestry line ("Desa X, Kec. Y, Kab. Z, Prov. W").
_SHORT_PREFIX = {
    RegionLevel.PROVINSI: "Prov. ",
    RegionLevel.KECAMATAN: "Kec. ",
    RegionLevel.KELURAHAN: "Kel. ",
    RegionLevel.DESA: "Desa ",
}


def parent_code_of(code: str) -> str | None:
    head, _sep, _tail = code.rpartition(".")
    return head or None


def ancestor_codes(code: str) -> list[str]:
    """'64.08.01.2001' -> ['64', '64.08', '64.08.01'] (codes are hierarchical)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


class Region(models.Model):
    code = models.CharField(_("kode wilayah"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    level = models.CharField(_("tingkat"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    edition = models.CharField(_("edisi Kepmendagri"), max_length=60)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.short_name}"

    @property
    def short_name(self) -> str:
        if self.level == RegionLevel.KABKOTA:
            return self.name.replace("Kabupaten ", "Kab. ", 1)
        return _SHORT_PREFIX.get(RegionLevel(self.level), "") + self.name

    @property
    def depth(self) -> int:
        return self.code.count(".")


# --- supervised officials (DOMAIN.md §1.3, §1.4, §11) --------------------------------


class SubjectType(models.TextChoices):
    """JenisSubjek, DOMAIN.md §1.4."""

    PNS = "PNS", _("PNS")
    PPPK = "PPPK", _("PPPK")
    CAMAT = "CAMAT", _("Camat")
    LURAH = "LURAH", _("Lurah")
    KEPALA_DESA = "KEPALA_DESA", _("Kepala desa")
    PERANGKAT_DESA = "PERANGKAT_DESA", _("Perangkat desa")
    ANGGOTA_BPD = "ANGGOTA_BPD", _("Anggota BPD")
    TNI = "TNI", _("TNI")
    POLRI = "POLRI", _("Polri")
    PEJABAT_NEGARA = "PEJABAT_NEGARA", _("Pejabat negara")
    NON_ASN_HONORER = "NON_ASN_HONORER", _("Non-ASN/honorer")
    LAINNYA = "LAINNYA", _("Lainnya")


ASN_TYPES = frozenset({SubjectType.PNS, SubjectType.PPPK, SubjectType.CAMAT, SubjectType.LURAH})


class PositionCategory(models.TextChoices):
    """Kategori jabatan used in BKN statistics (DOMAIN.md §1.4, §12 [S82])."""

    JPT = "JPT", _("Jabatan pimpinan tinggi")
    ADMINISTRATOR = "ADMINISTRATOR", _("Administrator")
    PENGAWAS = "PENGAWAS", _("Pengawas")
    FUNGSIONAL = "FUNGSIONAL", _("Fungsional")
    PELAKSANA = "PELAKSANA", _("Pelaksana")
    CAMAT_LURAH = "CAMAT_LURAH", _("Camat/lurah")


class AgencyKind(models.TextChoices):
    """Instansi.jenis, DOMAIN.md §13."""

    PUSAT = "PUSAT", _("Instansi pusat")
    PROVINSI = "PROVINSI", _("Pemerintah provinsi")
    KAB_KOTA = "KAB_KOTA", _("Pemerintah kabupaten/kota")
    DESA = "DESA", _("Pemerintah desa")
    TNI = "TNI", _("TNI")
    POLRI = "POLRI", _("Polri")


class Agency(models.Model):
    """An instansi and its PPK, who imposes discipline (DOMAIN.md §1.3)."""

    name = models.CharField(_("nama instansi"), max_length=200)
    name_folded = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(
        _("jenis"), max_length=10, choices=AgencyKind.choices, default=AgencyKind.KAB_KOTA
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    ppk_name = models.CharField(_("PPK (pejabat pembina kepegawaian)"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Official(models.Model):
    """One supervised person (subjek), linked across elections to pledges, cases and sanctions."""

    subject_type = models.CharField(_("jenis subjek"), max_length=16, choices=SubjectType.choices)
    name = models.CharField(_("nama"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False)
    # Identifiers (DOMAIN.md §11): each optional, unique when present.
    # Uniqueness is declared as partial unique indexes (Meta.constraints), not `unique=True`:
    # named indexes can be dropped and rebuilt around a bulk import into an empty table.
    nip = models.CharField(_("NIP"), max_length=18, null=True, blank=True)
    ni_pppk = models.CharField(_("NI PPPK"), max_length=18, null=True, blank=True)
    # NIK is encrypted at rest (issue 14 pt 15; UU 27/2022 PDP art. 35): `nik_hash` is its
    # blind index (exact search, uniqueness), `nik_hint` the masked form lists and exports show.
    nik = EncryptedTextField(_("NIK"), max_length=16, null=True, blank=True)
    nik_hash = BlindIndexField(source="nik")
    nik_hint = MaskField(max_length=16, null=True, source="nik", head=6, tail=2)
    nrp = models.CharField(_("NRP"), max_length=30, null=True, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    position_category = models.CharField(
        _("kategori jabatan"), max_length=16, blank=True, choices=PositionCategory.choices
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("instansi"),
    )
    # Indexed by official_region_type (region, subject_type), which also serves subtree ranges.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("wilayah tugas"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pejabat")
        verbose_name_plural = _("pejabat")
        indexes = [
            models.Index(fields=["region", "subject_type"], name="official_region_type"),
            # Covers name search with its usual filters, so SQLite answers from the index.
            models.Index(
                fields=["name_folded", "region", "subject_type"], name="official_name_region_type"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=models.Q(nip__isnull=False), name="official_nip_unique"
            ),
            models.UniqueConstraint(
                fields=["ni_pppk"],
                condition=models.Q(ni_pppk__isnull=False),
                name="official_ni_pppk_unique",
            ),
            models.UniqueConstraint(
                fields=["nik_hash"],
                condition=models.Q(nik_hash__isnull=False),
                name="official_nik_unique",
            ),
            models.UniqueConstraint(
                fields=["nrp"], condition=models.Q(nrp__isnull=False), name="official_nrp_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and "nik" in fields:  # the derived columns follow the NIK
            kwargs["update_fields"] = {*fields, "nik_hash", "nik_hint"}
        super().save(*args, **kwargs)

    @property
    def nik_masked(self) -> str:
        """NIK is personal data: outside the profile only the region part and last two digits."""
        return self.nik_hint or ""

    @property
    def is_asn(self) -> bool:
        return self.subject_type in ASN_TYPES


class SocialAccount(models.Model):
    # No index of its own: the unique constraint's index (official, platform, handle) leads
    # with it and serves every lookup and cascade by official.
    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="social_accounts", db_index=False
    )
    platform = models.CharField(_("platform"), max_length=40)
    handle = models.CharField(_("akun atau URL"), max_length=300)

    class Meta:
        verbose_name = _("akun media sosial")
        verbose_name_plural = _("akun media sosial")
        constraints = [
            models.UniqueConstraint(
                fields=["official", "platform", "handle"],
                name="social_unique_official_platform_handle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


class PositionHistory(models.Model):
    """Kept when an official's position, agency or region of duty changes."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="history")
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    position_category = models.CharField(_("kategori jabatan"), max_length=16, blank=True)
    agency_name = models.CharField(_("instansi"), max_length=200, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    valid_until = models.DateTimeField(_("berlaku sampai"))

    class Meta:
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        ordering = ["-valid_until"]

    def __str__(self) -> str:
        return f"{self.official_id} {self.position} (s.d. {self.valid_until:%Y-%m-%d})"


# --- bulk import jobs (STYLE.md §1.9, saleor ExportFile) ---------------------------


class ImportStatus(models.TextChoices):
    PENDING = "PENDING", _("Menunggu")
    RUNNING = "RUNNING", _("Sedang diproses")
    DONE = "DONE", _("Selesai")
    FAILED = "FAILED", _("Gagal")


class ImportJob(models.Model):
    """One upload of an officials file; the web page polls it for progress."""

    # Null for imports run from the command line (`netral import_officials`).
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("diunggah oleh"),
    )
    # The uploader's jurisdiction root for MANAGE_OFFICIALS (None = national), shown in the
    # admin; jobs are scoped by uploader (access.import_jobs_visible_to), not by this field.
    region_code = models.CharField(_("wilayah"), max_length=13, null=True, blank=True)
    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=255)
    dry_run = models.BooleanField(_("hanya validasi"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    processed = models.PositiveIntegerField(_("baris diproses"), default=0)
    total = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    errors = models.JSONField(_("kesalahan (awal)"), default=list, blank=True)
    error_file = models.FileField(
        _("berkas kesalahan"), upload_to="imports/errors/%Y/%m/", blank=True
    )
    message = models.TextField(_("pesan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background job that runs an upload (netral/jobs); null for the command line's.
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pekerjaan latar"),
    )

    class Meta:
        verbose_name = _("impor pejabat")
        verbose_name_plural = _("impor pejabat")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)
