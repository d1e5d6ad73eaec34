from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    name = "netral.declarations"
    label = "declarations"
    verbose_name = _("Deklarasi, pakta integritas dan sosialisasi")
