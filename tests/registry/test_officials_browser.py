"""The upload page in Debian's chromium: progress while the worker runs the import job, then
the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import browser_sign_in
from tests.workers import start_worker, stop_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 60_000  # big enough that the job is still running when its page first loads


def _big_csv(path: Path) -> None:
    villages = ["64.08.04.2001", "64.08.04.2011", "64.08.04.2012", "64.08.04", "64.08"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("jenis;nama;nip;kode_wilayah;instansi\n")
        for i in range(ROWS):
            # valid, unique NIPs: birth date from i // 1000, sequence i % 1000
            day = 1 + (i // 1000) % 28
            month = 1 + (i // 28000) % 12
            nip = f"1980{month:02d}{day:02d}2005011{i % 1000:03d}"
            fh.write(f"PNS;Pegawai {i};{nip};{villages[i % 5]};Dinas {i % 7}\n")


def test_staff_upload_a_file_and_watch_it_import(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    # given
    from netral.accounts.models import Role
    from netral.registry.models import Official
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    UserFactory(username="bkpsdm", role=Role.BKPSDM, region="64.08")
    upload = tmp_path / "pegawai.csv"
    _big_csv(upload)
    browser_sign_in(page, live_server.url, "bkpsdm")
    page.get_by_role("link", name="Pejabat").first.click()
    page.get_by_role("link", name="Impor dari CSV/XLSX").click()
    worker = start_worker("browser-test-worker")  # `netral worker`, as `make run` starts it
    try:
        # when
        page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(upload))
        page.get_by_role("button", name="Unggah dan proses").click()
        # then: a progress bar first, replaced by the result without a reload (htmx polling)
        page.get_by_test_id("import-progress").wait_for()
        result = page.get_by_test_id("import-result")
        result.wait_for(timeout=60_000)
    finally:
        stop_worker(worker)
    assert f"{ROWS} baris diimpor: {ROWS} pejabat baru" in result.inner_text()
    assert Official.objects.count() == ROWS
