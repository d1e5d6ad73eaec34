"""`netral dashboard_tallies [--check | --compact | --rebuild]`: the counts behind the
evaluation dashboard (netral/dashboards/tallies.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.dashboards import tallies


class Command(BaseCommand):
    help = (
        "Show the state of the dashboard tallies; --check recounts and compares (exit 1 on a "
        "difference), --compact folds their delta rows, --rebuild reinstalls the triggers "
        "and recounts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--check", action="store_true", help="recount and compare")
        action.add_argument("--compact", action="store_true", help="fold the delta rows")
        action.add_argument(
            "--rebuild", action="store_true", help="reinstall the triggers and recount"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            tallies.tally_rebuild(show_progress=True)
            self.stdout.write(self.style.SUCCESS("Tally dihitung ulang dari data."))
        elif options["compact"]:
            left = tallies.tally_compact()
            self.stdout.write(self.style.SUCCESS(f"Tally dipadatkan: {left} baris."))
        elif options["check"]:
            differences = tallies.tally_check()
            wrong = 0
            for table, rows in differences.items():
                for row in rows:
                    self.stderr.write(f"BEDA {table} {row[:-2]}: tally {row[-2]}, data {row[-1]}")
                wrong += len(rows)
            if wrong:
                raise CommandError(
                    f"{wrong} kunci tally berbeda dari data; jalankan "
                    "`netral dashboard_tallies --rebuild`."
                )
            self.stdout.write(self.style.SUCCESS("Tally sama dengan data."))
        problem = tallies.tally_problem()
        if problem is not None:
            raise CommandError(
                f"Tally tidak dapat dipercaya ({problem}); jalankan "
                "`netral dashboard_tallies --rebuild`."
            )
        self.stdout.write(f"{tallies.tally_rows()} baris tally; pemicu terpasang.")
