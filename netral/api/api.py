"""The REST API (django-ninja). One router per area in v1/, one function per operation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from netral.api.v1 import cases, dashboards, declarations, officials, regions
from netral.core.errors import ApplicationError

api = NinjaAPI(
    title="Netral API",
    version="1",
    urls_namespace="api-v1",
    description="Pengawasan netralitas ASN, kepala desa, perangkat desa, TNI dan Polri.",
)
api.add_router("/regions", regions.router)
api.add_router("/cases", cases.router)
api.add_router("/officials", officials.router)
api.add_router("/declarations", declarations.router)
api.add_router("/dashboards", dashboards.router)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": "application_error", "message": exc.message}}, status=400
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": "validation_error", "details": exc.errors}}, status=422
    )
