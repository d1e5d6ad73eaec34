from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "netral.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Schema upkeep, not domain flow: keep region codes bytewise-sorted on PostgreSQL
        # after every migrate (netral/core/schema.py explains why).
        from netral.core.schema import (
            ensure_identifiers_collate_bytewise,
            ensure_region_codes_collate_bytewise,
        )

        post_migrate.connect(
            ensure_region_codes_collate_bytewise, sender=self, dispatch_uid="netral-collation"
        )
        post_migrate.connect(
            ensure_identifiers_collate_bytewise,
            sender=self,
            dispatch_uid="netral-collation-identifiers",
        )
