"""Reading an officials file as a stream of rows; the format is decided by content."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

MAGIC_NOT_TABULAR = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"MZ",
    b"\x7fELF",
)

# --- reading CSV and XLSX as a stream of rows -------------------------------------------


class FileRefusedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _count_lines(fh: IO[bytes]) -> tuple[int, bool]:
    """The number of lines, and whether the whole file is valid UTF-8 (one pass)."""
    lines = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    clean = True
    while chunk := fh.read(1 << 20):
        lines += chunk.count(b"\n")
        if clean:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                clean = False
    if clean:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            clean = False
    fh.seek(0)
    return lines, clean


def _csv_rows(fh: IO[bytes], head: bytes) -> Iterator[list[str]]:
    first_line = head.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    # surrogateescape keeps undecodable bytes as lone surrogates, so a broken row can be
    # reported with its row and column instead of aborting the whole file.
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
    return split_csv(text, delimiter)


def split_csv(lines: Iterator[str], delimiter: str) -> Iterator[list[str]]:
    """The rows of `csv.reader(lines, delimiter=delimiter)`, faster.

    A line with no quote (nearly every line of an export) is split with `str.split`; a line
    with one goes to `csv.reader`, which reads on through the same lines as far as the record
    runs (a quoted field may hold line breaks) and leaves the rest. Parsing a million rows took
    about 2.5 s of CPU with `csv.reader` alone, a fifth of reading and validating them
    (docs/benchmarks.md). Lines with NUL also go to `csv.reader`, which refuses them."""
    pending: list[str] = []

    def source() -> Iterator[str]:
        while True:
            if pending:
                yield pending.pop()
            else:
                line = next(lines, None)
                if line is None:
                    return
                yield line

    feed = source()
    records = csv.reader(feed, delimiter=delimiter)
    for line in lines:
        if '"' in line or "\x00" in line:
            pending.append(line)
            yield next(records)
        else:
            line = line.rstrip("\r\n")
            yield line.split(delimiter) if line else []


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Up to this size an XLSX file is read by python-calamine (Rust): 15x faster than openpyxl but
# it holds the sheet in memory (about 12 MB of RAM per MB of XLSX, measured). Larger files are
# streamed by openpyxl in read-only mode, so memory stays flat for a national-scale sheet.
XLSX_IN_MEMORY_MAX_BYTES = 10 * 1024 * 1024


def _xlsx_rows_calamine(fh: IO[bytes]) -> tuple[Iterator[list[str]], int | None]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise FileRefusedError(_("Berkas bukan CSV atau XLSX yang sah.")) from exc

    def rows() -> Iterator[list[str]]:
        for values in sheet.iter_rows():
            yield [_cell(v) for v in values]

    return rows(), sheet.height or None


def _xlsx_rows(fh: IO[bytes]) -> tuple[Iterator[list[str]], int | None]:
    """The first sheet, streamed (openpyxl read-only mode), and its row count if declared."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    if size <= XLSX_IN_MEMORY_MAX_BYTES:
        return _xlsx_rows_calamine(fh)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fh, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise FileRefusedError(_("Berkas bukan CSV atau XLSX yang sah.")) from exc

    def rows() -> Iterator[list[str]]:
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [_cell(v) for v in values]
        finally:
            workbook.close()

    max_row = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
    return rows(), max_row


def open_rows(fh: IO[bytes]) -> tuple[Iterator[list[str]], int | None, bool]:
    """Detect the format by content (magic bytes), never by the file name.

    Returns the rows, the number of lines if known, and whether every cell is known to be
    valid text (a CSV file that decodes as UTF-8): then no row needs `has_bad_bytes`."""
    head = fh.read(65536)
    fh.seek(0)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRefusedError(_("Berkas kosong."))
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fh) as archive:
                is_xlsx = "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile as exc:
            raise FileRefusedError(_("Berkas bukan CSV atau XLSX yang sah.")) from exc
        fh.seek(0)
        if not is_xlsx:
            raise FileRefusedError(_("Berkas ZIP ini bukan XLSX."))
        return (*_xlsx_rows(fh), False)
    if head.startswith(MAGIC_NOT_TABULAR) or b"\x00" in head:
        raise FileRefusedError(_("Berkas bukan CSV atau XLSX."))
    total, clean = _count_lines(fh)
    return _csv_rows(fh, head), total, clean


def has_bad_bytes(values: list[str]) -> bool:
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
