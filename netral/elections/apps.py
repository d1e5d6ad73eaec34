from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "netral.elections"
    label = "elections"
    verbose_name = _("Pemilu dan Pilkada")
