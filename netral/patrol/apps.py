from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolConfig(AppConfig):
    name = "netral.patrol"
    label = "patrol"
    verbose_name = _("Patroli siber")
