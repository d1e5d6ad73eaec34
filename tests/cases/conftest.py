"""Helpers for case-handling tests: a Panwascam officer, a filed report, tiny real files."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from netral.accounts.models import Role, User
from netral.cases.services import CaseData, PersonData, ReporterData, WitnessData, case_file_public
from netral.registry.models import Region
from tests.factories import UserFactory

# a real 1x1 PNG (every chunk's CRC right: evidence is decoded, issue 14 point 4)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89"
    b"\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DESA = "64.08.04.2001"  # Desa Sangatta Utara, Kec. Sangatta Utara, Kab. Kutai Timur


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def seed_deadline_rules() -> None:
    """Re-run the data migrations (transactional tests flush the seeded rows)."""
    module = importlib.import_module(
        "netral.cases.migrations.0002_seed_deadline_rules_and_holidays"
    )
    module.seed(django_apps, None)
    correction = importlib.import_module(
        "netral.cases.migrations.0007_correct_holidays_2023_iduladha"
    )
    correction.add_missing(django_apps, None)
    profiles = importlib.import_module("netral.cases.migrations.0010_seed_recipient_profiles")
    profiles.seed(django_apps, None)
    skb = importlib.import_module("netral.cases.migrations.0013_seed_skb_sanction_levels")
    skb.seed(django_apps, None)


@pytest.fixture
def panwascam(db: Any) -> User:
    return UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region="64.08.04")


def case_data(**overrides: Any) -> CaseData:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "regime": "PILKADA",
        "incident_region": Region.objects.get(pk=DESA),
        "incident_place": "Balai desa, RT 03",
        "title": "Kepala desa mengajak warga memilih pasangan calon",
        "description": "Pada rapat warga kepala desa mengajak memilih paslon nomor 2.",
        "event_date": today - dt.timedelta(days=2),
        "known_date": today - dt.timedelta(days=1),
        "persons": [
            PersonData(
                name="Budi Santoso",
                position="Kepala Desa",
                agency_name="Desa Sangatta Utara",
                subject_type="KEPALA_DESA",
            )
        ],
        "witnesses": [WitnessData(name="Ani", address="RT 03")],
    }
    values.update(overrides)
    return CaseData(**values)


def reporter_data(**overrides: Any) -> ReporterData:
    values: dict[str, Any] = {
        "kind": "WNI_HAK_PILIH",
        "name": "Rina Pelapor",
        "address": "Jl. Mawar 1",
        "phone": "081234567890",
        "email": "rina@example.test",
    }
    values.update(overrides)
    return ReporterData(**values)


def file_report(**overrides: Any) -> Any:
    files = overrides.pop("files", [png()])
    reporter = overrides.pop("reporter", reporter_data())
    return case_file_public(
        data=case_data(**overrides), reporter=reporter, files=files, submission_key=uuid.uuid4()
    )


@pytest.fixture(autouse=True)
def _deadline_rules(request: Any) -> None:
    """Transactional tests flush the seeded rules and holidays; put them back if missing."""
    uses_db = "db" in request.fixturenames or "transactional_db" in request.fixturenames
    if not uses_db and not any(m.name == "django_db" for m in request.node.iter_markers()):
        return
    request.getfixturevalue(
        "transactional_db"
        if any(
            m.name == "django_db" and m.kwargs.get("transaction")
            for m in request.node.iter_markers()
        )
        else "db"
    )
    from netral.cases.models import DeadlineRule

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    seed_pledge_texts()


def seed_pledge_texts() -> None:
    """A flushed, reused test DB also lacks the declarations' seeded pledge texts."""
    from netral.declarations.models import PledgeTemplate

    if not PledgeTemplate.objects.exists():
        module = importlib.import_module(
            "netral.declarations.migrations.0002_standard_pledge_texts"
        )
        module.load(django_apps, None)
        sources = importlib.import_module(
            "netral.declarations.migrations.0005_standard_pledge_sources"
        )
        sources.name_sources(django_apps, None)


def client_for_user(user: User) -> Any:
    from tests.conftest import client_for

    return client_for(user)
