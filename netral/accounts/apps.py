from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "netral.accounts"
    label = "accounts"
    verbose_name = _("Akun dan yurisdiksi")

    def ready(self) -> None:
        # Sign-in events are audited from every path that signs in (netral/accounts/signin.py).
        from axes.signals import user_locked_out  # type: ignore[import-untyped]
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from netral.accounts import signin

        user_logged_in.connect(signin.on_logged_in, dispatch_uid="netral.login.audit")
        user_logged_out.connect(signin.on_logged_out, dispatch_uid="netral.logout.audit")
        user_login_failed.connect(signin.on_login_failed, dispatch_uid="netral.failed.audit")
        user_locked_out.connect(signin.on_locked_out, dispatch_uid="netral.lockout.audit")
