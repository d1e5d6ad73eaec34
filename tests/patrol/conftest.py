"""Patroli siber tests: the fixture site (a public-post imitation) on loopback, admitted by
NETRAL_FETCH_ALLOWED_NETWORKS for the tests that use it only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from netral.elections.models import ElectionEvent, Regime
from netral.patrol.fixture_site import FixtureSite
from netral.registry.models import SocialAccount
from tests.factories import OfficialFactory

DESA = "64.08.04.2001"
LOOPBACK = ["127.0.0.0/8", "::1/128"]


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as running, override_settings(NETRAL_FETCH_ALLOWED_NETWORKS=LOOPBACK):
        yield running


@pytest.fixture(scope="module", autouse=True)
def _close_capture_browser() -> Iterator[None]:
    yield
    from netral.patrol.capture import browser_close

    browser_close()


def make_election(**kw: Any) -> ElectionEvent:
    today = timezone.localdate()
    defaults = dict(
        regime=Regime.PILKADA,
        name="Pilkada Kutai Timur 2026",
        campaign_start=today - dt.timedelta(days=30),
        campaign_end=today + dt.timedelta(days=30),
        voting_day=today + dt.timedelta(days=40),
        region_id="64.08",
    )
    defaults.update(kw)
    return ElectionEvent.objects.create(**defaults)


def make_kades(handle: str = "budi.santoso.kades", platform: str = "Facebook") -> SocialAccount:
    official = OfficialFactory(
        name="Budi Santoso", subject_type="KEPALA_DESA", position="Kepala Desa", region_id=DESA
    )
    return SocialAccount.objects.create(official=official, platform=platform, handle=handle)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """As tests/jobs/conftest.py: the worker's close_old_connections() would close the test's
    connection inside its transaction."""
    from django_tasks_db.management.commands import db_worker

    from netral.jobs import worker

    def keep(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(db_worker, "close_old_connections", keep)
    monkeypatch.setattr(worker, "close_old_connections", keep)


def run_worker() -> None:
    """Run every due job through the real worker loop (as `netral worker` would)."""
    from netral.jobs.worker import worker_run

    worker_run(batch=True)


def uploaded_capture(actor: Any, *, unit: str = "64.08") -> Any:
    """A sealed capture of an officer's own screenshot (one PNG), of a Kutai Timur post."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from netral.patrol import services
    from netral.registry.models import Region
    from tests.cases.conftest import PNG

    return services.capture_upload(
        actor=actor,
        data=services.UploadData(
            url="https://www.facebook.com/budi.santoso.kades/posts/99",
            seen_at=timezone.now() - dt.timedelta(hours=2),
            seen_where="HP dinas",
            statement="Unggahan terlihat di beranda.",
        ),
        files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
        unit_region=Region.objects.get(code=unit),
    )
