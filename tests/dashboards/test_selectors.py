"""dashboard_build against the hand-counted world of conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from netral.accounts.models import User
from netral.dashboards.selectors import DashboardFilters, dashboard_build
from netral.dashboards.tables import Dashboard
from tests.dashboards.conftest import World


def _rows(dash: Dashboard, key: str) -> dict[str, list[object]]:
    return {str(row[0]): row for row in dash.table(key).rows}


def _figures(dash: Dashboard, *keys: str) -> dict[str, object]:
    keys = keys or ("officials", "pledged", "pledge_coverage")
    return {f.key: f.value for f in dash.figures if f.key in keys}


CASE_FIGURES = (
    "cases",
    "registration_rate",
    "proven_rate",
    "follow_up_rate",
    "on_time_rate",
    "overdue",
    "cases_per_1000",
)


def test_alice_sees_only_kutai_timur_numbers(alice: User, world: World) -> None:
    # when
    dash = dashboard_build(user=alice, filters=DashboardFilters())
    # then
    assert dash.scope_code == "64.08"
    assert _figures(dash) == {"officials": 6, "pledged": 3, "pledge_coverage": 50.0}
    rows = _rows(dash, "by_region")
    assert rows["64.08.01"][2:] == [2, 2, 1000.0, 1, 50.0]
    assert rows["64.08.04"][2:] == [3, 2, 666.7, 2, 66.7]
    assert rows["64.08"][2:] == [1, 0, 0.0, 0, 0.0]  # registered at the regency itself
    assert not any(code.startswith("32") for code in rows)
    assert sum(int(r[2]) for r in rows.values()) == 6  # type: ignore[call-overload]


def test_dora_sees_the_whole_country_by_province(dora: User, world: World) -> None:
    dash = dashboard_build(user=dora, filters=DashboardFilters())
    assert dash.scope_code is None
    assert dash.child_level == "PROVINSI"
    assert _figures(dash) == {"officials": 10, "pledged": 4, "pledge_coverage": 40.0}
    rows = _rows(dash, "by_region")
    assert rows["64"][2] == 6
    assert rows["32"][2] == 4
    assert rows["32"][5:] == [1, 25.0]
    assert rows["61"][2:] == [0, 0, None, 0, None]  # nothing to divide by: no rate, not 0


def test_breakdowns_by_subject_type_and_position_category(alice: User, world: World) -> None:
    dash = dashboard_build(user=alice, filters=DashboardFilters())
    assert _rows(dash, "by_subject_type") == {
        "PNS": ["PNS", 3, 1, 33.3, 2, 666.7],
        "Kepala desa": ["Kepala desa", 3, 2, 66.7, 1, 333.3],
    }
    categories = _rows(dash, "by_position_category")
    assert categories["Fungsional"] == ["Fungsional", 2, 1, 50.0, 1, 500.0]
    assert categories["Jabatan pimpinan tinggi"] == ["Jabatan pimpinan tinggi", 1, 0, 0.0, 0, 0.0]
    assert categories["Tanpa kategori"] == ["Tanpa kategori", 3, 2, 66.7, 2, 666.7]


def test_drill_down_to_a_kecamatan_lists_its_desa(alice: User, world: World) -> None:
    dash = dashboard_build(user=alice, filters=DashboardFilters(region_code="64.08.04"))
    rows = _rows(dash, "by_region")
    assert rows["64.08.04.2001"][2:4] == [2, 1]
    assert rows["64.08.04.2011"][2] == 1
    assert [c for c, _n in dash.breadcrumbs] == [None, "64.08", "64.08.04"]


def test_event_and_period_filter_the_pledges(dora: User, world: World) -> None:
    pemilu = dashboard_build(user=dora, filters=DashboardFilters(event=world.pemilu))
    assert _figures(pemilu)["pledged"] == 0
    october = dashboard_build(
        user=dora,
        filters=DashboardFilters(
            event=world.pilkada, date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31)
        ),
    )
    assert _figures(october)["pledged"] == 3  # Bogor's September signature is out
    trend = dashboard_build(user=dora, filters=DashboardFilters(event=world.pilkada))
    assert trend.table("signatures_by_month").rows == [["2024-09", 1], ["2024-10", 3]]


def test_alice_cannot_open_another_regency(alice: User, world: World) -> None:
    with pytest.raises(Http404):
        dashboard_build(user=alice, filters=DashboardFilters(region_code="32.01"))
    with pytest.raises(Http404):
        dashboard_build(user=alice, filters=DashboardFilters(region_code="64"))


def test_charlie_sees_bogor_only(charlie: User, world: World) -> None:
    dash = dashboard_build(user=charlie, filters=DashboardFilters())
    assert _figures(dash) == {"officials": 4, "pledged": 1, "pledge_coverage": 25.0}


# --- case handling (DOMAIN.md §12) --------------------------------------------------------


def test_case_metrics_for_kutai_timur(alice: User, world: World) -> None:
    dash = dashboard_build(user=alice, filters=DashboardFilters(event=world.pilkada))
    assert _figures(dash, *CASE_FIGURES) == {
        "cases": 4,
        "registration_rate": 75.0,
        "proven_rate": 100.0,
        "follow_up_rate": 50.0,
        "on_time_rate": 50.0,
        "overdue": 2,
        "cases_per_1000": 666.7,
    }
    assert dash.table("cases_by_origin").rows == [
        ["Laporan", 3, 2, 66.7],
        ["Temuan", 1, 1, 100.0],
        ["Informasi awal", 0, 0, None],
        ["Jumlah", 4, 3, 75.0],
    ]
    assert _rows(dash, "cases_by_violation") == {
        "Pelanggaran peraturan perundang-undangan lainnya": [
            "Pelanggaran peraturan perundang-undangan lainnya",
            2,
            66.7,
        ],
        "Tindak pidana Pemilu/Pemilihan": ["Tindak pidana Pemilu/Pemilihan", 1, 33.3],
    }
    assert [r[1:] for r in dash.table("cases_by_skb_code").rows] == [[1, 100.0]]
    assert dash.table("sanctions_by_type").rows == [
        ["Sedang", "Pemotongan tunjangan kinerja 25% 6 bulan", 1, 100.0]
    ]
    assert _rows(dash, "reported_by_agency")["Dinas Uji"] == ["Dinas Uji", 1, 0]
    timing = {str(r[0]): r[1] for r in dash.table("decision_timing").rows}
    assert timing["Diputus dalam tenggat"] == 1
    assert timing["Diputus melewati tenggat"] == 1
    assert timing["Median hari registrasi sampai putusan"] == 6.0  # 2 and 10 days
    assert timing["Perkara terbuka lewat tenggat"] == 1
    assert timing["Rekomendasi lewat tenggat tindak lanjut"] == 1
    assert dash.table("cases_by_month").rows == [["2024-10", 4, 3]]


def test_case_metrics_nationally(dora: User, world: World) -> None:
    dash = dashboard_build(user=dora, filters=DashboardFilters())
    figures = _figures(dash, *CASE_FIGURES)
    assert figures["cases"] == 5
    assert figures["registration_rate"] == 80.0
    assert figures["proven_rate"] == 66.7
    rows = _rows(dash, "by_region")
    assert rows["32"][3:5] == [1, 250.0]
    assert rows["64"][3:5] == [4, 666.7]


def test_a_public_draft_is_not_a_case_yet(alice: User, world: World) -> None:
    dash = dashboard_build(user=alice, filters=DashboardFilters())
    assert _figures(dash, "cases") == {"cases": 4}


def test_period_filter_applies_to_cases(alice: User, world: World) -> None:
    dash = dashboard_build(
        user=alice,
        filters=DashboardFilters(date_from=dt.date(2024, 10, 10), date_to=dt.date(2024, 10, 31)),
    )
    assert _figures(dash, "cases") == {"cases": 3}  # C1 (2 Oct) is out


def test_a_village_supervisor_sees_the_village_itself(world: World) -> None:
    from netral.accounts.models import Role
    from tests.factories import UserFactory

    pkd = UserFactory(username="pkd", role=Role.PANWASLU_KELDESA, region="64.08.04.2001")
    dash = dashboard_build(user=pkd, filters=DashboardFilters())
    assert dash.scope_code == "64.08.04.2001"
    assert _figures(dash, "officials", "cases") == {"officials": 2, "cases": 1}
    assert [r[:3] for r in dash.table("by_region").rows] == [
        ["64.08.04.2001", "Desa Sangatta Utara", 2]
    ]


def test_weighted_median() -> None:
    from netral.dashboards.case_metrics import _weighted_median

    assert _weighted_median([]) is None
    assert _weighted_median([(5, 1)]) == 5.0
    assert _weighted_median([(2, 1), (10, 1)]) == 6.0
    assert _weighted_median([(1, 3), (100, 1)]) == 1.0
    assert _weighted_median([(1, 2), (3, 2)]) == 2.0


def test_the_optional_cache_is_per_jurisdiction(
    alice: User, charlie: User, world: World, settings: object
) -> None:
    from django.core.cache import cache

    from tests.factories import OfficialFactory

    # given: caching on, and charlie's dashboard of Bogor computed first
    settings.NETRAL_DASHBOARD_CACHE_SECONDS = 60  # type: ignore[attr-defined]
    cache.clear()
    bogor = dashboard_build(user=charlie, filters=DashboardFilters())
    first = dashboard_build(user=alice, filters=DashboardFilters())
    OfficialFactory(region_id="64.08.04.2001")
    # when
    again = dashboard_build(user=alice, filters=DashboardFilters())
    # then: the same snapshot (until it expires), never another jurisdiction's
    assert again.generated_at == first.generated_at
    assert _figures(again, "officials") == {"officials": 6}
    assert _figures(bogor, "officials") == {"officials": 4}
    with pytest.raises(Http404):  # the scope check runs before the cache
        dashboard_build(user=alice, filters=DashboardFilters(region_code="32.01"))
    settings.NETRAL_DASHBOARD_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    assert _figures(dashboard_build(user=alice, filters=DashboardFilters()), "officials") == {
        "officials": 7
    }
    cache.clear()
