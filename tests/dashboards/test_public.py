"""The public transparency page: aggregates only, no personal data, small cells suppressed."""

from __future__ import annotations

from django.test import Client, override_settings

from netral.dashboards.public import suppress, suppress_table
from netral.dashboards.tables import Table
from tests.dashboards.conftest import World


def test_it_is_readable_without_login(client: Client, world: World) -> None:
    response = client.get("/transparansi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert 'data-code="64"' in html


def test_it_shows_no_personal_data(client: Client, world: World) -> None:
    html = client.get(f"/transparansi/?pemilihan={world.pilkada.pk}").content.decode()
    for official in world.officials.values():
        assert official.name not in html
        assert official.nik is None or official.nik not in html
    assert "Deklarasi netralitas" not in html  # no event titles either
    assert 'data-table="reported_by_agency"' not in html
    assert "Dinas Uji" not in html  # an agency named in a case


@override_settings(NETRAL_TRANSPARENCY_MIN_COUNT=5)
def test_small_counts_are_suppressed(client: Client, world: World) -> None:
    html = client.get(f"/transparansi/?pemilihan={world.pilkada.pk}").content.decode()
    # 4 pledged nationally (< 5): shown as "< 5", and the coverage rate is withheld
    assert 'data-figure="pledged"><span class="figure-value">&lt; 5<' in html
    # ... and so is the coverage rate computed from it (4 of 10 would give it away)
    assert 'data-figure="pledge_coverage"><span class="figure-value">\N{EN DASH}<' in html
    # 5 cases is not small: the count shows
    assert 'data-figure="cases"><span class="figure-value">5<' in html
    # 6 officials in Kalimantan Timur is not small; its 4 cases and 3 pledges are
    dash = "\N{EN DASH}"
    row = f"<td>Prov. Kalimantan Timur</td><td>6</td><td>&lt; 5</td><td>{dash}</td><td>&lt; 5</td>"
    assert f"{row}<td>{dash}</td>" in html


@override_settings(NETRAL_TRANSPARENCY_MIN_COUNT=1)
def test_the_threshold_is_a_setting(client: Client, world: World) -> None:
    html = client.get(f"/transparansi/?pemilihan={world.pilkada.pk}").content.decode()
    assert 'data-figure="pledged"><span class="figure-value">4<' in html


def test_the_public_page_stops_at_kabupaten_kota(client: Client, world: World) -> None:
    response = client.get("/transparansi/?wilayah=64")
    assert response.status_code == 200
    assert 'data-code="64.08"' in response.content.decode()
    assert client.get("/transparansi/?wilayah=64.08").status_code == 404
    assert client.get("/transparansi/?pemilihan=999999").status_code == 404


def test_suppression_rules() -> None:
    assert [suppress(v, 5) for v in (0, 1, 4, 5, 12)] == [0, "< 5", "< 5", 5, 12]
    table = Table(
        key="by_subject_type",
        title="t",
        columns=["a", "b", "c", "d", "e", "f"],
        rows=[
            ["PNS", 10, 3, 30.0, 5, 500.0],
            ["TNI", 2, 2, 100.0, 0, 0.0],
            ["Polri", 7, 6, 85.7, 1, 142.9],
        ],
    )
    assert suppress_table(table, 5).rows == [
        ["PNS", 10, "< 5", None, 5, 500.0],
        ["TNI", "< 5", "< 5", None, 0, None],
        ["Polri", 7, 6, 85.7, "< 5", None],
    ]


def test_the_public_aggregates_are_cached(client: Client, world: World, settings: object) -> None:
    from tests.factories import OfficialFactory

    settings.NETRAL_TRANSPARENCY_CACHE_SECONDS = 300  # type: ignore[attr-defined]
    settings.NETRAL_TRANSPARENCY_MIN_COUNT = 1  # type: ignore[attr-defined]
    first = client.get("/transparansi/").content.decode()
    OfficialFactory(region_id="64.08.04.2001")
    cached = client.get("/transparansi/").content.decode()
    settings.NETRAL_TRANSPARENCY_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    fresh = client.get("/transparansi/").content.decode()
    figure = 'data-figure="officials"><span class="figure-value">'
    assert f"{figure}10<" in first
    assert f"{figure}10<" in cached
    assert f"{figure}11<" in fresh
