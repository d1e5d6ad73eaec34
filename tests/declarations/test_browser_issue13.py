"""Issue 13 §1-5 end to end in Debian's chromium: signing time, a text written from scratch,
tick the selected, a spoken pledge with its evidence, and a verified joint declaration."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup() -> Any:
    from tests.declarations.helpers import official
    from tests.declarations.test_browser import _setup as base

    alice, event, text, person = base()
    other = official(region="64.08.04.2011", name="Budi Hartono")
    from netral.declarations import services
    from netral.registry.models import Region

    services.event_participant_rule_set(
        event=event,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    return alice, event, text, [person, other]


def _login(page: Any, live_server: Any) -> None:
    from tests.conftest import browser_sign_in

    browser_sign_in(page, live_server.url, "alice")


def test_signing_time_and_a_verified_joint_declaration(live_server: Any, page: Any) -> None:
    """§1: the institutional form defaults to the event's date, not today; §5: two
    signatories, one sealed joint declaration, verified on its public page."""
    from netral.declarations.models import JointDeclaration, Signature

    _alice, event, text, _people = _setup()
    _login(page, live_server)
    url = f"{live_server.url}/deklarasi/kegiatan/{event.pk}/"
    for name, institution in [("Bupati Kutai Timur", "Pemkab Kutai Timur"), ("Kapolres", "Polres")]:
        page.goto(url)
        page.wait_for_function("() => window.htmx !== undefined")  # the script is deferred
        page.get_by_text("Penandatangan kelembagaan (mis. bupati, kapolres)").click()
        form = page.locator("form[action$='/kelembagaan/']")
        default = form.locator("[name=signed_at]").input_value()
        assert default == f"{event.date.isoformat()}T09:00"
        form.locator("[name=name]").fill(name)
        form.locator("[name=title]").fill("Pimpinan")
        form.locator("[name=institution]").fill(institution)
        form.get_by_test_id("institutional-submit").click()
        page.get_by_text("Tanda tangan kelembagaan dicatat.").wait_for()
    signatures = page.get_by_test_id("signatures").inner_text()
    assert f"{event.date.isoformat()} 09:00 WITA" in signatures
    assert Signature.objects.filter(signed_at__date=event.date).count() == 2
    # the same signatory again is refused
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_text("Penandatangan kelembagaan (mis. bupati, kapolres)").click()
    form = page.locator("form[action$='/kelembagaan/']")
    form.locator("[name=name]").fill("bupati  kutai timur")
    form.locator("[name=title]").fill("Bupati")
    form.locator("[name=institution]").fill("PEMKAB KUTAI TIMUR")
    form.get_by_test_id("institutional-submit").click()
    page.get_by_text("sudah menandatangani naskah ini pada kegiatan ini").wait_for()
    # §5
    page.get_by_test_id(f"joint-issue-{text.pk}").click()
    page.get_by_text("Deklarasi bersama diterbitkan dan disegel.").wait_for()
    assert JointDeclaration.objects.count() == 1
    page.get_by_test_id("joint-verify").click()
    assert "VALID" in page.get_by_test_id("status").inner_text()
    names = page.get_by_test_id("signatories").inner_text()
    assert "Bupati Kutai Timur" in names
    assert "Kapolres" in names


def test_a_text_from_scratch_tick_the_selected_and_a_spoken_pledge(
    live_server: Any, page: Any
) -> None:
    """§2 a text written from scratch with its kind and audience; §3 tick the selected;
    §4 mark all present and record the ikrar lisan with a photo."""
    from netral.declarations.models import PledgeTemplate, Signature, SpokenPledge
    from tests.declarations.helpers import PNG_BYTES

    _alice, event, text, people = _setup()
    _login(page, live_server)
    # §2
    page.goto(f"{live_server.url}/deklarasi/naskah/")
    page.get_by_role("button", name="Tulis naskah baru").click()
    page.locator("[name=kind]").select_option("PAKTA_INTEGRITAS")
    page.get_by_label("Judul").fill("Pakta Integritas Perangkat Desa")
    page.get_by_label("Butir (satu per baris)").fill("Netral.\nMenolak politik uang.")
    page.get_by_label("Perangkat desa").check()
    page.get_by_role("button", name="Simpan").click()
    page.get_by_test_id("audience").wait_for()
    assert "Perangkat desa" in page.get_by_test_id("audience").inner_text()
    assert "Pakta/fakta integritas" in page.content()
    written = PledgeTemplate.objects.get(title="Pakta Integritas Perangkat Desa")
    assert (written.kind, written.subject_types) == ("PAKTA_INTEGRITAS", ["PERANGKAT_DESA"])
    # §3: select both participants on the page, record in one go
    page.goto(f"{live_server.url}/deklarasi/kegiatan/{event.pk}/peserta/")
    page.get_by_test_id("select-page").check()
    assert page.get_by_test_id(f"select-{people[1].pk}").is_checked()
    page.get_by_test_id("sign-selected").click()
    page.get_by_text("2 tanda tangan dicatat").wait_for()
    assert Signature.objects.filter(official__in=people).count() == 2
    page.get_by_test_id(f"signed-{people[1].pk}-{text.pk}").wait_for()
    # §4
    page.get_by_test_id("present-all").click()
    page.get_by_text("ditandai hadir").wait_for()
    page.goto(f"{live_server.url}/deklarasi/kegiatan/{event.pk}/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_text("Catat ikrar lisan (dibacakan bersama oleh semua peserta)").click()
    form = page.locator("form[action$='/ikrar-lisan/']")
    form.locator("[name=led_by]").fill("Ketua APDESI")
    form.locator("[name=file]").set_input_files(
        files=[{"name": "ikrar.png", "mimeType": "image/png", "buffer": PNG_BYTES + b"browser"}]
    )
    form.get_by_test_id("spoken-submit").click()
    page.get_by_text("Ikrar lisan dicatat.").wait_for()
    listing = page.get_by_test_id("spoken-list").inner_text()
    assert "Ketua APDESI" in listing
    assert "2 peserta hadir tercatat" in listing
    assert SpokenPledge.objects.get().evidence.count() == 1
