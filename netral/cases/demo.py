"""Demo cases in Kutai Timur and Bogor, in various states (idempotent: keyed by a fixed UUID).

Built through the real services, so every demo case has its events, audit entries,
registration number, deadlines and documents exactly as a real one would.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from netral.accounts.models import User
from netral.cases.models import Case, PersonFinding, Recipient, Status
from netral.cases.services import (
    CaseData,
    OnlineEvidenceData,
    PersonData,
    ReporterData,
    WitnessData,
    case_decide,
    case_file_public,
    case_intake_finding,
    case_kajian_awal_record,
    case_receive,
    clarification_record,
    clarification_schedule,
    recommendation_create,
    recommendation_update,
    reported_person_decide,
    sanction_record,
)
from netral.cases.workflow import case_transition
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import Official, Region

_NS = uuid.UUID("6f1c1b0e-8d0a-4b8e-9a55-3c1f2d9e7a10")
FORMAL = {
    "IDENTITAS_PELAPOR": True,
    "NAMA_ALAMAT_PELAPOR_DAN_TERLAPOR": True,
    "DALAM_BATAS_WAKTU": True,
}
MATERIAL = {"WAKTU_DAN_TEMPAT_KEJADIAN": True, "URAIAN_KEJADIAN": True, "BUKTI": True}


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


def _official(position: str) -> Official | None:
    return Official.objects.filter(position=position).first()


def _data(
    region: str,
    title: str,
    description: str,
    person: Official | None,
    days_ago: int,
    name: str = "",
) -> CaseData:
    today = timezone.localdate()
    return CaseData(
        regime=Regime.PILKADA,
        election_event=ElectionEvent.objects.filter(regime=Regime.PILKADA).first(),
        incident_region=Region.objects.get(pk=region),
        incident_place="Balai pertemuan warga",
        title=title,
        description=description,
        event_date=today - dt.timedelta(days=days_ago + 1),
        known_date=today - dt.timedelta(days=days_ago),
        persons=[PersonData(official_id=person.pk) if person else PersonData(name=name)],
        witnesses=[WitnessData(name="Saksi Warga", address="RT 02")],
    )


def _reporter(name: str, confidential: bool = False) -> ReporterData:
    return ReporterData(
        kind="WNI_HAK_PILIH",
        name=name,
        address="Jl. Poros Sangatta",
        phone="081200000000",
        confidential=confidential,
    )


def _file(key: str, data: CaseData, reporter: ReporterData) -> Case | None:
    if Case.objects.filter(submission_key=_key(key)).exists():
        return None
    return case_file_public(data=data, reporter=reporter, files=[], submission_key=_key(key)).case


def _register(case: Case, actor: User) -> Case:
    case = case_receive(case=case, actor=actor)
    return case_kajian_awal_record(
        case=case,
        actor=actor,
        formal=FORMAL,
        material=MATERIAL,
        result="PERUU_LAIN",
        note="Memenuhi syarat formal dan materiil",
    )


def _decide(
    case: Case, actor: User, finding: str, kinds: list[str], skb: list[str], articles: list[str]
) -> Case:
    session = clarification_schedule(
        case=case,
        actor=actor,
        party="TERLAPOR",
        party_name=case.reported_persons.get().name,
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        mode="TATAP_MUKA",
        location="Sekretariat pengawas",
    )
    clarification_record(
        session=session, actor=actor, attended=True, minutes="Hadir, memberi keterangan."
    )
    case = case_transition(case=Case.objects.get(pk=case.pk), to=Status.KAJIAN, actor=actor)
    reported_person_decide(
        person=case.reported_persons.get(),
        actor=actor,
        finding=finding,
        violation_types=kinds,
        skb_codes=skb,
        articles=articles,
        reasoning="Berdasarkan keterangan dan bukti.",
    )
    return case_decide(case=case, actor=actor)


def demo_cases() -> int:
    """About eight cases; returns how many were created this run."""
    panwascam = User.objects.filter(username="panwascam.sangattautara").first()
    kutim = User.objects.filter(username="bawaslu.kutim").first()
    bogor = User.objects.filter(username="bawaslu.bogor").first()
    if panwascam is None or kutim is None or bogor is None:
        return 0
    created = 0
    kades = (
        _official("Kepala Desa Sangatta Utara")
        or Official.objects.filter(
            region_id__startswith="64.08.04.", subject_type="KEPALA_DESA"
        ).first()
    )
    camat = _official("Camat Sangatta Utara")
    guru = _official("Guru Ahli Muda")
    camat_bogor = _official("Camat Cibinong")
    analis = _official("Analis Kebijakan")
    desa = "64.08.04.2001"

    if case := _file(
        "kutim-draft",
        _data(
            desa,
            "Kepala desa membagikan kaos paslon",
            "Kepala desa membagikan kaos bergambar paslon kepada warga.",
            kades,
            1,
        ),
        _reporter("Warga Sangatta", confidential=True),
    ):
        created += 1
    facebook = _data(
        "64.08.04.1010",
        "Camat mengunggah dukungan di Facebook",
        "Akun camat mengunggah foto bersama calon dengan simbol jari.",
        camat,
        2,
    )
    # The post the citizen saw, as online evidence (issue 13 point 17; a fictitious address).
    facebook.online = [
        OnlineEvidenceData(
            platform="FACEBOOK",
            url="https://www.facebook.com/camat.sangatta.utara.demo/posts/1001",
            account="Camat Sangatta Utara (demo)",
            seen_at=timezone.now() - dt.timedelta(days=2, hours=3),
        )
    ]
    if case := _file("kutim-kajian", facebook, _reporter("Andi Pemantau")):
        case_receive(case=case, actor=panwascam)
        created += 1
    if case := _file(
        "kutim-lengkapi",
        _data(
            desa,
            "Perangkat desa ikut deklarasi tim pemenangan",
            "Perangkat desa hadir dan berorasi pada deklarasi tim pemenangan.",
            None,
            2,
            name="Sekretaris Desa (nama belum diketahui)",
        ),
        _reporter("Rahmat"),
    ):
        case = case_receive(case=case, actor=panwascam)
        case_kajian_awal_record(
            case=case,
            actor=panwascam,
            formal=FORMAL,
            material={**MATERIAL, "BUKTI": False},
            result="LENGKAPI",
            message="Mohon lampirkan foto atau video kegiatan deklarasi.",
        )
        created += 1
    if case := _file(
        "kutim-klarifikasi",
        _data(
            "64.08.04.2011",
            "Guru PNS mengajak murid memilih",
            "Guru menyampaikan ajakan memilih paslon tertentu di kelas.",
            guru,
            1,
        ),
        _reporter("Orang tua murid"),
    ):
        case = _register(case, panwascam)
        clarification_schedule(
            case=case,
            actor=panwascam,
            party="TERLAPOR",
            party_name=case.reported_persons.get().name,
            scheduled_at=timezone.now() + dt.timedelta(days=3),
            mode="TATAP_MUKA",
            location="Sekretariat Panwascam",
        )
        created += 1
    if case := _file(
        "kutim-selesai",
        _data(
            desa,
            "Kepala desa berpidato di kampanye paslon",
            "Kepala desa naik panggung dan mengajak warga memilih paslon.",
            kades,
            2,
        ),
        _reporter("Siti Warga"),
    ):
        case = _decide(
            _register(case, panwascam),
            panwascam,
            PersonFinding.TERBUKTI,
            ["PERUU_LAINNYA"],
            [],
            ["UU 6/2014 Ps. 29 huruf j", "UU 10/2016 Ps. 71(1)"],
        )
        rec = recommendation_create(
            case=case,
            actor=panwascam,
            reported_person=case.reported_persons.get(),
            recipient=Recipient.BUPATI_WALIKOTA,
            recipient_name="Bupati Kutai Timur",
            letter_number="021/PP.01.02/K.KT-04/11/2024",
            letter_date=timezone.localdate(),
        )
        sanction_record(
            recommendation=rec,
            actor=panwascam,
            reported_person=case.reported_persons.get(),
            level="RINGAN",
            type="DESA_TEGURAN_TERTULIS",
            decree_number="800/412/DPMD/XI/2024",
            decree_date=timezone.localdate(),
            imposed_by="Bupati Kutai Timur",
        )
        created += 1
    if not Case.objects.filter(origin="TEMUAN", title="Camat hadir di posko pemenangan").exists():
        case_intake_finding(
            actor=kutim,
            origin="TEMUAN",
            data=_data(
                "64.08.04",
                "Camat hadir di posko pemenangan",
                "Hasil pengawasan: camat terlihat di posko pemenangan paslon.",
                camat,
                1,
            ),
            files=[],
        )
        created += 1
    if case := _file(
        "bogor-diteruskan",
        _data(
            "32.01.01.1001",
            "Camat Cibinong memakai atribut paslon",
            "Camat memakai rompi bertuliskan nama paslon pada acara warga.",
            camat_bogor,
            2,
        ),
        _reporter("Pemantau Bogor"),
    ):
        case = _decide(
            _register(case, bogor),
            bogor,
            PersonFinding.TERBUKTI,
            ["PERUU_LAINNYA"],
            ["DS04"],
            ["UU 20/2023 Ps. 24(1) huruf d"],
        )
        person = case.reported_persons.get()
        for recipient, name, no in [
            (Recipient.BKN, "Kepala BKN", "031/PP.01.02/K.JB-01/11/2024"),
            (Recipient.PPK, "Bupati Bogor (PPK)", "032/PP.01.02/K.JB-01/11/2024"),
        ]:
            recommendation_create(
                case=case,
                actor=bogor,
                reported_person=person,
                recipient=recipient,
                recipient_name=name,
                letter_number=no,
                letter_date=timezone.localdate(),
            )
        bkn = case.recommendations.filter(recipient=Recipient.BKN).first()
        if bkn is not None:
            recommendation_update(
                recommendation=bkn,
                actor=bogor,
                status="DIPROSES_INSTANSI",
                note="BKN sedang memverifikasi",
            )
        created += 1
    if case := _file(
        "bogor-dihentikan",
        _data(
            "32.01.01.1002",
            "ASN diduga hadir di kampanye",
            "Foto ASN di lokasi kampanye; ternyata sedang cuti dan tidak berkampanye.",
            analis,
            3,
        ),
        _reporter("Warga Bogor"),
    ):
        case = _decide(_register(case, bogor), bogor, PersonFinding.TIDAK_TERBUKTI, [], [], [])
        case_transition(
            case=case,
            to=Status.DIHENTIKAN,
            actor=bogor,
            note="Terlapor tidak terbukti melanggar netralitas.",
        )
        created += 1
    return created
