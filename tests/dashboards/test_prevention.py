"""Issue 13 §19: the evaluation dashboard and its rakor report cover prevention."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from netral.dashboards.selectors import DashboardFilters, dashboard_build
from netral.declarations import selectors, services
from netral.registry.models import Region
from tests.declarations.helpers import PNG_BYTES, event, official, pilkada, standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def prevention(alice: Any) -> Any:
    ev = event(actor=alice, title="Sosialisasi dan ikrar kepala desa")
    for n, desa in enumerate(["64.08.04.2001", "64.08.04.2011", "64.08.04.2012"]):
        official(region=desa, name=f"Kades {n + 1}")
    services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA"],
    )
    people = [p.official for p in selectors.event_participants(event=ev)]
    services.event_facts_update(
        event=ev,
        actor=alice,
        facts=services.EventFacts(attendance_total=150, villages_represented=139),
    )
    services.signature_record(event=ev, template=standard(), official=people[0], actor=alice)
    services.participants_mark_present(event=ev, officials=people, actor=alice)
    photo = services.event_document_upload(
        event=ev, actor=alice, kind="PHOTO", data=PNG_BYTES + b"prevention"
    )
    services.spoken_pledge_record(event=ev, template=standard(), actor=alice, evidence=[photo])
    # an event of another year, outside the period
    old = event(actor=alice, title="Sosialisasi 2023")
    type(old).objects.filter(pk=old.pk).update(date=dt.date(2023, 5, 1))
    return ev


def test_the_dashboard_counts_events_texts_signed_and_spoken(alice: Any, prevention: Any) -> None:
    filters = DashboardFilters(
        region_code="64.08",
        event=pilkada(),
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
    )
    dash = dashboard_build(user=alice, filters=filters)
    figures = {f.key: f.value for f in dash.figures}
    assert figures["prevention_events"] == 1
    assert figures["pledge_signatures"] == 1
    assert figures["spoken_participants"] == 3
    events = dash.table("prevention_events").rows
    assert events == [
        [
            "2024-09-20",
            "Sosialisasi dan ikrar kepala desa",
            "Sosialisasi, Deklarasi",
            "Kab. Kutai Timur",
            150,
            139,
            1,
            3,
        ]
    ]
    texts = dash.table("prevention_texts").rows
    assert texts == [[standard().title, "Ikrar netralitas", 1, 1, 3]]
    coverage = {row[0]: row[1:] for row in dash.table("prevention_coverage").rows}
    assert coverage["Kepala desa"] == [3, 1, 2, 100.0]


def test_the_rakor_report_carries_prevention(alice_client: Client, prevention: Any) -> None:
    query = "region=64.08&date_from=2024-01-01&date_to=2024-12-31"
    xlsx = alice_client.get(f"/dasbor/laporan.xlsx?{query}")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    titles = [s.title for s in book.worksheets]
    assert any(t.startswith("Kegiatan pencegahan") for t in titles)
    assert any(t.startswith("Naskah yang ditandatangani") for t in titles)
    pdf = alice_client.get(f"/dasbor/laporan.pdf?{query}")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kegiatan pencegahan" in text
    assert re.search(r"Sosialisasi\s+dan\s+ikrar\s+kepala\s+desa", text)
    assert "Sosialisasi 2023" not in text


def test_the_coverage_by_subject_type_comes_from_the_official_tally(
    alice: Any, prevention: Any
) -> None:
    """A regency over whole months reads the tallies: the prevention coverage's officials per
    subject type come from the official tally the dashboard already read, not from a count of
    the registry's rows on every build (it grew with the registry: 1.1 s at 5,000,000
    officials, docs/benchmarks.md "Session 13"); the figures are the same either way."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    filters = DashboardFilters(region_code="64.08")
    with CaptureQueriesContext(connection) as ctx:
        dash = dashboard_build(user=alice, filters=filters)
    assert dash.tallied
    counts_of_rows = [
        q["sql"]
        for q in ctx.captured_queries
        if re.search(r'SELECT "registry_official"\."subject_type" AS', q["sql"])
        and re.search(r"GROUP BY", q["sql"])
        and 'COUNT("registry_official"."id")' in q["sql"]  # a count of the registry's rows
        and '"registry_official"."id" IN' not in q["sql"]
    ]
    assert counts_of_rows == []
    with override_settings(NETRAL_DASHBOARD_TALLIES=False):
        from_rows = dashboard_build(user=alice, filters=filters)
    assert dash.table("prevention_coverage").rows == from_rows.table("prevention_coverage").rows
