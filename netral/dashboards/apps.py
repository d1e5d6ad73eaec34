from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "netral.dashboards"
    label = "dashboards"
    verbose_name = _("Dasbor evaluasi")

    def ready(self) -> None:
        # Schema upkeep: the tally triggers exist and match their definitions after every
        # migrate (netral/dashboards/tallies.py).
        from netral.core.signals import bulk_insert_begin, bulk_insert_end, bulk_written
        from netral.dashboards.tallies import (
            tally_bulk_insert_begin,
            tally_bulk_insert_end,
            tally_compact_after_bulk_write,
            tally_ensure,
        )

        post_migrate.connect(tally_ensure, sender=self, dispatch_uid="netral-tallies")
        bulk_written.connect(tally_compact_after_bulk_write, dispatch_uid="netral-tallies")
        # A bulk INSERT (the officials import) counted once, grouped, not row by row.
        bulk_insert_begin.connect(tally_bulk_insert_begin, dispatch_uid="netral-tallies")
        bulk_insert_end.connect(tally_bulk_insert_end, dispatch_uid="netral-tallies")
