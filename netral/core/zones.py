"""Indonesia's three time zones (Keppres 41/1987 tentang Pembagian Wilayah Republik Indonesia
menjadi 3 (tiga) Wilayah Waktu), derived from the Kemendagri province code (DOMAIN §10).

A deadline ends at the end of the day in the handling unit's own zone, and a report received
after local midnight is dated by the local day (issue 12 point 7). Bawaslu RI (no handling
region) keeps Jakarta time.

`PREFIXES` is the one source of truth: `zone_for_code` reads it in Python, and `zone_sql`
turns it into the SQL CASE the dashboard tallies and the dashboard's own queries bucket days
with (netral/dashboards/tallies.py, case_metrics.py), so a case is dated the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone


@dataclass(frozen=True)
class Zone:
    abbreviation: str  # WIB / WITA / WIT, printed after every time
    tz: ZoneInfo

    @property
    def offset_seconds(self) -> int:
        """The zone's UTC offset (none of Indonesia's zones has daylight saving time)."""
        offset = dt.datetime(2000, 1, 1, tzinfo=self.tz).utcoffset() or dt.timedelta()
        return int(offset.total_seconds())


WIB = Zone("WIB", ZoneInfo("Asia/Jakarta"))  # UTC+7
WITA = Zone("WITA", ZoneInfo("Asia/Makassar"))  # UTC+8
WIT = Zone("WIT", ZoneInfo("Asia/Jayapura"))  # UTC+9
ZONES = (WIB, WITA, WIT)

# Keppres 41/1987: WIB covers Sumatra, Java, Kalimantan Barat and Kalimantan Tengah; WITA covers
# Bali, Nusa Tenggara, Kalimantan Selatan/Timur/Utara and Sulawesi; WIT covers Maluku and Papua.
# Province codes (first two digits of kode wilayah): the first digit is the island group
# (1 Sumatra, 3 Java, 5 Bali/Nusa Tenggara, 6 Kalimantan, 7 Sulawesi, 8 Maluku, 9 Papua).
# Prefixes of a region code and their zone, checked in this order; any other code is WIB.
PREFIXES: tuple[tuple[str, Zone], ...] = (
    ("63", WITA),  # Kalimantan Selatan
    ("64", WITA),  # Kalimantan Timur (Kutai Timur: 64.08)
    ("65", WITA),  # Kalimantan Utara
    ("5", WITA),  # Bali, NTB, NTT
    ("7", WITA),  # Sulawesi
    ("8", WIT),  # Maluku, Maluku Utara
    ("9", WIT),  # Papua and its provinces
)


def zone_for_code(code: str | None) -> Zone:
    """The zone of a region code (any level); None (Bawaslu RI, Jakarta) is WIB."""
    if not code:
        return WIB
    for prefix, zone in PREFIXES:
        if code.startswith(prefix):
            return zone
    return WIB


def _prefixes_by_zone() -> dict[Zone, dict[int, list[str]]]:
    """PREFIXES grouped for SQL: zone -> prefix length -> prefixes (WIB, the rest, is left
    to the ELSE)."""
    by_zone: dict[Zone, dict[int, list[str]]] = {}
    for prefix, zone in PREFIXES:
        by_zone.setdefault(zone, {}).setdefault(len(prefix), []).append(prefix)
    return by_zone


def zone_sql(column: str, value: Callable[[Zone], str]) -> str:
    """An SQL CASE giving `value(zone)` (an SQL literal) for the zone of the region code in
    `column`, from PREFIXES: the same zone as zone_for_code (a NULL code is WIB)."""
    whens = []
    for zone, lengths in _prefixes_by_zone().items():
        tests = " OR ".join(
            f"substr({column}, 1, {n}) IN ({', '.join(repr(p) for p in prefixes)})"
            for n, prefixes in sorted(lengths.items())
        )
        whens.append(f"WHEN {tests} THEN {value(zone)}")
    return f"(CASE {' '.join(whens)} ELSE {value(WIB)} END)"


def zone_case(field: str, value: Callable[[Zone], str]) -> Any:
    """The Django expression of zone_sql: `value(zone)` for the zone of the region code in
    `field` (a model field path), from PREFIXES (a NULL code is WIB)."""
    from django.db.models import Case as SqlCase
    from django.db.models import CharField, Value, When
    from django.db.models.functions import Substr
    from django.db.models.lookups import In

    whens = [
        When(
            reduce(or_, (In(Substr(field, 1, n), ps) for n, ps in sorted(lengths.items()))),
            then=Value(value(zone)),
        )
        for zone, lengths in _prefixes_by_zone().items()
    ]
    return SqlCase(*whens, default=Value(value(WIB)), output_field=CharField())


def day_start(day: dt.date, zone: Zone) -> dt.datetime:
    """The first moment of a local day of `zone`."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone.tz)


def case_zone(case: object) -> Zone:
    """The zone of the unit handling `case` (its handling region; Bawaslu RI: WIB)."""
    return zone_for_code(getattr(case, "handling_region_id", None))


def region_code_of(obj: object) -> str | None:
    """The region code whose zone an object's times are in: a code as it is; a case its
    handling unit; otherwise the object's unit, region, event's or official's region."""
    if obj is None or isinstance(obj, str):
        return obj or None
    if hasattr(obj, "handling_region_id"):
        return getattr(obj, "handling_region_id", None)
    for attribute in ("unit_region_id", "region_id", "region_code"):
        code = getattr(obj, attribute, None)
        if code:
            return str(code)
    for related in ("event", "official", "capture", "letter"):
        target = getattr(obj, related, None) if hasattr(type(obj), related) else None
        if target is not None:
            return region_code_of(target)
    return None


def zone_of(obj: object) -> Zone | None:
    """The zone of a Zone, a region code or an object with a region (None: none known)."""
    if isinstance(obj, Zone):
        return obj
    if hasattr(obj, "handling_region_id"):  # a case: Bawaslu RI's (no region) is WIB
        return case_zone(obj)
    code = region_code_of(obj)
    return zone_for_code(code) if code else None


def active_zone() -> Zone:
    """The zone activated for this request (netral.core.middleware.UnitZoneMiddleware: the
    viewer's unit), else the server's (WIB)."""
    name = timezone.get_current_timezone_name()
    for zone in ZONES:
        if zone.tz.key == name or zone.abbreviation == name:
            return zone
    return WIB


def viewer_unit_code(user: Any) -> str | None:
    """The region code of a viewer's own unit: the first root of their jurisdiction;
    anonymous and national viewers (Bawaslu RI): None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from netral.accounts import access

    codes = access.jurisdiction_codes(user)
    if codes is access.NATIONAL or not codes:
        return None
    return min(codes)


def viewer_zone(user: Any) -> Zone:
    """The zone of a viewer's own unit (anonymous and national viewers: WIB)."""
    return zone_for_code(viewer_unit_code(user))


def local_in(moment: dt.datetime, zone: Zone) -> dt.datetime:
    return moment.astimezone(zone.tz) if timezone.is_aware(moment) else moment


def format_local(moment: dt.datetime | None, zone: Zone, fmt: str = "%d-%m-%Y %H:%M") -> str:
    """A moment as local time of `zone`, with the zone's name: '13-11-2023 16:05 WITA'."""
    if moment is None:
        return "-"
    return f"{local_in(moment, zone).strftime(fmt)} {zone.abbreviation}"
