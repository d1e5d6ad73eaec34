from __future__ import annotations

import datetime as dt
from typing import Any

from netral.declarations import services
from netral.declarations.models import Event, PledgeTemplate
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import Agency, Official, Region, SubjectType
from netral.registry.text import fold

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def standard(slug: str = "ikrar-netralitas-asn-desa") -> PledgeTemplate:
    return PledgeTemplate.objects.get(slug=slug, version=1)


def pilkada() -> ElectionEvent:
    election, _created = ElectionEvent.objects.get_or_create(
        name="Pilkada Serentak 2024",
        regime=Regime.PILKADA,
        defaults={
            "campaign_start": dt.date(2024, 9, 25),
            "campaign_end": dt.date(2024, 11, 23),
            "voting_day": dt.date(2024, 11, 27),
        },
    )
    return election


def official(
    *,
    region: str,
    subject_type: str = SubjectType.KEPALA_DESA,
    name: str = "",
    email: str = "",
    nip: str | None = None,
    agency: Agency | None = None,
    **extra: Any,
) -> Official:
    name = name or f"{subject_type.title()} {region}"
    return Official.objects.create(
        subject_type=subject_type,
        name=name,
        name_folded=fold(name),
        region_id=region,
        email=email,
        nip=nip,
        agency=agency,
        position=extra.pop("position", ""),
        **extra,
    )


def event(
    *,
    region: str = "64.08",
    pledges: list[PledgeTemplate] | None = None,
    election: ElectionEvent | None = None,
    actor: Any = None,
    title: str = "Sosialisasi netralitas",
) -> Event:
    return services.event_create(
        actor=actor,
        title=title,
        kinds=["SOSIALISASI", "DEKLARASI"],
        date=dt.date(2024, 9, 20),
        region=Region.objects.get(code=region),
        organiser="Kesbangpol",
        venue="Hotel Victoria",
        election_event=election if election is not None else pilkada(),
        pledges=pledges if pledges is not None else [standard()],
    )
