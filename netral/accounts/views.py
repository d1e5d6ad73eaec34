"""The officer's account page: sign out everywhere (issue 14 §13)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from netral.accounts import signin
from netral.core.http import AuthenticatedHttpRequest


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {"account": request.user, "idle_minutes": settings.NETRAL_IDLE_TIMEOUT_MINUTES},
    )


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    signin.sessions_end_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("Anda telah keluar dari semua perangkat."))
    return redirect("login")
