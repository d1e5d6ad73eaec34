"""Officer pages of the registry: search, profile, coverage, upload (issue 3)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netral.accounts.models import Role, User
from netral.registry.models import ImportJob, ImportStatus, Official, SubjectType
from netral.registry.services.officials_import import import_job_run, officials_import
from tests.conftest import client_for
from tests.factories import OfficialFactory, UserFactory
from tests.registry.helpers import OFFICIALS_FIXTURES, db_state, fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def kutim_officials() -> None:
    officials_import(file=fixture("good_comma.csv"), source_name="seed")


@pytest.fixture
def bkpsdm(db: None) -> User:
    return UserFactory(username="bkpsdm", role=Role.BKPSDM, region="64.08")


def test_the_list_searches_by_name_ignoring_accents_and_case(
    alice_client: Client, kutim_officials: None
) -> None:
    response = alice_client.get(reverse("registry:official_list"), {"q": "SENO aji"})

    assert response.status_code == 200
    assert "Séno Aji Wibowo" in response.content.decode()
    assert "Yakob Lakat" not in response.content.decode()


def test_the_list_masks_the_nik(alice_client: Client, kutim_officials: None) -> None:
    response = alice_client.get(reverse("registry:official_list"), {"q": "yakob"})

    body = response.content.decode()
    assert "640804********02" in body
    assert "6408041505700002" not in body


def test_htmx_gets_only_the_results_fragment(alice_client: Client, kutim_officials: None) -> None:
    response = alice_client.get(
        reverse("registry:official_list"),
        {"wilayah": "64.08.04", "jenis": "KEPALA_DESA"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert "<html" not in body
    assert "Yakob Lakat" in body
    assert "Séno" not in body


def test_the_profile_shows_everything_with_the_nik_masked(
    alice_client: Client, kutim_officials: None
) -> None:
    official = Official.objects.get(nip="198403222009021004")

    response = alice_client.get(reverse("registry:official_detail", args=[official.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "6408042203840001" not in body  # masked until revealed with a reason (§14)
    assert "640804********01" in body
    assert "instagram" in body
    assert "@senoaji" in body
    assert 'data-section="pledges"' in body  # filled by the declarations area when present
    assert 'data-section="cases"' in body


def test_the_list_uses_a_fixed_number_of_queries(
    alice_client: Client, kutim_officials: None, django_assert_max_num_queries: object
) -> None:
    for i in range(30):
        OfficialFactory(name=f"Pegawai {i}", region_id="64.08.04")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        alice_client.get(reverse("registry:official_list"))


# --- cross-region -------------------------------------------------------------------------


def test_alice_gets_404_on_charlies_official(alice_client: Client) -> None:
    bogor = OfficialFactory(name="Asep Bogor", region_id="32.01.01")

    response = alice_client.get(reverse("registry:official_detail", args=[bogor.pk]))

    assert response.status_code == 404


def test_charlie_does_not_find_kutai_timur_officials(
    charlie_client: Client, kutim_officials: None
) -> None:
    response = charlie_client.get(reverse("registry:official_list"), {"q": "seno"})

    assert "Séno" not in response.content.decode()


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get(reverse("registry:official_list"))

    assert response.status_code == 302


# --- coverage -------------------------------------------------------------------------------


def test_coverage_counts_villages_with_a_registered_head(
    alice_client: Client, kutim_officials: None
) -> None:
    response = alice_client.get(reverse("registry:coverage"), {"wilayah": "64.08.04"})

    report = response.context["report"]
    assert report.summary.by_type[SubjectType.KEPALA_DESA] == 1
    assert report.summary.villages_with_head == 1
    assert report.summary.villages > 1
    row = next(r for r in report.rows if r.region.code == "64.08.04.2011")
    assert (row.villages, row.villages_with_head) == (1, 1)


def test_coverage_of_another_regency_is_404(alice_client: Client) -> None:
    response = alice_client.get(reverse("registry:coverage"), {"wilayah": "32.01"})

    assert response.status_code == 404


# --- upload -------------------------------------------------------------------------------


def _upload(client: Client, name: str, *, dry_run: bool = False) -> ImportJob:
    data = (OFFICIALS_FIXTURES / name).read_bytes()
    response = client.post(
        reverse("registry:import"),
        {
            "file": SimpleUploadedFile(name, data),
            **({"dry_run": "on"} if dry_run else {}),
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("created_at")
    assert response["Location"] == reverse("registry:import_job", args=[job.pk])
    return job


def test_regency_staff_upload_a_file_and_the_job_imports_it(bkpsdm: User) -> None:
    client = client_for(bkpsdm)
    job = _upload(client, "good_semicolon_bom.csv")
    assert job.status == ImportStatus.PENDING

    import_job_run(job=job, allowed_regions={"64.08"})  # what the background job runs

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.summary["created"] == 4
    page = client.get(reverse("registry:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "4 pejabat baru" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # finished: polling stops


def test_an_upload_into_an_empty_registry_is_staged_so_its_progress_shows(
    bkpsdm: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The direct load (services/import_direct.py) would hide the job's progress inside its
    one transaction until the commit: the upload page never asks for it."""
    from netral.registry.services import import_direct
    from netral.registry.services import officials_import as service

    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0)  # any size would do

    def direct(*args: object, **kwargs: object) -> bool:
        raise AssertionError("the upload page loaded directly")

    monkeypatch.setattr(import_direct, "load_into_empty_registry", direct)
    assert not Official.objects.exists()
    job = _upload(client_for(bkpsdm), "good_semicolon_bom.csv")

    import_job_run(job=job, allowed_regions={"64.08"})

    job.refresh_from_db()
    assert (job.status, job.summary["created"]) == (ImportStatus.DONE, 4)


def test_a_failed_upload_offers_the_error_file_and_writes_nothing(bkpsdm: User) -> None:
    client = client_for(bkpsdm)
    job = _upload(client, "bad_unknown_region.csv")
    state = db_state()

    import_job_run(job=job, allowed_regions={"64.08"})

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error_count == 2
    assert db_state() == state
    page = client.get(reverse("registry:import_job", args=[job.pk]))
    assert "kode_wilayah" in page.content.decode()
    download = client.get(reverse("registry:import_job_errors", args=[job.pk]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert content.splitlines()[0] == "baris,kolom,kesalahan"
    assert "2,kode_wilayah," in content


def test_a_running_job_page_polls_for_progress(bkpsdm: User) -> None:
    client = client_for(bkpsdm)
    job = _upload(client, "good_comma.csv", dry_run=True)

    page = client.get(reverse("registry:import_job", args=[job.pk]))

    assert 'hx-trigger="every 1s"' in page.content.decode()


def test_supervisors_without_manage_officials_cannot_upload(alice_client: Client) -> None:
    assert alice_client.get(reverse("registry:import")).status_code == 404


def test_another_users_import_job_is_404(bkpsdm: User, charlie: User) -> None:
    job = _upload(client_for(bkpsdm), "good_comma.csv")
    other = UserFactory(username="dpmd.bogor", role=Role.DPMD, region="32.01")

    response = client_for(other).get(reverse("registry:import_job", args=[job.pk]))

    assert response.status_code == 404


def test_name_and_province_search_finds_only_that_province(
    dora_client: Client, kutim_officials: None
) -> None:
    OfficialFactory(name="Seno Bogor", region_id="32.01.01")

    in_64 = dora_client.get(reverse("registry:official_list"), {"q": "seno", "wilayah": "64"})
    in_32 = dora_client.get(reverse("registry:official_list"), {"q": "seno", "wilayah": "32"})

    assert [o.name for o in in_64.context["page"].items] == ["Séno Aji Wibowo"]
    assert [o.name for o in in_32.context["page"].items] == ["Seno Bogor"]


def test_pages_follow_each_other(dora_client: Client) -> None:
    for i in range(30):
        OfficialFactory(name=f"Pegawai {i:02d}", region_id="64.08.04")

    first = dora_client.get(reverse("registry:official_list"), {"q": "pegawai"}).context["page"]
    second = dora_client.get(
        reverse("registry:official_list"), {"q": "pegawai", "page": 2}
    ).context["page"]

    assert (len(first.items), first.has_next) == (25, True)
    assert (len(second.items), second.has_next) == (5, False)
    assert not {o.pk for o in first.items} & {o.pk for o in second.items}


def test_coverage_defaults_to_the_users_own_region(
    alice_client: Client, dora_client: Client
) -> None:
    mine = alice_client.get(reverse("registry:coverage")).context["report"]
    national = dora_client.get(reverse("registry:coverage")).context["report"]

    assert mine.region.code == "64.08"
    assert national.region is None
    assert {r.region.code for r in national.rows} >= {"32", "61", "62", "64"}


def test_a_section_whose_template_is_missing_renders_nothing() -> None:
    from django.template import Context, Template

    template = Template(
        '{% load registry_tags %}[{% include_if_exists "nope/_missing.html" %}]'
        '{% include_if_exists "nope/_missing.html" as found %}'
        "{% if not found %}placeholder{% endif %}"
    )

    assert template.render(Context({})) == "[]placeholder"


def test_coverage_counts_officials_registered_at_the_region_itself(
    alice_client: Client, kutim_officials: None
) -> None:
    report = alice_client.get(reverse("registry:coverage"), {"wilayah": "64.08"}).context["report"]

    assert report.at_region == {SubjectType.PPPK: 1}  # Rina Marlina works at 64.08 itself
    assert sum(r.by_type.get(SubjectType.PNS, 0) for r in report.rows) == 1


def test_the_profile_links_to_an_existing_audit_trail_only(dora_client: Client) -> None:
    from netral.audit.services import audit_record

    quiet = OfficialFactory(name="Tanpa Jejak", region_id="64.08.04")
    logged = OfficialFactory(name="Dengan Jejak", region_id="64.08.04")
    audit_record(obj=logged, action="official.update", actor=None, region_code="64.08.04")

    quiet_page = dora_client.get(reverse("registry:official_detail", args=[quiet.pk]))
    logged_page = dora_client.get(reverse("registry:official_detail", args=[logged.pk]))

    assert f"registry.official:{quiet.pk}" not in quiet_page.content.decode()
    assert f"registry.official:{logged.pk}" in logged_page.content.decode()


def test_editing_an_agencys_ppk_in_the_admin_is_audited(db: None) -> None:
    from netral.audit.models import AuditEntry
    from netral.registry.models import Agency

    agency = Agency.objects.create(name="Dinas Sosial", name_folded="dinas sosial")
    root = User.objects.create_superuser("root", "root@example.test", "x-Strong-Pass-1")
    response = client_for(root).post(
        reverse("admin:registry_agency_change", args=[agency.pk]),
        {"name": "Dinas Sosial", "kind": "KAB_KOTA", "region": "64.08", "ppk_name": "Bupati"},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="registry.agency", object_id=str(agency.pk))
    assert (entry.before["ppk_name"], entry.after["ppk_name"]) == ("", "Bupati")


@pytest.mark.django_db
def test_a_name_search_takes_wildcard_characters_literally() -> None:
    from netral.registry.models import Official
    from netral.registry.selectors import OfficialFilters, official_search
    from tests.factories import OfficialFactory

    star = OfficialFactory(name="Budi*Santoso")
    quiz = OfficialFactory(name="Ani? [Tim] Lestari")
    OfficialFactory(name="Budi Xsantoso")
    OfficialFactory(name="Anik Tim Lestari")

    def found(q: str) -> set[int]:
        page = official_search(queryset=Official.objects.all(), filters=OfficialFilters(q=q))
        return {o.pk for o in page.items}

    assert found("i*s") == {star.pk}
    assert found("ani?") == {quiz.pk}
    assert found("[tim]") == {quiz.pk}
    assert found("budi") == found("BUDI") != set()
