"""Issue 14, point 7: no 5xx on odd parameters, on every GET page.

Every URL of the site is requested once plainly to learn which query parameters its view reads
(QueryDict reads are recorded), then each of those parameters gets each extreme value: huge
integers, far dates, empty, a list, unicode, negative, garbage. Nothing may answer 5xx. The API
has its own fuzzing (schemathesis, tests/security/test_api_schema.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import verify_second_factor
from tests.dashboards.conftest import World, world  # noqa: F401 (fixture)

EXTREMES: list[Any] = [
    "99999999999999999999999",
    "-99999999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "",
    ["1", "2"],
    "\u0130\u0307\U0001f600\u202e\x00",
    "1e309",
    "../../etc/passwd",
    "' OR 1=1 --",
]
# /healthz/ready answers 503 by design while no worker beats (tests run none): not a fault.
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "static/", "media/", "keluar/", "healthz/ready")
HUGE_ID = "99999999999999999999"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _fill(route: str, huge: bool) -> str | None:
    """A concrete path for a route: converters get a huge or a plausible value."""
    import re

    if route.startswith("^") or "(?P" in route:
        return None

    def value(match: re.Match[str]) -> str:
        kind = match.group(1) or "str"
        if kind == "int":
            return HUGE_ID if huge else "1"
        if kind == "uuid":
            return str(uuid.UUID(int=0))
        return "x" * (300 if huge else 1)

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


def _paths() -> list[str]:
    paths = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        for huge in (False, True):
            path = _fill(route, huge)
            if path and path not in paths:
                paths.append(path)
    return paths


class _Recorder:
    keys: set[str] = set()


def _recording(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, name)

        def wrapped(self: QueryDict, key: Any, *args: Any, _o: Any = original) -> Any:
            if isinstance(key, str):
                _Recorder.keys.add(key)
            return _o(self, key, *args)

        monkeypatch.setattr(QueryDict, name, wrapped)


def _fuzz(client: Client, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    tried = 0
    failures: list[str] = []
    for path in _paths():
        _Recorder.keys = set()
        with monkeypatch.context() as m:
            _recording(m)
            first = client.get(path)
        tried += 1
        if first.status_code >= 500:
            failures.append(f"{path} -> {first.status_code}")
            continue
        names = sorted(k for k in _Recorder.keys if not k.startswith(("csrf", "HTTP_")))
        for name in names:
            for value in EXTREMES:
                response = client.get(path, {name: value})
                tried += 1
                if response.status_code >= 500:
                    failures.append(f"{path}?{name}={value!r} -> {response.status_code}")
        if names:  # all at once too
            response = client.get(path, dict.fromkeys(names, EXTREMES[0]))
            tried += 1
            if response.status_code >= 500:
                failures.append(f"{path} (all) -> {response.status_code}")
    return tried, failures


@pytest.mark.django_db
def test_no_page_answers_5xx_to_odd_parameters(
    world: World,  # noqa: F811
    dora: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    officer = Client(raise_request_exception=False)
    officer.force_login(dora)
    verify_second_factor(officer, dora)
    tried_officer, failures = _fuzz(officer, monkeypatch)
    tried_public, public_failures = _fuzz(Client(raise_request_exception=False), monkeypatch)
    print(f"odd parameters: {tried_officer + tried_public} requests, all below 500")  # noqa: T201
    assert tried_officer > 300
    assert not failures + public_failures, "\n".join(failures + public_failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/?offset=99999999999999999999999",
        "/api/v1/cases/?offset=-1&limit=99999999999",
        "/api/v1/cases/99999999999999999999999",
        "/api/v1/dashboards/summary?date_to=9999-12-31",
        "/api/v1/dashboards/summary?date_from=0001-01-01",
        "/api/v1/officials/?agency_id=99999999999999999999999",
        "/api/v1/officials/?page=99999999999999999999999",
        "/api/v1/officials/99999999999999999999999",
        "/api/v1/declarations/events/99999999999999999999999",
        "/api/v1/regions/?q=" + "x" * 5000,
        "/perkara/?page=99999999999999999999999",
        "/dasbor/?date_to=9999-12-31",
        "/pejabat/?instansi=99999999999999999999999",
    ],
)
def test_the_parameters_named_in_the_attack_are_refused_without_a_5xx(dora: Any, url: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(dora)
    verify_second_factor(client, dora)
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if url.startswith("/api/"):
        assert response.status_code in (400, 404, 422), (url, response.status_code)


@pytest.mark.django_db
def test_a_nul_in_a_parameter_is_a_400_on_both_databases(client: Client) -> None:
    """PostgreSQL refuses NUL in any text: without the middleware every search was a 500."""
    assert client.get("/lapor/terlapor/cari/", {"q": "Budi\x00"}).status_code == 400
    assert client.post("/lapor/", {"pelapor-name": "Rina\x00"}).status_code == 400
    assert client.get("/lapor/terlapor/cari/", {"q": "Budi"}).status_code == 200


@pytest.mark.django_db
def test_a_nul_in_an_api_parameter_is_the_apis_json_400(client: Client) -> None:
    response = client.get("/api/v1/regions/", {"q": "a\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
