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
from netral.registry.models import Official, Region

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
    *,
    slug: str,
    region: str,
    title: str,
    actor: User | None,
    regime: str = "",
    kind: str | None = None,
    subject_types: Sequence[str] | None = None,
) -> PledgeTemplate:
    existing = PledgeTemplate.objects.filter(region_id=region, title=title).first()
    if existing:
        return existing
    copy = services.pledge_template_copy(
        template=_std(slug), region=Region.objects.get(code=region), actor=actor
    )
    return services.pledge_template_update(
        template=copy,
        actor=actor,
        title=title,
        points=copy.points,
        preamble=copy.preamble,
        closing=copy.closing,
        kind=kind,
        regime=regime or None,
        subject_types=subject_types,
    )


def _region_name(code: str) -> str:
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def _event(*, title: str, region: str, **kwargs: object) -> Event | None:
    """None when the event already exists (the demo ran before)."""
    if Event.objects.filter(title=title, region_id=region).exists():
        return None
    return services.event_create(title=title, region=Region.objects.get(code=region), **kwargs)  # type: ignore[arg-type]


def _at(day: dt.date, hour: int, minute: int = 0, tz: dt.tzinfo = WITA) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _speakers(rows: Sequence[tuple[str, ...]]) -> list[services.SpeakerIn]:
    """Rows of (name, institution, topic[, position])."""
    return [
        services.SpeakerIn(row[0], row[1], row[2], row[3] if len(row) > 3 else "") for row in rows
    ]


def _png() -> bytes:
    """A small PNG standing in for an event photo."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


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
    _written_text(pilkada)
    return created


def _written_text(pilkada: ElectionEvent | None) -> None:
    """A text written from scratch by a region, with its kind, election and audience."""
    region = Region.objects.get(code="64.08")
    title = "Pakta Integritas Netralitas Perangkat Desa dan Anggota BPD Kutai Timur"
    if PledgeTemplate.objects.filter(region=region, title=title).exists():
        return
    services.pledge_template_create(
        actor=_user("dpmd.kutim") or _user("kesbangpol.kutim"),
        kind="PAKTA_INTEGRITAS",
        title=title,
        region=region,
        regime="PILKADA",
        election_event=pilkada,
        subject_types=["PERANGKAT_DESA", "ANGGOTA_BPD"],
        preamble="Kami yang bertanda tangan di bawah ini, perangkat desa dan anggota BPD "
        "se-Kabupaten Kutai Timur, dengan ini menyatakan:",
        points=[
            "Bersikap netral dan tidak memihak kepada pasangan calon mana pun.",
            "Tidak membuat keputusan atau tindakan yang menguntungkan atau merugikan "
            "salah satu pasangan calon.",
            "Tidak mengunggah, menyukai atau membagikan konten kampanye di media sosial.",
            "Menolak dan melaporkan politik uang.",
        ],
        closing="Demikian pakta integritas ini kami buat dengan sadar dan tanpa paksaan.",
    )


def _kutim_socialisation(pilkada: ElectionEvent | None) -> int:
    """Kesbangpol's regency-wide socialisation at a hotel; then all 139 kepala desa sign a
    fakta integritas (recorded from the paper sheets)."""
    actor = _user("kesbangpol.kutim")
    pact = _regional_copy(
        slug="ikrar-netralitas-pilkada",
        region="64.08",
        actor=actor,
        regime="PILKADA",
        kind="PAKTA_INTEGRITAS",
        subject_types=["KEPALA_DESA"],
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
                    "Rahmat Hidayat (demo)",
                    "KPU Kabupaten Kutai Timur",
                    "Tahapan Pilkada 2024",
                    "Ketua KPU Kabupaten Kutai Timur",
                ),
                (
                    "Iptu Dedi Kurniawan (demo)",
                    "Polres Kutai Timur",
                    "Tindak pidana pemilihan",
                    "Kasat Reskrim",
                ),
                (
                    "Sumarno (demo)",
                    "DPMD Kabupaten Kutai Timur",
                    "Larangan bagi kepala desa dan perangkat desa",
                    "Kepala Dinas",
                ),
                (
                    "Nur Aisyah (demo)",
                    "Bawaslu Kabupaten Kutai Timur",
                    "Pengawasan netralitas",
                    "Koordinator Divisi Penanganan Pelanggaran",
                ),
            ]
        ),
        pledges=[pact],
        facts=services.EventFacts(
            theme="Aparatur desa netral, Pilkada 2024 bermartabat",
            opened_by="Sekretaris Daerah Kabupaten Kutai Timur (demo)",
            attendance_total=215,
            villages_represented=139,
            start_time=dt.time(9, 0),
        ),
    )
    if event is None:
        return 0
    services.event_participant_rule_set(
        event=event,
        actor=actor,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA"],
    )
    # The heads signed the paper sheets after the session, one sheet per kecamatan; the
    # officer records each kecamatan in one go with its scanned sheet (issue 13 §3).
    by_kecamatan: dict[str, list[Official]] = {}
    for participant in event.participants.select_related("official").order_by(
        "official__region_id"
    ):
        by_kecamatan.setdefault(participant.official.region_id[:8], []).append(participant.official)
    for n, (kecamatan, officials) in enumerate(sorted(by_kecamatan.items())):
        sheet = services.event_document_upload(
            event=event,
            actor=actor,
            kind="SIGNED_SHEET",
            data=_sheet_pdf(f"Lembar fakta integritas {kecamatan}"),
            caption=f"Lembar tanda tangan fakta integritas, Kec. {_region_name(kecamatan)}",
        )
        services.signatures_record_batch(
            event=event,
            templates=[pact],
            officials=officials,
            actor=actor,
            evidence=sheet,
            signed_at=_at(day, 13) + dt.timedelta(minutes=3 * n),
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
        facts=services.EventFacts(
            theme="Pemilu damai, aparatur netral",
            opened_by="Camat Sangatta Utara (demo)",
            attendance_total=51,
            villages_represented=4,
            start_time=dt.time(8, 0),
        ),
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
        facts=services.EventFacts(
            theme="Evaluasi penanganan pelanggaran netralitas",
            opened_by="Ketua Bawaslu Kabupaten Kutai Timur (demo)",
            attendance_total=176,
            villages_represented=141,
            start_time=dt.time(13, 0),
        ),
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
    # The meeting ends with the ikrar read out together by every kepala desa and lurah
    # present: a spoken pledge with its evidence, nobody signs (issue 13 §4).
    services.event_participant_rule_set(
        event=event,
        actor=actor,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA", "LURAH"],
    )
    services.participants_mark_present(
        event=event, officials=[p.official for p in event.participants.all()], actor=actor
    )
    photo = services.event_document_upload(
        event=event,
        actor=actor,
        kind="PHOTO",
        data=_png(),
        caption="Pembacaan ikrar bersama kepala desa dan lurah",
    )
    minutes = services.event_document_upload(
        event=event,
        actor=actor,
        kind="MINUTES",
        data=_sheet_pdf("Notulen rapat koordinasi"),
        caption="Notulen rapat koordinasi dan pembacaan ikrar",
    )
    services.spoken_pledge_record(
        event=event,
        template=template,
        actor=actor,
        evidence=[photo, minutes],
        spoken_at=_at(day, 15),
        led_by="Ketua APDESI Kabupaten Kutai Timur (demo)",
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
        facts=services.EventFacts(
            theme="Netral, damai, bermartabat",
            opened_by="Bupati Kutai Timur (demo)",
            attendance_total=710,
            villages_represented=60,
            start_time=dt.time(7, 30),
        ),
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
    # one sealed document listing every institutional signatory (issue 13 §5)
    services.joint_declaration_issue(event=event, template=declaration, actor=actor)
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
                    "Anggota",
                ),
                (
                    "Penjabat Bupati Bogor (demo)",
                    "Pemerintah Kabupaten Bogor",
                    "Larangan unggahan dan dukungan di media sosial",
                    "Penjabat Bupati",
                ),
            ]
        ),
        pledges=[_std("ikrar-netralitas-pilkada")],
        facts=services.EventFacts(
            theme="Bijak bermedia sosial, ASN netral",
            opened_by="Penjabat Bupati Bogor (demo)",
            attendance_total=64,
            villages_represented=13,
            start_time=dt.time(9, 30),
        ),
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
