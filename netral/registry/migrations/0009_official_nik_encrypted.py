"""NIK encrypted at rest, with its blind index and masked form (issue 14 pt 15).

Reversible: going back decrypts every NIK into the plain column again (the keys must be
there). Rows are rewritten in batches through a raw cursor.
"""

# ruff: noqa: S608  SQL built from constants; values go through parameters.
from __future__ import annotations

from typing import Any

from django.db import migrations, models

import netral.core.encryption
from netral.core import encryption

AAD = b"registry.official.nik"
BATCH = 2000


def _batches(schema_editor: Any, where: str) -> Any:
    connection = schema_editor.connection
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, nik FROM registry_official WHERE id > %s AND nik IS NOT NULL"
                f" AND nik <> '' AND {where} ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor, rows
            last = rows[-1][0]


def encrypt_niks(apps: Any, schema_editor: Any) -> None:
    sealer = None
    for cursor, rows in _batches(schema_editor, f"nik NOT LIKE '{encryption.PREFIX}%%'"):
        sealer = sealer or encryption.Sealer()
        cursor.executemany(
            "UPDATE registry_official SET nik = %s, nik_hash = %s, nik_hint = %s WHERE id = %s",
            [
                (sealer.encrypt(nik, AAD), sealer.index(nik), encryption.mask(nik, 6, 2), pk)
                for pk, nik in rows
            ],
        )


def decrypt_niks(apps: Any, schema_editor: Any) -> None:
    for cursor, rows in _batches(schema_editor, f"nik LIKE '{encryption.PREFIX}%%'"):
        cursor.executemany(
            "UPDATE registry_official SET nik = %s WHERE id = %s",
            [(encryption.decrypt(nik, AAD), pk) for pk, nik in rows],
        )


def _alter(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


_nik_to_text = _alter("ALTER TABLE registry_official ALTER COLUMN nik TYPE text")
_nik_to_varchar = _alter("ALTER TABLE registry_official ALTER COLUMN nik TYPE varchar(16)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_merge_20261204_0649")]

    operations = [
        migrations.RemoveConstraint(model_name="official", name="official_nik_unique"),
        migrations.AddField(
            model_name="official",
            name="nik_hash",
            field=netral.core.encryption.BlindIndexField(
                editable=False, max_length=32, null=True, source="nik"
            ),
        ),
        migrations.AddField(
            model_name="official",
            name="nik_hint",
            field=netral.core.encryption.MaskField(
                blank=True,
                editable=False,
                head=6,
                max_length=16,
                null=True,
                source="nik",
                tail=2,
            ),
        ),
        # varchar(16) -> text. On SQLite the declared length is not enforced, and altering the
        # column would rebuild the table and drop its triggers (name search, tallies): the
        # state changes only. PostgreSQL changes the type in place.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="official",
                    name="nik",
                    field=netral.core.encryption.EncryptedTextField(
                        blank=True, max_length=16, null=True, verbose_name="NIK"
                    ),
                )
            ],
            database_operations=[migrations.RunPython(_nik_to_text, _nik_to_varchar)],
        ),
        migrations.RunPython(encrypt_niks, decrypt_niks, elidable=False),
        migrations.AddConstraint(
            model_name="official",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nik_hash__isnull", False)),
                fields=("nik_hash",),
                name="official_nik_unique",
            ),
        ),
    ]
