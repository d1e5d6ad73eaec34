"""Reads of patroli siber: the triage queue, watch lists, replay and coverage figures."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet

from netral.patrol import matching
from netral.patrol.models import (
    AccountCheck,
    Capture,
    CaptureFile,
    CaptureStatus,
    PatrolAssignment,
    TakedownItem,
    TakedownState,
    Triage,
    WatchTerm,
)

if TYPE_CHECKING:
    from netral.registry.models import Region, SocialAccount


def triage_queue(*, qs: QuerySet[Capture]) -> QuerySet[Capture]:
    return (
        qs.filter(triage=Triage.BELUM)
        .exclude(status=CaptureStatus.GAGAL)
        .select_related("official", "account", "requested_by")
        .order_by("created_at")
    )


def capture_list(*, qs: QuerySet[Capture], triage: str = "", q: str = "") -> QuerySet[Capture]:
    if triage:
        qs = qs.filter(triage=triage)
    if q:
        qs = qs.filter(Q(url__icontains=q) | Q(official__name__icontains=q))
    return qs.select_related("official", "requested_by").order_by("-created_at")


@dataclass(frozen=True)
class WatchRow:
    account: SocialAccount
    last_checked_at: dt.datetime | None
    last_checked_by: str
    officer: str


def watch_list(
    *,
    accounts: QuerySet[SocialAccount],
    platform: str = "",
    mine_id: int | None = None,
    limit: int = 500,
) -> list[WatchRow]:
    """Registered accounts by platform, with when each was last checked and by whom."""
    if platform:
        accounts = accounts.filter(platform__iexact=platform)
    if mine_id is not None:
        accounts = accounts.filter(patrol_assignment__officer_id=mine_id)
    rows = list(
        accounts.select_related("official", "official__region")
        .annotate(last=Max("patrol_checks__created_at"))
        .order_by("platform", "official__name")[:limit]
    )
    last_by: dict[int, str] = {}
    ids = [a.pk for a in rows]
    for account_id, username, full_name in (
        AccountCheck.objects.filter(account_id__in=ids)
        .order_by("account_id", "-created_at")
        .values_list("account_id", "checked_by__username", "checked_by__full_name")
    ):
        last_by.setdefault(account_id, full_name or username)
    officers = {
        a: (full or user)
        for a, user, full in PatrolAssignment.objects.filter(account_id__in=ids).values_list(
            "account_id", "officer__username", "officer__full_name"
        )
    }
    return [WatchRow(a, a.last, last_by.get(a.pk, ""), officers.get(a.pk, "")) for a in rows]


def platforms_of(accounts: QuerySet[SocialAccount]) -> list[str]:
    return sorted(set(accounts.values_list("platform", flat=True).distinct()))


def capture_highlight(capture: Capture) -> list[tuple[str, str]]:
    """The visible text cut into pieces, the watched names marked by their kind."""
    terms = list(
        WatchTerm.objects.filter(term__in=capture.hits).values_list("term", "kind").distinct()
    )
    hits = matching.find_terms(capture.visible_text, terms)
    return matching.highlight_segments(capture.visible_text, hits)


def capture_files(capture: Capture) -> dict[str, CaptureFile]:
    return {f.role: f for f in capture.files.all()}


# --- offline replay ----------------------------------------------------------------------


def archived_resources(warc_file: CaptureFile) -> dict[str, tuple[int, str, bytes]]:
    """url -> (status, content type, body) of every response in the capture's WARC."""
    from warcio.archiveiterator import ArchiveIterator

    out: dict[str, tuple[int, str, bytes]] = {}
    with warc_file.file.open("rb") as fh:
        raw = fh.read()
    for record in ArchiveIterator(io.BytesIO(raw)):
        if record.rec_type != "response":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        status = int(record.http_headers.get_statuscode() or "200")
        ctype = record.http_headers.get_header("Content-Type") or "application/octet-stream"
        out.setdefault(url, (status, ctype, record.content_stream().read()))
        out.setdefault(matching.url_key(url), out[url])
    return out


# --- coverage (dashboard, rakor report) ----------------------------------------------------


@dataclass
class CoverageRow:
    region_code: str
    region_name: str
    registered: int = 0
    checked: int = 0
    captures: int = 0
    findings: int = 0
    takedowns: int = 0
    taken_down: int = 0

    @property
    def percent(self) -> int:
        return self.checked * 100 // self.registered if self.registered else 0


@dataclass
class Coverage:
    rows: list[CoverageRow]
    total: CoverageRow
    by_triage: Counter[str] = field(default_factory=Counter)


class _Units:
    """Which of `units` (region codes, none under another) holds a code: a lookup per length
    of unit code, not a scan of the units (a national officer's regency view bumps the
    country's 7,800 kecamatan rows of the account tally through it)."""

    def __init__(self, units: list[str]) -> None:
        self.units = set(units)
        self.lengths = sorted({len(u) for u in units}, reverse=True)

    def of(self, code: str | None) -> str | None:
        if not code:
            return None
        for length in self.lengths:
            prefix = code[:length]
            if prefix in self.units and (len(code) == length or code[length] == "."):
                return prefix
        return None


def patrol_coverage(
    *,
    root: Region | None,
    accounts: QuerySet[SocialAccount],
    captures: QuerySet[Capture],
    start: dt.date,
    end: dt.date,
    registered: Iterable[tuple[str | None, int]] | None = None,
) -> Coverage:
    """Per unit under `root` (its child regions; provinces when national): accounts
    registered, accounts checked in the period, captures, findings and takedown requests.

    `registered`: the accounts registered as (region code, count) pairs already summed (the
    dashboard's account tally, per kecamatan), instead of counting `accounts` per region."""
    from netral.registry.models import Region

    children = (
        Region.objects.filter(parent=root)
        if root is not None
        else Region.objects.filter(parent__isnull=True)
    ).order_by("code")
    rows = {r.code: CoverageRow(r.code, r.short_name) for r in children}
    units = _Units(list(rows))
    total = CoverageRow(root.code if root else "", root.short_name if root else "Indonesia")

    def bump(code: str | None, attr: str, n: int = 1) -> None:
        setattr(total, attr, getattr(total, attr) + n)
        unit = units.of(code)
        if unit is not None:
            row = rows[unit]
            setattr(row, attr, getattr(row, attr) + n)

    if registered is None:
        registered = accounts.values_list("official__region_id").annotate(n=Count("pk"))
    for code, n in registered:
        bump(code, "registered", n)
    period = Q(patrol_checks__created_at__date__gte=start, patrol_checks__created_at__date__lte=end)
    for code, n in (
        accounts.filter(period)
        .values_list("official__region_id")
        .annotate(n=Count("pk", distinct=True))
    ):
        bump(code, "checked", n)
    in_period = captures.filter(created_at__date__gte=start, created_at__date__lte=end)
    by_triage: Counter[str] = Counter()
    for code, unit, triage, n in in_period.values_list(
        "official__region_id", "unit_region_id", "triage"
    ).annotate(n=Count("pk")):
        where = code or unit
        bump(where, "captures", n)
        by_triage[triage] += n
        if triage == Triage.TEMUAN:
            bump(where, "findings", n)
    items = TakedownItem.objects.filter(capture__in=in_period.values("pk"))
    for code, unit, state, n in items.values_list(
        "capture__official__region_id", "capture__unit_region_id", "state"
    ).annotate(n=Count("pk")):
        bump(code or unit, "takedowns", n)
        if state == TakedownState.DITURUNKAN:
            bump(code or unit, "taken_down", n)
    return Coverage(rows=list(rows.values()), total=total, by_triage=by_triage)


def coverage_table(
    *,
    root: Region | None,
    accounts: QuerySet[SocialAccount],
    captures: QuerySet[Capture],
    start: dt.date | None,
    end: dt.date | None,
    registered: Iterable[tuple[str | None, int]] | None = None,
) -> Any:
    """Patrol coverage as a table of the evaluation dashboard and the rakor report."""
    from django.utils.translation import gettext as _

    from netral.dashboards.tables import Chart, Table, rate

    coverage = patrol_coverage(
        root=root,
        accounts=accounts,
        captures=captures,
        start=start or dt.date(2000, 1, 1),
        end=end or dt.date(2100, 1, 1),
        registered=registered,
    )
    rows: list[list[Any]] = [
        [
            r.region_name,
            r.registered,
            r.checked,
            rate(r.checked, r.registered),
            r.captures,
            r.findings,
            r.takedowns,
            r.taken_down,
        ]
        for r in coverage.rows
        if r.registered or r.captures
    ]
    t = coverage.total
    rows.append(
        [
            t.region_name,
            t.registered,
            t.checked,
            rate(t.checked, t.registered),
            t.captures,
            t.findings,
            t.takedowns,
            t.taken_down,
        ]
    )
    return Table(
        key="patrol_coverage",
        title=_("Patroli siber"),
        columns=[
            _("Wilayah"),
            _("Akun terdaftar"),
            _("Akun diperiksa"),
            _("Cakupan (%)"),
            _("Tangkapan"),
            _("Temuan"),
            _("Diminta diturunkan"),
            _("Sudah diturunkan"),
        ],
        rows=rows,
        chart=Chart(kind="hbar", label_column=0, value_columns=(3,)),
        note=_(
            "Akun diperiksa: akun terdaftar yang diperiksa petugas atau ditangkap dalam "
            "periode; tangkapan, temuan dan permintaan penurunan menurut waktu tangkapan."
        ),
    )
