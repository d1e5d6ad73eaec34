"""Two-factor authentication (issue 14 §11), on django-otp.

Every account whose role handles cases, sees identities or administers
(access.requires_two_factor) must, after its password, prove a second factor: a code from
an authenticator app (TOTP, RFC 6238) or one of its single-use recovery codes. Until it has,
RequireTwoFactorMiddleware lets it reach only the 2FA pages and sign-out: officer pages and
the admin redirect there, the API answers 401. An account without a device enrols on its
first sign-in. Enrolment, recovery-code renewal, reset by an administrator, and every
verification and failure are audited. django-otp throttles wrong codes per device.

The settings switch NETRAL_2FA_REQUIRED exists for closed test installations only; the
deploy guide keeps it on (docs/security.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY, match_token  # type: ignore[import-untyped]
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken  # type: ignore[import-untyped]
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from netral.accounts import access
from netral.accounts.models import User
from netral.accounts.signin import _region_of, client_ip
from netral.audit.services import audit_record

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def _audit(user: User, action: str, actor: User | None, note: str = "") -> None:
    audit_record(obj=user, action=action, actor=actor, region_code=_region_of(user), note=note)


def two_factor_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def is_verified(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and bool(getattr(user, "is_verified", lambda: False)())


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the account (replacing an unfinished one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def totp_enrol_confirm(
    *, request: HttpRequest, user: User, device: TOTPDevice, code: str
) -> list[str] | None:
    """Confirm the new authenticator with a code from it: it replaces any older device, new
    recovery codes are issued (returned to be shown once; django-otp stores them as given,
    see docs/security.md) and this session is marked verified. None when the code is wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        _audit(user, "2fa.enrol_failed", user)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user)
    otp_login(request, device)
    _audit(user, "2fa.enrolled", user, note=client_ip(request))
    return codes


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    codes = _recovery_codes_issue(user)
    _audit(user, "2fa.recovery_codes_renewed", user)
    return codes


def two_factor_verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """Check a code from the authenticator or a recovery code; mark the session verified."""
    code = "".join(code.split())
    device = match_token(user, code) if code.isdigit() else None
    with transaction.atomic():
        if device is None:
            _audit(user, "2fa.failed", user, note=client_ip(request))
            return False
        otp_login(request, device)
        kind = "recovery" if isinstance(device, StaticDevice) else "totp"
        _audit(user, f"2fa.verified.{kind}", user, note=client_ip(request))
    return True


@transaction.atomic
def two_factor_reset(*, user: User, actor: User | None) -> None:
    """An administrator removes the account's devices (lost phone): it enrols again at its
    next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(user, "2fa.reset", actor)


# --- enforcement ---------------------------------------------------------------------

_OPEN_PREFIXES = ("/akun/2fa/", "/keluar/", "/masuk/", "/static/", "/i18n/", "/healthz")


class RequireTwoFactorMiddleware:
    """After django_otp's OTPMiddleware: an account that needs a second factor and has not
    given one this session reaches only the 2FA pages and sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.NETRAL_2FA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not getattr(request, "netral_token_auth", False)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not is_verified(request)
            and access.requires_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor verification required", "code": "2fa_required"},
                    status=401,
                )
            target = "accounts:two_factor" if two_factor_enrolled(user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def session_mark_verified(session: object, device: TOTPDevice) -> None:
    """For tests and the demo helper: what a verified sign-in stores in the session."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # type: ignore[index]
