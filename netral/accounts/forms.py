"""The sign-in form: the throttling delay is checked before the password (issue 14 §10)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from netral.accounts import signin


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Terlalu banyak percobaan gagal. Coba lagi dalam %(seconds)d detik."),
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        wait = signin.login_delay_remaining(username=username, request=self.request)
        if wait > 0:
            signin.login_audit(
                action="login.throttled",
                username=username,
                user=None,
                request=self.request,
                note=f"tunggu {wait} detik",
            )
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"seconds": wait}
            )
        return super().clean()
