"""Region names found in Indonesian text, resolved to Kemendagri codes (docs/decisions/0010).

One Aho-Corasick automaton over every name of the shipped region file (all 91,599 regions of
netral/registry/data/wilayah.csv.gz, the file `netral load_regions` loads) finds every mention
in one pass. A name shared by several places ("Sukamaju": hundreds of desa; "Bandung": a
kabupaten, a kota and desa) is resolved by the words around it ("Kecamatan", "Bupati",
"se-Kabupaten") and by the hierarchy the article names elsewhere: a desa is accepted only when
its kecamatan or kabupaten is mentioned too. Well-known abbreviations ("Kukar", "Kalbar") are
aliases of the full names, looked up in the same file so no code is typed by hand.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from netral.registry.services.regions_load import PACKAGED_REGIONS

LEVEL_RANK = {"provinsi": 0, "kabkota": 1, "kecamatan": 2, "kelurahan": 3, "desa": 3}

# Abbreviations used by regional newsrooms -> the region's full name in the Kemendagri file.
ALIASES: dict[str, str] = {
    "kukar": "Kabupaten Kutai Kartanegara",
    "kutim": "Kabupaten Kutai Timur",
    "kubar": "Kabupaten Kutai Barat",
    "ppu": "Kabupaten Penajam Paser Utara",
    "mahulu": "Kabupaten Mahakam Ulu",
    "kobar": "Kabupaten Kotawaringin Barat",
    "kotim": "Kabupaten Kotawaringin Timur",
    "kbb": "Kabupaten Bandung Barat",
    "madina": "Kabupaten Mandailing Natal",
    "pasbar": "Kabupaten Pasaman Barat",
    "labuhanbatu": "Kabupaten Labuhanbatu",
    "tapsel": "Kabupaten Tapanuli Selatan",
    "tapteng": "Kabupaten Tapanuli Tengah",
    "sumbawa barat": "Kabupaten Sumbawa Barat",
    "oku": "Kabupaten Ogan Komering Ulu",
    "oki": "Kabupaten Ogan Komering Ilir",
    "muba": "Kabupaten Musi Banyuasin",
    "mura": "Kabupaten Musi Rawas",
    "hss": "Kabupaten Hulu Sungai Selatan",
    "hst": "Kabupaten Hulu Sungai Tengah",
    "hsu": "Kabupaten Hulu Sungai Utara",
    "kalbar": "Kalimantan Barat",
    "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan",
    "kaltim": "Kalimantan Timur",
    "kaltara": "Kalimantan Utara",
    "jabar": "Jawa Barat",
    "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur",
    "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat",
    "sumsel": "Sumatera Selatan",
    "sulsel": "Sulawesi Selatan",
    "sulteng": "Sulawesi Tengah",
    "sultra": "Sulawesi Tenggara",
    "sulut": "Sulawesi Utara",
    "sulbar": "Sulawesi Barat",
    "ntb": "Nusa Tenggara Barat",
    "ntt": "Nusa Tenggara Timur",
    "diy": "Daerah Istimewa Yogyakarta",
    "yogyakarta": "Daerah Istimewa Yogyakarta",
    "babel": "Kepulauan Bangka Belitung",
    "bangka belitung": "Kepulauan Bangka Belitung",
    "kepri": "Kepulauan Riau",
    "jakarta": "Daerah Khusus Ibukota Jakarta",
    "dki jakarta": "Daerah Khusus Ibukota Jakarta",
    "malut": "Maluku Utara",
}

# Words that name a region but are far more often ordinary words; matched only when a level
# word stands before them ("Kota Batu", "Desa Baru").
COMMON_WORDS = frozenset(
    [
        "batu",
        "baru",
        "jaya",
        "tengah",
        "barat",
        "timur",
        "utara",
        "selatan",
        "pusat",
        "raya",
        "indonesia",
        "agung",
        "sari",
        "makmur",
        "mulia",
        "maju",
        "sejahtera",
        "harapan",
        "merdeka",
        "damai",
        "aman",
        "indah",
        "bersatu",
        "bersama",
        "mandiri",
        "pemilu",
        "kota",
        "desa",
        "pasar",
        "kampung",
        "sungai",
        "muara",
        "tanjung",
        "teluk",
        "pulau",
        "gunung",
        "bukit",
        "lubuk",
        "air",
        "padang",
        "kuala",
        "ujung",
        "kayu",
        "bunga",
        "mekar",
        "bakti",
        "karya",
        "tani",
        "dua",
        "tiga",
        "empat",
        "lima",
        "satu",
        "ilir",
        "ulu",
        "hulu",
        "hilir",
        "lama",
        "pematang",
        "tanah",
        "lebak",
        "rawa",
        "binjai",
        "bumi",
        "rejo",
        "mulyo",
        "asri",
        "permai",
        "sentosa",
        "kencana",
        "lestari",
        "kampar",
        "agam",
        "bima",
        "kota",
        "kaur",
        "buru",
        "muna",
        "solok",
        "sumba",
        "nias",
        "malaka",
        "tuban",
        "bandar",
        "sinar",
        "cahaya",
    ]
)

LEVEL_WORDS: dict[str, str] = {
    "provinsi": "provinsi",
    "prov": "provinsi",
    "gubernur": "provinsi",
    "kabupaten": "kabkota",
    "kab": "kabkota",
    "kota": "kabkota",
    "bupati": "kabkota",
    "wali kota": "kabkota",
    "walikota": "kabkota",
    "pemkab": "kabkota",
    "pemkot": "kabkota",
    "polres": "kabkota",
    "kodim": "kabkota",
    "kecamatan": "kecamatan",
    "kec": "kecamatan",
    "camat": "kecamatan",
    "panwascam": "kecamatan",
    "polsek": "kecamatan",
    "koramil": "kecamatan",
    "desa": "desa",
    "kelurahan": "desa",
    "kel": "desa",
    "kades": "desa",
    "lurah": "desa",
    "dusun": "desa",
}
# Words naming an institution of a regency or province ("Bawaslu Paser", "KPU Berau").
REGIONAL_BODY_WORDS = frozenset(
    {"bawaslu", "kpu", "kesbangpol", "bakesbangpol", "dprd", "pemprov", "setda", "bkpsdm"}
)

_TOKEN = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case, every non-alphanumeric character a space: same length as `text`."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 and low.isalnum() and low.isascii() else " ")
    return "".join(out)


@dataclass(frozen=True)
class RegionEntry:
    code: str
    name: str
    level: str


@dataclass
class Mention:
    start: int
    end: int
    key: str
    candidates: list[str]
    hint: str | None = None  # level named just before ("kabupaten" -> kabkota)
    whole_kab: bool = False  # "se-Kabupaten X": the whole regency
    alias: bool = False
    last_word: str = ""
    resolved: str | None = None


@dataclass
class Gazetteer:
    regions: dict[str, RegionEntry]
    by_key: dict[str, list[str]]
    automaton: ahocorasick.Automaton = field(repr=False)

    def find(self, text: str) -> list[Mention]:
        """Every capitalised region name in `text` (news capitalises proper nouns)."""
        norm = " " + normalise(text) + " "
        padded = " " + text + " "
        raw: list[Mention] = []
        for end, key in self.automaton.iter(norm):
            start = end - len(key) + 1  # in `norm` coordinates, key includes the spaces
            raw.append(Mention(start, start + len(key) - 2, key.strip(), []))
        # Keep the longest match where matches overlap ("Tanjung Redeb" over "Tanjung").
        raw.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        last_end = -1
        for m in raw:
            if m.start >= last_end:
                kept.append(m)
                last_end = m.end
            elif kept and (m.end - m.start) > (kept[-1].end - kept[-1].start) and m.end > last_end:
                kept[-1] = m
                last_end = m.end
        found = []
        for m in kept:
            first = padded[m.start + 1 : m.start + 2]
            if not first.isupper() and not first.isdigit():
                continue
            found.append(m)
            m.candidates = list(self.by_key[m.key])
            m.alias = m.key in ALIASES
            before = norm[max(0, m.start - 40) : m.start]
            words = _TOKEN.findall(before)
            # a level word counts only when written as part of the name ("Desa Pasir",
            # not "kepala desa dalam ...")
            original_before = padded[max(0, m.start - 40) : m.start + 1].split()
            last = original_before[-1] if original_before else ""
            if last and not last[:1].isupper() and not last.lower().startswith("se-"):
                words = [*words[:-1], "_"] if words else words
            m.hint = _hint(words)
            m.last_word = words[-1] if words else ""
            m.whole_kab = (
                len(words) >= 2
                and words[-2] == "se"
                and words[-1] in ("kabupaten", "kota", "kecamatan")
            )
            if not m.whole_kab and words[-1:] == ["se"]:
                m.whole_kab = True
            # `norm` has one leading space, and the key one before the name: the name starts
            # at the same index in the original text
        return found

    def resolve(self, mentions: list[Mention]) -> list[Mention]:
        """Pick one code per mention from the hierarchy the article names; drop the rest."""
        for m in mentions:
            m.resolved = None
        anchors: set[str] = set()
        # 1. Mentions that name one place at their level: provinces and regencies by name,
        #    aliases, and any level word + name with a single candidate at that level.
        for m in mentions:
            cands = self._at_level(m)
            if not cands:
                continue
            top = [c for c in cands if self.regions[c].level in ("provinsi", "kabkota")]
            if m.hint and len(cands) == 1:
                m.resolved = cands[0]
            elif (m.alias and len(top) == 1) or (
                m.hint is None
                and len(top) == 1
                and m.key not in COMMON_WORDS
                and (
                    len(cands) == 1
                    or not any(self._has_relative(c, mentions, m) for c in cands if c != top[0])
                )
            ):
                m.resolved = top[0]
            if m.resolved:
                anchors.add(m.resolved)
        # 2. Twice: candidates supported by an ancestor or descendant already resolved.
        for _ in range(2):
            for m in mentions:
                if m.resolved:
                    continue
                cands = self._at_level(m)
                if m.hint is None and m.key in COMMON_WORDS:
                    continue
                exact = [c for c in cands if c in anchors]
                if exact:  # "Semarang" after "Kota Semarang": the place already named
                    m.resolved = exact[0]
                    continue
                supported = [c for c in cands if _related(c, anchors)]
                if len(supported) >= 1:
                    # the deepest support wins; ties go to the highest level
                    supported.sort(key=lambda c: (-_support_depth(c, anchors), c.count(".")))
                    m.resolved = supported[0]
                    anchors.add(m.resolved)
        return [m for m in mentions if m.resolved]

    def _at_level(self, m: Mention) -> list[str]:
        if m.hint is None:
            return m.candidates
        if m.hint == "kabkota":
            want = {"kabkota"}
        elif m.hint == "desa":
            want = {"desa", "kelurahan"}
        else:
            want = {m.hint}
        narrowed = [c for c in m.candidates if self.regions[c].level in want]
        if m.hint == "kabkota" and narrowed:
            kota = [c for c in narrowed if self.regions[c].name.startswith("Kota ")]
            kab = [c for c in narrowed if not self.regions[c].name.startswith("Kota ")]
            return kota if _word_before_is(m, "kota") and kota else (kab or kota)
        return narrowed

    def _has_relative(self, code: str, mentions: list[Mention], me: Mention) -> bool:
        for other in mentions:
            if other is me:
                continue
            for c in other.candidates:
                if c != code and (c.startswith(code + ".") or code.startswith(c + ".")):
                    return True
        return False


def _word_before_is(m: Mention, word: str) -> bool:
    return m.last_word == word


def _hint(words: list[str]) -> str | None:
    if not words:
        return None
    last = words[-1]
    two = " ".join(words[-2:])
    if two in LEVEL_WORDS:
        return LEVEL_WORDS[two]
    if last in LEVEL_WORDS:
        return LEVEL_WORDS[last]
    return None


def _related(code: str, anchors: set[str]) -> bool:
    """An ancestor or descendant is resolved; a kecamatan or desa needs more than its
    province (thousands of desa share a province)."""
    floor = 1 if code.count(".") >= 2 else 0
    return any(
        (code.startswith(a + ".") and a.count(".") >= floor) or a.startswith(code + ".")
        for a in anchors
    )


def _support_depth(code: str, anchors: set[str]) -> int:
    return max(
        (a.count(".") + 1 for a in anchors if code.startswith(a + ".") or a.startswith(code + ".")),
        default=0,
    )


def _base_names(name: str, level: str) -> list[str]:
    if level == "kabkota":
        if name.startswith("Kabupaten "):
            return [name[len("Kabupaten ") :]]
        if name.startswith("Kota "):
            return [name[len("Kota ") :]]
    if level == "provinsi" and name.startswith("Daerah Khusus Ibukota "):
        return [name, name[len("Daerah Khusus Ibukota ") :]]
    return [name]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the automaton once per process (about half a second, docs/benchmarks.md)."""
    raw = gzip.decompress(PACKAGED_REGIONS.read_bytes()).decode("utf-8-sig")
    regions: dict[str, RegionEntry] = {}
    by_key: dict[str, list[str]] = defaultdict(list)
    by_full_name: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        entry = RegionEntry(row["kode"], row["nama"], row["level"])
        regions[entry.code] = entry
        if entry.level in ("provinsi", "kabkota"):
            by_full_name[entry.name] = entry.code
        for base in _base_names(entry.name, entry.level):
            key = " ".join(_TOKEN.findall(normalise(base)))
            if len(key) >= 3:
                by_key[key].append(entry.code)
                # "Fak Fak" is written "Fakfak", "Tanjung Sari" "Tanjungsari"
                joined = key.replace(" ", "")
                if entry.level in ("kabkota", "kecamatan") and joined != key:
                    by_key[joined].append(entry.code)
    for alias, full in ALIASES.items():
        code = by_full_name.get(full)
        if code is not None and code not in by_key[alias]:
            by_key[alias].insert(0, code)
    automaton = ahocorasick.Automaton()
    for key in by_key:
        automaton.add_word(f" {key} ", f" {key} ")
    automaton.make_automaton()
    return Gazetteer(regions=regions, by_key=dict(by_key), automaton=automaton)
