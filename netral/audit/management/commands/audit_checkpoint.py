from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from netral.audit.checkpoints import audit_checkpoint_create, checkpoints_export


class Command(BaseCommand):
    help = (
        "Seal a checkpoint of the audit trail with the Ed25519 key (run it periodically); "
        "--export FILE writes every checkpoint with its seal and public key as JSON lines "
        "for an outside witness."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--export", default="", help="write checkpoints to this file ('-': stdout)"
        )
        parser.add_argument(
            "--since", type=int, default=0, help="export checkpoints after this number"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export"]:
            lines = [
                json.dumps(r, sort_keys=True) for r in checkpoints_export(since=options["since"])
            ]
            text = "".join(line + "\n" for line in lines)
            if options["export"] == "-":
                self.stdout.write(text, ending="")
            else:
                Path(options["export"]).write_text(text, encoding="utf-8")
                self.stderr.write(f"{len(lines)} titik periksa ditulis ke {options['export']}.")
            return
        cp = audit_checkpoint_create()
        if cp is None:
            self.stdout.write("Tidak ada entri baru; tidak ada titik periksa baru.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Titik periksa #{cp.number}: {cp.entries} entri, {cp.chains} rantai, "
                f"digest {cp.digest} (kunci {cp.seal_key_id})."
            )
        )
