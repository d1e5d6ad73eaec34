"""The letterhead of a supervisor unit (issue 12 point 18), configured by an administrator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The unit key of Bawaslu RI, whose unit has no region (Case.handling_region NULL).
NATIONAL_UNIT = "RI"


class UnitLetterhead(models.Model):
    """Address, place and optional logo of one unit's letters. The unit's name is not stored:
    it follows the case's regime (documents.unit_name)."""

    unit = models.CharField(
        _("unit"),
        max_length=16,
        unique=True,
        help_text=_("Kode wilayah unit (mis. 64.08 atau 64.08.04), atau RI untuk Bawaslu RI."),
    )
    address = models.CharField(_("alamat"), max_length=300)
    place = models.CharField(
        _("tempat penandatanganan"),
        max_length=100,
        help_text=_("Dicetak pada baris tempat dan tanggal, mis. Sangatta."),
    )
    phone = models.CharField(_("telepon"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("laman"), max_length=100, blank=True)
    logo = models.FileField(_("logo (PNG/JPEG)"), upload_to="letterheads/", blank=True)

    class Meta:
        verbose_name = _("kop surat unit")
        verbose_name_plural = _("kop surat unit")
        ordering = ["unit"]

    def __str__(self) -> str:
        return self.unit
