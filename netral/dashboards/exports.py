"""Streamed exports (CSV and XLSX) of the rows a user may see, in flat memory.

Rows come from the `*_visible_to(user)` list functions of accounts/access.py, narrowed to a
scope inside the user's jurisdiction. The queryset's SQL is read through a raw (on PostgreSQL
server-side) cursor in chunks, so no more than one chunk is in memory at a time, and each
chunk is converted column by column (a label table for a choice, local time for a timestamp),
never cell by cell through the model fields' converters: that per-cell work made the CSV 2.4x
the raw cursor (docs/benchmarks.md, "exports").

- CSV is generated a chunk at a time into a StreamingHttpResponse (nothing else is buffered);
- XLSX is written by xlsxwriter in constant-memory mode into a temporary file, which is then
  streamed (a ZIP cannot be produced front to back without knowing its parts).

Both are formula-safe (netral/core/spreadsheets.py): text a spreadsheet would run as a formula
is neutralised in CSV and always a string cell in XLSX.

Personal data is minimised: NIK leaves masked, e-mail and telephone never leave. Identities
of confidential reporters are never exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, connections, models
from django.db.models import Case as SqlCase
from django.db.models import CharField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat, Left
from django.db.models.lookups import In
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
from netral.core.encryption import PREFIX, decrypt
from netral.core.spreadsheets import FORMULA_STARTS, formula_safe, xlsx_workbook
from netral.core.zones import Zone, zone_for_code
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
    convert: Callable[[Any], Any] | None = None  # Python, per value (only where SQL cannot)
    choices: Any = None  # a TextChoices class: the value is exported as its label
    sql: Callable[[str], Any] | None = None  # an SQL expression of the field giving the value


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str | _StrPromise
    columns: tuple[Column, ...]
    rows_for: Callable[[AnyUser, Scope], QuerySet[Any]]
    # The region code whose zone (WIB/WITA/WIT) each row's times are in: the handling unit of
    # a case, the region of a pledge event (issue 12 point 7: every time carries its zone, and
    # a list over several regions gives each row its own). Blank: the rows have no times.
    zone_field: str = ""

    def headers(self) -> list[str]:
        names = [str(c.header) for c in self.columns]
        return [*names, str(_("Zona waktu"))] if self.zone_field else names

    def queryset(self, user: AnyUser, scope: Scope, target: str = "csv") -> QuerySet[Any]:
        """The rows as a values_list, each column computed in the database where it can be:
        labels of choices, ya/tidak, masked NIK, formula-safe text (CSV)."""
        qs = self.rows_for(user, scope)
        names, annotations = [], {}
        for i, column in enumerate(self.columns):
            expression = _sql_value(column, _kind(qs.model, column), target)
            if expression is None:
                names.append(column.field)
            else:
                annotations[f"export_{i}"] = expression
                names.append(f"export_{i}")
        if self.zone_field:
            names.append(self.zone_field)  # read, then replaced by the zone's name
        rows: QuerySet[Any] = qs.annotate(**annotations).values_list(*names)
        return rows

    def chunks(self, user: AnyUser, scope: Scope, target: str) -> Iterator[list[tuple[Any, ...]]]:
        """Rows in chunks of CHUNK_SIZE, converted for `target` ("csv" or "xlsx"): in SQL
        where it can be, else column by column in Python (timestamps to local time)."""
        qs = self.queryset(user, scope, target)
        kinds = [_kind(self.rows_for(user, scope).model, c) for c in self.columns]
        converters = [_converter(c, k, target) for c, k in zip(self.columns, kinds, strict=True)]
        alias = qs.db  # the replica inside a read-heavy page's window (netral/core/replica.py)
        sql, params = qs.query.get_compiler(alias).as_sql()
        zones: dict[str | None, Zone] = {}
        with connections[alias].chunked_cursor() as cursor:
            cursor.execute(sql, params)
            if not any(converters) and not self.zone_field:
                while chunk := cursor.fetchmany(CHUNK_SIZE):
                    yield chunk
                return
            while chunk := cursor.fetchmany(CHUNK_SIZE):
                values_by_column = list(zip(*chunk, strict=True))
                row_zones: list[Zone] | None = None
                if self.zone_field:
                    row_zones = [
                        zones.get(code) or zones.setdefault(code, zone_for_code(code))
                        for code in values_by_column.pop()
                    ]
                columns = [
                    convert(list(values), row_zones) if convert else values
                    for convert, values in zip(converters, values_by_column, strict=True)
                ]
                if row_zones is not None:
                    columns.append([z.abbreviation for z in row_zones])
                yield list(zip(*columns, strict=True))

    def rows(self, user: AnyUser, scope: Scope, target: str = "csv") -> Iterator[tuple[Any, ...]]:
        for chunk in self.chunks(user, scope, target):
            yield from chunk


def _mask_nik(field: str) -> Any:
    """NIK is personal data (DOMAIN.md §11.1): only the region part and the last two digits.
    The NIK is encrypted at rest (issue 14 pt 15); its masked form is stored beside it
    (`nik_hint`), so the full number never reaches the export."""
    return Coalesce(F(f"{field}_hint"), Value(""), output_field=CharField())


def _sql_value(column: Column, kind: str, target: str) -> Any:
    """The SQL expression that exports `column`, or None to read the field as it is."""
    field = column.field
    if column.sql is not None:
        return column.sql(field)
    if column.choices is not None:
        return SqlCase(
            *(
                When(**{field: value}, then=Value(str(label)))
                for value, label in column.choices.choices
            ),
            default=Coalesce(F(field), Value("")),
            output_field=CharField(),
        )
    if kind == "bool":
        return SqlCase(
            When(**{field: True}, then=Value(_BOOL_LABELS[True])),
            When(**{field: False}, then=Value(_BOOL_LABELS[False])),
            default=Value(""),
            output_field=CharField(),
        )
    if kind == "text" and target == "csv" and column.convert is None:
        return SqlCase(
            When(In(Left(field, 1), list(FORMULA_STARTS)), then=Concat(Value("'"), F(field))),
            default=F(field),
            output_field=CharField(),
        )
    return None


# A column of a chunk, with each row's zone (None: the dataset has no zone field).
ColumnConverter = Callable[[list[Any], list[Zone] | None], list[Any]]
_BOOL_LABELS: dict[Any, str] = {True: "ya", False: "tidak"}  # 1 and 0 too (equal keys)


def _kind(model: Any, column: Column) -> str:
    """What a column holds, from the model field its path ends on (annotations are text)."""
    if column.field == "pk":
        return "int"
    field: Any = None
    for part in column.field.split("__"):
        try:
            field = model._meta.get_field(part.removesuffix("_id"))
        except FieldDoesNotExist:
            return "text"
        if field.is_relation:
            model = field.related_model
            if part.endswith("_id") or part == column.field.split("__")[-1]:
                field = field.target_field
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.UUIDField):
        return "uuid"
    if isinstance(field, models.IntegerField | models.AutoField):
        return "int"
    return "text"


def _converter(column: Column, kind: str, target: str) -> ColumnConverter | None:
    """What is left for Python, one function for a whole column of a chunk (None: the values
    from the database are right as they are)."""
    sqlite = connection.vendor == "sqlite"
    if column.convert is not None:
        convert = column.convert
        if kind == "text" and target == "csv":  # text made in Python: formula-safe here
            return lambda values, zones: [formula_safe(convert(v)) for v in values]
        return lambda values, zones: [convert(v) for v in values]
    if column.sql is not None or column.choices is not None or kind == "bool":
        return None  # computed in SQL
    if kind == "datetime":
        return _datetimes(target)
    if kind == "date" and sqlite and target == "xlsx":
        return lambda values, zones: [
            dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values
        ]
    if kind == "uuid" and sqlite:
        return lambda values, zones: [str(uuid.UUID(v)) if v else "" for v in values]
    return None


def _datetimes(target: str) -> ColumnConverter:
    """Stored UTC (SQLite: ISO text) -> local time of each row's zone (the "Zona waktu"
    column names it): ISO 8601 with that zone's offset in CSV, naive local time in XLSX
    (Excel has no time zones). Without a zone field: the server's zone, as its offset says."""
    default = timezone.get_current_timezone()

    def local(value: Any, zone: Any) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # an expression's result on SQLite: ISO text
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:  # SQLite stores UTC without an offset
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(zone)  # type: ignore[no-any-return]

    def convert(values: list[Any], zones: list[Zone] | None) -> list[Any]:
        tzs = [z.tz for z in zones] if zones is not None else [default] * len(values)
        if target == "xlsx":
            return [
                v.replace(tzinfo=None) if (v := local(raw, tz)) is not None else None
                for raw, tz in zip(values, tzs, strict=True)
            ]
        return [
            v.isoformat() if (v := local(raw, tz)) is not None else ""
            for raw, tz in zip(values, tzs, strict=True)
        ]

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
        Column(_("NIK (disamarkan)"), "nik", sql=_mask_nik),
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
    zone_field="handling_region_id",
)


def _reporter_name(value: Any) -> str:
    """The reporter's name is encrypted at rest (issue 14 pt 15): decrypted here, for the
    reporters who are not confidential only (the SELECT gives the others' placeholder)."""
    if not value or not value.startswith(PREFIX):
        return value or ""
    return decrypt(value, _REPORTER_NAME_AAD) or ""


_REPORTER_NAME_AAD = b"cases.reporter.name"


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
        Column(_("Pelapor"), "reporter_shown", convert=_reporter_name),
        Column(_("Identitas dirahasiakan"), "reporter__confidential"),
        Column(_("Wilayah kejadian"), "incident_region_id"),
    ),
    rows_for=_reports,
    zone_field="handling_region_id",
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
    zone_field="case__handling_region_id",
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
    zone_field="event__region_id",
)

DATASETS: dict[str, Dataset] = {
    d.key: d for d in (OFFICIALS, SIGNATURES, CASES, REPORTS, FOLLOW_UPS)
}


# --- writers ---------------------------------------------------------------------------


def csv_stream(headers: list[str], chunks: Iterable[list[tuple[Any, ...]]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (Excel opens it correctly), one encoded block per chunk of rows
    (csv.writer.writerows in C; the cells were converted column by column beforehand)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(h) for h in headers])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(chunk)
        yield buffer.getvalue().encode()


def xlsx_write(
    headers: list[str], chunks: Iterable[list[tuple[Any, ...]]], sheet_title: str
) -> IO[bytes]:
    """An xlsxwriter workbook (constant memory, text never a formula) into a temporary file;
    returned rewound, deleted on close."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  closed by the response
    book = xlsx_workbook(handle)
    sheet = book.add_worksheet(sheet_title[:31])
    sheet.write_row(0, 0, headers)
    row_no = 1
    for chunk in chunks:
        for row in chunk:
            sheet.write_row(row_no, 0, row)
            row_no += 1
    book.close()
    handle.seek(0)
    return handle
