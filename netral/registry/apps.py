from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "netral.registry"
    label = "registry"
    verbose_name = _("Registri wilayah dan pejabat")
