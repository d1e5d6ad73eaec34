"""The library a Django team reaches for first, importing the same officials file: a
django-import-export 4 `ModelResource` with its fastest documented settings (bulk inserts in
batches, no diff, no lookup of existing rows, one transaction). It lives in bench/ only, to keep
Netral's lead over it in view (issue 18, point 5); Netral does not use it.

What it does not do that Netral's import does: no identifier checksums (NIP/NIK/NRP), no
agencies created, no social accounts, no region-level checks, no error file, no tallies. Its
region is looked up row by row by ForeignKeyWidget, as the library documents.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from import_export import fields, resources
from import_export.widgets import CharWidget, ForeignKeyWidget

from netral.registry.models import Official, Region
from netral.registry.text import fold


class NullableCharWidget(CharWidget):  # type: ignore[misc]
    """An empty identifier is NULL (its unique index admits many NULLs, not many "")."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return super().clean(value, row, **kwargs) or None


def _text(column: str, attribute: str, *, null: bool = False) -> fields.Field:
    widget = NullableCharWidget() if null else CharWidget(allow_blank=True)
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class OfficialResource(resources.ModelResource):  # type: ignore[misc]
    subject_type = _text("jenis", "subject_type")
    name = _text("nama", "name")
    nip = _text("nip", "nip", null=True)
    nik = _text("nik", "nik", null=True)
    nrp = _text("nrp", "nrp", null=True)
    position = _text("jabatan", "position")
    position_category = _text("kategori_jabatan", "position_category")
    email = _text("email", "email")
    phone = _text("telepon", "phone")
    region = fields.Field(
        attribute="region", column_name="kode_wilayah", widget=ForeignKeyWidget(Region, "code")
    )

    class Meta:
        model = Official
        fields = (
            "subject_type", "name", "nip", "nik", "nrp", "position", "position_category",
            "email", "phone", "region",
        )  # fmt: skip
        import_id_fields: tuple[str, ...] = ()
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        force_init_instance = True
        use_transactions = True
        report_skipped = False

    def before_save_instance(self, instance: Official, row: Any, **kwargs: Any) -> None:
        instance.name_folded = fold(instance.name)


def import_file(path: Path) -> tuple[float, int]:
    """Import `path` (CSV) through the resource; (seconds, officials created)."""
    import tablib

    start = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    result = OfficialResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - start
    assert not result.has_errors()
    return elapsed, Official.objects.count()
