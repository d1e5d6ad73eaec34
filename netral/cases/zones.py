"""The time zones of the cases: netral/core/zones.py (kept here for the cases' imports)."""

from netral.core.zones import (
    WIB,
    WIT,
    WITA,
    Zone,
    case_zone,
    format_local,
    local_in,
    zone_for_code,
)

__all__ = ["WIB", "WIT", "WITA", "Zone", "case_zone", "format_local", "local_in", "zone_for_code"]
