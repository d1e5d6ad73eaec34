"""`netral recompute_deadlines [--dry-run]`: apply the current deadline rules, holidays and
recipient profiles to every open case (issue 12 point 6)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from netral.cases.models import DeadlineStep
from netral.cases.services.recompute import DeadlineChange, deadlines_recompute
from netral.core.progress import tqdm_progress
from netral.core.zones import format_local, zone_for_code


def _step(code: str) -> str:
    try:
        return str(DeadlineStep(code).label)
    except ValueError:
        return code or "-"


def change_line(change: DeadlineChange, region_code: str | None) -> str:
    zone = zone_for_code(region_code)
    what = _step(change.step)
    if change.old_step and change.old_step != change.step:
        what = f"{_step(change.old_step)} -> {what}"
    if change.recommendation_id:
        what += f" (penerusan #{change.recommendation_id})"
    return (
        f"{change.reference}\t{what}\t{format_local(change.old, zone)}"
        f"\t{format_local(change.new, zone)}"
    )


class Command(BaseCommand):
    help = (
        "Recompute every open case's deadlines from the current rules and holidays; print each "
        "change (case, step, old, new). Every change is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list the changes without saving them"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from netral.cases.models import Case

        progress, close = tqdm_progress("Menghitung ulang tenggat", unit="perkara")
        try:
            changes = deadlines_recompute(dry_run=options["dry_run"], progress=progress)
        finally:
            close()
        regions = dict(
            Case.objects.filter(pk__in={c.case_id for c in changes}).values_list(
                "pk", "handling_region_id"
            )
        )
        for change in changes:
            self.stdout.write(change_line(change, regions.get(change.case_id)))
        verb = "would change" if options["dry_run"] else "changed"
        self.stdout.write(f"{len(changes)} deadline(s) {verb}.")
