"""Done means (issue 16), in Debian's chromium: an officer captures a fixture post, triages it
into a finding and the temuan carries the sealed evidence; the archived page replays with no
request leaving the server; a takedown letter is produced for three captures; the public
verification of a capture reports a tampered file without showing its content."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup(live_server: Any, page: Any) -> Any:
    from netral.accounts.models import Role
    from netral.patrol import services
    from netral.patrol.models import TermKind
    from netral.registry.services.regions_load import regions_load
    from tests.cases.conftest import seed_deadline_rules
    from tests.conftest import SAMPLE_REGIONS, browser_sign_in
    from tests.factories import UserFactory
    from tests.patrol.conftest import make_election, make_kades

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    seed_deadline_rules()
    alice = UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    make_kades()
    event = make_election()
    services.watch_term_add(
        election_event=event, unit_region=None, kind=TermKind.NOMOR, term="Paslon 2", actor=alice
    )
    browser_sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/petugas/")
    return event


def run_worker() -> None:
    from tests.patrol.conftest import run_worker as run

    run()


def _capture_in_browser(page: Any, live_server: Any, url: str, event_name: str) -> int:
    page.goto(f"{live_server.url}/patroli/tangkap/")
    page.get_by_label("Alamat (URL) publik yang akan diambil").fill(url)
    page.get_by_label("Pemilihan").select_option(label=event_name)
    page.get_by_test_id("capture-submit").click()
    # the request is queued; the page polls while the worker (netral/jobs) renders and seals
    page.get_by_test_id("capture-status").filter(has_text="Dalam antrean").wait_for()
    run_worker()
    page.get_by_test_id("capture-status").filter(has_text="Selesai dan disegel").wait_for()
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_capture_triage_into_a_finding_replay_letter_and_verification(
    live_server: Any, page: Any, site: Any, browser: Any
) -> None:
    from netral.cases.models import Evidence, ReportedPerson
    from netral.patrol.models import Capture, FileRole

    event = _setup(live_server, page)
    pk = _capture_in_browser(page, live_server, f"{site.url}/budi.santoso.kades/post/1", event.name)

    # the capture is linked to the official and the watched name is highlighted
    assert "Budi Santoso" in page.get_by_test_id("capture-official").inner_text()
    assert page.locator("[data-testid=visible-text] mark", has_text="Paslon 2").count() == 1

    # the archived page replays from Netral alone: every request of the viewer goes here
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    frame = page.frame_locator("[data-testid=replay]")
    frame.locator("text=Ayo dukung Paslon 2").wait_for()
    frame.locator("text=Mantap pak kades").wait_for()  # the comments the script had added
    assert frame.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    page.get_by_test_id("screenshot").evaluate("img => img.decode()")
    own = urlsplit(live_server.url).netloc
    assert requests
    assert all(urlsplit(u).netloc == own for u in requests if u.startswith("http"))

    # triage: a finding opens a temuan carrying the sealed evidence
    page.get_by_label("Temuan", exact=True).check()
    page.get_by_label("Jenis perbuatan").select_option("UNGGAHAN")
    page.get_by_label("Catatan").fill("Ajakan memilih paslon 2")
    page.get_by_test_id("triage-submit").click()
    page.get_by_test_id("capture-case").wait_for()
    assert "DS02" in page.get_by_test_id("capture-triage").inner_text()
    capture = Capture.objects.get(pk=pk)
    digests = {f.sha256 for f in capture.files.all()}
    assert digests <= set(
        Evidence.objects.filter(case=capture.case).values_list("sha256", flat=True)
    )
    assert ReportedPerson.objects.get(case=capture.case).official_id == capture.official_id
    page.get_by_test_id("capture-case").click()
    page.wait_for_url(f"**/perkara/{capture.case_id}/")
    assert str(capture.code) in page.content()  # the evidence names its verification code

    # a takedown letter for three captures
    second = _capture_in_browser(
        page, live_server, f"{site.url}/budi.santoso.kades/post/4", event.name
    )
    third = _capture_in_browser(page, live_server, f"{site.url}/post/2", event.name)
    page.goto(f"{live_server.url}/patroli/tangkapan/")
    for chosen in (pk, second, third):
        page.locator(f"input[name=captures][value='{chosen}']").check()
    page.locator("summary", has_text="Buat surat permintaan").click()
    page.get_by_label("Satuan pengirim").fill("Bawaslu Kabupaten Kutai Timur")
    page.get_by_test_id("letter-submit").click()
    number = page.get_by_test_id("letter-number").inner_text()
    assert number.startswith("001/")
    assert page.get_by_test_id("letter-items").locator("tbody tr").count() == 3
    pdf = page.request.get(
        live_server.url + page.get_by_test_id("letter-pdf").get_attribute("href")
    ).body()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert number in text
    for chosen in (pk, second, third):
        assert Capture.objects.get(pk=chosen).seal["digest"][:16] in text

    # the public verification reports a tampered file, without the content
    shot = Capture.objects.get(pk=second).files.get(role=FileRole.SCREENSHOT)
    with open(shot.file.path, "r+b") as fh:
        fh.seek(64)
        fh.write(b"tampered")
    public = browser.new_context(locale="id-ID").new_page()
    public.goto(f"{live_server.url}/verifikasi/tangkapan/{Capture.objects.get(pk=second).code}/")
    assert "TIDAK UTUH" in public.get_by_test_id("verify-result").inner_text()
    assert "Berubah" in public.get_by_test_id("verify-files").inner_text()
    body = public.content()
    assert "budi.santoso.kades" not in body
    assert "Paslon" not in body
    public.goto(f"{live_server.url}/verifikasi/tangkapan/{Capture.objects.get(pk=third).code}/")
    assert "Utuh" in public.get_by_test_id("verify-result").inner_text()
    public.context.close()
