from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP  # type: ignore[import-untyped]
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from netral.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of the demo accounts (their shared, public "
        "authenticator key); refuses when no active demo account uses that key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        device = TOTPDevice.objects.filter(
            key=DEMO_TOTP_KEY, user__is_demo=True, user__is_active=True, confirmed=True
        ).first()
        if device is None:
            raise CommandError("Tidak ada akun demo aktif dengan kunci autentikator demo.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (berlaku {left} detik lagi)")
