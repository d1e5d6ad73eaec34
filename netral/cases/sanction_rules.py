"""Which sanctions fit which subject, level and recipient (DOMAIN §3, §4; issue 12 point 13).

A sanction is refused with a clear message when it does not belong to the subject's own regime
(PP 94/2021 for PNS, the PPPK list, UU 6/2014 for kepala desa and perangkat desa, their own
for TNI and Polri), when its level contradicts its type (PTDH is never "ringan"), or when the
recommendation's recipient is not the authority that imposes that kind of sanction.
"""

from __future__ import annotations

from netral.cases.models import Recipient, SanctionLevel, SanctionType
from netral.registry.models import SubjectType

T, L, R = SanctionType, SanctionLevel, Recipient

# ASN subjects (UU 20/2023): the SKB 2022 covers them only (DOMAIN §3).
ASN_SUBJECTS = frozenset({SubjectType.PNS, SubjectType.PPPK, SubjectType.CAMAT, SubjectType.LURAH})

PNS_TYPES = frozenset(  # PP 94/2021 Ps. 8 (DOMAIN §4.1) and the SKB's PTDH
    {
        T.TEGURAN_LISAN,
        T.TEGURAN_TERTULIS,
        T.PERNYATAAN_TIDAK_PUAS,
        T.POTONG_TUKIN_25_6BLN,
        T.POTONG_TUKIN_25_9BLN,
        T.POTONG_TUKIN_25_12BLN,
        T.TURUN_JABATAN_12BLN,
        T.BEBAS_JABATAN_PELAKSANA_12BLN,
        T.PDHTAPS,
        T.PTDH,
    }
)
MORAL_TYPES = frozenset({T.PERNYATAAN_TERTUTUP, T.PERNYATAAN_TERBUKA})  # PP 42/2004 Ps. 15
PPPK_TYPES = frozenset(  # DOMAIN §4.2 (SECONDARY; the SEDANG rows UNCONFIRMED)
    {
        T.TEGURAN_LISAN,
        T.TEGURAN_TERTULIS,
        T.PERNYATAAN_TIDAK_PUAS,
        T.PPPK_TUNDA_KGB_1TH,
        T.PPPK_TURUN_GOLONGAN_1TH,
        T.PPPK_PHPK_HORMAT,
        T.PPPK_PHPK_HORMAT_TAPS,
        T.PPPK_PHPK_TIDAK_HORMAT,
    }
)
# DOMAIN §4.2: these PPPK choices are UNCONFIRMED (they differ from PP 94/2021 Ps. 8).
PPPK_UNCONFIRMED = frozenset({T.PPPK_TUNDA_KGB_1TH, T.PPPK_TURUN_GOLONGAN_1TH})
DESA_TYPES = frozenset(  # UU 6/2014 Ps. 30, 52 (DOMAIN §4.3)
    {
        T.DESA_TEGURAN_LISAN,
        T.DESA_TEGURAN_TERTULIS,
        T.DESA_PEMBERHENTIAN_SEMENTARA,
        T.DESA_PEMBERHENTIAN,
    }
)
CRIMINAL_TYPES = frozenset(  # DOMAIN §4.4, imposed by a court, for any subject
    {T.PIDANA_UU7_490, T.PIDANA_UU7_494, T.PIDANA_UU7_493, T.PIDANA_UU10_188, T.PIDANA_UU10_189}
)

TYPES_BY_SUBJECT: dict[str, frozenset[str]] = {
    SubjectType.PNS: PNS_TYPES | MORAL_TYPES,
    SubjectType.CAMAT: PNS_TYPES | MORAL_TYPES,
    SubjectType.LURAH: PNS_TYPES | MORAL_TYPES,
    SubjectType.PPPK: PPPK_TYPES,
    SubjectType.KEPALA_DESA: DESA_TYPES,
    SubjectType.PERANGKAT_DESA: DESA_TYPES,
}
# Subjects whose own disciplinary list DOMAIN does not enumerate (TNI: UU 34/2004, Polri:
# Perpol 7/2022, BPD and others): "sanksi lain", described in the note.
OWN_LIST_UNKNOWN = frozenset({T.LAINNYA})

LEVEL_BY_TYPE: dict[str, str] = {
    T.TEGURAN_LISAN: L.RINGAN,
    T.TEGURAN_TERTULIS: L.RINGAN,
    T.PERNYATAAN_TIDAK_PUAS: L.RINGAN,
    T.POTONG_TUKIN_25_6BLN: L.SEDANG,
    T.POTONG_TUKIN_25_9BLN: L.SEDANG,
    T.POTONG_TUKIN_25_12BLN: L.SEDANG,
    T.TURUN_JABATAN_12BLN: L.BERAT,
    T.BEBAS_JABATAN_PELAKSANA_12BLN: L.BERAT,
    T.PDHTAPS: L.BERAT,
    T.PTDH: L.BERAT,
    T.PERNYATAAN_TERTUTUP: L.MORAL,
    T.PERNYATAAN_TERBUKA: L.MORAL,
    T.PPPK_TUNDA_KGB_1TH: L.SEDANG,
    T.PPPK_TURUN_GOLONGAN_1TH: L.SEDANG,
    T.PPPK_PHPK_HORMAT: L.BERAT,
    T.PPPK_PHPK_HORMAT_TAPS: L.BERAT,
    T.PPPK_PHPK_TIDAK_HORMAT: L.BERAT,
    **dict.fromkeys(CRIMINAL_TYPES, L.PIDANA),
}
# UU 6/2014 escalates warnings, suspension and dismissal without PP 94's levels: any but the
# moral and criminal ones.
DESA_LEVELS = frozenset({L.RINGAN, L.SEDANG, L.BERAT})

# Who imposes what (DOMAIN §1.3, §6): the recipient of the recommendation a sanction answers.
TYPES_BY_RECIPIENT: dict[str, frozenset[str]] = {
    R.BKN: PNS_TYPES | MORAL_TYPES | PPPK_TYPES,
    R.PPK: PNS_TYPES | MORAL_TYPES | PPPK_TYPES,
    R.KASN: PNS_TYPES | MORAL_TYPES | PPPK_TYPES,
    R.KEMENPANRB: PNS_TYPES | MORAL_TYPES | PPPK_TYPES,
    R.KEMENDAGRI: PNS_TYPES | MORAL_TYPES | PPPK_TYPES,
    R.BUPATI_WALIKOTA: DESA_TYPES,
    R.CAMAT: DESA_TYPES,
    R.KEPALA_DESA: DESA_TYPES,
    R.PANGLIMA_TNI: OWN_LIST_UNKNOWN,
    R.KAPOLRI_PROPAM: OWN_LIST_UNKNOWN,
    R.SENTRA_GAKKUMDU: CRIMINAL_TYPES,
    R.POLRI_PENYIDIK: CRIMINAL_TYPES,
    R.DKPP: OWN_LIST_UNKNOWN,
    R.KPU: OWN_LIST_UNKNOWN,
}


def types_for_subject(subject_type: str) -> frozenset[str]:
    return TYPES_BY_SUBJECT.get(subject_type, OWN_LIST_UNKNOWN) | CRIMINAL_TYPES


def level_fits(sanction_type: str, level: str) -> bool:
    if sanction_type in DESA_TYPES:
        return level in DESA_LEVELS
    expected = LEVEL_BY_TYPE.get(sanction_type)
    return expected is None or expected == level


def suggested_level(person: object) -> tuple[str, list[str]]:
    """The SKB 2022 level suggested for a reported ASN (issue 12 point 14): the heaviest level
    of its codes' matrix rows, with warnings where a row's target status differs from the
    person's (bakal calon vs calon, DOMAIN §3). A suggestion: the officer decides."""
    from netral.cases.models import SkbSanctionLevel

    codes = list(getattr(person, "skb_codes", None) or [])
    if not codes:
        return "", []
    rows = {r.code: r for r in SkbSanctionLevel.objects.filter(code__in=codes)}
    order: list[str] = [L.MORAL, L.RINGAN, L.SEDANG, L.BERAT]
    best = ""
    warnings: list[str] = []
    target = getattr(person, "target_status", "")
    for code in codes:
        row = rows.get(code)
        if row is None or not row.level:
            continue
        if not best or order.index(row.level) > order.index(best):
            best = row.level
        if target and row.target_status and row.target_status != target:
            warnings.append(code)
    return best, warnings


# Articles that apply only "selama masa kampanye" (DOMAIN §0, §2.1: UU 7/2017 Ps. 282 and its
# criminal article Ps. 490). Matched in the articles an officer writes for a reported person.
CAMPAIGN_ONLY_ARTICLES = (("7/2017", "282"), ("7/2017", "490"))


def campaign_only_articles(articles: list[str]) -> list[str]:
    """The articles of `articles` that apply only in the campaign period."""
    out = []
    for article in articles or []:
        flat = article.replace(" ", "")
        for law, number in CAMPAIGN_ONLY_ARTICLES:
            if law in flat and f"Ps.{number}" in flat:
                out.append(article)
                break
    return out
