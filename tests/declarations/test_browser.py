"""End-to-end in Debian's chromium: an official signs online from the event QR page with a
one-time code from their email, then the public verification page says VALID; an officer
ticks the checklist (htmx)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tests.conftest import browser_sign_in
from tests.workers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup() -> Any:
    from netral.accounts.models import Role
    from netral.declarations import services
    from netral.registry.models import Region
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.declarations.helpers import official, pilkada
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    alice = UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    text = services.pledge_template_create(
        actor=alice,
        kind="IKRAR_NETRALITAS",
        title="Ikrar Netralitas Kepala Desa",
        points=["Menjaga netralitas.", "Menolak politik uang."],
        region=Region.objects.get(code="64.08"),
    )
    event = services.event_create(
        actor=alice,
        title="Deklarasi Netralitas Kepala Desa",
        kinds=["DEKLARASI"],
        date=pilkada().voting_day,
        region=Region.objects.get(code="64.08"),
        organiser="Bawaslu Kabupaten Kutai Timur",
        election_event=pilkada(),
        pledges=[text],
    )
    person = official(
        region="64.08.04.2001",
        email="kades@example.test",
        nip="197001011990011001",
        name="Abdul Saputra",
    )
    services.event_participant_rule_set(
        event=event,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    return alice, event, text, person


def test_an_official_signs_online_and_the_certificate_verifies(live_server: Any, page: Any) -> None:
    # given
    from netral.declarations.models import Signature

    _alice, event, _text, _person = _setup()
    # when the official scans the event QR code and identifies
    page.goto(f"{live_server.url}/kegiatan/{event.code}/tanda-tangan/")
    page.get_by_label("NIP, NI PPPK, NIK atau NRP Anda").fill("197001011990011001")
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_text("Penanda tangan: Abdul Saputra").wait_for()
    # and asks for a one-time code
    page.get_by_test_id("send-code").click()
    page.get_by_test_id("otp-sent").wait_for()
    assert "k***@example.test" in page.get_by_test_id("otp-sent").inner_text()
    run_jobs()  # the worker delivers the code
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    # a wrong code is refused with the attempts left
    page.get_by_label("Kode sekali pakai").fill("000000" if code != "000000" else "111111")
    page.get_by_label("Saya telah membaca dan menyetujui naskah di atas.").check()
    page.get_by_test_id("sign-submit").click()
    page.get_by_text("Sisa percobaan: 4").wait_for()
    # then the right one signs
    page.get_by_label("Kode sekali pakai").fill(code)
    page.get_by_label("Saya telah membaca dan menyetujui naskah di atas.").check()
    page.get_by_test_id("sign-submit").click()
    page.get_by_test_id("signed").wait_for()
    signature = Signature.objects.get()
    assert signature.method == "ONLINE_OTP"
    # and the public verification page re-checks the seal
    page.get_by_test_id("verify-link").first.click()
    status = page.get_by_test_id("status")
    status.wait_for()
    assert "VALID" in status.inner_text()
    assert "Abdul Saputra" in page.content()
    assert "197001011990011001" not in page.content()


def test_the_verification_page_shows_revoked_and_invalid(live_server: Any, page: Any) -> None:
    from netral.declarations import services
    from netral.declarations.models import Signature

    alice, event, text, _person = _setup()
    sig = services.signature_institutional(
        event=event,
        template=text,
        actor=alice,
        name="Bupati (demo)",
        title="Bupati",
        institution="Pemerintah Kabupaten Kutai Timur",
    )
    services.signature_revoke(signature=sig, actor=alice, reason="Salah naskah")
    page.goto(f"{live_server.url}/verifikasi/{sig.code}/")
    assert "REVOKED" in page.get_by_test_id("status").inner_text()
    Signature.objects.filter(pk=sig.pk).update(signer_title="Gubernur")
    page.goto(f"{live_server.url}/verifikasi/{sig.code}/")
    assert "INVALID" in page.get_by_test_id("status").inner_text()
    assert "Gubernur" not in page.content()


def test_an_officer_ticks_the_checklist(live_server: Any, page: Any) -> None:
    from netral.declarations.models import Signature

    _alice, event, text, person = _setup()
    browser_sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/deklarasi/kegiatan/{event.pk}/peserta/")
    page.wait_for_function("() => window.htmx !== undefined")  # the script is deferred
    # click, not check(): htmx replaces the box, so check() would wait on a detached element
    page.get_by_test_id(f"sign-{person.pk}-{text.pk}").click()
    page.get_by_test_id(f"signed-{person.pk}-{text.pk}").wait_for()  # htmx swapped the cell
    assert Signature.objects.get().method == "RECORDED_BY_OFFICER"
