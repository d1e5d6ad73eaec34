"""Election events and their two legal regimes (DOMAIN.md §0)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.core.models import BaseModel


class Regime(models.TextChoices):
    PEMILU = "PEMILU", _("Pemilu (UU 7/2017)")
    PILKADA = "PILKADA", _("Pilkada (UU 1/2015 jo. UU 10/2016)")


class Phase(models.TextChoices):
    PRA_KAMPANYE = "PRA_KAMPANYE", _("Sebelum kampanye")
    KAMPANYE = "KAMPANYE", _("Masa kampanye")
    MASA_TENANG = "MASA_TENANG", _("Masa tenang")
    PEMUNGUTAN = "PEMUNGUTAN", _("Pemungutan suara")
    PASCA = "PASCA", _("Pasca pemungutan")


class ElectionEvent(BaseModel):
    regime = models.CharField(_("rezim"), max_length=10, choices=Regime.choices)
    name = models.CharField(_("nama"), max_length=200)
    campaign_start = models.DateField(_("awal kampanye"))
    campaign_end = models.DateField(_("akhir kampanye"))
    voting_day = models.DateField(_("hari pemungutan suara"))
    recap_end = models.DateField(_("akhir rekapitulasi"), null=True, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cakupan wilayah"),
        help_text=_("Kosong untuk pemilihan nasional."),
    )

    class Meta:
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        ordering = ["-voting_day"]

    def __str__(self) -> str:
        return self.name

    def phase_on(self, day: dt.date) -> Phase:
        """The election phase on `day`; several prohibitions depend on it (DOMAIN.md §0)."""
        if day < self.campaign_start:
            return Phase.PRA_KAMPANYE
        if day <= self.campaign_end:
            return Phase.KAMPANYE
        if day < self.voting_day:
            return Phase.MASA_TENANG
        if day == self.voting_day:
            return Phase.PEMUNGUTAN
        return Phase.PASCA
