"""The officer's account page: sign out everywhere (issue 14 §13)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from netral.accounts import access, signin, tokens, twofactor
from netral.core.errors import ApplicationError
from netral.core.http import AuthenticatedHttpRequest


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "account": request.user,
            "idle_minutes": settings.NETRAL_IDLE_TIMEOUT_MINUTES,
            "two_factor_enrolled": twofactor.two_factor_enrolled(request.user),
            "two_factor_verified": twofactor.is_verified(request),
            "api_tokens": tokens.api_tokens_of(request.user),
            "token_permissions": [
                (p, access.Perm(p).label) for p in tokens.holder_permissions(request.user)
            ],
            "token_max_days": settings.NETRAL_API_TOKEN_MAX_DAYS,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    signin.sessions_end_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("Anda telah keluar dari semua perangkat."))
    return redirect("login")


# --- two-factor authentication (issue 14 §11) ----------------------------------------

_ENROL_DEVICE = "netral_enrol_device"


def _next_url(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(data: str) -> str:
    import segno

    return segno.make(data, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator or a recovery code."""
    if not twofactor.two_factor_enrolled(request.user):
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next_url(request)})}")
    error = ""
    if request.method == "POST":
        if twofactor.two_factor_verify(
            request=request, user=request.user, code=request.POST.get("code", "")[:20]
        ):
            return redirect(_next_url(request))
        error = _("Kode salah atau sudah dipakai. Coba lagi.")
    return render(
        request,
        "accounts/two_factor.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), confirm with a code.

    An account that already has one may replace it only from a verified session."""
    if twofactor.two_factor_enrolled(request.user) and not twofactor.is_verified(request):
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.path})}")
    device = None
    device_id = request.session.get(_ENROL_DEVICE)
    if device_id:
        device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    error = ""
    if request.method == "POST" and device is not None:
        codes = twofactor.totp_enrol_confirm(
            request=request,
            user=request.user,
            device=device,
            code="".join(request.POST.get("code", "").split())[:20],
        )
        if codes is not None:
            request.session.pop(_ENROL_DEVICE, None)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        error = _("Kode salah. Periksa jam ponsel Anda dan coba lagi.")
    if device is None:
        device = twofactor.totp_enrol_start(user=request.user)
        request.session[_ENROL_DEVICE] = device.pk
    key = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/enrol.html",
        {
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  segno's own SVG
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "error": error,
            "next": _next_url(request),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not twofactor.is_verified(request):
        raise Http404
    codes = twofactor.recovery_codes_renew(user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account")},
    )


# --- personal API tokens (issue 14 §12) ------------------------------------------------


@login_required
@require_POST
def api_token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        days = int(request.POST.get("days", "90") or "90")
    except ValueError:
        days = 0
    try:
        issued = tokens.api_token_create(
            user=request.user,
            name=request.POST.get("name", ""),
            permissions=request.POST.getlist("permissions"),
            days=days,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:account")
    response = render(request, "accounts/api_token_issued.html", {"issued": issued})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = tokens.api_tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    tokens.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token dicabut."))
    return redirect("accounts:account")
