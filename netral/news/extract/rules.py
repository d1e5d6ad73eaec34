"""Rules that read an Indonesian news article: dates, kinds, counts, people, institutions.

Everything here is offline and CPU-only: regular expressions, word lists and the month names
of dateparser's Indonesian locale data. The choices (and their measured quality) are recorded
in docs/decisions/0012-news-extraction.md and docs/benchmarks.md.
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
FUTURE_CUES = re.compile(r"^\W*(mendatang|nanti|yang akan datang)", re.IGNORECASE)
PERIOD_CUES = re.compile(r"(hingga|sampai|sejak|mulai|s\.d\.|sd)\W*$", re.IGNORECASE)
# --- event date --------------------------------------------------------------------------
#
# The event date is a fact a lawyer may read in the proposal, so every rule below prefers an
# empty date to a doubtful one (issue 17 point 2: "left empty rather than invented"; DOMAIN
# section on the registry of prevention events: the officer confirms every proposed field).

# Words that tie a date to the reported event: the verbs that report it happening and the
# nouns of the events Netral records (prevention kinds, incidents).
EVENT_ANCHOR = re.compile(
    r"\b(digelar|dilaksanakan|dilangsungkan|berlangsung|diselenggarakan|menyelenggarakan|"
    r"menggelar|melaksanakan|mengadakan|dipusatkan|diadakan|dibuka|membuka|menghadiri|dihadiri|"
    r"memimpin|dipimpin|mengikuti|diikuti|menandatangani|ditandatangani|mendeklarasikan|"
    r"dideklarasikan|berikrar|mengucapkan|menggerebek|digerebek|dibubarkan|membubarkan|"
    r"kedapatan|tertangkap|terjadi|ditemukan|melantik|dilantik|"
    r"sosialisasi|deklarasi|ikrar|apel|upacara|rakor|rapat|pertemuan|acara|kegiatan|bimtek|"
    r"bimbingan teknis|penandatanganan|pakta integritas|pelantikan|patroli|razia|"
    r"penggerebekan|kampanye|sidang|klarifikasi|seminar|lokakarya|workshop|dialog|diskusi|"
    r"musyawarah|silaturahmi|halalbihalal|halal bihalal)\b",
    re.IGNORECASE,
)
# Anchors that still tie a date to an event after someone is quoted ("kata X usai memimpin
# apel, Senin (2/10)"); generic ones ("di sela kegiatan") do not.
STRONG_ANCHOR = re.compile(
    r"\b(digelar|dilaksanakan|dilangsungkan|berlangsung|diselenggarakan|menyelenggarakan|"
    r"menggelar|melaksanakan|mengadakan|diadakan|membuka|menghadiri|memimpin|dipimpin|"
    r"mengikuti|menandatangani|ditandatangani|mendeklarasikan|menggerebek|digerebek|"
    r"dibubarkan|membubarkan|kedapatan|tertangkap|sosialisasi|deklarasi|ikrar|apel|upacara|"
    r"rakor|rapat|bimtek|penandatanganan|pakta integritas|pelantikan|patroli|razia)\b",
    re.IGNORECASE,
)
# Someone speaking: the date next to it is the day of the statement, not of the event
# (bench/news/README.md: "kata X, Jumat (5/1)" is not an event date).
_SPEECH_VERBS = (
    r"mengatakan|menyatakan|menegaskan|menjelaskan|menyebut(?:kan)?|mengungkapkan|membenarkan|"
    r"mengaku|menyampaikan(?:nya)?|disampaikan|mengingatkan|mengimbau|menghimbau|meminta|"
    r"menekankan|menuturkan|memaparkan|menambahkan|menerangkan|berpesan|mengajak|menilai|"
    r"berharap|mengharapkan|menyarankan|menginstruksikan|mengonfirmasi|dikonfirmasi|ditemui|"
    r"dihubungi|diwawancarai|ditanya|menjawab|menanggapi|mengutip|dikutip|menurut|"
    r"(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|sebut|imbuh|tambah|terang|pungkas|lanjut|"
    r"papar|pesan|harap|ajak|pinta)nya|kata|ujar|ucap|tutur|imbuh|pungkas"
)
SPEECH = re.compile(
    rf"\b({_SPEECH_VERBS})\b|[,.!?]\s*[\u201d\"]|\b(kepada|pada) (wartawan|awak media|media)\b|"
    r"\b(dalam|saat|pada) (konferensi|jumpa|keterangan) pers\b|\bketerangan tertulis(nya)?\b|"
    r"\bdalam keterangannya\b|\b(siaran pers|rilis|keterangan resmi)\b|"
    r"\b(sambungan|melalui|via) (telepon|telepon seluler|whatsapp|pesan singkat)\b",
    re.IGNORECASE,
)
# "Ketua Bawaslu X, Budi, Kamis (5/9), mengingatkan ...": the date is followed by the verb.
# (a few words may come between: "Kamis (5/9), dalam keterangannya mengatakan").
SPEECH_AFTER = re.compile(rf"^[^.;\n]{{0,35}}?\b({_SPEECH_VERBS})\b", re.IGNORECASE)
# The date of an election named right before it ("Menjelang Pileg dan Pilpres 17 April 2019",
# "pemungutan suara yang digelar pada 27 November 2024"): another event than the one reported.
ELECTION_DAY_BEFORE = re.compile(
    r"\b(?i:pemilu|pemilihan(?: umum)?|pilkada|pileg|pilpres|pilgub|pilbup|pilwali|pilkades|"
    r"pemungutan suara|pencoblosan|hari h|hari pencoblosan|hari pemungutan suara)\b"
    r"(?:\s+(?:(?i:dan|serentak|tahun|nasional|pemilu|pilkada|pileg|pilpres|legislatif|"
    r"presiden|kepala daerah|gubernur|bupati|wakil|wali ?kota|yang|akan|dijadwalkan|digelar|"
    r"dilaksanakan|berlangsung|jatuh|pada|tanggal)\b|\d{4}\b|[A-Z][\w\-]*)){0,8}\s*$"
)
# National voting days (KPU schedules; DOMAIN: the elections Netral supervises): a date equal to
# one in a sentence about voting is the election day, not the reported event.
VOTING_DAYS = frozenset(
    dt.date.fromisoformat(d)
    for d in (
        "2015-12-09", "2017-02-15", "2018-06-27", "2019-04-17", "2020-12-09", "2024-02-14",
        "2024-11-27",
    )
)  # fmt: skip
VOTING_WORDS = re.compile(
    r"\b(pemungutan suara|pencoblosan|hari h|coblos|pemilu|pilkada|pileg|pilpres|pemilihan)\b",
    re.IGNORECASE,
)
# Dates of documents ("Surat Edaran Mendagri tanggal 5 Januari 2024"), of the past ("pernah",
# "sebelumnya") and of publication stamps ("Diperbarui Kamis, 5 September 2024 10:15 WIB").
DOCUMENT_WORD = re.compile(
    r"\b(?i:surat|edaran|keputusan|peraturan|perbup|pergub|perwali|permendagri|instruksi|"
    r"undang-undang|nomor|no\.|putusan|memorandum|telegram|tertanggal)|\b(?:SE|UU|SKB)\b(?!-)"
)
PAST_BEFORE = re.compile(
    r"\b(sebelumnya|pernah|tahun lalu|bulan lalu|tahun sebelumnya|pada pemilu lalu|"
    r"pada pilkada lalu)\b[^.;]*$",
    re.IGNORECASE,
)
STAMP_BEFORE = re.compile(
    r"\b(diperbarui|diterbitkan|dipublikasikan|diposting|diunggah|update|updated|terbit|"
    r"publikasi|posted)\b\W{0,3}(pada\s+)?$",
    re.IGNORECASE,
)
STAMP_AFTER = re.compile(r"^\s*[|,\-]?\s*\d{1,2}[:.]\d{2}\s*(wib|wita|wit)\b", re.IGNORECASE)
# How long before publication a date may lie and still be the reported event: regional news
# reports within days (the development half: 0 to 5 days); older dates are background.
MAX_DAYS_BEFORE_PUBLICATION = 31


@dataclass
class DateHit:
    date: dt.date
    start: int
    end: int
    weekday_named: bool
    year_given: bool
    weekday_contradicts: bool = False


def _year(value: str | None) -> int | None:
    if not value:
        return None
    y = int(value)
    return y + 2000 if y < 100 else y


def _weekday(name: str | None) -> int | None:
    return WEEKDAYS.get((name or "").lower().replace("'", "").replace("ahad", "minggu"))


def _resolve(
    day: int, month: int, year: int | None, weekday: str | None, published: dt.date | None
) -> tuple[dt.date | None, bool]:
    """(calendar date, whether the weekday named contradicts it).

    A missing year comes from the publication date and the weekday: the year, among the
    publication year and its neighbours, whose date falls on the weekday named, nearest the
    publication date. When none does, the weekday contradicts the date."""
    wd = _weekday(weekday)
    if year is not None:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None, False
        return date, wd is not None and date.weekday() != wd
    if published is None:
        return None, False
    options = []
    for y in (published.year, published.year - 1, published.year + 1):
        try:
            options.append(dt.date(y, month, day))
        except ValueError:
            continue
    contradicts = False
    if wd is not None:
        matching = [d for d in options if d.weekday() == wd]
        if matching:
            options = matching
        else:
            contradicts = True
    # News reports what happened or is about to: the date nearest the publication date.
    options.sort(key=lambda d: abs((d - published).days))
    return (options[0] if options else None), contradicts


def find_dates(text: str, published: dt.date | None) -> list[DateHit]:
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for m in WORDED_DATE.finditer(text):
        month = MONTHS[m["mon"].lower()]
        date, contradicts = _resolve(int(m["d"]), month, _year(m["y"]), m["wd"], published)
        if date:
            hits.append(DateHit(date, m.start(), m.end(), bool(m["wd"]), bool(m["y"]), contradicts))
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
        date, contradicts = _resolve(d, mo, _year(m["y"]), m["wd"], published)
        if date:
            hits.append(DateHit(date, m.start(), m.end(), bool(m["wd"]), bool(m["y"]), contradicts))
    hits.sort(key=lambda h: h.start)
    return hits


# A sentence ends at a period before a capital, at a paragraph break, and at a line break after
# closing punctuation (pasted text is often wrapped inside its sentences).
_SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z\u201c\"])|(?<=[.!?:\u201d\")])[ \t]*\n\s*|\n[ \t]*\n\s*"
)
# A period after these ends no sentence: "Bupati Drs. H. Ahmad", "Nomor 10 Tahun 2016 No. 5".
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z][a-z]{0,2}|\b(?:Drs|Prof|Hj|KH|No|Kab|Kec|Kel|Jl|Pol|Inf|Sos|Pd|Si|Kom)|\.[A-Za-z]+)"
    r"\.$"
)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence around pos (abbreviations do not end one)."""
    start, end = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if "\n\n" not in m.group(0) and _ABBREVIATION.search(
            text[max(0, m.start() - 8) : m.start()]
        ):
            continue
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _last(rx: re.Pattern[str], text: str) -> int:
    """End of the last match of rx in text, -1 when none."""
    found = -1
    for m in rx.finditer(text):
        found = m.end()
    return found


def _election_day(before: str, hit: DateHit) -> bool:
    """Whether the date is written as the day of an election named right before it.

    "Menjelang Pileg dan Pilpres 17 April 2019" is; "mengadakan sosialisasi untuk Pemilu 2024
    pada Jumat (20/10/2023)" is not: an event is named first in the clause, and the election's
    year is not the date's."""
    m = ELECTION_DAY_BEFORE.search(before)
    if m is None:
        return False
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", m.group(0))}
    if years and hit.date.year not in years:
        return False
    clause = before[before.rfind(",", 0, m.start()) + 1 : m.start()]
    return not EVENT_ANCHOR.search(clause) or hit.date in VOTING_DAYS


def date_reason(text: str, hit: DateHit, published: dt.date | None) -> str | None:
    """Why this date is not the date of the reported event, or None when it may be."""
    s_start, s_end = _sentence_bounds(text, hit.start)
    before = text[s_start : hit.start]
    after_text = text[hit.end : s_end]
    # a dateline ("PASER, Kamis (5/9/2024) - ...") or a publication stamp
    dash_after = re.search(r"\s[-\u2013\u2014]\s", text[hit.end : hit.end + 6])
    if hit.start < 80 and dash_after and not EVENT_ANCHOR.search(before):
        return "dateline"
    if STAMP_BEFORE.search(before) or STAMP_AFTER.search(text[hit.end : hit.end + 20]):
        return "publication stamp"
    if hit.weekday_contradicts:
        return "weekday contradicts"
    if published is not None:
        days = (hit.date - published).days
        if days > 1:
            return "after publication"
        if days < -MAX_DAYS_BEFORE_PUBLICATION:
            return "long before publication"
    tail = re.sub(r"^[^\d]*\d[^ ]*\s+\w+\.?\s*\d{0,4}", "", text[hit.start : hit.start + 60])
    if PERIOD_CUES.search(text[max(0, hit.start - 60) : hit.start]) or FUTURE_CUES.search(tail):
        return "period or future"
    if re.search(r"\b(akan|dijadwalkan|rencananya|direncanakan)\b[^.;,]{0,40}$", before, re.I):
        return "period or future"
    if _election_day(before, hit):
        return "election day"
    if hit.date in VOTING_DAYS and VOTING_WORDS.search(text[s_start:s_end]):
        return "election day"
    near = before[-70:]
    document_at = _last(DOCUMENT_WORD, near)
    if (
        document_at >= 0
        and not re.search(r"[.;]", near[document_at:])
        and _last(EVENT_ANCHOR, near) < document_at
    ):
        return "document"
    if PAST_BEFORE.search(before):
        return "past event"
    spoken = SPEECH_AFTER.search(after_text)
    if spoken:
        gap = after_text[: spoken.start(1)]
        # "membuka sosialisasi di Aula X, Senin (9/9), dan meminta ASN netral": the date is
        # the event's, the speaking is joined to it
        joined = re.search(r"\b(dan|serta|sekaligus|sambil|seraya|sembari)\b", gap, re.I)
        if not EVENT_ANCHOR.search(gap) and not (joined and EVENT_ANCHOR.search(before)):
            return "statement"
    speech_at = _last(SPEECH, before)
    if speech_at >= 0 and _last(STRONG_ANCHOR, before) < speech_at:
        return "statement"
    if EVENT_ANCHOR.search(before):
        return None
    # No anchor before: the sentence must go on to report the event with a strong anchor
    # ("Senin (9/9), Bawaslu menggelar ...", not "Kamis (12/9), ASN dilarang ikut kampanye")
    # and not to quote someone.
    first_speech = SPEECH.search(after_text)
    first_event = STRONG_ANCHOR.search(after_text)
    if first_event and (first_speech is None or first_event.start() < first_speech.start()):
        return None
    return "no event named"


def event_date(text: str, published: dt.date | None) -> dt.date | None:
    """The date the reported event took place, or None: never invented.

    Only dates tied to the event (an event verb or noun in their sentence, not someone speaking,
    not a document, an election day, a period, the future or a publication stamp) are kept.
    A date written with its weekday ("Sabtu (14/9)") is how regional news dates the event it
    reports and wins over dates without; when two different dates remain at that level, or a
    date's weekday contradicts it, the article is ambiguous and None is returned."""
    hits = find_dates(text, published)
    usable = []
    for h in hits:
        reason = date_reason(text, h, published)
        if reason == "weekday contradicts" and _tied_to_event(text, h):
            return None
        if reason is None:
            usable.append(h)
    for level in (True, False):
        dates = {h.date for h in usable if h.weekday_named is level}
        if len(dates) == 1:
            return dates.pop()
        if len(dates) > 1:
            return None
    return None


def _tied_to_event(text: str, hit: DateHit) -> bool:
    s_start, s_end = _sentence_bounds(text, hit.start)
    return bool(EVENT_ANCHOR.search(text[s_start:s_end]))


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
