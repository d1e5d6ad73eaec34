"""Rules that read an Indonesian news article: dates, kinds, counts, people, institutions.

Everything here is offline and CPU-only: regular expressions, word lists and the month names
of dateparser's Indonesian locale data. The choices (and their measured quality) are recorded
in docs/decisions/0010-news-extraction.md and docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "agst": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "des": 12,
}  # fmt: skip
WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6}


def _month_names_from_dateparser() -> None:
    """Add the month spellings dateparser ships for Indonesian ("id") to MONTHS."""
    try:
        from dateparser.languages.loader import default_loader

        locale = default_loader.get_locale("id")
        info = locale.info
    except Exception:  # pragma: no cover - dateparser missing or its layout changed
        return
    english = ["january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december"]  # fmt: skip
    for number, name in enumerate(english, start=1):
        for word in info.get(name, []):
            word = word.lower().rstrip(".")
            if word.isalpha() and len(word) >= 3:
                MONTHS.setdefault(word, number)


_month_names_from_dateparser()

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_RE = "senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"

# "Sabtu (14/9)", "Sabtu (14/9/2024)", "Senin, 18/01/2021", "Rabu, 14/08/2024"
NUMERIC_DATE = re.compile(
    rf"\b(?P<wd>{_DAY_RE})?\s*[,(]?\s*\(?\s*(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})"
    rf"(?:/(?P<y>\d{{2,4}}))?\s*\)?",
    re.IGNORECASE,
)
# "Senin, 23 September 2024", "pada 22 September 2024", "Jumat-Sabtu, 24-25 Januari 2025"
# (hyphen or en dash),
# "Sabtu (21/09/24)", "Senin 2 Oktober 2023", "14 September"
WORDED_DATE = re.compile(
    rf"\b(?:(?P<wd>{_DAY_RE})(?:\s*[-\u2013]\s*(?:{_DAY_RE}))?\s*[,(]?\s*)?"
    rf"(?:tanggal\s+)?(?P<d>\d{{1,2}})(?:\s*[-\u2013]\s*\d{{1,2}})?\s+(?P<mon>{_MONTH_RE})\.?"
    rf"(?:\s+(?P<y>\d{{4}}))?\b",
    re.IGNORECASE,
)
EVENT_CUES = re.compile(
    r"(digelar|dilaksanakan|berlangsung|diselenggarakan|menggelar|melaksanakan|mengadakan|"
    r"dipusatkan|diadakan|hari ini|pada hari|pada tanggal|pada|dibuka|menghadiri|memimpin)"
    r"\W*(\w+\W+){0,6}$",
    re.IGNORECASE,
)
# "Febri Setiadi, Kamis, 19 September 2024, menegaskan ...": the date the person spoke.
STATEMENT_AFTER = re.compile(
    r"^[^.;]{0,30}?\d[)\d/]*\)?\s*,\s*(mengatakan|menyatakan|menegaskan|menjelaskan|menyebut|"
    r"mengungkapkan|membenarkan|mengaku|menyampaikan|kata|ujar)\b",
    re.IGNORECASE,
)
FUTURE_CUES = re.compile(r"^\W*(mendatang|nanti|yang akan datang)", re.IGNORECASE)
PERIOD_CUES = re.compile(r"(hingga|sampai|sejak|mulai|s\.d\.|sd)\W*$", re.IGNORECASE)
# "kata Bagja, Jumat, 5 Januari 2024": the day someone spoke, not the day of the event.
STATEMENT_CUES = re.compile(
    r"\b(kata|ujar|ucap|tutur|ungkap|jelas|tegas|sebut)(nya)?\b[^.;]{0,40}$|"
    r"\b(mengatakan|menyatakan|menegaskan|menjelaskan|menyebut|mengungkapkan|membenarkan|"
    r"menyampaikan|mengaku|dikonfirmasi|konferensi pers)\b[^.;]{0,25}$",
    re.IGNORECASE,
)


@dataclass
class DateHit:
    date: dt.date
    start: int
    weekday_named: bool
    year_given: bool


def _year(value: str | None) -> int | None:
    if not value:
        return None
    y = int(value)
    return y + 2000 if y < 100 else y


def _resolve(day: int, month: int, year: int | None, weekday: str | None,
             published: dt.date | None) -> dt.date | None:  # fmt: skip
    """A calendar date; a missing year comes from the publication date and the weekday."""
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if published is None:
        return None
    wd = WEEKDAYS.get((weekday or "").lower().replace("'", "").replace("ahad", "minggu"))
    options = []
    for y in (published.year, published.year - 1, published.year + 1):
        try:
            options.append(dt.date(y, month, day))
        except ValueError:
            continue
    if wd is not None:
        matching = [d for d in options if d.weekday() == wd]
        if matching:
            options = matching
    # News reports what happened or is about to: the date nearest the publication date.
    options.sort(key=lambda d: abs((d - published).days))
    return options[0] if options else None


def find_dates(text: str, published: dt.date | None) -> list[DateHit]:
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for m in WORDED_DATE.finditer(text):
        month = MONTHS[m["mon"].lower()]
        date = _resolve(int(m["d"]), month, _year(m["y"]), m["wd"], published)
        if date:
            hits.append(DateHit(date, m.start(), bool(m["wd"]), bool(m["y"])))
            taken.append(m.span())
    for m in NUMERIC_DATE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        d, mo = int(m["d"]), int(m["m"])
        if not (1 <= d <= 31 and 1 <= mo <= 12):
            continue
        # bare "14/9" without weekday or year is too often a ratio or a regulation number
        if not m["wd"] and not m["y"] and "(" not in m.group(0):
            continue
        date = _resolve(d, mo, _year(m["y"]), m["wd"], published)
        if date:
            hits.append(DateHit(date, m.start(), bool(m["wd"]), bool(m["y"])))
    hits.sort(key=lambda h: h.start)
    return hits


def event_date(text: str, published: dt.date | None) -> dt.date | None:
    """The date the reported event took place, or None: never invented.

    Preference: the first date written with its weekday ("Sabtu (14/9)"), which is how regional
    news dates the event it reports; else the first date introduced by an event verb
    ("digelar ... pada 22 September 2024"). Dates of periods ("hingga 10 Februari") and of the
    future ("17 April mendatang") are skipped."""
    hits = find_dates(text, published)
    usable = []
    for h in hits:
        before = text[max(0, h.start - 60) : h.start]
        after = text[h.start : h.start + 60]
        tail = re.sub(r"^[^\d]*\d[^ ]*\s+\w+\.?\s*\d{0,4}", "", after)
        if PERIOD_CUES.search(before) or FUTURE_CUES.search(tail):
            continue
        if STATEMENT_CUES.search(before) or STATEMENT_AFTER.search(text[h.start : h.start + 60]):
            continue
        if published is not None and (h.date - published).days > 1 and not h.weekday_named:
            continue
        usable.append(h)
    for h in usable:
        if h.weekday_named:
            return h.date
    for h in usable:
        before = text[max(0, h.start - 80) : h.start]
        if EVENT_CUES.search(before):
            return h.date
    return None


# --- kinds -------------------------------------------------------------------------------

PREVENTION_KINDS: dict[str, re.Pattern[str]] = {
    "SOSIALISASI": re.compile(r"\b(sosialisasi|menyosialisasikan|mensosialisasikan)\b", re.I),
    "DEKLARASI": re.compile(
        r"\b(deklarasi|mendeklarasikan|ikrar|berikrar|pakta integritas|fakta integritas)\b", re.I
    ),
    "APEL": re.compile(r"(?<!lapangan )(?<!halaman )\bapel\b(?! pagi)", re.I),
    "RAKOR": re.compile(
        r"\b(rapat koordinasi|rakor|rapat evaluasi|rapat monitoring|rakor evaluasi)\b", re.I
    ),
}
SUSPICION = re.compile(
    r"\b(dilaporkan|diduga|menduga|dugaan pelanggaran|terindikasi|indikasi|terbukti melanggar|"
    r"melanggar (asas )?netralitas|menggerebek|kedapatan|terlibat kampanye|ikut kampanye|"
    r"mengantongi|ditegur|teguran|form(ulir)? pengawasan|kajian awal|sentra gakkumdu|"
    r"dipanggil|memanggil|pemanggilan|dibubarkan|membubarkan)\b",
    re.I,
)
VIOLATION_KINDS: dict[str, re.Pattern[str]] = {
    "POLITIK_UANG": re.compile(
        r"\b(politik uang|money polit\w*|menerima uang|bagi-bagi uang|amplop|uang tunai)\b", re.I
    ),
    "MEDSOS": re.compile(
        r"\b(media sosial|medsos|facebook|instagram|whatsapp|tiktok|grup wa|like|share|"
        r"mengunggah|memposting|postingan|unggahan|membagikan|menyukai|mengomentari|konten|viral)\b",
        re.I,
    ),
    "KAMPANYE": re.compile(r"\b(kampanye|berkampanye|mendukung|dukungan|memihak)\b", re.I),
}
SUBJECT_WORDS = re.compile(
    r"\b(asn|pns|pppk|kepala desa|kades|perangkat desa|lurah|camat|pj\.? bupati|penjabat|"
    r"aparatur|bpd|tni|polri|pegawai|honorer|sekretaris desa|sekdes)\b",
    re.I,
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


HYPOTHETICAL = re.compile(r"\b(bila|jika|apabila|kalau|seandainya|manakala)\b", re.I)


NEGATION = re.compile(
    r"\b(tidak|tak|dilarang|jangan|larangan|bukan|belum)\b(\s+\w+){0,2}\s*$", re.I
)


def _suspects(sentence: str) -> bool:
    return any(not NEGATION.search(sentence[: m.start()]) for m in SUSPICION.finditer(sentence))


def suspicious_sentences(text: str) -> list[str]:
    """Sentences reporting a suspicion (not a warning, not a hypothesis, not a pledge)."""
    return [s for s in _sentences(text) if _suspects(s) and not HYPOTHETICAL.search(s)]


def violation_sentences(text: str) -> list[str]:
    """Sentences that report a suspected violation by a supervised official (or money
    politics by anyone)."""
    out = []
    for sentence in suspicious_sentences(text):
        if SUBJECT_WORDS.search(sentence) or VIOLATION_KINDS["POLITIK_UANG"].search(sentence):
            if re.search(
                r"\b(dilarang|jangan|imbau|mengimbau|mengingatkan|agar)\b", sentence, re.I
            ) and not re.search(
                r"\b(dilaporkan|diduga|terindikasi|kedapatan|mengantongi|terbukti)\b",
                sentence,
                re.I,
            ):
                continue
            out.append(sentence)
    return out


def event_kinds(title: str, text: str) -> tuple[list[str], list[str]]:
    """(prevention kinds, violation kinds) the article reports."""
    head = title + "\n" + text
    prevention = [k for k, rx in PREVENTION_KINDS.items() if rx.search(head)]
    violations: list[str] = []
    if violation_sentences(head):
        joined = " ".join(suspicious_sentences(head))
        for kind, rx in VIOLATION_KINDS.items():
            if rx.search(joined):
                violations.append(kind)
        if not violations:
            violations.append("LAINNYA")
        # Only the most specific violation when one sentence carries several cues.
        if "MEDSOS" in violations and "KAMPANYE" in violations:
            violations.remove("KAMPANYE")
        if "POLITIK_UANG" in violations and "KAMPANYE" in violations:
            violations.remove("KAMPANYE")
    return prevention, violations


# --- election ----------------------------------------------------------------------------

PILKADA = re.compile(
    r"\b(pilkada|pemilihan kepala daerah|pilgub|pilbup|pilwali|pemilihan gubernur|"
    r"pemilihan bupati|pemilihan wali ?kota|pemilihan serentak|calon bupati|calon wali ?kota|"
    r"calon gubernur|cabup|cawabup|paslon bupati)\b(?:\D{0,20}?(?P<y>20\d\d))?",
    re.I,
)
PEMILU = re.compile(
    r"\b(pemilu|pemilihan umum|pileg|pilpres|pemilihan presiden|pemilihan legislatif|caleg|"
    r"capres|calon legislatif|calon anggota dpd)\b"
    r"(?:\D{0,20}?(?P<y>20\d\d))?",
    re.I,
)


def election(text: str, published: dt.date | None) -> dict[str, object] | None:
    pilkada = list(PILKADA.finditer(text))
    pemilu = [m for m in PEMILU.finditer(text) if not re.match(r"pemilu\s*damai", m.group(0), re.I)]
    if not pilkada and not pemilu:
        return None
    first_pilkada = pilkada[0].start() if pilkada else 10**9
    first_pemilu = pemilu[0].start() if pemilu else 10**9
    if len(pilkada) > len(pemilu) or (len(pilkada) == len(pemilu) and first_pilkada < first_pemilu):
        regime, hits = "PILKADA", pilkada
    else:
        regime, hits = "PEMILU", pemilu
    years = [int(m["y"]) for m in hits if m["y"]]
    year = years[0] if years else (published.year if published else None)
    if year is None:
        return None
    return {"regime": regime, "year": year}


# --- counts ------------------------------------------------------------------------------

NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12,
    "belasan": None, "puluhan": None, "ratusan": None, "ribuan": None,
}  # fmt: skip
UNITS: dict[str, str] = {
    "kepala desa dan lurah": "kepala desa dan lurah",
    "kades dan lurah": "kepala desa dan lurah",
    "kepala desa": "kepala desa",
    "kades": "kepala desa",
    "calon kepala desa": "calon kepala desa",
    "calon kades": "calon kepala desa",
    "cakades": "calon kepala desa",
    "perangkat desa": "perangkat desa",
    "desa": "desa",
    "kelurahan": "kelurahan",
    "kecamatan": "kecamatan",
    "asn": "ASN",
    "pns": "PNS",
    "pppk": "PPPK",
    "peserta": "peserta",
    "orang": "orang",
    "camat": "camat",
    "lurah": "lurah",
    "tps": "TPS",
    "opd": "OPD",
    "partai politik": "partai politik",
    "parpol": "partai politik",
    "kabupaten/kota": "kabupaten/kota",
    "kabupaten": "kabupaten",
    "panwascam": "Panwascam",
    "laporan": "laporan",
    "temuan": "temuan",
    "pelanggaran": "pelanggaran",
    "dugaan pelanggaran": "dugaan pelanggaran",
    "pemilih": "pemilih",
    "pasangan calon": "pasangan calon",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
COUNT_RE = re.compile(
    rf"(?<![\d.,/])(?P<n>\d{{1,3}}(?:\.\d{{3}})+|\d+|satu|dua belas|dua|tiga|empat|lima|enam|"
    rf"tujuh|delapan|sembilan|sepuluh|sebelas)\s*(?:\(\s*[a-z ]+\s*\)\s*)?"
    rf"(?P<unit>{_UNIT_RE})\b(?!\s*%)",
    re.I,
)


def counts(text: str) -> list[dict[str, object]]:
    seen: set[tuple[int, str]] = set()
    out: list[dict[str, object]] = []
    for m in COUNT_RE.finditer(text):
        raw = m["n"].lower()
        value = NUMBER_WORDS.get(raw) if raw in NUMBER_WORDS else int(raw.replace(".", ""))
        if value is None or value <= 0:
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"(nomor|no\.|pasal|ayat|tahun|rp\.?|salah|ke-|urutan)\s*$", before):
            continue
        unit = UNITS[m["unit"].lower()]
        if unit in ("kabupaten", "kecamatan", "desa", "kelurahan") and raw in ("satu",):
            continue
        key = (value, unit)
        if key not in seen:
            seen.add(key)
            out.append({"value": value, "unit": unit})
    return out


# --- institutions ------------------------------------------------------------------------

INSTITUTIONS: list[tuple[str, re.Pattern[str]]] = [
    ("BAWASLU", re.compile(r"\b(bawaslu|badan pengawas pemil\w*)\b", re.I)),
    (
        "PANWASLU_KECAMATAN",
        re.compile(r"\b(panwascam|panwaslu kecamatan|panitia pengawas pemilu kecamatan)\b", re.I),
    ),
    ("PKD", re.compile(r"\b(pkd|panwaslu (kelurahan|desa)|pengawas kelurahan/desa)\b", re.I)),
    ("KPU", re.compile(r"\b(kpu|kip|komisi pemilihan umum)\b", re.I)),
    ("KESBANGPOL", re.compile(r"\b(b?a?kesbangpol|badan kesatuan bangsa dan politik)\b", re.I)),
    ("BKPSDM", re.compile(r"\b(bkpsdm|bkpp|bkd|badan kepegawaian\w*( daerah)?)\b", re.I)),
    (
        "DPMD",
        re.compile(r"\b(dpmd\w*|dpmpd|dispmd|dinas pemberdayaan masyarakat (dan )?desa)\b", re.I),
    ),
    ("INSPEKTORAT", re.compile(r"\binspektorat\b", re.I)),
    ("POLRES", re.compile(r"\b(polres\w*|kapolres\w*)\b", re.I)),
    ("POLSEK", re.compile(r"\b(polsek|kapolsek)\b", re.I)),
    ("POLDA", re.compile(r"\b(polda|kapolda)\b", re.I)),
    ("KODIM", re.compile(r"\b(kodim|dandim)\b", re.I)),
    ("KORAMIL", re.compile(r"\b(koramil|danramil)\b", re.I)),
    ("KEJAKSAAN", re.compile(r"\b(kejaksaan|kejari|kajari|kejati)\b", re.I)),
    ("DPRD", re.compile(r"\bdprd\b", re.I)),
    (
        "FORKOPIMDA",
        re.compile(
            r"\b(forkopimda|forkompimda|forkorpimda|"
            r"forum (komunikasi|koordinasi) pimpinan daerah)\b",
            re.I,
        ),
    ),
    ("FORKOPIMCAM", re.compile(r"\b(forkopimcam|forkompincam|forkopimka|muspika)\b", re.I)),
    ("SENTRA_GAKKUMDU", re.compile(r"\bgakkumdu\b", re.I)),
    ("KASN", re.compile(r"\b(kasn|komisi aparatur sipil negara|komisi asn)\b", re.I)),
    ("BKN", re.compile(r"\b(bkn|badan kepegawaian negara)\b", re.I)),
    ("KEMENDAGRI", re.compile(r"\b(kemendagri|mendagri|kementerian dalam negeri)\b", re.I)),
    (
        "PEMDA",
        re.compile(
            r"\b(pemkab|pemkot|pemprov|pemerintah (kabupaten|kota|provinsi|daerah))\b", re.I
        ),
    ),
    ("DISKOMINFO", re.compile(r"\b(diskominfo\w*|dinas komunikasi)\b", re.I)),
    ("SATPOL_PP", re.compile(r"\bsatpol\s*pp\b", re.I)),
    ("APDESI", re.compile(r"\bapdesi\b", re.I)),
    ("DKPP", re.compile(r"\bdkpp\b", re.I)),
]


def institutions(text: str) -> list[str]:
    found = []
    for code, rx in INSTITUTIONS:
        if rx.search(text):
            found.append(code)
    if "BKN" in found and re.search(r"\bbkn\b", text, re.I) is None and "BKPSDM" in found:
        found.remove("BKN")
    return found


# --- people ------------------------------------------------------------------------------

POSITION_HEADS = [
    r"pj\.? bupati",
    r"pjs\.? bupati",
    r"penjabat \(pj\) bupati",
    r"penjabat sementara \(pjs\) bupati",
    r"penjabat bupati",
    r"penjabat wali ?kota",
    r"pj\.? wali ?kota",
    r"penjabat gubernur",
    r"pj\.? gubernur",
    r"wakil bupati",
    r"wabup",
    r"bupati",
    r"wali ?kota",
    r"wakil wali ?kota",
    r"gubernur",
    r"wakil gubernur",
    r"sekretaris daerah",
    r"sekda",
    r"asisten (i|ii|iii|1|2|3)(?: bidang)?(?: pemerintahan(?: dan (?:kesra|kesejahteraan rakyat))?)?",  # noqa: E501
    r"asisten pemerintahan(?: dan (?:kesra|kesejahteraan rakyat))?",
    r"ketua bawaslu",
    r"anggota bawaslu",
    r"komisioner bawaslu",
    r"koordinator divisi [a-z ,]+? bawaslu",
    r"koordiv [a-z ,]+? bawaslu",
    r"kordiv [a-z ,]+? bawaslu",
    r"ketua kpu",
    r"anggota kpu",
    r"komisioner kpu",
    r"ketua panwaslu kecamatan",
    r"ketua panwascam",
    r"anggota panwascam",
    r"kepala (?:badan )?(?:kesbangpol|bakesbangpol)",
    r"kaban kesbangpol",
    r"kepala bidang [a-z ]+? (?:kesbangpol|bakesbangpol)",
    r"kabid [a-z ]+? kesbangpol",
    r"kepala (?:dinas )?(?:dpmd\w*|dpmpd|dinas pemberdayaan masyarakat dan desa)",
    r"kepala (?:bkpsdm|bkd|bkpp)",
    r"sekretaris (?:dpmd\w*|dinas pemberdayaan masyarakat dan desa)",
    r"kepala inspektorat",
    r"inspektur",
    r"kapolres",
    r"wakapolres",
    r"kapolsek",
    r"kapolda",
    r"dandim",
    r"danramil",
    r"kajari",
    r"kepala kejaksaan negeri",
    r"ketua dprd",
    r"camat",
    r"lurah",
    r"kepala desa",
    r"kades",
    r"sekretaris desa",
    r"ketua apdesi",
]
_POS_RE = "|".join(sorted(POSITION_HEADS, key=len, reverse=True))
_APOSTROPHES = "'\u2019"
_NAME_TOKEN = (  # a capitalised word, initials, short acronyms ("AL"), honorifics
    rf"(?:[A-Z][a-z{_APOSTROPHES}\-][a-zA-Z{_APOSTROPHES}\-]*|[A-Z]{{2,3}}\b(?!\.)|"
    r"[A-Z]\.(?:[A-Z]\.)*|[A-Z]\b|H\.|Hj\.|Ir\.|Dr\.|Drs\.|KH\.)"
)
_RANK = r"(?:(?:AKBP|AKP|Kompol|Iptu|Ipda|Aiptu|Kombes(?: Pol)?|Letkol(?: (?:Inf|Arh|Kav|Czi|Cba|Kes))?|Mayor(?: Inf)?|Kapten(?: Inf)?|Brigjen(?: Pol)?|Irjen(?: Pol)?)\s+)"  # noqa: E501
_DEGREE = r"(?:,?\s*(?:S\.\s?[A-Za-z.]+|M\.\s?[A-Za-z.]+|SH|SE|MM|MH|MT|MAP|M\.Si|S\.IK|S\.Sos|S\.Pd|SPd|S\.STP|MTP|Ph\.D))*"  # noqa: E501
RANK_PREFIX = re.compile(
    r"^(?:(?:AKBP|AKP|Kompol|Iptu|Ipda|Aiptu|Aipda|Bripka|Brigpol|Kombes|Pol|Letkol|Mayor|Kapten|"
    r"Brigjen|Irjen|Mayjen|Kolonel|Serka|Peltu|Inf|Arh|Kav)\.?\s+)+"
)
PERSON_RE = re.compile(
    rf"\b(?P<pos>(?i:{_POS_RE}))\b(?P<place>(?:\s+(?i:kabupaten|kab\.|kota|kecamatan|"
    rf"desa|kelurahan|provinsi|pemkab|pemkot|pemprov))?(?:\s+[A-Z][a-zA-Z\-]+){{0,3}})"
    rf"\s*,?\s+(?P<name>(?!(?i:{_POS_RE})\b){_RANK}?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}}){_DEGREE}",
)
NOT_NAMES = frozenset(
    [
        "Bawaslu",
        "KPU",
        "Kabupaten",
        "Kota",
        "Kecamatan",
        "Desa",
        "Kelurahan",
        "Provinsi",
        "Pemilu",
        "Pilkada",
        "ASN",
        "PNS",
        "PPPK",
        "Pemerintah",
        "Pemkab",
        "Pemkot",
        "Dinas",
        "Badan",
        "Kantor",
        "Dalam",
        "Saat",
        "Pada",
        "Di",
        "Ke",
        "Yang",
        "Dan",
        "Ini",
        "Itu",
        "Selain",
        "Sebagai",
        "Menurut",
        "Kami",
        "Kita",
        "Mereka",
        "Ia",
        "Dia",
        "Hal",
        "Acara",
        "Kegiatan",
        "Sosialisasi",
        "Deklarasi",
        "Apel",
        "Rakor",
        "Jumat",
        "Sabtu",
        "Minggu",
        "Senin",
        "Selasa",
        "Rabu",
        "Kamis",
        "Forkopimda",
        "TNI",
        "Polri",
        "Kesbangpol",
        "Bakesbangpol",
        "Sekretariat",
        "Selasa",
        "Tahun",
        "Undang",
        "Namun",
        "Bahkan",
        "Sementara",
        "Adapun",
        "Kemudian",
        "Juga",
        "Turut",
        "Hadir",
        "Bupati",
        "Wakil",
        "Gubernur",
        "Camat",
        "Ketua",
        "Anggota",
        "Kepala",
        "Lurah",
        "Kades",
        "Wali",
        "Walikota",
        "Penjabat",
        "Pj",
        "Sekda",
        "Asisten",
        "Koordinator",
        "Divisi",
        "Komisioner",
        "Kapolres",
        "Kapolsek",
        "Dandim",
        "Pjs",
        "Para",
        "Seluruh",
        "RI",
        "ASN",
        "UPT",
        "OPD",
        "PNS",
        "TNI",
        "PPK",
        "KPU",
        "DPD",
        "DPR",
    ]
)


LEVEL_NAMES = frozenset({"kabupaten", "kab.", "kota", "kecamatan", "desa", "kelurahan", "provinsi"})


def _clean_name(name: str) -> str:
    tokens = name.split()
    while tokens and tokens[-1].rstrip(",.") in NOT_NAMES:
        tokens.pop()
    while tokens and tokens[0] in NOT_NAMES:
        tokens.pop(0)
    return " ".join(tokens).strip(" ,.")


def people(text: str, region_words: set[str]) -> list[dict[str, str]]:
    """People named with their position: "Pj Bupati Paser Fahmi Fadli", "Camat X, Y".

    `region_words`: lower-cased names of the regions the article mentions; the words of the
    position that name a region belong to the position ("Ketua Bawaslu Kobar, Antonius")."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for m in PERSON_RE.finditer(text):
        if not m["pos"][:1].isupper():
            continue  # "para camat": a generic mention, not a title before a name
        pos = " ".join(m["pos"].split())
        place_words = (m["place"] or "").split()
        name = m["name"]
        # Split the capitalised run between place (a region the text names) and the name.
        words = place_words + name.split()
        split_at = 0
        for i in range(len(words), 0, -1):
            head = " ".join(words[:i]).lower()
            head = re.sub(
                r"^(kabupaten|kab\.|kota|kecamatan|desa|kelurahan|provinsi|pemkab|pemkot|pemprov)\s+",
                "",
                head,
            )
            if head in region_words:
                split_at = i
                break
        if split_at == 0 and place_words:
            # The capitalised words after the position are the name itself.
            lead = [w for w in place_words if w.lower() in LEVEL_NAMES]
            split_at = len(lead)
        while split_at < len(words) and words[split_at] in ("RI", "Pusat"):
            split_at += 1
        place = " ".join(words[:split_at])
        person = _clean_name(re.sub(RANK_PREFIX, "", " ".join(words[split_at:])))
        if not person or len(person) < 3 or person.split()[0] in NOT_NAMES:
            continue
        if person.lower() in region_words:
            continue
        position = f"{pos} {place}".strip()
        position = position[0].upper() + position[1:]
        key = person.lower()
        if key in seen:
            continue
        seen.add(key)
        out.append({"name": person, "position": position})
    return out


# --- quoted declaration points -----------------------------------------------------------

POINT_LINE = re.compile(r"^\s*(?:(\d{1,2})[.)]|[-•●▪]|[a-e][.)])\s+(?P<text>.{8,400})$", re.M)


def quoted_points(text: str) -> list[str]:
    """Numbered or bulleted points of a declaration quoted in the article."""
    points = []
    for m in POINT_LINE.finditer(text):
        body = m["text"].strip().strip('"“”')
        points.append(body)
    if points:
        return points
    # Points written inline: "1. Kami ... 2. Kami ..."
    inline = re.findall(
        r"(?:^|\s)(\d)\.\s+((?:Kami|Siap|Tidak|Menjaga|Mendukung|Menolak|Menghindari|Bersikap|Netral|Menjunjung)[^0-9]{8,300}?)(?=\s\d\.\s|$)",
        text,
    )
    return [body.strip() for _n, body in inline]
