"""Bulk import of supervised officials from CSV or XLSX (issue 3, STYLE.md §1.9).

One service for the command line (`netral import_officials FILE [--dry-run]`) and the upload
page. The file is streamed, never loaded whole:

1. parse + validate row by row (types, identifier formats of DOMAIN.md §11, region codes,
   jurisdiction) and stream the typed rows into a TEMP staging table (executemany in big
   batches on SQLite, COPY on PostgreSQL); on the command line, a forked reader process
   parses and validates while this one writes (docs/decisions/0008);
2. set-based checks over the staging table: identifiers repeated inside the file (GROUP BY),
   rows matching existing officials (joins on nip/ni_pppk/nik/nrp) and conflicting matches;
3. only when every row is valid and it is not a dry run: one transaction that creates the
   unknown agencies, keeps PositionHistory for changed officials, updates matched officials
   and inserts the new ones with INSERT ... SELECT / UPDATE ... FROM, and writes one audit
   entry for the ImportJob (not one per row).

Into an empty registry (the first import of a region or of the nation), from
DIRECT_LOAD_FROM rows, there is nothing to match: steps 1 and 3 are one transaction that
writes the valid rows straight into registry_official as they are read, with no staging
table (services/import_direct.py, docs/decisions/0009).

Every error (row number + column name, in Indonesian) is collected, written to an error CSV
and the first ones kept in memory; nothing is written to the registry unless all rows pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.core.progress import ProgressCallback, noop_progress
from netral.core.signals import bulk_written
from netral.registry.models import ImportJob, ImportStatus, Official, Region
from netral.registry.services import import_direct
from netral.registry.services.import_direct import Batch
from netral.registry.services.import_file import FileRefusedError, has_bad_bytes, open_rows
from netral.registry.services.import_format import (
    BATCH,
    COLUMNS,
    DIRECT_LOAD_FROM,
    REQUIRED_COLUMNS,
    SQLITE_CACHE_KB,
    ColumnPositions,
    ErrorCollector,
    ImportResult,
    RowContext,
    RowError,
    StageRow,
    read_header,
    row_sealer,
    row_validator,
)
from netral.registry.services.import_sql import (
    analyze_stage,
    check_duplicates,
    check_foreign_keys,
    create_stage,
    drop_stage,
    foreign_keys_checked_at_end,
    match_existing,
    merge,
    registry_has_rows,
    write_stage,
)

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportResult",
    "RowError",
    "import_job_create",
    "import_job_run",
    "import_job_start",
    "officials_import",
]

# --- the service --------------------------------------------------------------------------


def officials_import(
    *,
    file: IO[bytes],
    actor: Any = None,
    dry_run: bool = False,
    allowed_regions: set[str] | None = None,
    progress: ProgressCallback = noop_progress,
    error_dir: Path | None = None,
    audit_obj: ImportJob | None = None,
    source_name: str | None = None,
    read_in_process: bool = False,
    direct_load: bool = False,
    saving: ProgressCallback = noop_progress,
) -> ImportResult:
    """Validate a whole officials file and, if every row is valid and not `dry_run`, apply it.

    `file` is a binary file object (seekable). `allowed_regions` holds the jurisdiction roots
    of the importer (None = national). `audit_obj` (the ImportJob) gets the one audit entry
    of the import, written in the same transaction as the data; without one, a finished job
    named `source_name` is recorded in that transaction (the command line), so a failed or
    dry run leaves no row at all. `read_in_process`: parse and validate in a forked reader
    process while this one writes (the command line only; see `_batches_from_reader`).
    `progress` follows the rows read; `saving` the steps of the final transaction (the
    merge: agencies, officials, index builds, social accounts), which takes seconds too.
    `direct_load`: an empty registry may be loaded as the rows are read, in one transaction
    that holds the write lock throughout (services/import_direct.py; the command line only:
    the upload page follows `progress` through the database, where that transaction would
    hide it until the commit, and other users' writes would wait for the whole reading).
    """
    result = ImportResult(dry_run=dry_run)
    errors = ErrorCollector(error_dir)
    try:
        try:
            rows, total, clean = open_rows(file)
            rows_iter = iter(rows)
            header_raw = next(rows_iter, None)
        except FileRefusedError as refused:
            errors.add(1, "", refused.message)
            return result
        if header_raw is None:
            errors.add(1, "", _("Berkas kosong."))
            return result
        if has_bad_bytes(header_raw):
            errors.add(1, "", _("Pengodean karakter rusak: simpan berkas sebagai CSV UTF-8."))
            return result
        index = read_header(header_raw, errors)
        if index is None:
            return result
        matched = 0
        ctx = RowContext(
            region_codes=set(Region.objects.values_list("code", flat=True)), allowed=allowed_regions
        )
        data_rows = (total - 1) if total else None
        width = len(header_raw)

        def record() -> None:
            """Inside the import's transaction: the tallies, the job and its audit entry."""
            bulk_written.send(sender=Official)
            _record(result, actor, audit_obj, source_name, allowed_regions)

        def batches() -> Iterator[Batch]:
            read = _read_batches(rows_iter, index, width, ctx, errors, clean)
            if read_in_process and (data_rows is None or data_rows >= READER_PROCESS_FROM):
                return _batches_from_reader(read, ctx, errors)
            return read

        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # a fixed cap (not per row); the index builds sort with a smaller one
                # (import_sql._sorting_in_threads)
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            try:
                if (
                    direct_load
                    and not dry_run
                    and (data_rows is None or data_rows >= DIRECT_LOAD_FROM)
                    and import_direct.load_into_empty_registry(
                        cursor, batches, ctx, errors, result, progress, data_rows, saving, record
                    )
                ):
                    return result
                create_stage(cursor)
                _stage_rows(cursor, batches(), result, progress, data_rows)
                analyze_stage(cursor)
                if result.rows == 0 and not errors.count:
                    errors.add(2, "", _("Berkas tidak berisi baris data."))
                # Cross-row checks run over the valid rows even when some rows failed, so
                # one run reports every error.
                # Into an empty registry, repeated identifiers are caught by the unique
                # indexes built after the load (IntegrityError), and only then located row
                # by row; otherwise (and for dry runs) they are looked for up front.
                optimistic = not dry_run and not errors.count and not registry_has_rows(cursor)
                duplicates = set() if optimistic else check_duplicates(cursor, errors)
                matched = match_existing(cursor, errors, allowed_regions, duplicates)
                if errors.count or dry_run:
                    return result
                try:
                    with foreign_keys_checked_at_end(cursor), transaction.atomic():
                        merge(cursor, ctx, result, matched, saving)
                        check_foreign_keys(cursor, ctx.regions_used)
                        record()
                except IntegrityError:
                    if not optimistic:
                        raise
                    check_duplicates(cursor, errors)
                    if not errors.count:
                        raise
                    result.created = result.updated = result.agencies_created = 0
                    result.unchanged = 0
                    result.history_added = result.social_added = 0
                    return result
            finally:
                drop_stage(cursor)
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA cache_size = -2000")
        return result
    finally:
        errors.close()
        result.errors = errors.kept
        result.error_count = errors.count
        result.error_csv = errors.path


def _record(
    result: ImportResult,
    actor: Any,
    audit_obj: ImportJob | None,
    source_name: str | None,
    allowed: set[str] | None,
) -> None:
    """The import's one audit entry, on its job; the command line's job is recorded here."""
    if audit_obj is None and source_name is not None:
        now = timezone.now()
        audit_obj = ImportJob.objects.create(
            created_by=actor,
            original_name=source_name[:255],
            status=ImportStatus.DONE,
            processed=result.rows,
            total=result.rows,
            summary=result.summary(),
            started_at=now,
            finished_at=now,
        )
    if audit_obj is not None:
        _audit(result, actor, audit_obj, allowed)


def _read_batches(
    rows: Iterator[list[str]],
    index: dict[str, int],
    width: int,
    ctx: RowContext,
    errors: ErrorCollector,
    clean: bool,
) -> Iterator[Batch]:
    """Validate the data rows; every BATCH rows read, the valid ones typed for staging.

    Uses no database: it may run in a reader process (`_batches_from_reader`)."""
    positions = {name: index.get(name) for name in COLUMNS}
    ix = ColumnPositions(**{name: width if pos is None else pos for name, pos in positions.items()})
    padded = width + 1
    batch: list[StageRow] = []
    social: list[tuple[int, str, str]] = []
    validate = row_validator(ix, ctx, errors, social)
    pad = [""] * padded
    row_no = 1
    read = 0
    for values in rows:
        row_no += 1
        if not any(values):
            continue
        read += 1
        if len(values) > width and any(values[width:]):  # (the pad cell is added below)
            errors.add(
                row_no,
                "",
                _("Baris memiliki %(n)d kolom, seharusnya %(w)d.") % {"n": len(values), "w": width},
            )
            continue
        if not clean and has_bad_bytes(values):
            for name, position in positions.items():
                if (
                    position is not None
                    and position < len(values)
                    and has_bad_bytes([values[position]])
                ):
                    errors.add(row_no, name, _("Pengodean karakter rusak (bukan UTF-8)."))
            continue
        if len(values) < padded:
            values.extend(pad[len(values) :])
        staged = validate(row_no, values)
        if staged is not None:
            batch.append(staged)
        if read % BATCH == 0:
            yield batch, social, read
            batch, social = [], []
            validate = row_validator(ix, ctx, errors, social)
    yield batch, social, read


def _stage_rows(
    cursor: Any,
    batches: Iterator[Batch],
    result: ImportResult,
    progress: ProgressCallback,
    total: int | None,
) -> None:
    seal = row_sealer()  # the NIK leaves Python encrypted (issue 14 pt 15)
    for batch, social, read in batches:
        if batch:
            with transaction.atomic():
                write_stage(cursor, seal(batch), social)
        result.rows = read
        progress(read, total)


# Below this many lines a file is read in the importing process itself.
READER_PROCESS_FROM = 20_000


def _batches_from_reader(
    batches: Iterator[Batch], ctx: RowContext, errors: ErrorCollector
) -> Iterator[Batch]:
    """Run `batches` (parsing and validation: most of an import's CPU) in a forked process,
    so they use the second core while this process writes the previous batch to the
    staging table. The batches come back through a pipe; at the end, the agencies and
    regions the rows named and the errors (count, first ones, their file) are taken over.

    Fork, not spawn: the child needs the open file, the validation context and nothing of
    Django's set-up that is not already there, and it touches no database connection. Only
    the command line asks for it: its one other thread is tqdm's monitor, asleep and holding
    nothing the reader takes. The upload page's import runs in a thread of the web server,
    whose other threads may hold any lock at the fork (docs/decisions/0008)."""
    import marshal
    import multiprocessing
    import pickle
    import traceback

    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)

    def child() -> None:
        receiver.close()
        try:
            for batch in batches:  # marshal: tuples of str/int/None at 3x pickle's speed
                sender.send_bytes(b"B" + marshal.dumps(batch))
            errors.close()
            state = (ctx.agencies, ctx.agency_region, ctx.regions_used)
            found = (errors.count, errors.kept, errors.path)
            sender.send_bytes(b"D" + pickle.dumps((state, found)))
        except BaseException:
            sender.send_bytes(b"F" + traceback.format_exc().encode())
        finally:
            sender.close()

    process = multiprocessing.get_context("fork").Process(
        target=child, name="netral-import-reader", daemon=True
    )
    process.start()
    sender.close()
    try:
        while True:
            try:
                message = receiver.recv_bytes()
            except EOFError:
                raise RuntimeError("the import's reader process ended early") from None
            kind, body = message[:1], memoryview(message)[1:]
            if kind == b"B":
                yield marshal.loads(body)  # noqa: S302  our own child, our own pipe
            elif kind == b"D":
                state, found = pickle.loads(body)  # noqa: S301  our own child, our own pipe
                ctx.agencies, ctx.agency_region, ctx.regions_used = state
                errors.adopt(*found)
                return
            else:
                raise RuntimeError("the import's reader process failed:\n" + bytes(body).decode())
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join()


def _audit(result: ImportResult, actor: Any, audit_obj: Any, allowed: set[str] | None) -> None:
    from netral.audit.services import audit_record

    region_code = None
    if allowed is not None and len(allowed) == 1:
        region_code = next(iter(allowed))
    audit_record(
        obj=audit_obj,
        action="officials.import",
        actor=actor,
        after=result.summary(),
        region_code=region_code,
    )


# --- import jobs (the command line and the upload page) -----------------------------------


def import_job_create(
    *,
    actor: Any,
    file: IO[bytes] | None,
    original_name: str,
    dry_run: bool,
    region_code: str | None,
) -> ImportJob:
    """Record an upload. The web view stores the file; the command line passes file=None."""
    from django.core.files import File

    job = ImportJob(
        created_by=actor,
        original_name=original_name[:255],
        dry_run=dry_run,
        region_code=region_code,
    )
    if file is not None:
        job.file.save(Path(original_name).name or "impor.csv", File(file), save=False)
    job.save()
    return job


def _job_progress(job_id: int) -> ProgressCallback:
    def callback(done: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=done, total=total)

    return callback


def import_job_run(
    *,
    job: ImportJob,
    file: IO[bytes] | None = None,
    allowed_regions: set[str] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Run one job to the end, keeping its status, counts and error file up to date.

    The temporary `result.error_csv` is copied onto the job; the caller removes it."""
    from django.core.files import File

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job_progress = _job_progress(job.pk)

    def both(done: int, total: int | None) -> None:
        job_progress(done, total)
        if progress is not None:
            progress(done, total)

    handle = file if file is not None else job.file.open("rb")
    try:
        result = officials_import(
            file=handle,
            actor=job.created_by,
            dry_run=job.dry_run,
            allowed_regions=allowed_regions,
            progress=both,
            audit_obj=job,
        )
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Impor gagal karena kesalahan sistem: %(error)s") % {"error": exc},
        )
        raise
    finally:
        if file is None:
            handle.close()
    job.refresh_from_db()
    job.status = ImportStatus.DONE if result.ok else ImportStatus.FAILED
    job.summary = result.summary()
    job.processed = result.rows
    job.total = result.rows
    job.error_count = result.error_count
    job.errors = [{"row": e.row, "field": e.field, "message": e.message} for e in result.errors]
    job.finished_at = timezone.now()
    if result.error_csv is not None:
        with result.error_csv.open("rb") as fh:
            job.error_file.save(f"kesalahan-impor-{job.pk}.csv", File(fh), save=False)
    job.save()
    return result


def import_job_start(*, job: ImportJob, allowed_regions: set[str] | None) -> None:
    """Hand the upload to the background worker (netral/registry/jobs.py), in the caller's
    transaction: the job runs once the upload is committed, on whichever node's worker takes
    it, and survives a restart of the web node (docs/decisions/0010-task-engine.md; it
    replaces the thread of decision 0005)."""
    from netral.registry.jobs import officials_import_job

    background = officials_import_job.enqueue(
        key=f"officials-import:{job.pk}",
        actor=job.created_by,
        import_job_id=job.pk,
        allowed_regions=sorted(allowed_regions) if allowed_regions is not None else None,
    )
    ImportJob.objects.filter(pk=job.pk).update(job=background)
    job.job = background
