from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from netral.registry import selectors
from netral.registry.models import Region, RegionLevel
from netral.registry.services.regions_load import (
    PACKAGED_REGIONS,
    RegionFileError,
    open_region_file,
    parse_regions,
    regions_load,
)
from tests.conftest import FIXTURES, SAMPLE_REGIONS

BAD = FIXTURES / "regions"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "wilayah.csv"
    path.write_text("kode,nama,level,parent_kode\n" + body, encoding="utf-8")
    return path


@pytest.mark.django_db
class TestRegionsLoad:
    def test_the_sample_tree_is_loaded_with_every_level(self) -> None:
        counts = {lvl: Region.objects.filter(level=lvl).count() for lvl in RegionLevel}
        assert counts[RegionLevel.PROVINSI] == 4
        assert counts[RegionLevel.KABKOTA] == 4
        assert Region.objects.filter(code__startswith="64.08.", level="DESA").count() == 139

    def test_loading_twice_changes_nothing(self) -> None:
        result = regions_load(path=SAMPLE_REGIONS, edition="sample")
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1024)

    def test_a_renamed_region_is_updated(self, tmp_path: Path) -> None:
        path = _write(tmp_path, "64,Kalimantan Timur Baru,provinsi,\n")
        result = regions_load(path=path, edition="sample")
        assert result.updated == 1
        assert Region.objects.get(code="64").name == "Kalimantan Timur Baru"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("64.08.99,X,kecamatan,64.08\n64.8,Y,kabkota,64\n", "Baris 3, kolom kode"),
            ("64.08.99,X,kecamatan,64.08\n99.01,Y,kabkota,99\n", "Baris 3, kolom parent_kode"),
            ("64.08.99,X,kecamatan,64.08\n64.08.98,Y,desa,64.08\n", "Baris 3: kode 64.08.98"),
            ("64.08.99,X,kecamatan,64.08\n64.08.97,,kecamatan,64.08\n", "Baris 3, kolom nama"),
            ("64.08.99,X,kecamatan,64.08\n64.08.96,Y,kota,64.08\n", "Baris 3, kolom level"),
            ("64.08.99,X,kecamatan,64.08\n64.08.99,X,kecamatan,64.08\n", "ganda"),
            ("64.08.99,X,kecamatan\n", "Baris 2: harus 4 kolom"),
        ],
    )
    def test_a_malformed_line_is_named_and_nothing_is_written(
        self, tmp_path: Path, body: str, message: str
    ) -> None:
        # given
        before = Region.objects.count()
        path = _write(tmp_path, body)
        # when
        with pytest.raises(RegionFileError) as exc:
            regions_load(path=path, edition="bad")
        # then
        assert message in exc.value.message
        assert Region.objects.count() == before
        assert not Region.objects.filter(code="64.08.99").exists()

    def test_the_command_reports_the_line_and_leaves_the_database_unchanged(
        self, tmp_path: Path
    ) -> None:
        path = _write(tmp_path, "64.08.99,X,kecamatan,64.08\n64.08.9X,Y,kecamatan,64.08\n")
        with pytest.raises(CommandError, match="Baris 3"):
            call_command("load_regions", file=path)
        assert not Region.objects.filter(code="64.08.99").exists()

    def test_a_wrong_header_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "x.csv"
        path.write_text("code,name\n64,X\n", encoding="utf-8")
        with pytest.raises(RegionFileError, match="Baris 1"):
            regions_load(path=path)


def test_the_packaged_file_holds_the_whole_country() -> None:
    with open_region_file(PACKAGED_REGIONS) as stream:
        rows = parse_regions(stream, known_codes=set())
    levels: dict[str, int] = {}
    for row in rows:
        levels[row.level] = levels.get(row.level, 0) + 1
    # Kepmendagri 300.2.2-2430/2025 (netral/registry/data/SOURCE.md)
    assert levels == {
        "PROVINSI": 38,
        "KABKOTA": 514,
        "KECAMATAN": 7285,
        "KELURAHAN": 8496,
        "DESA": 75266,
    }


@pytest.mark.django_db
class TestRegionLookup:
    def test_a_village_shows_its_ancestry(self) -> None:
        region = selectors.region_get(code="64.08.04.2001")
        assert region is not None
        label = selectors.region_with_ancestry(region=region).label
        assert label == (
            "Desa Sangatta Utara, Kec. Sangatta Utara, Kab. Kutai Timur, Prov. Kalimantan Timur"
        )

    def test_search_is_case_and_accent_insensitive_and_partial(self) -> None:
        labels = [i.label for i in selectors.region_search(query="SANGÀTTA ut")]
        assert labels[0] == "Kec. Sangatta Utara, Kab. Kutai Timur, Prov. Kalimantan Timur"
        assert any(label.startswith("Desa Sangatta Utara") for label in labels)

    def test_search_by_code_prefix(self) -> None:
        codes = [i.region.code for i in selectors.region_search(query="64.08")]
        assert codes[0] == "64.08"

    def test_a_malformed_code_is_not_found(self) -> None:
        assert selectors.region_get(code="64.8") is None

    def test_the_page_and_the_api_show_a_region(self, client) -> None:  # type: ignore[no-untyped-def]
        page = client.get("/wilayah/64.08.04.2001/")
        assert page.status_code == 200
        assert "Kec. Sangatta Utara" in page.content.decode()
        api = client.get("/api/v1/regions/64.08.04.2001")
        assert api.json()["label"].startswith("Desa Sangatta Utara, Kec. Sangatta Utara")
        assert client.get("/wilayah/99.99/").status_code == 404
        assert client.get("/api/v1/regions/?q=kutai").json()[0]["code"] == "64.08"
