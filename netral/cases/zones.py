"""Indonesia's three time zones (Keppres 41/1987 tentang Pembagian Wilayah Republik Indonesia
menjadi 3 (tiga) Wilayah Waktu), derived from the Kemendagri province code (DOMAIN §10).

A deadline ends at the end of the day in the handling unit's own zone, and a report received
after local midnight is dated by the local day (issue 12 point 7). Bawaslu RI (no handling
region) keeps Jakarta time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone


@dataclass(frozen=True)
class Zone:
    abbreviation: str  # WIB / WITA / WIT, printed after every time
    tz: ZoneInfo


WIB = Zone("WIB", ZoneInfo("Asia/Jakarta"))  # UTC+7
WITA = Zone("WITA", ZoneInfo("Asia/Makassar"))  # UTC+8
WIT = Zone("WIT", ZoneInfo("Asia/Jayapura"))  # UTC+9

# Keppres 41/1987: WIB covers Sumatra, Java, Kalimantan Barat and Kalimantan Tengah; WITA covers
# Bali, Nusa Tenggara, Kalimantan Selatan/Timur/Utara and Sulawesi; WIT covers Maluku and Papua.
# Province codes (first two digits of kode wilayah): the first digit is the island group.
_WIB_PROVINCES = {"61", "62"}  # Kalimantan Barat, Kalimantan Tengah
_WITA_PROVINCES = {"63", "64", "65"}  # Kalimantan Selatan, Timur, Utara


def zone_for_code(code: str | None) -> Zone:
    """The zone of a region code (any level); None (Bawaslu RI, Jakarta) is WIB."""
    if not code:
        return WIB
    province = code[:2]
    group = province[0]
    if group in "123":
        return WIB
    if group == "6":
        if province in _WIB_PROVINCES:
            return WIB
        if province in _WITA_PROVINCES:
            return WITA
        return WIB
    if group in "57":
        return WITA
    if group in "89":
        return WIT
    return WIB


def case_zone(case: object) -> Zone:
    """The zone of the unit handling `case` (its handling region; Bawaslu RI: WIB)."""
    return zone_for_code(getattr(case, "handling_region_id", None))


def local_in(moment: dt.datetime, zone: Zone) -> dt.datetime:
    return moment.astimezone(zone.tz) if timezone.is_aware(moment) else moment


def format_local(moment: dt.datetime | None, zone: Zone, fmt: str = "%d-%m-%Y %H:%M") -> str:
    """A moment as local time of `zone`, with the zone's name: '13-11-2023 16:05 WITA'."""
    if moment is None:
        return "-"
    return f"{local_in(moment, zone).strftime(fmt)} {zone.abbreviation}"
