"""Issue 13 §13-14: the import template, labels accepted as codes, and one official added or
edited through a form with the import's validation."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from netral.accounts.models import Role
from netral.audit.models import AuditEntry
from netral.registry.models import Official, PositionHistory, SocialAccount
from netral.registry.services.import_format import COLUMNS
from netral.registry.services.officials_import import officials_import
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.registry.helpers import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def kesbangpol_client(db: Any) -> Client:
    return client_for(UserFactory(username="kesbang", role=Role.KESBANGPOL, region="64.08"))


# --- §13 the template and labels ------------------------------------------------------


@pytest.mark.parametrize("direct", [False, True])
def test_labels_are_accepted_as_well_as_codes(direct: bool) -> None:
    result = officials_import(
        file=csv_bytes(
            "Kepala Desa,Budi,,,,Kepala Desa,,,64.08.04.2001,,,",
            "perangkat_desa,Sari,,,,Sekretaris Desa,,,64.08.04.2011,,,",
            "Village head,Joko,,,,,,,64.08.04.2012,,,",
            "PNS,Andi,,,,Guru,fungsional,,64.08.04,,,",
            "pns,Rina,,,,Camat,camat/lurah,,64.08.04,,,",
        ),
        source_name="labels.csv",
        direct_load=direct,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert dict(Official.objects.values_list("name", "subject_type")) == {
        "Budi": "KEPALA_DESA",
        "Sari": "PERANGKAT_DESA",
        "Joko": "KEPALA_DESA",
        "Andi": "PNS",
        "Rina": "PNS",
    }
    assert Official.objects.get(name="Rina").position_category == "CAMAT_LURAH"


def test_an_unknown_value_lists_the_valid_ones() -> None:
    result = officials_import(
        file=csv_bytes(
            "Kades,Budi,,,,,,,64.08.04.2001,,,",
            "PNS,Andi,,,,,Eselon,,64.08.04,,,",
        ),
        source_name="bad.csv",
    )
    messages = {e.field: e.message for e in result.errors}
    assert "Kades" in messages["jenis"]
    assert "Kepala desa" in messages["jenis"]
    assert "Perangkat desa" in messages["jenis"]
    assert (
        "Jabatan fungsional" in messages["kategori_jabatan"]
        or "Fungsional" in messages["kategori_jabatan"]
    )
    assert not Official.objects.exists()


def test_the_templates_download_from_the_import_page(kesbangpol_client: Client) -> None:
    page = kesbangpol_client.get(reverse("registry:import")).content.decode()
    assert reverse("registry:import_template", args=["xlsx"]) in page
    assert reverse("registry:import_template", args=["csv"]) in page
    assert "Perangkat desa" in page
    assert "PERANGKAT_DESA" not in page
    csv_text = kesbangpol_client.get(reverse("registry:import_template", args=["csv"])).content
    assert csv_text.decode("utf-8-sig").strip() == ",".join(COLUMNS)
    values = kesbangpol_client.get(reverse("registry:import_valid_values")).content.decode(
        "utf-8-sig"
    )
    assert "jenis,KEPALA_DESA,Kepala desa" in values
    response = kesbangpol_client.get(reverse("registry:import_template", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    rules = {str(r.sqref): r.formula1 for r in sheet.data_validations.dataValidation}
    assert any(ref.startswith("A2") for ref in rules)  # jenis: a drop-down list
    labels = [row[2] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "Kepala desa" in labels
    regions = [row[0] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert "64.08.04.2001" in regions
    assert not any(r.startswith("32") for r in regions)


def test_a_filled_xlsx_template_imports() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(["Kepala desa", "Budi", "", "", "", "", "", "", "64.08.04.2001", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = officials_import(file=out, source_name="t.xlsx")
    assert result.ok
    assert Official.objects.get().subject_type == "KEPALA_DESA"


# --- §14 one official through a form ----------------------------------------------------


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "jenis": "KEPALA_DESA",
        "nama": "Budi Santoso",
        "nip": "",
        "nik": "6408041201800001",
        "nrp": "",
        "jabatan": "Kepala Desa Sangatta Utara",
        "kategori_jabatan": "",
        "instansi": "Pemerintah Desa Sangatta Utara",
        "kode_wilayah": "64.08.04.2001",
        "email": "budi@example.test",
        "telepon": "0812 3456 7890",
        "media_sosial": "facebook:budi.santoso",
        "is_active": "on",
    }
    return data | overrides


def test_an_official_is_added_and_edited_through_the_form(kesbangpol_client: Client) -> None:
    response = kesbangpol_client.post(reverse("registry:official_create"), _form())
    assert response.status_code == 302
    budi = Official.objects.get()
    assert (budi.subject_type, budi.agency.name, budi.nik) == (
        "KEPALA_DESA",
        "Pemerintah Desa Sangatta Utara",
        "6408041201800001",
    )
    assert SocialAccount.objects.get().handle == "budi.santoso"
    assert AuditEntry.objects.filter(action="official.created").count() == 1
    # the edit form starts from the stored values, and a new position keeps history
    page = kesbangpol_client.get(reverse("registry:official_edit", args=[budi.pk])).content.decode()
    assert "6408041201800001" in page
    response = kesbangpol_client.post(
        reverse("registry:official_edit", args=[budi.pk]),
        _form(jabatan="Pj. Kepala Desa", kode_wilayah="64.08.04.2011", media_sosial=""),
    )
    assert response.status_code == 302
    budi.refresh_from_db()
    assert (budi.position, budi.region_id) == ("Pj. Kepala Desa", "64.08.04.2011")
    assert PositionHistory.objects.get().position == "Kepala Desa Sangatta Utara"
    assert not SocialAccount.objects.exists()
    assert AuditEntry.objects.filter(action="official.updated").count() == 1


def test_the_form_refuses_what_the_import_refuses(kesbangpol_client: Client) -> None:
    response = kesbangpol_client.post(
        reverse("registry:official_create"),
        _form(nik="6408049901800001", kode_wilayah="32.01.01.1001", email="bukan-email"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal lahir dalam NIK tidak sah" in html
    assert "di luar yurisdiksi Anda" in html
    assert "Alamat email tidak sah" in html
    assert not Official.objects.exists()


def test_an_identifier_of_another_official_is_refused(kesbangpol_client: Client) -> None:
    kesbangpol_client.post(reverse("registry:official_create"), _form())
    response = kesbangpol_client.post(
        reverse("registry:official_create"), _form(nama="Orang Lain", email="")
    )
    assert "Sudah dipakai oleh pejabat lain" in response.content.decode()
    assert Official.objects.count() == 1


def test_only_registry_managers_of_the_region_may_edit(
    kesbangpol_client: Client, alice_client: Client, charlie_client: Client
) -> None:
    kesbangpol_client.post(reverse("registry:official_create"), _form())
    budi = Official.objects.get()
    # alice (Bawaslu) may see but not manage the registry; charlie is of another regency
    assert alice_client.get(reverse("registry:official_edit", args=[budi.pk])).status_code == 404
    assert alice_client.get(reverse("registry:official_create")).status_code == 404
    assert charlie_client.get(reverse("registry:official_edit", args=[budi.pk])).status_code == 404
