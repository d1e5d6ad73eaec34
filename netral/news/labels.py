"""Labels people see for the codes the extractor returns (never the codes themselves)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KIND_LABELS: dict[str, Promise] = {
    "SOSIALISASI": _("Sosialisasi"),
    "DEKLARASI": _("Deklarasi"),
    "APEL": _("Apel"),
    "RAKOR": _("Rapat koordinasi"),
    "KAMPANYE": _("Dugaan keterlibatan kampanye"),
    "MEDSOS": _("Dugaan pelanggaran di media sosial"),
    "POLITIK_UANG": _("Dugaan politik uang"),
    "LAINNYA": _("Dugaan pelanggaran lain"),
}
INSTITUTION_LABELS: dict[str, Promise] = {
    "BAWASLU": _("Bawaslu"),
    "PANWASLU_KECAMATAN": _("Panwaslu Kecamatan"),
    "PKD": _("Panwaslu Kelurahan/Desa"),
    "KPU": _("KPU"),
    "KESBANGPOL": _("Badan Kesbangpol"),
    "BKPSDM": _("Badan kepegawaian daerah"),
    "DPMD": _("Dinas Pemberdayaan Masyarakat dan Desa"),
    "INSPEKTORAT": _("Inspektorat"),
    "POLRES": _("Polres"),
    "POLSEK": _("Polsek"),
    "POLDA": _("Polda"),
    "KODIM": _("Kodim"),
    "KORAMIL": _("Koramil"),
    "KEJAKSAAN": _("Kejaksaan"),
    "DPRD": _("DPRD"),
    "FORKOPIMDA": _("Forkopimda"),
    "FORKOPIMCAM": _("Forkopimcam"),
    "SENTRA_GAKKUMDU": _("Sentra Gakkumdu"),
    "KASN": _("KASN"),
    "BKN": _("BKN"),
    "KEMENDAGRI": _("Kemendagri"),
    "PEMDA": _("Pemerintah daerah"),
    "DISKOMINFO": _("Diskominfo"),
    "SATPOL_PP": _("Satpol PP"),
    "APDESI": _("APDESI"),
    "DKPP": _("DKPP"),
}
REGIME_LABELS: dict[str, Promise] = {"PEMILU": _("Pemilu"), "PILKADA": _("Pilkada")}


def label(code: str) -> str:
    for table in (KIND_LABELS, INSTITUTION_LABELS, REGIME_LABELS):
        if code in table:
            return str(table[code])
    return str(code)
