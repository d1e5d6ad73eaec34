"""Prevention in the evaluation dashboard and the rakor report (issue 13 §19): the events
held, the texts signed and spoken, and coverage by subject type, signed and spoken apart,
beside the handling figures. Same scope, election and period as the rest of the dashboard:
events by their date, signatures by their signing time, spoken pledges by their time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from netral.accounts import access
from netral.declarations.models import (
    EventParticipant,
    PledgeKind,
    Signature,
    SpokenPledge,
)
from netral.registry.models import SubjectType

from .case_metrics import local_date, local_days_in
from .tables import Cell, Chart, Figure, Table, rate

if TYPE_CHECKING:
    from netral.accounts.access import AnyUser

MAX_EVENT_ROWS = 200


@dataclass
class SignatureCounts:
    """The scope's signatures counted by event, by text and by local month, from one grouped
    query (`signature_counts`)."""

    by_event: Counter[int] = field(default_factory=Counter)
    by_text: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_month: Counter[dt.date] = field(default_factory=Counter)
    total: int = 0


def _placed_in(signatures: QuerySet[Signature], scope: Any) -> QuerySet[Signature]:
    """The signatures placed in the scope: by the signer's region, else (a signer not in the
    registry) by the event's."""
    if scope.code is None:  # (an empty Q() would swallow the OR below)
        return signatures
    return signatures.filter(
        scope.q("official__region_id") | (Q(official__isnull=True) & scope.q("event__region_id"))
    )


def signature_counts(signatures: QuerySet[Signature], scope: Any) -> SignatureCounts:
    """The scope's signatures per event, text and month in ONE statement, grouped by the
    three at once (a few rows per event): each count was a query of its own, and each read
    the regency's signatures and looked up every signer among 5,000,000 officials again
    (6 to 9 ms apiece on bench_nat, issue 15's regency target)."""
    counts = SignatureCounts()
    rows = (
        _placed_in(signatures, scope)
        .annotate(month=local_date("signed_at", month=True, zone_field="event__region_id"))
        .values_list("event_id", "template__title", "template__kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for event_id, title, kind, month, n in rows:
        counts.by_event[event_id] += n
        counts.by_text[(title, kind)] += n
        counts.by_month[month] += n
        counts.total += n
    return counts


def _events(user: AnyUser, scope: Any, filters: Any) -> QuerySet[Any]:
    events = access.events_visible_to(user).filter(scope.q("region_id"))
    if filters.event is not None:
        events = events.filter(election_event=filters.event)
    if filters.date_from:
        events = events.filter(date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(date__lte=filters.date_to)
    return events


def _spoken(events: QuerySet[Any], filters: Any) -> QuerySet[SpokenPledge]:
    spoken = SpokenPledge.objects.filter(event__in=events.values("pk"))
    # the local days of the event's region (WIB, WITA or WIT), not the viewer's
    end = filters.date_to + dt.timedelta(days=1) if filters.date_to else None
    return local_days_in(spoken, "spoken_at", "event__region_id", filters.date_from, end)


def prevention_section(
    *,
    user: AnyUser,
    scope: Any,
    filters: Any,
    official_in_scope: Q,
    signatures: QuerySet[Signature],
    counts: SignatureCounts,
    officials_by_type: Counter[str],
    signed_by_type: Counter[str],
) -> tuple[list[Figure], list[Table]]:
    """Prevention beside handling (issue 13 §19). `official_in_scope`: the condition on a
    related `official__` for the scope's active officials the user may see. `counts`: the
    scope's signatures counted (`signature_counts`).
    `officials_by_type` and `signed_by_type`: the active officials of the scope per subject
    type, and those of them with an active signature, as the dashboard has counted them
    already (its officials cube, from the official tally when tallied, and its pledge
    coverage)."""
    events = _events(user, scope, filters)
    spoken = _spoken(events, filters)
    spoken_events = spoken.values("event_id")
    # 1. the events held
    sig_by_event = counts.by_event
    present_by_event = dict(
        EventParticipant.objects.filter(event_id__in=spoken_events, present=True)
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    event_rows: list[list[Cell]] = []
    total_events = events.count()
    for ev in events.select_related("region").order_by("date", "id")[:MAX_EVENT_ROWS]:
        event_rows.append(
            [
                ev.date.isoformat(),
                ev.title,
                ", ".join(ev.kind_labels),
                ev.region.short_name,
                ev.attendance_total,
                ev.villages_represented,
                sig_by_event.get(ev.pk, 0),
                present_by_event.get(ev.pk, 0),
            ]
        )
    events_table = Table(
        key="prevention_events",
        title=_("Kegiatan pencegahan"),
        columns=[
            _("Tanggal"),
            _("Kegiatan"),
            _("Jenis"),
            _("Wilayah"),
            _("Jumlah hadir"),
            _("Desa/kelurahan terwakili"),
            _("Tanda tangan"),
            _("Peserta ikrar lisan"),
        ],
        rows=event_rows,
        note=_("Menampilkan %(n)d kegiatan pertama dari %(t)d.")
        % {"n": MAX_EVENT_ROWS, "t": total_events}
        if total_events > MAX_EVENT_ROWS
        else "",
    )

    # 2. the texts, signed and spoken
    kinds = dict(PledgeKind.choices)
    texts: dict[tuple[str, str], list[int]] = {}
    for (title, kind), n in counts.by_text.items():
        texts.setdefault((title, kind), [0, 0, 0])[0] += n
    for sp in spoken.select_related("template"):
        row = texts.setdefault((sp.template.title, sp.template.kind), [0, 0, 0])
        row[1] += 1
        row[2] += present_by_event.get(sp.event_id, 0)
    texts_table = Table(
        key="prevention_texts",
        title=_("Naskah yang ditandatangani dan diucapkan"),
        columns=[
            _("Naskah"),
            _("Jenis"),
            _("Tanda tangan"),
            _("Ikrar lisan (kegiatan)"),
            _("Peserta ikrar lisan"),
        ],
        rows=[
            [title, str(kinds.get(kind, kind)), v[0], v[1], v[2]]
            for (title, kind), v in sorted(texts.items())
        ],
        chart=Chart("hbar", 0, (2, 4)),
    )

    # 3. coverage by subject type: signed, and spoken only
    signed_ids = signatures.filter(official__isnull=False).values("official_id")
    # Officials present at an event where a text was read out together, not signed: driven
    # by the participants (hundreds), each official once, not by the scope's
    # officials (thousands, scattered over the registry's table: issue 15).
    by_type_spoken = Counter(
        dict(
            EventParticipant.objects.filter(
                official_in_scope, event_id__in=spoken_events, present=True
            )
            .exclude(official_id__in=signed_ids)
            .values_list("official__subject_type")
            .annotate(n=Count("official_id", distinct=True))
            .values_list("official__subject_type", "n")
        )
    )
    coverage_rows: list[list[Cell]] = []
    for choice in SubjectType:
        n = officials_by_type.get(choice.value, 0)
        signed_n = signed_by_type.get(choice.value, 0)
        spoken_n = by_type_spoken.get(choice.value, 0)
        if n or signed_n or spoken_n:
            coverage_rows.append(
                [str(choice.label), n, signed_n, spoken_n, rate(signed_n + spoken_n, n)]
            )
    coverage_table = Table(
        key="prevention_coverage",
        title=_("Cakupan ikrar per jenis subjek: ditandatangani dan diucapkan"),
        columns=[
            _("Jenis subjek"),
            _("Pejabat"),
            _("Menandatangani"),
            _("Hanya mengucapkan (ikrar lisan)"),
            _("Cakupan (%)"),
        ],
        rows=coverage_rows,
        chart=Chart("hbar", 0, (2, 3)),
    )
    figures = [
        Figure("prevention_events", _("Kegiatan pencegahan"), total_events),
        Figure("pledge_signatures", _("Tanda tangan ikrar"), counts.total),
        Figure(
            "spoken_participants",
            _("Peserta ikrar lisan"),
            sum(present_by_event.get(e, 0) for e in set(spoken.values_list("event_id", flat=True))),
        ),
    ]
    return figures, [events_table, texts_table, coverage_table]
