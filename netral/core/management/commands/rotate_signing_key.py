from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from netral.core.sealing import key_store


class Command(BaseCommand):
    help = "Create a new Ed25519 sealing key and make it active; old seals stay verifiable."

    def handle(self, *args: Any, **options: Any) -> None:
        store = key_store()
        kid = store.rotate()
        self.stdout.write(
            self.style.SUCCESS(
                f"Kunci aktif baru: {kid} "
                f"({len(store.key_ids())} kunci tersimpan di {store.directory})"
            )
        )
