"""Demo patrol (`netral demo`): Kab. Kutai Timur's cyber patrol with captures of the fixture
pages that ship with the code (served on loopback while the demo is built, admitted for that
moment only), watched names of the 2024 Pilkada, a finding, triage decisions and a takedown
letter. Idempotent: nothing is added when the demo patrol exists. Skipped (with a note) when
chromium is not installed."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import override_settings

from netral.accounts.models import User
from netral.elections.models import ElectionEvent
from netral.patrol import services
from netral.patrol.models import ActKind, Capture, CaptureStatus, TermKind, Triage, WatchTerm
from netral.registry.models import Official, Region, SocialAccount, SubjectType
from netral.registry.text import fold

UNIT = "64.08"
DESA = "64.08.04.2001"
TERMS = [
    (TermKind.NOMOR, "Paslon 2"),
    (TermKind.CALON, "Harapan Baru"),
    (TermKind.CALON, "Ahmad Yani"),
    (TermKind.PARTAI, "Partai Maju Bersama"),
    (TermKind.LAINNYA, "salam dua jari"),
]


def _official() -> Official:
    official = Official.objects.filter(subject_type=SubjectType.KEPALA_DESA, region_id=DESA).first()
    if official is None:
        official = Official.objects.create(
            subject_type=SubjectType.KEPALA_DESA,
            name="Budi Santoso",
            name_folded=fold("Budi Santoso"),
            position="Kepala Desa",
            region_id=DESA,
        )
    return official


def demo_patrol(notes: list[str]) -> int:
    officer = User.objects.filter(username="bawaslu.kutim").first()
    event = ElectionEvent.objects.filter(name="Pilkada Serentak 2024").first()
    if officer is None or event is None or Capture.objects.filter(requested_by=officer).exists():
        return 0
    if not Path(settings.NETRAL_CHROMIUM).exists():
        notes.append("patroli siber dilewati: chromium tidak terpasang")
        return 0
    from netral.patrol.capture import browser_close
    from netral.patrol.fixture_site import FixtureSite

    unit = Region.objects.get(code=UNIT)
    for kind, term in TERMS:
        if not WatchTerm.objects.filter(election_event=event, unit_region=unit, term=term).exists():
            services.watch_term_add(
                election_event=event, unit_region=unit, kind=kind, term=term, actor=officer
            )
    official = _official()
    SocialAccount.objects.get_or_create(
        official=official, platform="Facebook", handle="budi.santoso.kades"
    )
    captures = []
    with (
        FixtureSite() as site,
        override_settings(NETRAL_FETCH_ALLOWED_NETWORKS=["127.0.0.0/8", "::1/128"]),
    ):
        for path in ("budi.santoso.kades/post/1", "budi.santoso.kades/post/4", "post/2", "post/3"):
            capture = services.capture_request(
                actor=officer,
                url=f"{site.url}/{path}",
                unit_region=unit,
                election_event=event,
                as_task=False,
            )
            captures.append(services.capture_run(capture_id=capture.pk))
    browser_close()
    sealed = [c for c in captures if c.status == CaptureStatus.SELESAI]
    if len(sealed) < 4:
        notes.append("patroli siber: sebagian tangkapan demo gagal")
        return len(sealed)
    first, second, _third, fourth = sealed  # the third stays in the triage queue
    services.capture_triage(
        capture=first,
        actor=officer,
        data=services.TriageData(
            decision=Triage.TEMUAN,
            act_kind=ActKind.UNGGAHAN,
            note="Kepala desa mengajak memilih paslon nomor 2.",
        ),
    )
    services.capture_triage(
        capture=second,
        actor=officer,
        data=services.TriageData(decision=Triage.PANTAU, act_kind=ActKind.UNGGAHAN),
    )
    services.capture_triage(
        capture=fourth, actor=officer, data=services.TriageData(decision=Triage.TIDAK_RELEVAN)
    )
    services.takedown_letter_create(
        actor=officer,
        captures=[first, second],
        data=services.LetterData(
            recipient="KOMDIGI",
            recipient_name="Direktur Jenderal Pengawasan Ruang Digital, Kementerian Komunikasi "
            "dan Digital",
            unit_name="Bawaslu Kabupaten Kutai Timur",
            signer_name="Ketua Bawaslu Kabupaten Kutai Timur",
        ),
        unit_region=unit,
        verify_url=lambda code: f"/verifikasi/tangkapan/{code}/",
    )
    notes.append(f"patroli siber: {len(sealed)} tangkapan dari halaman contoh")
    return len(sealed)
