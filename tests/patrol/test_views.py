"""Officer pages: scoping (404 for another regency's capture), the public verification page
and the replay links; pages render labels in both languages."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from netral.core import sealing
from netral.patrol import services
from netral.patrol.models import Capture, CaptureFile, CaptureMethod, CaptureStatus, FileRole
from netral.registry.models import Region
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HTML = (
    b'<!doctype html><html><head><script src="https://cdn.example/x.js"></script>'
    b'<meta http-equiv="refresh" content="0;url=https://evil.example/"></head>'
    b'<body onload="steal()"><p>Postingan kades</p>'
    b'<img src="https://cdn.example/a.png"><a href="javascript:alert(1)">x</a></body></html>'
)


def _sealed_capture(user, region="64.08") -> Capture:
    capture = Capture.objects.create(
        unit_region=Region.objects.get(code=region),
        method=CaptureMethod.PERAMBAN,
        status=CaptureStatus.SELESAI,
        url="https://www.facebook.com/budi/posts/1",
        final_url="https://www.facebook.com/budi/posts/1",
        http_status=200,
        captured_at=timezone.now(),
        visible_text="Postingan kades",
        requested_by=user,
    )
    for role, name, ctype, data in (
        (FileRole.DOM, "page.html", "text/html; charset=utf-8", HTML),
        (FileRole.TEXT, "text.txt", "text/plain", b"Postingan kades"),
    ):
        row = CaptureFile(
            capture=capture,
            role=role,
            name=name,
            content_type=ctype,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        row.file.save(name, ContentFile(data), save=False)
        row.save()
    capture.record = services.seal_record(capture, list(capture.files.all()))
    capture.seal = sealing.seal(capture.record).__dict__
    capture.save()
    return capture


def test_another_regencys_capture_is_a_404(alice, charlie):
    capture = _sealed_capture(alice)
    assert client_for(alice).get(reverse("patrol:capture", args=[capture.pk])).status_code == 200
    other = client_for(charlie)
    assert other.get(reverse("patrol:capture", args=[capture.pk])).status_code == 404
    assert (
        other.post(
            reverse("patrol:triage", args=[capture.pk]), {"decision": "TIDAK_RELEVAN"}
        ).status_code
        == 404
    )
    assert capture.pk not in [c.pk for c in other.get(reverse("patrol:captures")).context["rows"]]


def test_a_read_only_auditor_sees_but_cannot_triage(alice, bob):
    capture = _sealed_capture(alice)
    client = client_for(bob)
    page = client.get(reverse("patrol:capture", args=[capture.pk]))
    assert page.status_code == 200
    assert b"triage-submit" not in page.content
    assert (
        client.post(
            reverse("patrol:triage", args=[capture.pk]), {"decision": "TIDAK_RELEVAN"}
        ).status_code
        == 404
    )
    assert client.get(reverse("patrol:capture_new")).status_code == 404


def test_pages_render_for_an_officer_in_both_languages(alice):
    capture = _sealed_capture(alice)
    client = client_for(alice)
    for name, args in (
        ("home", []),
        ("watch_list", []),
        ("capture_new", []),
        ("capture_upload", []),
        ("queue", []),
        ("captures", []),
        ("terms", []),
        ("letters", []),
        ("capture", [capture.pk]),
    ):
        response = client.get(reverse(f"patrol:{name}", args=args))
        assert response.status_code == 200, name
    client.cookies["django_language"] = "en"
    english = client.get(reverse("patrol:capture", args=[capture.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Done and sealed" in english.content


def test_the_replay_strips_scripts_and_points_every_url_at_netral(alice):
    capture = _sealed_capture(alice)
    page = client_for(alice).get(reverse("patrol:capture", args=[capture.pk]))
    replay_url = page.context["replay_url"]
    anon = client_for.__globals__["Client"]()  # the frame needs no session: the link is signed
    response = anon.get(replay_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script" not in body
    assert "refresh" not in body
    assert "onload" not in body
    assert "javascript:" not in body
    assert "https://cdn.example/a.png" not in body.replace("%3A", ":").split("?u=")[0]
    assert "/r/?u=https%3A%2F%2Fcdn.example%2Fa.png" in body
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'none'" in csp
    assert anon.get(replay_url.replace("/arsip/", "/arsip/x")).status_code == 404


def test_public_verification_shows_state_not_content(alice, client):
    capture = _sealed_capture(alice)
    url = reverse("patrol:verify", args=[capture.code])
    ok = client.get(url)
    assert ok.status_code == 200
    assert ok.context["result"].intact
    assert b"Postingan kades" not in ok.content
    assert b"facebook.com" not in ok.content
    row = capture.files.get(role=FileRole.TEXT)
    with open(row.file.path, "wb") as fh:
        fh.write(b"Postingan diubah")
    bad = client.get(url)
    assert not bad.context["result"].intact
    assert "Berubah" in bad.content.decode()
    row.file.storage.delete(row.file.name)
    gone = client.get(url)
    assert "Hilang" in gone.content.decode()


def test_an_unknown_code_is_a_404(client):
    import uuid

    assert client.get(reverse("patrol:verify", args=[uuid.uuid4()])).status_code == 404


def test_checking_an_account_with_htmx(alice):
    from tests.patrol.conftest import make_kades

    account = make_kades()
    response = client_for(alice).post(
        reverse("patrol:checked", args=[account.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert account.patrol_checks.count() == 1
    rows = client_for(alice).get(reverse("patrol:watch_list")).context["rows"]
    assert rows[0].last_checked_by


def test_coverage_is_on_the_patrol_page_and_the_evaluation_dashboard(alice):
    from netral.dashboards.selectors import DashboardFilters, dashboard_build
    from tests.patrol.conftest import make_kades

    account = make_kades()
    services.account_check_nothing(account=account, actor=alice)
    capture = _sealed_capture(alice)
    capture.official = account.official
    capture.save()
    coverage = client_for(alice).get(reverse("patrol:home")).context["coverage"]
    assert coverage.total.registered == 1
    assert coverage.total.checked == 1
    assert coverage.total.captures == 1
    row = next(r for r in coverage.rows if r.region_code == "64.08.04")
    assert (row.registered, row.checked, row.captures) == (1, 1, 1)
    dashboard = dashboard_build(user=alice, filters=DashboardFilters())
    table = next(t for t in dashboard.tables if t.key == "patrol_coverage")
    assert table.rows[-1][1:5] == [1, 1, 100.0, 1]
