"""Times with their zone (issue 12 point 7: Indonesia has three, WIB, WITA and WIT).

    {% load zones %}
    {{ entry.created_at|zoned }}                         -> "09-11-2024 00:30 WITA" (viewer's)
    {{ capture.captured_at|zoned:capture }}              -> in the capture's unit's zone
    {{ s.signed_at|in_zone:event|date:"Y-m-d H:i T" }}   -> any format; T names the zone

The viewer's zone is activated per request (netral.core.middleware.UnitZoneMiddleware). The
argument may be a region code, a Zone, or an object with a region (a case: its handling unit;
a capture or letter: its unit; an event, an official, a signature: their region), as
netral.core.zones.region_code_of reads it; an object with no region keeps the viewer's zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.templatetags.tz import datetimeobject
from django.utils import timezone

from netral.core.zones import Zone, active_zone, format_local, zone_of

register = template.Library()


def _zone(where: Any) -> Zone:
    """`where`'s zone; none given or known: the viewer's."""
    return (zone_of(where) if where not in (None, "") else None) or active_zone()


@register.filter(expects_localtime=False)
def in_zone(moment: Any, where: Any = None) -> Any:
    """The moment as local time of `where`'s zone (else the viewer's), for `|date`."""
    if not isinstance(moment, dt.datetime) or not timezone.is_aware(moment):
        return moment
    local = moment.astimezone(_zone(where).tz)
    # as django.templatetags.tz.localtime does: `|date` must not convert it back
    result = datetimeobject(
        *local.timetuple()[:6], local.microsecond, local.tzinfo, fold=local.fold
    )
    result.convert_to_local_time = False  # type: ignore[attr-defined]
    return result


@register.filter(expects_localtime=False)
def zoned(moment: Any, where: Any = None) -> str:
    """'09-11-2024 00:30 WITA': the moment in `where`'s zone (else the viewer's), named."""
    if not isinstance(moment, dt.datetime):
        return "-" if not moment else str(moment)
    return format_local(moment, _zone(where))
