"""The demo holds a patrol with captures of the fixture pages (issue 16, done means)."""

from __future__ import annotations

import pytest

from netral.cases.models import Origin
from netral.patrol.models import Capture, CaptureStatus, TakedownLetter, Triage

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_patrol_with_sealed_captures():
    from netral.demo import demo_load
    from netral.patrol import services

    demo_load()
    captures = Capture.objects.filter(requested_by__username="bawaslu.kutim")
    assert captures.count() == 4
    assert all(c.status == CaptureStatus.SELESAI for c in captures)
    assert all(services.capture_verify(capture=c).intact for c in captures)
    finding = captures.get(triage=Triage.TEMUAN)
    assert finding.case.origin == Origin.TEMUAN
    assert finding.official is not None
    assert "Paslon 2" in finding.hits
    assert TakedownLetter.objects.get().items.count() == 2
    demo_load()  # idempotent
    assert captures.count() == 4
