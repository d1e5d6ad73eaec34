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

    session_generation = models.PositiveIntegerField(
        _("generasi sesi"),
        default=0,
        editable=False,
        help_text=_("Dinaikkan oleh “keluar dari semua perangkat”: setiap sesi lama berakhir."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django checks this HMAC on every request; adding the session generation lets
        "sign out everywhere" end every session of the account (netral/accounts/signin.py)."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "netral.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


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


class ApiToken(BaseModel):
    """A personal API token for an integration (issue 14 §12).

    It acts for its holder, within the holder's jurisdiction, with only the permissions
    chosen when it was made (a subset of the holder's; access.jurisdiction_codes applies
    both). Only the SHA-256 of the secret is stored (the secret has 256 random bits, so a
    fast hash is enough); `prefix` identifies it in lists. It expires, and can be revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    permissions = models.JSONField(_("izin"), default=list)
    expires_at = models.DateTimeField(_("kedaluwarsa"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
