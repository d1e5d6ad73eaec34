"""The REST API (django-ninja). One router per area in v1/, one function per operation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from netral.api.v1 import cases, dashboards, declarations, officials, regions
from netral.core.errors import ApplicationError

# Every operation may answer these besides its success: documented on each, so a client (and
# the schemathesis run in tests/security/test_api_schema.py) knows every status it can get.
_ERROR_BODY = {"type": "object", "additionalProperties": True}
ERROR_RESPONSES = {
    400: "The request breaks a rule of the service (error.message says which)",
    401: "Not signed in",
    403: "Signed in without the permission, or the CSRF check failed",
    404: "Missing, or not within the caller's jurisdiction (the same answer for both)",
    422: "A parameter or body field is missing, malformed or out of bounds",
}


class NetralAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERROR_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {
                            "description": text,
                            "content": {"application/json": {"schema": _ERROR_BODY}},
                        },
                    )
        return schema


api = NetralAPI(
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
