"""Users, roles and jurisdictions.

A user holds one or more Assignments: a role (the real actor they act for) over a
region (their jurisdiction). Region codes are hierarchical (DOMAIN.md §10), so a
jurisdiction covers its region and every region whose code starts with "<code>.".
A null region means the whole country (Bawaslu RI, national auditors, administrators).
Who may see or do what is decided only in accounts/access.py.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.core.models import BaseModel


class User(AbstractUser):
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    position = models.CharField(
        _("jabatan"),
        max_length=200,
        blank=True,
        help_text=_("Dicetak di blok tanda tangan surat, mis. Ketua Panwaslu Kecamatan ..."),
    )
    is_demo = models.BooleanField(
        _("akun demo"),
        default=False,
        db_index=True,
        help_text=_(
            "Dibuat oleh `netral demo`; selama ada akun demo, setiap halaman memberi tanda."
        ),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    """The actors of DOMAIN.md §1.1 (PengawasLevel) and the regency government."""

    BAWASLU_RI = "BAWASLU_RI", _("Bawaslu RI")
    BAWASLU_PROVINSI = "BAWASLU_PROVINSI", _("Bawaslu Provinsi")
    BAWASLU_KABKOTA = "BAWASLU_KABKOTA", _("Bawaslu Kabupaten/Kota")
    PANWASLU_KECAMATAN = "PANWASLU_KECAMATAN", _("Panwaslu Kecamatan")
    PANWASLU_KELDESA = "PANWASLU_KELDESA", _("Panwaslu Kelurahan/Desa (PKD)")
    KESBANGPOL = "KESBANGPOL", _("Kesbangpol")
    BKPSDM = "BKPSDM", _("BKPSDM")
    DPMD = "DPMD", _("DPMD")
    INSPEKTORAT = "INSPEKTORAT", _("Inspektorat")
    AUDITOR = "AUDITOR", _("Auditor (hanya baca)")
    ADMIN = "ADMIN", _("Administrator sistem")


class Assignment(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah yurisdiksi"),
        help_text=_("Kosong berarti seluruh Indonesia."),
    )
    unit_name = models.CharField(
        _("nama satuan kerja"),
        max_length=200,
        blank=True,
        help_text=_("Mis. Bawaslu Kabupaten Kutai Timur"),
    )

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"], name="assignment_unique_user_role_region"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(region__isnull=True),
                name="assignment_unique_user_role_national",
            ),
        ]

    def __str__(self) -> str:
        where = self.region_id or "ID"
        return f"{self.user} · {self.get_role_display()} · {where}"
