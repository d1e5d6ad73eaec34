"""`netral watch_deadlines [--loop SECONDS]`: warn before deadlines, alert when they pass,
send the notifications the public report form deferred (netral.cases.notifications), and
compact the dashboard tallies."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from netral.cases.notifications import notifications_send_pending
from netral.dashboards.tallies import tally_compact
from netral.monitoring.services import deadlines_watch


class Command(BaseCommand):
    help = "Warn before case deadlines, alert when they pass, escalate overdue recommendations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDS",
            help="run forever, one pass every SECONDS (0: one pass and exit)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval: int = options["loop"]
        while True:
            result = deadlines_watch()
            sent = notifications_send_pending()
            # Fold the dashboard tallies' delta rows (netral/dashboards/tallies.py) so the
            # dashboard sums a few rows per key, not one per change since the last pass.
            tally_rows = tally_compact()
            self.stdout.write(
                f"warnings={result.warnings} overdue={result.overdue} "
                f"escalations={result.escalations} mails={sent} tally_rows={tally_rows}"
            )
            if interval <= 0:
                return
            time.sleep(interval)
