"""Streamed exports (CSV and XLSX) of the rows a user may see, in flat memory.

Rows come from the `*_visible_to(user)` list functions of accounts/access.py, narrowed to a
scope inside the user's jurisdiction, read with `.values_list(...).iterator(chunk_size=...)`
so no more than one chunk is in memory at a time:

- CSV is generated row by row into a StreamingHttpResponse (nothing is buffered);
- XLSX is written with openpyxl's write-only mode into a temporary file, which is then
  streamed (a ZIP cannot be produced front to back without knowing its parts).

Personal data is minimised: NIK leaves masked, e-mail and telephone never leave. Identities
of confidential reporters are never exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, F, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netral.accounts import access
from netral.cases.models import (
    Channel,
    FollowUp,
    Origin,
    Recipient,
    Recommendation,
    ReporterKind,
    Status,
)
from netral.declarations.models import SignatureMethod
from netral.elections.models import Regime
from netral.registry.models import PositionCategory, SubjectType

from .selectors import Scope, officials_in_scope

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from netral.accounts.access import AnyUser

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    header: str | _StrPromise
    field: str
    convert: Callable[[Any], Any] | None = None
    choices: Any = None  # a TextChoices class: the value is exported as its label


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str | _StrPromise
    columns: tuple[Column, ...]
    rows_for: Callable[[AnyUser, Scope], QuerySet[Any]]

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def queryset(self, user: AnyUser, scope: Scope) -> QuerySet[Any]:
        return self.rows_for(user, scope).values_list(*(c.field for c in self.columns))

    def rows(self, user: AnyUser, scope: Scope) -> Iterator[list[Any]]:
        converters = [_choice_label(c.choices) if c.choices else c.convert for c in self.columns]
        for raw in self.queryset(user, scope).iterator(chunk_size=CHUNK_SIZE):
            yield [conv(v) if conv else v for conv, v in zip(converters, raw, strict=True)]


def _mask_nik(nik: str | None) -> str:
    """NIK is personal data (DOMAIN.md §11.1): only the region part and the last two digits."""
    if not nik:
        return ""
    return nik[:6] + "*" * 8 + nik[-2:]


def _choice_label(choices: Any) -> Callable[[Any], str]:
    """Labels translated once per export, not once per row (lazy strings are slow)."""
    labels = {value: str(label) for value, label in choices.choices}

    def convert(value: Any) -> str:
        return labels.get(value, value or "")

    return convert


def _officials(user: AnyUser, scope: Scope) -> QuerySet[Any]:
    return officials_in_scope(user=user, scope=scope, active_only=False).order_by("pk")


OFFICIALS = Dataset(
    key="officials",
    title=_("Pejabat"),
    columns=(
        Column(_("ID"), "pk"),
        Column(_("Jenis subjek"), "subject_type", choices=SubjectType),
        Column(_("Nama"), "name"),
        Column(_("NIP"), "nip"),
        Column(_("NI PPPK"), "ni_pppk"),
        Column(_("NRP"), "nrp"),
        Column(_("NIK (disamarkan)"), "nik", _mask_nik),
        Column(_("Jabatan"), "position"),
        Column(_("Kategori jabatan"), "position_category", choices=PositionCategory),
        Column(_("Instansi"), "agency__name"),
        Column(_("Kode wilayah"), "region_id"),
        Column(_("Aktif"), "is_active"),
    ),
    rows_for=_officials,
)


def _cases(user: AnyUser, scope: Scope) -> QuerySet[Any]:
    return (
        access.cases_visible_to(user)
        .exclude(status="DRAFT_PUBLIK")
        .filter(scope.q("incident_region_id"))
        .order_by("pk")
    )


CASES = Dataset(
    key="cases",
    title=_("Perkara"),
    columns=(
        Column(_("ID"), "pk"),
        Column(_("Nomor registrasi"), "registration_number"),
        Column(_("Asal"), "origin", choices=Origin),
        Column(_("Rezim"), "regime", choices=Regime),
        Column(_("Pemilihan"), "election_event__name"),
        Column(_("Status"), "status", choices=Status),
        Column(_("Saluran"), "channel", choices=Channel),
        Column(_("Wilayah kejadian"), "incident_region_id"),
        Column(_("Wilayah unit penanganan"), "handling_region_id"),
        Column(_("Peristiwa"), "title"),
        Column(_("Tanggal kejadian"), "event_date"),
        Column(_("Tanggal diketahui"), "known_date"),
        Column(_("Diterima"), "received_at"),
        Column(_("Diregistrasi"), "registered_at"),
        Column(_("Diputus"), "decided_at"),
        Column(_("Tenggat berikutnya"), "due_at"),
    ),
    rows_for=_cases,
)


def _reports(user: AnyUser, scope: Scope) -> QuerySet[Any]:
    # The name of a confidential reporter never leaves the database: the SELECT itself
    # returns a placeholder (Perbawaslu practice; cases/models/parties.py Reporter).
    hidden = str(_("(dirahasiakan)"))
    qs: QuerySet[Any] = (
        _cases(user, scope)
        .filter(origin="LAPORAN")
        .annotate(
            reporter_shown=SqlCase(
                When(reporter__confidential=True, then=Value(hidden)),
                default=F("reporter__name"),
                output_field=CharField(),
            )
        )
    )
    return qs


REPORTS = Dataset(
    key="reports",
    title=_("Laporan dan pelapor"),
    columns=(
        Column(_("ID perkara"), "pk"),
        Column(_("Nomor registrasi"), "registration_number"),
        Column(_("Status"), "status", choices=Status),
        Column(_("Saluran"), "channel", choices=Channel),
        Column(_("Diterima"), "received_at"),
        Column(_("Jenis pelapor"), "reporter__kind", choices=ReporterKind),
        Column(_("Pelapor"), "reporter_shown"),
        Column(_("Identitas dirahasiakan"), "reporter__confidential"),
        Column(_("Wilayah kejadian"), "incident_region_id"),
    ),
    rows_for=_reports,
)


def _recommendations(user: AnyUser, scope: Scope) -> QuerySet[Any]:
    return Recommendation.objects.filter(case__in=_cases(user, scope)).order_by("pk")


FOLLOW_UPS = Dataset(
    key="follow_ups",
    title=_("Rekomendasi dan tindak lanjut"),
    columns=(
        Column(_("ID"), "pk"),
        Column(_("Nomor registrasi perkara"), "case__registration_number"),
        Column(_("Terlapor"), "reported_person__name"),
        Column(_("Penerima"), "recipient", choices=Recipient),
        Column(_("Nama/jabatan penerima"), "recipient_name"),
        Column(_("Nomor surat"), "letter_number"),
        Column(_("Tanggal surat"), "letter_date"),
        Column(_("Status tindak lanjut"), "status", choices=FollowUp),
        Column(_("Status berubah"), "status_changed_at"),
        Column(_("Tenggat tindak lanjut"), "due_at"),
    ),
    rows_for=_recommendations,
)


def _signatures(user: AnyUser, scope: Scope) -> QuerySet[Any]:
    return access.signatures_visible_to(user).filter(scope.q("event__region_id")).order_by("pk")


SIGNATURES = Dataset(
    key="signatures",
    title=_("Tanda tangan ikrar"),
    columns=(
        Column(_("Kode verifikasi"), "code", str),
        Column(_("Kegiatan"), "event__title"),
        Column(_("Tanggal kegiatan"), "event__date"),
        Column(_("Wilayah kegiatan"), "event__region_id"),
        Column(_("Penanda tangan"), "signer_name"),
        Column(_("Jabatan"), "signer_title"),
        Column(_("Instansi"), "signer_institution"),
        Column(_("Jenis subjek"), "subject_type", choices=SubjectType),
        Column(_("Cara"), "method", choices=SignatureMethod),
        Column(_("Waktu tanda tangan"), "signed_at"),
        Column(_("Dicabut"), "revoked_at"),
    ),
    rows_for=_signatures,
)

DATASETS: dict[str, Dataset] = {
    d.key: d for d in (OFFICIALS, SIGNATURES, CASES, REPORTS, FOLLOW_UPS)
}


# --- writers ---------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() returns what it was given (Django's CSV streaming)."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value


def csv_stream(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (Excel opens it correctly), one encoded line per row."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow(headers).encode()
    for row in rows:
        yield writer.writerow([_cell(v) for v in row]).encode()


def xlsx_write(headers: list[str], rows: Iterable[list[Any]], sheet_title: str) -> IO[bytes]:
    """Write-only openpyxl workbook into a temporary file; returned rewound, deleted on close."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  closed by the response
    book.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: written in the local time zone (TIME_ZONE).
        return timezone.localtime(value).replace(tzinfo=None)
    return value
