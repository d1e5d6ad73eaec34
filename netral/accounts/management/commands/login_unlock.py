from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from netral.accounts.signin import login_unlock


class Command(BaseCommand):
    help = "Lift a sign-in lockout of an account (and of a client address with --ip); audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--ip", default="", help="also unlock this client address")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = login_unlock(username=options["username"], actor=None, ip=options["ip"])
        self.stdout.write(
            self.style.SUCCESS(f"Kunci dibuka ({removed} catatan kegagalan dihapus).")
        )
