"""Demo officials for the demo regencies, loaded through the real import service.

Adds, beside the named officials and kepala desa of netral/demo: a kepala desa and a
perangkat desa for every desa of one kecamatan in Bogor, Ketapang and Kotawaringin Barat, and
a few ASN, PPPK, TNI and Polri with social accounts per regency. Idempotent: the import is
recorded as an ImportJob named DEMO_FILE_NAME and not repeated.
"""

from __future__ import annotations

import csv
import io

from netral.registry.models import ImportJob, Region
from netral.registry.services.officials_import import COLUMNS, ImportResult, officials_import

DEMO_FILE_NAME = "demo-pejabat.csv"
# (regency, kecamatan whose villages get a kepala desa, agency suffix)
_REGENCIES = [
    ("32.01", "32.01.02", "Kabupaten Bogor"),
    ("61.04", "61.04.01", "Kabupaten Ketapang"),
    ("62.01", "62.01.01", "Kabupaten Kotawaringin Barat"),
    ("64.08", "64.08.04", "Kabupaten Kutai Timur"),
]
_GIVEN = [
    "Ahmad",
    "Budi",
    "Citra",
    "Dedi",
    "Eka",
    "Fauzan",
    "Gita",
    "Hadi",
    "Intan",
    "Joko",
    "Kartika",
    "Lukas",
    "Mega",
    "Nanda",
    "Oki",
    "Putu",
    "Rudi",
    "Sari",
    "Teguh",
    "Yuni",
]
_FAMILY = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Santoso",
    "Lestari",
    "Pratama",
    "Kurniawan",
    "Siregar",
    "Nasution",
    "Setiawan",
    "Rahman",
    "Gunawan",
    "Tarigan",
    "Halim",
]


def _name(n: int) -> str:
    return f"{_GIVEN[n % len(_GIVEN)]} {_FAMILY[(n // len(_GIVEN)) % len(_FAMILY)]}"


def _nik(kecamatan: str, n: int) -> str:
    day, month, year = 1 + n % 28, 1 + (n // 28) % 12, 60 + n % 30
    return f"{kecamatan.replace('.', '')}{day:02d}{month:02d}{year:02d}{n % 10000:04d}"


def _nip(n: int, regency_index: int) -> str:
    # born 1975-1994, CPNS 2005-2014, sequence keeps them unique per regency
    return (
        f"{1975 + n % 20}{1 + n % 12:02d}{1 + n % 28:02d}{2005 + n % 10}"
        f"{1 + n % 12:02d}{1 + n % 2}{regency_index}{n % 100:02d}"
    )


def demo_rows() -> list[list[str]]:
    rows: list[list[str]] = []
    n = 0
    for index, (regency, kecamatan, suffix) in enumerate(_REGENCIES):
        villages = list(
            Region.objects.filter(parent_id=kecamatan, level="DESA")
            .order_by("code")
            .values_list("code", "name")
        )
        if regency != "64.08":  # Kutai Timur's kepala desa come from netral/demo
            for code, village in villages:
                n += 1
                rows.append(
                    [
                        "KEPALA_DESA",
                        _name(n),
                        "",
                        _nik(kecamatan, n),
                        "",
                        f"Kepala Desa {village}",
                        "",
                        f"Pemerintah Desa {village} ({code})",
                        code,
                        "",
                        "",
                        "",
                    ]
                )
        for code, village in villages[:5]:
            n += 1
            rows.append(
                [
                    "PERANGKAT_DESA",
                    _name(n),
                    "",
                    _nik(kecamatan, n),
                    "",
                    "Sekretaris Desa",
                    "",
                    f"Pemerintah Desa {village} ({code})",
                    code,
                    "",
                    "",
                    "",
                ]
            )
            n += 1
            rows.append(
                [
                    "ANGGOTA_BPD",
                    _name(n),
                    "",
                    _nik(kecamatan, n),
                    "",
                    "Anggota BPD",
                    "",
                    "",
                    code,
                    "",
                    "",
                    "",
                ]
            )
        for k, (position, category, agency) in enumerate(
            [
                ("Guru Ahli Muda", "FUNGSIONAL", "Dinas Pendidikan"),
                ("Kepala Bidang Pembinaan", "ADMINISTRATOR", "Dinas Pendidikan"),
                ("Kepala Seksi Pemerintahan", "PENGAWAS", "Sekretariat Daerah"),
                ("Pengadministrasi Umum", "PELAKSANA", "Badan Kepegawaian dan Pengembangan SDM"),
            ]
        ):
            n += 1
            rows.append(
                [
                    "PNS",
                    _name(n),
                    _nip(n, index),
                    _nik(kecamatan, n),
                    "",
                    position,
                    category,
                    f"{agency} {suffix}",
                    kecamatan if k % 2 else regency,
                    f"{_name(n).split()[0].lower()}.{n}@demo.netral.invalid",
                    "",
                    f"instagram:@{_name(n).replace(' ', '').lower()}{n}",
                ]
            )
        n += 1
        ni_pppk = f"1990091320252{index}{1 + n % 2}0{n % 100:02d}"  # DOMAIN.md §11.3 example
        rows.append(
            [
                "PPPK",
                _name(n),
                ni_pppk,
                "",
                "",
                "Perawat Terampil",
                "FUNGSIONAL",
                f"Dinas Kesehatan {suffix}",
                regency,
                "",
                "",
                "",
            ]
        )
        n += 1
        rows.append(
            [
                "TNI",
                _name(n),
                "",
                "",
                f"3100{index}{n:04d}",
                "Babinsa",
                "",
                f"Kodim {suffix}",
                kecamatan,
                "",
                "",
                f"facebook:babinsa.{n}",
            ]
        )
        n += 1
        rows.append(
            [
                "POLRI",
                _name(n),
                "",
                "",
                f"8500{index}{n:04d}",
                "Bhabinkamtibmas",
                "",
                f"Polres {suffix}",
                kecamatan,
                "",
                "",
                f"tiktok:@bhabin{n}",
            ]
        )
    return rows


def demo_registry() -> ImportResult | None:
    """Import the demo officials once; None when they are already there."""
    if ImportJob.objects.filter(original_name=DEMO_FILE_NAME).exists():
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(demo_rows())
    result = officials_import(
        file=io.BytesIO(buffer.getvalue().encode("utf-8")), source_name=DEMO_FILE_NAME
    )
    if not result.ok:
        raise RuntimeError("demo officials are invalid: " + "; ".join(map(str, result.errors)))
    return result
