"""SQLite partial-name search through the FTS5 trigram index (issue 18, point 4).

The index must stay in step with the officials' table whatever writes it: the ORM (triggers),
and both bulk import paths, which stand the INSERT trigger aside and index their rows once.
"""

from __future__ import annotations

import pytest
from django.db import connection

from netral.registry import fts
from netral.registry.models import Official
from netral.registry.selectors import OfficialFilters, official_search, officials_filter
from netral.registry.services import officials_import as service
from tests.factories import OfficialFactory
from tests.registry.helpers import csv_bytes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite only: PostgreSQL searches with pg_trgm"
    ),
]


def found(q: str) -> set[str]:
    page = official_search(queryset=Official.objects.all(), filters=OfficialFilters(q=q))
    return {o.name for o in page.items}


def fts_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {fts.TABLE}_docsize")  # noqa: S608  a constant
        return int(cursor.fetchone()[0])


def test_the_index_follows_inserts_renames_and_deletes_through_the_orm() -> None:
    # given
    budi = OfficialFactory(name="Budi Santoso")
    OfficialFactory(name="Ani Lestari")
    assert found("santo") == {"Budi Santoso"}
    # when renamed
    budi.name, budi.name_folded = "Budi Hartono", "budi hartono"
    budi.save()
    # then the old name is gone and the new one found
    assert found("santo") == set()
    assert found("harto") == {"Budi Hartono"}
    # when deleted
    budi.delete()
    assert found("harto") == set()
    assert fts_rows() == Official.objects.count()


def test_a_word_of_three_letters_or_more_is_answered_by_the_index() -> None:
    OfficialFactory(name="Séno Aji Wibowo")
    sql = str(
        officials_filter(queryset=Official.objects.all(), filters=OfficialFilters(q="seno")).query
    )
    assert f"{fts.TABLE} MATCH" in sql
    assert found("SENO aji") == {"Séno Aji Wibowo"}


def test_words_shorter_than_a_trigram_fall_back_to_glob_and_combine_with_the_index() -> None:
    OfficialFactory(name="Ani Lestari")
    OfficialFactory(name="Ana Lestari")
    OfficialFactory(name="Ani Wulandari")
    sql = str(
        officials_filter(queryset=Official.objects.all(), filters=OfficialFilters(q="an")).query
    )
    assert "MATCH" not in sql
    assert found("an") == {"Ani Lestari", "Ana Lestari", "Ani Wulandari"}
    assert found("ni lestari") == {"Ani Lestari"}


def test_quotes_in_a_query_are_literal_not_fts_syntax() -> None:
    OfficialFactory(name='Budi "Bos" Santoso')
    OfficialFactory(name="Budi Bos Santoso")
    assert found('"bos"') == {'Budi "Bos" Santoso'}
    assert found("bos AND x") == set()


@pytest.mark.parametrize("direct", [False, True], ids=["staged", "direct"])
def test_both_import_paths_index_their_names_and_put_the_trigger_back(
    monkeypatch: pytest.MonkeyPatch, direct: bool
) -> None:
    # given an empty registry and a file of three officials
    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0)
    rows = [
        f"PNS,Rahmat Hidayat {i},1985010120100110{i:02d},,,Staf,PELAKSANA,Dinas X,64.08,,,"
        for i in range(3)
    ]
    # when imported
    result = service.officials_import(
        file=csv_bytes(*rows), source_name="x", read_in_process=True, direct_load=direct
    )
    # then
    assert result.created == 3, result.errors
    assert found("hidayat") == {f"Rahmat Hidayat {i}" for i in range(3)}
    assert fts_rows() == 3
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=%s", [fts.INSERT_TRIGGER]
        )
        assert cursor.fetchone() is not None
    # and the trigger indexes the next official written one by one
    OfficialFactory(name="Siti Hidayati")
    assert "Siti Hidayati" in found("hidayat")
