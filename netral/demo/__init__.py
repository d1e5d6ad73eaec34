"""`netral demo`: a small, realistic, fictitious data set (idempotent).

Each capability adds its own step here, called explicitly and in order (no registries).
All demo accounts share the password DEMO_PASSWORD and are flagged `is_demo`, which makes
every page show the demo banner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from netral.accounts.models import Assignment, Role, User
from netral.audit.services import audit_record
from netral.cases import demo as cases_demo
from netral.cases.models import Case
from netral.core.signals import bulk_written
from netral.declarations import demo as declarations_demo
from netral.declarations.models import Event, Signature
from netral.elections.models import ElectionEvent, Regime
from netral.patrol import demo as patrol_demo
from netral.registry import demo as registry_demo
from netral.registry.models import Agency, AgencyKind, Official, Region, SubjectType
from netral.registry.services.regions_load import regions_load
from netral.registry.text import fold

DEMO_PASSWORD = "Netral-Demo-2024"  # noqa: S105  documented in README and docs/how-to/demo.md
# The authenticator key of every demo account (issue 14 §11), public like the password:
# base32 JZSXI4TBNQWUIZLNN4WTEMBSGQWVIT2UKA (docs/how-to/demo.md); `netral demo_code`
# prints the current code.
DEMO_TOTP_KEY = "4e657472616c2d44656d6f2d323032342d544f5450"  # hex of "Netral-Demo-2024-TOTP"

# (username, full name, role, region code or None, unit)
DEMO_OFFICERS: list[tuple[str, str, Role, str | None, str]] = [
    ("admin", "Administrator Sistem", Role.ADMIN, None, "Sekretariat Netral"),
    ("bawaslu.ri", "Rahmat Bagja (demo)", Role.BAWASLU_RI, None, "Bawaslu RI"),
    ("auditor", "Auditor Nasional", Role.AUDITOR, None, "Inspektorat Utama"),
    (
        "bawaslu.kaltim",
        "Hari Dermanto",
        Role.BAWASLU_PROVINSI,
        "64",
        "Bawaslu Provinsi Kalimantan Timur",
    ),
    (
        "bawaslu.kutim",
        "Andi Mappasessu",
        Role.BAWASLU_KABKOTA,
        "64.08",
        "Bawaslu Kabupaten Kutai Timur",
    ),
    (
        "panwascam.sangattautara",
        "Siti Rahmah",
        Role.PANWASLU_KECAMATAN,
        "64.08.04",
        "Panwaslu Kecamatan Sangatta Utara",
    ),
    (
        "pkd.sangattautara",
        "Yusuf Kalalo",
        Role.PANWASLU_KELDESA,
        "64.08.04.2001",
        "PKD Desa Sangatta Utara",
    ),
    (
        "kesbangpol.kutim",
        "Dewi Lestari",
        Role.KESBANGPOL,
        "64.08",
        "Kesbangpol Kabupaten Kutai Timur",
    ),
    ("bkpsdm.kutim", "Bambang Irawan", Role.BKPSDM, "64.08", "BKPSDM Kabupaten Kutai Timur"),
    ("dpmd.kutim", "Nur Aini", Role.DPMD, "64.08", "DPMD Kabupaten Kutai Timur"),
    (
        "inspektorat.kutim",
        "Rudi Hartono",
        Role.INSPEKTORAT,
        "64.08",
        "Inspektorat Kabupaten Kutai Timur",
    ),
    ("bawaslu.bogor", "Ridwan Fauzi", Role.BAWASLU_KABKOTA, "32.01", "Bawaslu Kabupaten Bogor"),
    ("dpmd.bogor", "Asep Saepudin", Role.DPMD, "32.01", "DPMD Kabupaten Bogor"),
    (
        "bawaslu.ketapang",
        "Yohanes Lado",
        Role.BAWASLU_KABKOTA,
        "61.04",
        "Bawaslu Kabupaten Ketapang",
    ),
    (
        "bawaslu.kobar",
        "Muhammad Arif",
        Role.BAWASLU_KABKOTA,
        "62.01",
        "Bawaslu Kabupaten Kotawaringin Barat",
    ),
]

DEMO_REGENCIES = ["64.08", "32.01", "61.04", "62.01"]


@dataclass
class DemoResult:
    officers: int = 0
    officials: int = 0
    elections: int = 0
    events: int = 0
    signatures: int = 0
    cases: int = 0
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def demo_load() -> DemoResult:
    result = DemoResult()
    if Region.objects.filter(code__in=DEMO_REGENCIES).count() != len(DEMO_REGENCIES):
        regions_load()
        result.notes.append("wilayah dimuat")
    result.officers = _officers()
    result.elections = _elections()
    result.officials = _officials()
    registry_demo.demo_registry()
    declarations_demo.demo_declarations()
    cases_demo.demo_cases()
    patrol_demo.demo_patrol(result.notes)
    bulk_written.send(sender=Case)
    result.officials = Official.objects.count()
    result.events = Event.objects.count()
    result.signatures = Signature.objects.count()
    result.cases = Case.objects.count()
    return result


def _officers() -> int:
    for username, full_name, role, region, unit in DEMO_OFFICERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "is_demo": True,
                "email": f"{username}@demo.netral.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
            audit_record(
                obj=user,
                action="user.created",
                actor=None,
                after={"username": username, "role": role, "region": region},
                region_code=region,
                note="netral demo",
            )
        Assignment.objects.get_or_create(
            user=user, role=role, region_id=region, defaults={"unit_name": unit}
        )
        TOTPDevice.objects.get_or_create(
            user=user, name="authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
    return len(DEMO_OFFICERS)


def _elections() -> int:
    ElectionEvent.objects.get_or_create(
        name="Pemilu 2024",
        regime=Regime.PEMILU,
        defaults={
            "campaign_start": dt.date(2023, 11, 28),
            "campaign_end": dt.date(2024, 2, 10),
            "voting_day": dt.date(2024, 2, 14),
            "recap_end": dt.date(2024, 3, 20),
        },
    )
    ElectionEvent.objects.get_or_create(
        name="Pilkada Serentak 2024",
        regime=Regime.PILKADA,
        defaults={
            "campaign_start": dt.date(2024, 9, 25),
            "campaign_end": dt.date(2024, 11, 23),
            "voting_day": dt.date(2024, 11, 27),
            "recap_end": dt.date(2024, 12, 16),
        },
    )
    return 2


# A few named officials per demo regency (fictitious people, real places and offices).
_DEMO_OFFICIALS: list[tuple[str, str, str, str, str, str]] = [
    # (type, name, nip, position, agency, region)
    (
        SubjectType.CAMAT,
        "Hasanuddin, S.Sos.",
        "197805122005011003",
        "Camat Sangatta Utara",
        "Pemerintah Kabupaten Kutai Timur",
        "64.08.04",
    ),
    (
        SubjectType.PNS,
        "Ratna Sari Dewi, S.Pd.",
        "198403222009022004",
        "Guru Ahli Muda",
        "Dinas Pendidikan Kabupaten Kutai Timur",
        "64.08.04",
    ),
    (
        SubjectType.PNS,
        "Ir. Syamsuddin",
        "197001101995031002",
        "Kepala Dinas Pekerjaan Umum",
        "Dinas Pekerjaan Umum Kabupaten Kutai Timur",
        "64.08",
    ),
    (
        SubjectType.LURAH,
        "Muhammad Yamin",
        "198107072006041005",
        "Lurah Teluk Lingga",
        "Pemerintah Kabupaten Kutai Timur",
        "64.08.04.1010",
    ),
    (
        SubjectType.CAMAT,
        "Dadang Supriatna",
        "197512302002121002",
        "Camat Cibinong",
        "Pemerintah Kabupaten Bogor",
        "32.01.01",
    ),
    (
        SubjectType.PNS,
        "Euis Kurniasih",
        "198806152011012008",
        "Analis Kebijakan",
        "Badan Kesatuan Bangsa dan Politik Kabupaten Bogor",
        "32.01",
    ),
]


def _officials() -> int:
    count = 0
    for subject_type, name, nip, position, agency_name, region in _DEMO_OFFICIALS:
        agency, _created = Agency.objects.get_or_create(
            name_folded=fold(agency_name),
            defaults={"name": agency_name, "kind": AgencyKind.KAB_KOTA, "region_id": region[:5]},
        )
        Official.objects.get_or_create(
            nip=nip,
            defaults={
                "subject_type": subject_type,
                "name": name,
                "name_folded": fold(name),
                "position": position,
                "agency": agency,
                "region_id": region,
            },
        )
        count += 1
    # Every village of Kutai Timur gets a kepala desa, and Kab. Bogor's first kecamatan too,
    # so the coverage views have something to count.
    villages = Region.objects.filter(level="DESA").filter(
        code__startswith="64.08."
    ) | Region.objects.filter(level="DESA", code__startswith="32.01.01.")
    for village in villages.order_by("code"):
        agency, _created = Agency.objects.get_or_create(
            name_folded=fold(f"Pemerintah Desa {village.name} {village.code}"),
            defaults={
                "name": f"Pemerintah Desa {village.name} ({village.code})",
                "kind": AgencyKind.DESA,
                "region_id": village.code,
                "ppk_name": "Bupati",
            },
        )
        head_name = _village_head_name(village.code)
        Official.objects.get_or_create(
            agency=agency,
            subject_type=SubjectType.KEPALA_DESA,
            defaults={
                "name": head_name,
                "name_folded": fold(head_name),
                "position": f"Kepala Desa {village.name}",
                "region_id": village.code,
            },
        )
        count += 1
    return count


_GIVEN = [
    "Abdul",
    "Agus",
    "Bambang",
    "Darmawan",
    "Edi",
    "Fransiskus",
    "Hendra",
    "Iwan",
    "Jumadi",
    "Kusnadi",
    "Lukman",
    "Markus",
    "Nurdin",
    "Paulus",
    "Rahmat",
    "Sulaiman",
    "Taufik",
    "Usman",
    "Wahyudi",
    "Yakobus",
    "Siti",
    "Maria",
    "Rina",
    "Nurhayati",
]
_FAMILY = [
    "Saputra",
    "Hidayat",
    "Siregar",
    "Lumban",
    "Pratama",
    "Wijaya",
    "Kurniawan",
    "Setiawan",
    "Nugroho",
    "Rahman",
    "Sinaga",
    "Daeng",
    "Lamaya",
    "Tambunan",
]


def _village_head_name(code: str) -> str:
    n = int(code.replace(".", ""))
    return f"{_GIVEN[n % len(_GIVEN)]} {_FAMILY[(n // 7) % len(_FAMILY)]}"
