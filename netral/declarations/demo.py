"""Demo events for `netral demo`: one of each kind that regions actually hold (issue 4).

Idempotent: each event is looked up by its title and region and built only once. People
are fictitious; places, offices and the kinds of events follow the observed practice of
DOMAIN.md §9.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from django.db import transaction

from netral.accounts.models import User
from netral.declarations import services
from netral.declarations.models import Event, PledgeTemplate
from netral.elections.models import ElectionEvent
from netral.registry.models import Region

if TYPE_CHECKING:
    from collections.abc import Sequence

WITA = dt.timezone(dt.timedelta(hours=8), "WITA")
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def _sheet_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a scanned signature sheet."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _std(slug: str) -> PledgeTemplate:
    return PledgeTemplate.objects.get(slug=slug, version=1)


def _regional_copy(
    *, slug: str, region: str, title: str, actor: User | None, regime: str = ""
) -> PledgeTemplate:
    existing = PledgeTemplate.objects.filter(region_id=region, title=title).first()
    if existing:
        return existing
    copy = services.pledge_template_copy(
        template=_std(slug), region=Region.objects.get(code=region), actor=actor
    )
    copy = services.pledge_template_update(
        template=copy,
        actor=actor,
        title=title,
        points=copy.points,
        preamble=copy.preamble,
        closing=copy.closing,
    )
    if regime:
        PledgeTemplate.objects.filter(pk=copy.pk).update(regime=regime)
    return copy


def _event(*, title: str, region: str, **kwargs: object) -> Event | None:
    """None when the event already exists (the demo ran before)."""
    if Event.objects.filter(title=title, region_id=region).exists():
        return None
    return services.event_create(title=title, region=Region.objects.get(code=region), **kwargs)  # type: ignore[arg-type]


def _at(day: dt.date, hour: int, minute: int = 0, tz: dt.tzinfo = WITA) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _speakers(rows: Sequence[tuple[str, str, str]]) -> list[services.SpeakerIn]:
    return [services.SpeakerIn(name, institution, topic) for name, institution, topic in rows]


@transaction.atomic
def demo_declarations() -> int:
    """Build the demo events; returns how many were created this time."""
    pemilu = ElectionEvent.objects.filter(name="Pemilu 2024").first()
    pilkada = ElectionEvent.objects.filter(name="Pilkada Serentak 2024").first()
    created = 0
    created += _kutim_socialisation(pilkada)
    created += _kecamatan_declaration(pemilu)
    created += _bawaslu_rakor(pilkada)
    created += _joint_apel(pilkada)
    created += _bogor_visit(pilkada)
    return created


def _kutim_socialisation(pilkada: ElectionEvent | None) -> int:
    """Kesbangpol's regency-wide socialisation at a hotel; then all 139 kepala desa sign a
    fakta integritas (recorded from the paper sheets)."""
    actor = _user("kesbangpol.kutim")
    pact = _regional_copy(
        slug="ikrar-netralitas-pilkada",
        region="64.08",
        actor=actor,
        regime="PILKADA",
        title="Fakta Integritas Netralitas Kepala Desa se-Kabupaten Kutai Timur",
    )
    day = dt.date(2024, 9, 19)
    event = _event(
        title="Sosialisasi Pencegahan Penyalahgunaan Wewenang oleh Aparatur Desa dalam "
        "Pilkada 2024",
        region="64.08",
        actor=actor,
        kinds=["SOSIALISASI", "DEKLARASI"],
        date=day,
        venue="Hotel Royal Victoria, Sangatta",
        organiser="Badan Kesatuan Bangsa dan Politik Kabupaten Kutai Timur",
        election_event=pilkada,
        materials="UU 10/2016 Ps. 70, 71, 188; UU 6/2014 Ps. 29, 51; SKB 2022 netralitas ASN",
        basis="Undangan Kesbangpol Kab. Kutai Timur (demo)",
        speakers=_speakers(
            [
                (
                    "Ketua KPU Kabupaten Kutai Timur (demo)",
                    "KPU Kabupaten Kutai Timur",
                    "Tahapan Pilkada 2024",
                ),
                (
                    "Kasat Reskrim Polres Kutai Timur (demo)",
                    "Polres Kutai Timur",
                    "Tindak pidana pemilihan",
                ),
                (
                    "Kepala DPMD Kutai Timur (demo)",
                    "DPMD Kabupaten Kutai Timur",
                    "Larangan bagi kepala desa dan perangkat desa",
                ),
                (
                    "Koordinator Divisi Penanganan Pelanggaran (demo)",
                    "Bawaslu Kabupaten Kutai Timur",
                    "Pengawasan netralitas",
                ),
            ]
        ),
        pledges=[pact],
    )
    if event is None:
        return 0
    services.event_participant_rule_set(
        event=event,
        actor=actor,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA"],
    )
    sheet = services.event_document_upload(
        event=event,
        actor=actor,
        kind="SIGNED_SHEET",
        data=_sheet_pdf("Lembar fakta integritas"),
        caption="Lembar tanda tangan fakta integritas (pindaian)",
    )
    for n, participant in enumerate(
        event.participants.select_related("official").order_by("official__region_id")
    ):
        services.signature_record(
            event=event,
            template=pact,
            official=participant.official,
            actor=actor,
            evidence=sheet,
            signed_at=_at(day, 13) + dt.timedelta(seconds=20 * n),
        )
    services.event_attendance_set(
        event=event, actor=actor, counts={"KEPALA_DESA": event.participants.count()}
    )
    return 1


def _kecamatan_declaration(pemilu: ElectionEvent | None) -> int:
    """A kecamatan declaration after a ceremony with witnesses and two texts."""
    actor = _user("panwascam.sangattautara")
    # perangkat desa of Sangatta Utara come from the registry demo (netral/registry/demo.py)
    day = dt.date(2024, 1, 22)
    event = _event(
        title="Deklarasi Pemilu Damai dan Netralitas ASN serta Aparatur Desa Kecamatan "
        "Sangatta Utara",
        region="64.08.04",
        actor=actor,
        kinds=["DEKLARASI"],
        date=day,
        venue="Halaman Kantor Camat Sangatta Utara",
        election_event=pemilu,
        organiser="Panwaslu Kecamatan Sangatta Utara",
        witnesses="Pengurus partai politik tingkat kecamatan; PGRI Cabang Sangatta Utara; "
        "Polsek Sangatta Utara",
        materials="Upacara dilanjutkan pembacaan dan penandatanganan deklarasi",
        pledges=[_std("deklarasi-pemilu-damai"), _std("ikrar-netralitas-asn-desa")],
    )
    if event is None:
        return 0
    services.event_participant_rule_set(
        event=event,
        actor=actor,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["CAMAT", "KEPALA_DESA", "PERANGKAT_DESA", "LURAH"],
    )
    sheet = services.event_document_upload(
        event=event,
        actor=actor,
        kind="SIGNED_SHEET",
        data=_sheet_pdf("Lembar deklarasi"),
        caption="Lembar deklarasi bertanda tangan",
    )
    for n, participant in enumerate(event.participants.select_related("official")):
        for template in event.pledges.all():
            services.signature_record(
                event=event,
                template=template,
                official=participant.official,
                actor=actor,
                evidence=sheet,
                signed_at=_at(day, 9) + dt.timedelta(minutes=n),
            )
    services.event_attendance_set(
        event=event,
        actor=actor,
        counts={"CAMAT": 1, "KEPALA_DESA": 3, "PERANGKAT_DESA": 6, "LURAH": 1, "LAINNYA": 40},
    )
    return 1


def _bawaslu_rakor(pilkada: ElectionEvent | None) -> int:
    """Bawaslu's coordination meeting on violation handling, ending in a declaration read by
    all village heads and lurah, before the regent, police, prosecutors and military."""
    actor = _user("bawaslu.kutim")
    day = dt.date(2024, 10, 8)
    event = _event(
        title="Rapat Koordinasi Evaluasi Penanganan Pelanggaran Netralitas Pilkada 2024",
        region="64.08",
        actor=actor,
        kinds=["RAKOR", "DEKLARASI"],
        date=day,
        venue="Ruang Meranti, Kantor Bupati Kutai Timur",
        election_event=pilkada,
        organiser="Bawaslu Kabupaten Kutai Timur",
        witnesses="Bupati Kutai Timur; Kapolres Kutai Timur; Kajari Kutai Timur; "
        "Dandim 0909/Kutai Timur",
        speakers=_speakers(
            [
                (
                    "Ketua Bawaslu Kabupaten Kutai Timur (demo)",
                    "Bawaslu Kabupaten Kutai Timur",
                    "Evaluasi penanganan pelanggaran",
                ),
                (
                    "Kepala Kejaksaan Negeri Kutai Timur (demo)",
                    "Kejaksaan Negeri Kutai Timur",
                    "Sentra Gakkumdu",
                ),
            ]
        ),
        pledges=[_std("ikrar-netralitas-asn-desa")],
    )
    if event is None:
        return 0
    template = _std("ikrar-netralitas-asn-desa")
    services.event_participant_rule_set(
        event=event, actor=actor, region=Region.objects.get(code="64.08"), subject_types=["LURAH"]
    )
    for participant in event.participants.select_related("official"):
        services.signature_record(
            event=event,
            template=template,
            official=participant.official,
            actor=actor,
            signed_at=_at(day, 15),
        )
    services.signature_institutional(
        event=event,
        template=template,
        actor=actor,
        name="Ketua APDESI Kabupaten Kutai Timur (demo)",
        title="Perwakilan kepala desa se-Kabupaten Kutai Timur",
        institution="Asosiasi Pemerintah Desa Seluruh Indonesia (APDESI) Kutai Timur",
        signed_at=_at(day, 15, 5),
    )
    services.event_attendance_set(
        event=event,
        actor=actor,
        counts={"KEPALA_DESA": 139, "LURAH": 2, "PNS": 25, "TNI": 4, "POLRI": 6},
    )
    return 1


_APEL_SIGNATORIES = [
    ("Bupati Kutai Timur (demo)", "Bupati", "Pemerintah Kabupaten Kutai Timur"),
    ("Kapolres Kutai Timur (demo)", "Kepala Kepolisian Resor", "Polres Kutai Timur"),
    ("Dandim 0909/Kutai Timur (demo)", "Komandan Kodim", "Kodim 0909/Kutai Timur"),
    ("Kajari Kutai Timur (demo)", "Kepala Kejaksaan Negeri", "Kejaksaan Negeri Kutai Timur"),
    ("Ketua PN Sangatta (demo)", "Ketua Pengadilan Negeri", "Pengadilan Negeri Sangatta"),
    ("Ketua Bawaslu Kutai Timur (demo)", "Ketua", "Bawaslu Kabupaten Kutai Timur"),
    ("Ketua KPU Kutai Timur (demo)", "Ketua", "KPU Kabupaten Kutai Timur"),
    ("Perwakilan Kepala Desa (demo)", "Kepala Desa", "APDESI Kabupaten Kutai Timur"),
]


def _joint_apel(pilkada: ElectionEvent | None) -> int:
    """A joint morning assembly before the Pilkada; leaders sign one declaration."""
    actor = _user("kesbangpol.kutim")
    declaration = _regional_copy(
        slug="deklarasi-pemilu-damai",
        region="64.08",
        actor=actor,
        regime="PILKADA",
        title="Deklarasi Pilkada Damai dan Netralitas Kabupaten Kutai Timur 2024",
    )
    day = dt.date(2024, 11, 18)
    event = _event(
        title="Apel Bersama Netralitas dan Pilkada Damai 2024",
        region="64.08",
        actor=actor,
        kinds=["APEL", "DEKLARASI"],
        date=day,
        venue="Lapangan Helipad Bukit Pelangi, Sangatta",
        organiser="Pemerintah Kabupaten Kutai Timur",
        election_event=pilkada,
        pledges=[declaration],
    )
    if event is None:
        return 0
    for n, (name, title, institution) in enumerate(_APEL_SIGNATORIES):
        services.signature_institutional(
            event=event,
            template=declaration,
            actor=actor,
            name=name,
            title=title,
            institution=institution,
            signed_at=_at(day, 8, n),
        )
    services.event_attendance_set(
        event=event,
        actor=actor,
        counts={"PNS": 400, "TNI": 80, "POLRI": 120, "KEPALA_DESA": 60, "LAINNYA": 50},
    )
    return 1


def _bogor_visit(pilkada: ElectionEvent | None) -> int:
    """A kecamatan visit combining a socialisation for ASN and village officials with a
    peaceful-Pilkada declaration (Kab. Bogor, to show another jurisdiction)."""
    actor = _user("bawaslu.bogor")
    day = dt.date(2024, 10, 2)
    event = _event(
        title="Kunjungan Kerja dan Sosialisasi Netralitas ASN serta Deklarasi Pilkada Damai "
        "Kecamatan Cibinong",
        region="32.01.01",
        actor=actor,
        kinds=["SOSIALISASI", "DEKLARASI"],
        date=day,
        venue="Aula Kantor Kecamatan Cibinong",
        organiser="Bawaslu Kabupaten Bogor",
        election_event=pilkada,
        speakers=_speakers(
            [
                (
                    "Anggota Bawaslu Kabupaten Bogor (demo)",
                    "Bawaslu Kabupaten Bogor",
                    "Netralitas ASN dan aparatur desa dalam Pilkada",
                )
            ]
        ),
        pledges=[_std("ikrar-netralitas-pilkada")],
    )
    if event is None:
        return 0
    services.event_participant_rule_set(
        event=event,
        actor=actor,
        region=Region.objects.get(code="32.01.01"),
        subject_types=["CAMAT", "LURAH", "KEPALA_DESA"],
    )
    for participant in event.participants.select_related("official"):
        services.signature_record(
            event=event,
            template=_std("ikrar-netralitas-pilkada"),
            official=participant.official,
            actor=actor,
            signed_at=_at(day, 10, tz=WIB),
        )
    services.event_attendance_set(
        event=event, actor=actor, counts={"CAMAT": 1, "LURAH": 12, "PNS": 30}
    )
    return 1
