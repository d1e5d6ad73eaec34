"""Encryption at rest (issue 14 point 15): NIK, reporters' identity and contact data."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from netral.audit.models import AuditEntry
from netral.cases.models import Reporter, Witness
from netral.core import encryption
from netral.core.encryption import DecryptionError, blind_index, key_ring
from netral.core.keyrotation import rotate_data_key
from netral.core.models import DataKeyRotation
from netral.registry.models import Official
from netral.registry.selectors import OfficialFilters, officials_filter
from netral.registry.services.officials_import import officials_import
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db

NIK = "6408042203840001"


def _raw(table: str, column: str, pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _set_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def case() -> Any:
    import datetime as dt

    from netral.cases.models import Case

    return Case.objects.create(
        origin="LAPORAN",
        channel="KANTOR",
        incident_region_id="64.08.04.2001",
        incident_place="x",
        title="Uji enkripsi",
        description="x",
        event_date=dt.date(2024, 11, 9),
        known_date=dt.date(2024, 11, 10),
    )


# --- the official's NIK --------------------------------------------------------------------


def test_the_raw_row_holds_ciphertext_and_the_model_the_nik() -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    stored = _raw("registry_official", "nik", official.pk)
    assert stored.startswith("nx1:")
    assert NIK not in stored
    assert _raw("registry_official", "nik_hash", official.pk) == blind_index(NIK)
    assert _raw("registry_official", "nik_hint", official.pk) == "640804********01"
    assert Official.objects.get(pk=official.pk).nik == NIK  # round trip
    # two encryptions of the same NIK differ (random nonce): equal NIKs are not visible
    other = OfficialFactory(region_id="64.08.04", nik="6408042203840002")
    assert _raw("registry_official", "nik", other.pk)[21:] != stored[21:]


def test_a_tampered_value_fails_with_a_clear_error() -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    stored = _raw("registry_official", "nik", official.pk)
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    _set_raw("registry_official", "nik", official.pk, flipped)
    with pytest.raises(DecryptionError, match="fails authentication"):
        Official.objects.get(pk=official.pk)
    # a ciphertext moved into another encrypted column does not decrypt there (AAD)
    with pytest.raises(DecryptionError, match="fails authentication"):
        encryption.decrypt(stored, b"cases.reporter.phone")
    # a plaintext where ciphertext belongs is refused, not shown
    _set_raw("registry_official", "nik", official.pk, NIK)
    with pytest.raises(DecryptionError, match="not encrypted"):
        Official.objects.get(pk=official.pk)


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    with override_settings(NETRAL_DATA_KEY_DIR=str(tmp_path / "elsewhere")):
        (tmp_path / "elsewhere").mkdir()
        with pytest.raises(DecryptionError, match="is not in"):
            Official.objects.get(pk=official.pk)


def test_the_blind_index_keeps_the_nik_unique() -> None:
    OfficialFactory(region_id="64.08.04", nik=NIK)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialFactory(region_id="64.08.04", nik=NIK)
    OfficialFactory(region_id="64.08.04", nik=None)
    OfficialFactory(region_id="64.08.04", nik=None)  # absent NIKs never clash


def test_exact_search_by_nik_uses_the_blind_index() -> None:
    wanted = OfficialFactory(region_id="64.08.04", nik=NIK, name="Pejabat Dicari")
    OfficialFactory(region_id="64.08.04", nik="6408042203840009")
    found = officials_filter(queryset=Official.objects.all(), filters=OfficialFilters(q=NIK))
    assert list(found) == [wanted]
    assert blind_index("6408 0422 0384 0001") == blind_index(NIK)  # the index normalises
    # the plaintext cannot be compared in SQL: such a query is refused, not silently empty
    with pytest.raises(FieldError):
        list(Official.objects.filter(nik=NIK))


def test_saving_with_update_fields_keeps_the_index_in_step() -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    official.nik = "6408042203840007"
    official.save(update_fields=["nik"])
    assert _raw("registry_official", "nik_hash", official.pk) == blind_index("6408042203840007")
    assert Official.objects.get(pk=official.pk).nik_masked == "640804********07"


@pytest.mark.parametrize("direct_load", [True, False], ids=["direct", "staged"])
def test_the_import_encrypts_and_finds_repeated_niks(direct_load: bool) -> None:
    if not direct_load:
        OfficialFactory(region_id="64.08.04", nik="6408041505700009", name="Sudah Ada")
    csv_text = (
        "jenis,nama,nik,kode_wilayah\n"
        "KEPALA_DESA,Yakob Lakat,6408041505700002,64.08.04\n"
        "KEPALA_DESA,Maria Lakat,6408041505700003,64.08.04\n"
        "KEPALA_DESA,Sudah Ada,6408041505700009,64.08.04\n"
    )
    result = officials_import(
        file=io.BytesIO(csv_text.encode()), source_name="x.csv", direct_load=direct_load
    )
    assert not result.errors, [str(e) for e in result.errors]
    yakob = Official.objects.get(nik_hash=blind_index("6408041505700002"))
    assert yakob.name == "Yakob Lakat"
    assert yakob.nik == "6408041505700002"
    assert "6408041505700002" not in _raw("registry_official", "nik", yakob.pk)
    assert yakob.nik_masked == "640804********02"
    assert Official.objects.filter(name="Sudah Ada").count() == 1  # matched by blind index
    # a NIK repeated inside the file is reported, masked
    repeated = (
        "jenis,nama,nik,kode_wilayah\n"
        "KEPALA_DESA,Satu,6408041505700004,64.08.04\n"
        "KEPALA_DESA,Dua,6408041505700004,64.08.04\n"
    )
    result = officials_import(
        file=io.BytesIO(repeated.encode()), source_name="y.csv", direct_load=direct_load
    )
    messages = [str(e) for e in result.errors]
    assert any("640804********04" in m and "baris 2" in m for m in messages), messages
    assert not any("6408041505700004" in m for m in messages)


def test_the_import_sealer_writes_what_the_one_value_functions_write() -> None:
    """The bulk import seals a batch at a time (Sealer.encrypt_many, index_many: OpenSSL
    called without the standard library's wrappers); the stored text must be the same as
    encryption.encrypt / blind_index make (the nonce aside: random)."""
    from netral.registry.services.import_format import NIK_AAD

    niks = [NIK, "6408041505700002", "3201010101010001"]
    sealer = encryption.Sealer()
    # when
    sealed = sealer.encrypt_many(niks, NIK_AAD)
    indexes = sealer.index_many(niks)
    # then
    assert indexes == [blind_index(n) for n in niks]
    assert [encryption.decrypt(s, NIK_AAD) for s in sealed] == niks
    one = encryption.encrypt(NIK, NIK_AAD)
    assert one is not None
    assert [len(s) for s in sealed] == [len(one)] * 3
    assert {s.rsplit(":", 1)[0] for s in sealed} == {one.rsplit(":", 1)[0]}  # prefix, key id
    assert all(set(s.rsplit(":", 1)[1]) <= set(_BASE64URL) for s in sealed)


_BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


# --- reporters, witnesses ------------------------------------------------------------------


def test_a_reporters_identity_and_contacts_are_ciphertext_in_the_row(case: Any) -> None:
    reporter = Reporter.objects.create(
        case=case,
        kind="WNI",
        name="Siti Rahasia",
        birth_place="Sangatta",
        address="Jl. Yos Sudarso 12, Sangatta",
        phone="081234567890",
        email="siti@example.id",
        confidential=True,
    )
    for column, plain in [
        ("name", "Siti Rahasia"),
        ("birth_place", "Sangatta"),
        ("address", "Jl. Yos Sudarso 12"),
        ("phone", "081234567890"),
        ("email", "siti@example.id"),
    ]:
        stored = _raw("cases_reporter", column, reporter.pk)
        assert stored.startswith("nx1:"), column
        assert plain not in stored, column
    again = Reporter.objects.get(pk=reporter.pk)
    assert (again.name, again.phone, again.email) == (
        "Siti Rahasia",
        "081234567890",
        "siti@example.id",
    )
    witness = Witness.objects.create(case=case, name="Saksi", address="Jl. A", phone="0812")
    assert _raw("cases_witness", "phone", witness.pk).startswith("nx1:")
    assert _raw("cases_witness", "name", witness.pk) == "Saksi"  # names of others stay clear
    assert Witness.objects.get(pk=witness.pk).phone == "0812"


# --- rotation ------------------------------------------------------------------------------


def test_rotation_reencrypts_every_value_and_is_audited(case: Any) -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    reporter = Reporter.objects.create(
        case=case, kind="WNI", name="Siti", address="Jl. A", phone="0811", email=""
    )
    old = encryption.key_id_of(_raw("registry_official", "nik", official.pk))
    assert old == key_ring().active_id()
    # when: a dry run changes nothing
    dry = rotate_data_key(dry_run=True)
    assert dry.values == 4  # NIK + name, address, phone (the empty e-mail stays empty)
    assert encryption.key_id_of(_raw("registry_official", "nik", official.pk)) == old
    # when: the rotation
    out = io.StringIO()
    call_command("rotate_data_key", stdout=out)
    new = key_ring().active_id()
    assert new != old
    assert old in key_ring().data_key_ids()
    assert encryption.key_id_of(_raw("registry_official", "nik", official.pk)) == new
    assert encryption.key_id_of(_raw("cases_reporter", "phone", reporter.pk)) == new
    assert _raw("cases_reporter", "email", reporter.pk) == ""
    assert Official.objects.get(pk=official.pk).nik == NIK
    assert Reporter.objects.get(pk=reporter.pk).name == "Siti"
    # the blind index is unchanged: search still finds the official
    assert Official.objects.get(nik_hash=blind_index(NIK)) == official
    rotation = DataKeyRotation.objects.get()
    assert rotation.values == 4
    assert rotation.key_id == new
    entry = AuditEntry.objects.get(action="encryption.data_key_rotated")
    assert entry.after["values"] == 4
    assert "4" in out.getvalue()
    # nothing is left under an older key
    assert rotate_data_key(dry_run=True, new_key=False).values == 0


def test_a_value_under_an_old_key_still_decrypts_after_a_new_key(case: Any) -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    key_ring().rotate()  # a new key without re-encrypting (an interrupted rotation)
    assert Official.objects.get(pk=official.pk).nik == NIK
    assert rotate_data_key(dry_run=True, new_key=False).values == 1
    rotate_data_key(new_key=False)
    assert encryption.key_id_of(_raw("registry_official", "nik", official.pk)) == (
        key_ring().active_id()
    )


def test_the_data_migration_encrypts_plaintext_rows_and_reverses() -> None:
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    _set_raw("registry_official", "nik", official.pk, NIK)  # a row from before the migration
    aad = b"registry.official.nik"
    assert encryption.reseal_column(connection, "registry_official", "id", "nik", aad, "encrypt")
    assert _raw("registry_official", "nik", official.pk).startswith("nx1:")
    assert Official.objects.get(pk=official.pk).nik == NIK
    encryption.reseal_column(connection, "registry_official", "id", "nik", aad, "decrypt")
    assert _raw("registry_official", "nik", official.pk) == NIK


def test_the_keys_live_in_files_beside_the_signing_keys_never_in_the_database() -> None:
    from django.conf import settings

    OfficialFactory(region_id="64.08.04", nik=NIK)
    directory = Path(settings.NETRAL_SIGNING_KEY_DIR)
    kid = key_ring().active_id()
    assert (directory / f"data-{kid}.key").stat().st_mode & 0o077 == 0
    assert (directory / "index.key").exists()
    key_text = (directory / f"data-{kid}.key").read_text().strip()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            assert key_text not in repr(cursor.fetchall()), table


@pytest.mark.django_db(transaction=True)  # SQLite's online backup waits on an open transaction
def test_a_backup_carries_the_data_keys_also_from_their_own_directory(tmp_path: Path) -> None:
    kid = key_ring().active_id()  # the keys as the first encrypted value makes them
    call_command("backup", str(tmp_path / "b1"), stdout=io.StringIO())
    assert (tmp_path / "b1" / "keys" / f"data-{kid}.key").exists()
    assert (tmp_path / "b1" / "keys" / "index.key").exists()
    with override_settings(NETRAL_DATA_KEY_DIR=str(tmp_path / "data-keys")):
        other = key_ring().active_id()
        call_command("backup", str(tmp_path / "b2"), stdout=io.StringIO())
    assert (tmp_path / "b2" / "datakeys" / f"data-{other}.key").exists()
    assert (tmp_path / "b2" / "datakeys" / "index.key").exists()


def test_the_registry_migration_encrypts_indexes_and_masks_old_rows_and_reverses() -> None:
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("netral.registry.migrations.0009_official_nik_encrypted")
    official = OfficialFactory(region_id="64.08.04", nik=NIK)
    with connection.cursor() as cursor:  # the row as it was before the migration
        cursor.execute(
            "UPDATE registry_official SET nik = %s, nik_hash = NULL, nik_hint = NULL WHERE id = %s",
            [NIK, official.pk],
        )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_niks(None, editor)
    assert _raw("registry_official", "nik", official.pk).startswith("nx1:")
    assert _raw("registry_official", "nik_hash", official.pk) == blind_index(NIK)
    assert _raw("registry_official", "nik_hint", official.pk) == "640804********01"
    migration.encrypt_niks(None, editor)  # again: nothing is encrypted twice
    assert Official.objects.get(pk=official.pk).nik == NIK
    migration.decrypt_niks(None, editor)
    assert _raw("registry_official", "nik", official.pk) == NIK
