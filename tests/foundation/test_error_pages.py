"""Issue 13 point 12: Indonesian 404/403/500 pages in the site's layout, a favicon, and
web addresses in evidence lists are links."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("test-boom/", _boom),
    path("test-denied/", _denied),
    path("", include("config.urls")),
]


def test_a_missing_page_is_indonesian_in_the_sites_layout(client: Client) -> None:
    response = client.get("/tidak-ada/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in body
    assert "Not Found" not in body
    assert 'href="/lapor/"' in body  # the site's navigation
    assert "favicon.svg" in body


def test_the_missing_page_follows_the_chosen_language(client: Client) -> None:
    client.cookies["django_language"] = "en"
    body = client.get("/tidak-ada/").content.decode()
    assert "Page not found" in body


def test_a_missing_case_for_an_officer_offers_the_officer_area(alice_client: Client) -> None:
    response = alice_client.get("/perkara/999999/")
    assert response.status_code == 404
    assert "Ke ruang petugas" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_indonesian_in_the_sites_layout() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan" in body
    assert "Server Error" not in body
    assert "netral.css" in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_is_indonesian(client: Client) -> None:
    response = client.get("/test-denied/")
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


def test_the_favicon_is_served(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_web_addresses_in_an_evidence_list_are_links() -> None:
    from django.template import Context, Template

    html = Template("{% load labels %}{{ text|links }}").render(
        Context({"text": 'Posting https://facebook.com/kades.x/posts/1 <b>"tangkapan"</b>'})
    )
    assert (
        '<a href="https://facebook.com/kades.x/posts/1" rel="nofollow noopener noreferrer">' in html
    )
    assert "&lt;b&gt;" in html  # the rest is still escaped
