from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "netral.registry"
    label = "registry"
    verbose_name = _("Registri wilayah dan pejabat")

    def ready(self) -> None:
        from netral.core.signals import bulk_insert_begin, bulk_insert_end

        from . import fts

        # A bulk import indexes its officials' names once, not row by row (registry/fts.py).
        bulk_insert_begin.connect(fts.bulk_insert_begin, dispatch_uid="netral-official-fts")
        bulk_insert_end.connect(fts.bulk_insert_end, dispatch_uid="netral-official-fts")
