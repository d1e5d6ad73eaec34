from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from netral.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data set (idempotent). Every demo account uses the same documented password."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo siap: {result.officers} akun petugas, {result.officials} pejabat, "
                f"{result.elections} pemilihan, {result.events} kegiatan, "
                f"{result.signatures} tanda tangan, {result.cases} perkara. "
                f"Kata sandi semua akun demo: {DEMO_PASSWORD}"
            )
        )
        self.stdout.write("Contoh: bawaslu.kutim, bawaslu.bogor, bawaslu.ri, admin")
        self.stdout.write(
            "Verifikasi dua langkah: kode dari `netral demo_code`, atau kunci autentikator "
            "JZSXI4TBNQWUIZLNN4WTEMBSGQWVIT2UKA (docs/how-to/demo.md)."
        )
