from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from netral.accounts import access
from netral.accounts.selectors import assignments_of
from netral.core.http import AuthenticatedHttpRequest


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "core/dashboard.html",
        {
            "assignments": assignments_of(user=request.user),
            "regions": access.regions_managed_by(request.user),
            "can_audit": access.has_perm(request.user, access.Perm.VIEW_AUDIT),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers; nothing else is checked."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache, storage and a worker's heartbeat (core/health.py)."""
    from netral.core.health import readiness

    ok, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for loopback clients or the bearer of NETRAL_METRICS_TOKEN."""
    from netral.core.health import metrics_allowed, metrics_text

    if not metrics_allowed(request):
        return HttpResponse(status=404)
    return HttpResponse(metrics_text(), content_type="text/plain; version=0.0.4; charset=utf-8")
