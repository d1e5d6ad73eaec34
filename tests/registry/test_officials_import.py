"""The bulk import service and `netral import_officials` (issue 3)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from netral.audit.models import AuditEntry
from netral.core.encryption import blind_index
from netral.registry.models import (
    Agency,
    AgencyKind,
    ImportJob,
    Official,
    PositionHistory,
    SocialAccount,
    SubjectType,
)
from netral.registry.services.officials_import import officials_import
from netral.registry.services.officials_import import officials_import as _service
from tests.registry.helpers import (
    OFFICIALS_FIXTURES,
    csv_bytes,
    db_state,
    fixture,
    import_and_undo,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["staged", "direct"])
def load_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test on both ways into the registry: through the staging table, and (into an
    empty registry, from DIRECT_LOAD_FROM rows: here from the first) loaded directly, as
    the command line asks for (`direct_load=True`; the upload page does not)."""
    import functools
    import sys

    from netral.registry.services import officials_import as service

    direct = request.param == "direct"
    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0 if direct else 10**9)
    if direct:
        here = sys.modules[__name__]
        monkeypatch.setattr(here, "officials_import", functools.partial(_service, direct_load=True))
    return str(request.param)


def _errors(result: Any) -> set[tuple[int, str]]:
    return {(e.row, e.field) for e in result.errors}


# --- good files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["good_comma.csv", "good_semicolon_bom.csv"])
def test_it_imports_a_good_csv_with_comma_or_semicolon(name: str) -> None:
    result = officials_import(file=fixture(name), source_name=name)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.rows, result.created, result.updated) == (4, 4, 0)
    assert result.agencies_created == 4
    seno = Official.objects.get(nip="198403222009021004")
    assert seno.subject_type == SubjectType.PNS  # "pns" is case-insensitive
    assert seno.name_folded == "seno aji wibowo"
    assert seno.position_category == "FUNGSIONAL"
    assert seno.agency is not None
    assert seno.agency.name == "Dinas Pendidikan Kabupaten Kutai Timur"
    assert sorted(map(str, seno.social_accounts.all())) == [
        "facebook:seno.aji",
        "instagram:@senoaji",
    ]
    pppk = Official.objects.get(name="Rina Marlina")
    assert (pppk.nip, pppk.ni_pppk) == (None, "199009132025242014")
    assert Official.objects.get(nrp="31990123").agency.kind == AgencyKind.TNI  # type: ignore[union-attr]
    assert Agency.objects.get(name="Pemerintah Desa Singa Gembara").kind == AgencyKind.DESA


@pytest.fixture(params=["calamine", "openpyxl"])
def xlsx_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both readers: python-calamine for small files, openpyxl streaming for large ones."""
    from netral.registry.services import import_file

    if request.param == "openpyxl":
        monkeypatch.setattr(import_file, "XLSX_IN_MEMORY_MAX_BYTES", 0)
    return str(request.param)


def test_it_imports_an_xlsx_file_read_by_content(xlsx_reader: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["jenis", "nama", "nip", "nik", "kode_wilayah", "instansi"])
    sheet.append(
        [
            "camat",
            "Hasanuddin",
            "197805122005011003",
            "6408041205780003",
            "64.08.04",
            "Pemerintah Kabupaten Kutai Timur",
        ]
    )
    sheet.append(["KEPALA_DESA", "Yakob Lakat", None, 6408041505700002, "64.08.04.2011", None])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)

    result = officials_import(file=buffer, source_name="pejabat.bin")

    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    assert (
        Official.objects.get(nik_hash=blind_index("6408041505700002")).name == "Yakob Lakat"
    )  # a number cell


def test_it_records_one_audit_entry_per_import_not_per_row() -> None:
    before = AuditEntry.objects.count()

    result = officials_import(file=fixture("good_comma.csv"), source_name="good_comma.csv")

    job = ImportJob.objects.get()
    entries = AuditEntry.objects.filter(object_type="registry.importjob", object_id=str(job.pk))
    assert AuditEntry.objects.count() == before + 1
    assert entries.get().after["created"] == result.created == 4


# --- re-import, dry run ---------------------------------------------------------------------


def test_reimporting_the_same_person_updates_and_keeps_history() -> None:
    officials_import(file=fixture("good_comma.csv"), source_name="first")
    seno = Official.objects.get(nip="198403222009021004")

    # Same NIK, new position and region; the NIP column is left empty this time.
    result = officials_import(
        file=csv_bytes(
            "PNS,Seno Aji Wibowo,,6408042203840001,,Kepala Sekolah,PENGAWAS,"
            "Dinas Pendidikan Kabupaten Kutai Timur,64.08.01,,,instagram:@senoaji;x:@seno"
        ),
        source_name="second",
    )

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.history_added) == (0, 1, 1)
    assert result.social_added == 1  # instagram already known, x is new
    seno.refresh_from_db()
    assert Official.objects.count() == 4
    assert (seno.position, seno.region_id, seno.nip) == (
        "Kepala Sekolah",
        "64.08.01",
        "198403222009021004",
    )
    assert seno.email == "seno@example.go.id"  # an empty cell keeps what is known
    old = PositionHistory.objects.get(official=seno)
    assert (old.position, old.region_id, old.agency_name) == (
        "Guru Ahli Muda",
        "64.08.04",
        "Dinas Pendidikan Kabupaten Kutai Timur",
    )
    assert SocialAccount.objects.filter(official=seno).count() == 3


SENO = (
    "pns,Séno Aji Wibowo,198403222009021004,6408042203840001,,Guru Ahli Muda,fungsional,"
    "Dinas Pendidikan Kabupaten Kutai Timur,64.08.04,seno@example.go.id,081234567890,"
    "instagram:@senoaji;facebook:seno.aji"
)
SENO_NIP = "198403222009021004"


def _officials() -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in Official.objects.values()}


def test_reimporting_an_unchanged_file_leaves_every_official_as_it_is() -> None:
    officials_import(file=fixture("good_comma.csv"), source_name="first")
    before = _officials()
    state = db_state()

    result = officials_import(file=fixture("good_comma.csv"), source_name="again")

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.unchanged, result.history_added) == (
        0,
        0,
        4,
        0,
    )
    # not one column rewritten: `updated_at` and the NIK's ciphertext (a new nonce on every
    # sealing) included
    assert _officials() == before
    assert db_state()[:4] == state[:4]  # officials, agencies, accounts, history


@pytest.mark.parametrize(
    ("column", "value", "stored", "history"),
    [
        (1, "Seno Aji Wibowo", ("name", "Seno Aji Wibowo"), 0),
        (3, "6408042203840009", ("nik_hint", "640804********09"), 0),
        (5, "Kepala Sekolah", ("position", "Kepala Sekolah"), 1),
        (6, "PENGAWAS", ("position_category", "PENGAWAS"), 1),
        (7, "Dinas Pendidikan Kota Bogor", ("agency__name", "Dinas Pendidikan Kota Bogor"), 1),
        (8, "64.08.01", ("region_id", "64.08.01"), 1),
        (9, "seno@example.org", ("email", "seno@example.org"), 0),
        (10, "081111111111", ("phone", "081111111111"), 0),
    ],
)
def test_a_reimported_row_that_changes_one_column_updates_its_official(
    column: int, value: str, stored: tuple[str, str], history: int
) -> None:
    officials_import(file=csv_bytes(SENO), source_name="first")
    cells = SENO.split(",")
    cells[column] = value

    result = officials_import(file=csv_bytes(",".join(cells)), source_name="second")

    assert result.ok, [str(e) for e in result.errors]
    assert (result.updated, result.unchanged, result.history_added) == (1, 0, history)
    field, expected = stored
    assert Official.objects.filter(nip=SENO_NIP).values_list(field, flat=True).get() == expected


@pytest.mark.parametrize("column", [2, 9, 10])  # NIP (matched by the NIK), email, phone
def test_an_empty_cell_keeps_the_stored_value_and_changes_nothing(column: int) -> None:
    officials_import(file=csv_bytes(SENO), source_name="first")
    before = _officials()
    cells = SENO.split(",")
    cells[column] = ""

    result = officials_import(file=csv_bytes(",".join(cells)), source_name="second")

    assert result.ok, [str(e) for e in result.errors]
    assert (result.updated, result.unchanged) == (0, 1)
    assert _officials() == before


def test_a_deactivated_official_in_the_file_is_active_again() -> None:
    officials_import(file=csv_bytes(SENO), source_name="first")
    Official.objects.filter(nip=SENO_NIP).update(is_active=False)

    result = officials_import(file=csv_bytes(SENO), source_name="second")

    assert (result.updated, result.unchanged) == (1, 0)
    assert Official.objects.get(nip=SENO_NIP).is_active


def test_identifiers_of_two_different_people_in_one_row_are_refused() -> None:
    officials_import(file=fixture("good_comma.csv"), source_name="first")
    state = db_state()

    # NIP of Séno, NIK of Yakob Lakat.
    result = officials_import(
        file=csv_bytes("PNS,Campuran,198403222009021004,6408041505700002,,,,,64.08,,,"),
        source_name="x",
    )

    assert (2, "NIK") in _errors(result) or (2, "nik") in _errors(result)
    assert db_state() == state


def test_a_dry_run_validates_and_writes_nothing() -> None:
    state = db_state()

    result = officials_import(file=fixture("good_comma.csv"), dry_run=True, source_name="x")

    assert result.ok
    assert result.rows == 4
    assert result.created == 0
    assert db_state() == state


def test_rows_outside_the_importers_jurisdiction_are_refused() -> None:
    state = db_state()

    result = officials_import(
        file=csv_bytes(
            "PNS,Andi Saputra,198403222009021004,,,,,,64.08,,,",
            "PNS,Asep Saepudin,198501012010011001,,,,,,32.01.01,,,",
        ),
        allowed_regions={"64.08"},
        source_name="x",
    )

    assert _errors(result) == {(3, "kode_wilayah")}
    assert db_state() == state


# --- every bad-input rule: a fixture each; error names row + field; DB unchanged -------------

BAD_FILES = [
    ("bad_wrong_columns.csv", {(1, "name"), (1, "nama")}),
    ("bad_missing_required.csv", {(1, "kode_wilayah")}),
    ("bad_unknown_type.csv", {(3, "jenis")}),
    ("bad_invalid_identifier.csv", {(2, "nip"), (3, "nik")}),
    ("bad_duplicate_identifier.csv", {(3, "nip")}),
    ("bad_unknown_region.csv", {(2, "kode_wilayah"), (3, "kode_wilayah")}),
    ("bad_date.csv", {(2, "nip"), (3, "nik")}),
    ("bad_encoding.csv", {(3, "nama")}),
    ("empty.csv", {(1, "")}),
    ("header_only.csv", {(2, "")}),
    ("not_tabular.csv", {(1, "")}),
    ("not_xlsx.xlsx", {(1, "")}),
    ("broken_xlsx.xlsx", {(1, "")}),
]


@pytest.mark.parametrize(("name", "expected"), BAD_FILES, ids=[n for n, _e in BAD_FILES])
def test_each_bad_file_is_rejected_with_row_and_field_and_nothing_is_written(
    name: str, expected: set[tuple[int, str]]
) -> None:
    officials_import(file=fixture("good_comma.csv"), source_name="seed")  # a non-empty registry
    state = db_state()

    result = officials_import(file=fixture(name), source_name=name)

    assert not result.ok
    assert _errors(result) == expected, [str(e) for e in result.errors]
    assert all(e.message for e in result.errors)
    assert db_state() == state


def test_the_messages_are_in_indonesian_and_precise() -> None:
    result = officials_import(file=fixture("bad_date.csv"), source_name="x")

    messages = {(e.row, e.field): e.message for e in result.errors}
    assert "Tanggal lahir dalam NIP" in messages[(2, "nip")]
    assert "Tanggal lahir dalam NIK" in messages[(3, "nik")]
    dup = officials_import(file=fixture("bad_duplicate_identifier.csv"), source_name="x")
    assert str(dup.errors[0]) == (
        "baris 3, kolom nip: NIP 198403222009021004 sudah ada di baris 2."
    )


def test_all_errors_are_reported_at_once_and_written_to_an_error_file() -> None:
    rows = [f"PNS,Orang {i},bukan-nip,,,,,,64.08,,," for i in range(30)]
    rows.append("PNS,Orang Baik,198403222009021004,,,,,,64.08,,,")
    rows.append("PNS,Orang Ganda,198403222009021004,,,,,,64.08,,,")

    result = officials_import(file=csv_bytes(*rows), source_name="x")

    assert result.error_count == 31
    assert result.error_csv is not None
    lines = result.error_csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "baris,kolom,kesalahan"
    assert len(lines) == 32
    assert lines[-1].startswith("33,nip,")
    result.error_csv.unlink()


# --- the command line -----------------------------------------------------------------------


def test_the_command_imports_and_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_officials", str(OFFICIALS_FIXTURES / "good_comma.csv"))

    assert "4 pejabat baru" in capsys.readouterr().out
    assert ImportJob.objects.get().summary["created"] == 4


def test_the_command_shows_the_rows_read_then_the_saving_steps(
    monkeypatch: pytest.MonkeyPatch, load_path: str
) -> None:
    from netral.registry.management.commands import import_officials as command

    bars: dict[str, list[tuple[int, int | None]]] = {}

    def recording_bar(desc: str, **kwargs: Any) -> Any:
        seen = bars.setdefault(desc, [])
        return (lambda done, total: seen.append((done, total))), lambda: None

    monkeypatch.setattr(command, "tqdm_progress", recording_bar)
    call_command("import_officials", str(OFFICIALS_FIXTURES / "good_comma.csv"))

    assert list(bars) == ["Mengimpor pejabat", "Menyimpan"]
    assert bars["Mengimpor pejabat"][-1] == (4, 4)
    done, total = bars["Menyimpan"][-1]
    # staged: agencies, insert, social accounts; direct: agencies, each index, the end
    assert done == total == (3 if load_path == "staged" else 2 + _indexes_set_aside())


def _indexes_set_aside() -> int:
    from django.db import connection

    from netral.registry.services.import_sql import indexes_to_set_aside

    with connection.cursor() as cursor:
        return indexes_to_set_aside(cursor).steps


def test_the_command_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    state = db_state()

    call_command("import_officials", str(OFFICIALS_FIXTURES / "good_comma.csv"), "--dry-run")

    assert "Validasi berhasil" in capsys.readouterr().out
    assert db_state() == state


def test_the_command_fails_with_every_error_and_an_error_file(tmp_path: Path) -> None:
    state = db_state()
    errors = tmp_path / "errors.csv"

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_officials",
            str(OFFICIALS_FIXTURES / "bad_unknown_region.csv"),
            "--errors",
            str(errors),
        )

    assert "baris 2, kolom kode_wilayah" in str(raised.value)
    assert "baris 3, kolom kode_wilayah" in str(raised.value)
    assert errors.read_text(encoding="utf-8-sig").count("kode_wilayah") == 2
    assert db_state() == state


def test_duplicates_into_an_empty_registry_are_found_after_the_unique_index_refuses_them() -> None:
    assert not Official.objects.exists()  # the optimistic path: no GROUP BY before the merge
    state = db_state()

    result = officials_import(file=fixture("bad_duplicate_identifier.csv"), source_name="x")

    assert _errors(result) == {(3, "nip")}
    assert (result.created, result.agencies_created) == (0, 0)
    assert db_state() == state


def test_a_phone_longer_than_its_column_is_a_row_error_not_a_database_error() -> None:
    state = db_state()
    result = officials_import(
        file=csv_bytes(
            "PNS,Andi Saputra,198403222009021004,,,,,,64.08,,+" + "1" * 29 + ",",  # 30: fits
            "PNS,Budi Santoso,198501012010011001,,,,,,64.08,,+" + "1" * 30 + ",",  # 31
        ),
        source_name="x",
    )

    assert _errors(result) == {(3, "telepon")}
    assert db_state() == state


def test_a_new_agency_gets_the_deepest_region_holding_all_its_officials() -> None:
    officials_import(
        file=csv_bytes(
            "PNS,Andi Saputra,198403222009021004,,,,,Dinas Pendidikan Kutai Timur,64.08.04,,,",
            "PNS,Budi Santoso,198501012010011001,,,,,Dinas Pendidikan Kutai Timur,64.08.01.2001,,,",
            "KEPALA_DESA,Yakob Lakat,,6408041505700002,,,,Pemerintah Desa Singa Gembara,"
            "64.08.04.2011,,,",
        ),
        source_name="x",
    )

    assert Agency.objects.get(name="Dinas Pendidikan Kutai Timur").region_id == "64.08"
    assert Agency.objects.get(name="Pemerintah Desa Singa Gembara").region_id == "64.08.04.2011"


def test_the_fast_row_path_gives_the_same_rows_and_errors_as_the_careful_one() -> None:
    """row_validator (the hot path) must type every valid row exactly as validate_row does
    and hand every doubtful row to it, so the errors are the same too."""
    from netral.registry.models import Region
    from netral.registry.services.import_format import (
        COLUMNS,
        ColumnPositions,
        ErrorCollector,
        RowContext,
        row_validator,
        validate_row,
    )

    rows = [
        [
            "pns",
            "  Séno   Aji ",
            "198403222009021004",
            "6408046204840002",
            "",
            "Guru",
            "fungsional",
            " Dinas  Pendidikan ",
            "64.08",
            "a@b.go.id",
            "0812 345",
            "ig:@a; fb:b ;ig:@a",
        ],
        [
            "PPPK",
            "Rina",
            "199009132025242014",
            "",
            "",
            "",
            "",
            "DINAS PENDIDIKAN",
            "64.08.04",
            "",
            "",
            "",
        ],
        ["TNI", "Budi", "", "", " 31990123 ", "Babinsa", "", "Kodim", "64.08.04.2001", "", "", ""],
        ["PNS", "X", "199009132025242014", "", "", "", "", "", "64.08", "", "", ""],  # NIP TMT
        ["PPPK", "Y", "198403222009021004", "", "", "", "", "", "64.08", "", "", ""],
        [
            "BUPATI",
            "",
            "123",
            "99",
            "x" * 31,
            "j" * 201,
            "bos",
            "i" * 201,
            "99.99",
            "bad",
            "abc",
            "nohandle",
        ],
        ["KEPALA_DESA", "Z", "", "6408047204840002", "", "", "", "", "64.08.99", "", "", ""],
        ["LURAH", "Ändré", "", "", "", "", "", "Kelurahan É", "", "", "", ""],
        ["CAMAT", "W", "", "", "", "", "", "", "32.01", "x@y.z", "+62 (541) 123-45", ";;"],
    ]
    ix = ColumnPositions(**{name: position for position, name in enumerate(COLUMNS)})
    regions = set(Region.objects.values_list("code", flat=True))
    outputs = []
    for fast in (True, False):
        ctx = RowContext(region_codes=regions, allowed={"64.08"})
        errors, social = ErrorCollector(None), []  # type: ignore[var-annotated]
        validate = row_validator(ix, ctx, errors, social)
        staged = [
            validate(n, [*row, ""])
            if fast
            else validate_row(n, [*row, ""], ix, ctx, errors, social)
            for n, row in enumerate(rows, start=2)
        ]
        errors.close()
        if errors.path is not None:
            errors.path.unlink()
        outputs.append((staged, errors.kept, social, ctx))
    (fast_rows, fast_errors, fast_social, fast_ctx), (rows_, errors_, social_, ctx_) = outputs
    assert fast_rows == rows_
    assert [r for r in fast_rows if r is not None]  # both kinds of row were exercised
    assert fast_errors == errors_
    assert len(errors_) > 12
    assert fast_social == social_
    assert (fast_ctx.agencies, fast_ctx.agency_region) == (ctx_.agencies, ctx_.agency_region)


def test_a_region_gone_before_the_merge_is_caught_by_the_foreign_key_check() -> None:
    from django.db import IntegrityError, connection

    from netral.registry.services.import_sql import check_foreign_keys

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL checks the foreign keys itself")
    with connection.cursor() as cursor:
        check_foreign_keys(cursor, {"64", "64.08", "64.08.04"})  # all there: nothing raised
        with pytest.raises(IntegrityError):
            check_foreign_keys(cursor, {"64.08", "64.08.99"})


# --- reading in a second process (the command line) ------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        [  # valid, with agencies named by rows of several batches and social accounts
            *(
                f"PNS,Orang {i},,,,,,Dinas {i % 7} Kutai Timur,64.08.04,,,ig:@o{i}"
                for i in range(40)
            ),
            "KEPALA_DESA,Yakob Lakat,,6408041505700002,,,,Pemerintah Desa Singa Gembara,"
            "64.08.04.2011,,,",
        ],
        [  # errors found by the reader, then a duplicate found after it (the same error file)
            *(f"PNS,Orang {i},bukan-nip,,,,,,64.08,,," for i in range(30)),
            "PNS,Orang Baik,198403222009021004,,,,,,64.08,,,",
            "PNS,Orang Ganda,198403222009021004,,,,,,64.08,,,",
        ],
    ],
    ids=["valid", "errors"],
)
def test_reading_in_a_second_process_imports_exactly_the_same(
    monkeypatch: pytest.MonkeyPatch, rows: list[str], load_path: str
) -> None:
    from netral.registry.services import officials_import as service

    monkeypatch.setattr(service, "READER_PROCESS_FROM", 0)
    monkeypatch.setattr(service, "BATCH", 7)  # several batches through the pipe
    direct = load_path == "direct"
    inline = import_and_undo(csv_bytes(*rows), in_process=False, direct_load=direct)
    forked = import_and_undo(csv_bytes(*rows), in_process=True, direct_load=direct)
    assert forked == inline
    assert inline[0]["created"] or inline[0]["error_count"] == 31


def _reader_killed(*args: Any) -> Any:
    import os

    os._exit(137)  # as the kernel's OOM killer would end it: no message, no cleanup


def _reader_broken(*args: Any) -> Any:
    raise MemoryError("reader died")


@pytest.mark.parametrize(
    ("failure", "message"),
    [(_reader_killed, "ended early"), (_reader_broken, "reader died")],
    ids=["killed", "raised"],
)
def test_a_reader_process_that_fails_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, failure: Any, message: str
) -> None:
    from netral.registry.services import officials_import as service

    monkeypatch.setattr(service, "READER_PROCESS_FROM", 0)
    monkeypatch.setattr(service, "row_validator", failure)
    state = db_state()

    with pytest.raises(RuntimeError, match=message):
        officials_import(file=fixture("good_comma.csv"), source_name="x", read_in_process=True)

    assert db_state() == state


@pytest.mark.parametrize("rebuild_indexes", [False, True])
def test_the_saving_steps_are_reported_from_zero_to_all(
    monkeypatch: pytest.MonkeyPatch, rebuild_indexes: bool, load_path: str
) -> None:
    from netral.registry.services import import_sql

    if rebuild_indexes:  # into an empty registry, the indexes are rebuilt: a step each
        monkeypatch.setattr(import_sql, "DROP_INDEXES_FROM", 1)
    totals = []
    for _import in range(2):  # then again: the same people, matched and updated
        steps: list[tuple[int, int | None]] = []
        result = officials_import(
            file=fixture("good_comma.csv"),
            source_name="x",
            saving=lambda done, total: steps.append((done, total)),  # noqa: B023
        )
        assert result.ok
        total = steps[0][1]
        assert total is not None
        assert [done for done, _total in steps] == list(range(total + 1))
        assert {t for _done, t in steps} == {total}
        totals.append(total)
    # agencies, insert and social accounts (+ one step per index rebuilt), then also the update
    if load_path == "direct":  # agencies, each index (always rebuilt), the end
        assert totals[0] == 2 + _indexes_set_aside()
    else:
        assert totals[0] > 3 if rebuild_indexes else totals[0] == 3
    assert totals[1] == 4


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_csv_splitter_reads_exactly_what_csv_reader_reads(delimiter: str) -> None:
    import csv
    import random

    from netral.registry.services.import_file import split_csv

    d = delimiter
    text = (
        f"jenis{d}nama{d}kode_wilayah\r\n"
        f"PNS{d}Budi{d}64.08\r\n"
        "\r\n"
        f'PNS{d}"Saputra{d} S.H."{d}64.08\n'
        f'PNS{d}"Dua\r\nbaris{d} ""kutip"""{d}64.08\r\n'
        f'PNS{d}Jl. "Merdeka" 5{d}64.08\n'
        "\n"
        f"   {d} {d}\r"
        f'PPPK{d}"tanpa akhir\n'
        f"{d}{d}\n"
        f"TNI{d}Andi{d}64.08"
    )
    rng = random.Random(3)
    pieces = [d, '"', "\n", "\r\n", "\r", "a", "é", " ", '""']
    texts = [text] + ["".join(rng.choice(pieces) for _ in range(60)) for _ in range(300)]
    for sample in texts:
        expected = list(csv.reader(io.StringIO(sample, newline=""), delimiter=d))
        assert list(split_csv(io.StringIO(sample, newline=""), d)) == expected, sample


# --- loading an empty registry directly (services/import_direct.py) ---------------------------


def test_a_direct_load_keeps_the_known_agencies_and_reuses_no_deleted_id() -> None:
    from tests.factories import OfficialFactory

    known = Agency.objects.create(
        name="Dinas Pendidikan Kabupaten Kutai Timur",
        name_folded="dinas pendidikan kabupaten kutai timur",
        kind=AgencyKind.KAB_KOTA,
    )
    gone_agencies = [
        Agency.objects.create(name=f"Lama {i}", name_folded=f"lama {i}", kind=AgencyKind.KAB_KOTA)
        for i in range(6)
    ]
    gone = OfficialFactory.create_batch(6)  # more ids than the file has rows
    gone_ids = (max(o.pk for o in gone), max(a.pk for a in gone_agencies))
    Official.objects.all().delete()
    Agency.objects.exclude(pk=known.pk).delete()
    assert not Official.objects.exists()  # an empty registry: the direct path, when asked

    result = officials_import(file=fixture("good_comma.csv"), source_name="x")

    assert result.ok
    assert result.agencies_created == 3  # four agencies named, one of them known
    assert Official.objects.get(nip="198403222009021004").agency_id == known.pk
    assert Agency.objects.filter(name_folded=known.name_folded).count() == 1
    assert min(Official.objects.values_list("pk", flat=True)) > gone_ids[0]
    new_agencies = Agency.objects.exclude(pk=known.pk).values_list("pk", flat=True)
    assert min(new_agencies) > gone_ids[1]
    # and the next ones the database hands out come after them
    imported = max(Official.objects.values_list("pk", flat=True))
    assert OfficialFactory().pk > imported
    later = Agency.objects.create(name="Baru", name_folded="baru", kind=AgencyKind.KAB_KOTA)
    assert later.pk > max(new_agencies)


def test_an_import_that_rebuilds_the_indexes_leaves_them_and_the_connection_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import connection

    from netral.registry.services import import_sql

    monkeypatch.setattr(import_sql, "DROP_INDEXES_FROM", 1)  # the staged path rebuilds too

    def state() -> tuple[Any, ...]:
        with connection.cursor() as cursor:
            aside = import_sql.indexes_to_set_aside(cursor)
            pragmas: tuple[Any, ...] = ()
            if connection.vendor == "sqlite":  # the sort's threads and cache are put back
                cursor.execute("PRAGMA threads")
                threads = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size")
                pragmas = (threads, cursor.fetchone()[0])
        return sorted(aside.indexes), sorted(aside.foreign_keys), pragmas

    before = state()
    assert len(before[0]) >= 7

    assert officials_import(file=fixture("good_comma.csv"), source_name="x").ok

    assert state() == before
