"""Language selection: Bahasa Indonesia unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, and most browsers in
Indonesia send en-US; the product must open in Indonesian. So only an explicit choice
(the language cookie set by the selector at the foot of every page) switches language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in _SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        if not response.streaming:
            # Do not leak this request's language into later work on the same thread;
            # a streamed body is still being rendered and keeps it until it ends.
            translation.deactivate()
        return response


class RejectNulMiddleware:
    """A NUL character in a query or form parameter is answered 400 at once (issue 14, point 7).

    No field of Netral can hold one, and PostgreSQL refuses it in any text it is sent (a 500 on
    every search and filter); SQLite would store it. Refusing it here covers every view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "%00" in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
            return _refusal(request)
        form = request.META.get("CONTENT_TYPE", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        )
        if request.method == "POST" and form and _has_nul(request.POST):
            return _refusal(request)
        return self.get_response(request)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


def _refusal(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):  # the API's documented error body (400)
        body = {"error": {"code": "bad_request", "message": "NUL in a parameter"}}
        return JsonResponse(body, status=400)
    return HttpResponseBadRequest("NUL in a parameter", content_type="text/plain")


class UnitZoneMiddleware:
    """Times are shown in the viewer's own zone (issue 12 point 7): a signed-in user's unit
    (the first region of their jurisdiction, netral/core/zones.py) is activated for the
    request, so every `|date` and `{{ moment }}` of a page is that zone's local time and its
    "T" prints WIB, WITA or WIT. Anonymous and national users (Bawaslu RI) keep WIB.

    A time that belongs to a place (a case, a capture, an event) is printed in that place's
    zone instead, with the `zoned`/`in_zone` filters (netral/core/templatetags/zones.py).
    Without a session cookie nobody is signed in: the user is not loaded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from netral.core.zones import viewer_zone

        user = request.user if settings.SESSION_COOKIE_NAME in request.COOKIES else None
        timezone.activate(viewer_zone(user).tz)
        response = self.get_response(request)
        if not response.streaming:
            timezone.deactivate()  # the next request on this thread starts from WIB again
        return response
