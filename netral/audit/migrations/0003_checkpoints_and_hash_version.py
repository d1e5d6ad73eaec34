"""Checkpoints (issue 14 §18) and the digest version of audit entries.

Entries written before this migration keep hash_version 1 (their digest leaves actor_label
out); new entries default to 2. On SQLite, adding the column rebuilds the table, which drops
its append-only triggers: they are recreated here. The checkpoint tables are append-only too.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

_0002 = importlib.import_module("netral.audit.migrations.0002_auditentry_append_only_triggers")

SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
    for table in ("audit_auditcheckpoint", "audit_auditcheckpointhead")
    for op in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}"
    for table in ("audit_auditcheckpoint", "audit_auditcheckpointhead")
    for op in ("UPDATE", "DELETE")
]
POSTGRES = [
    f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
       FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"""
    for table in ("audit_auditcheckpoint", "audit_auditcheckpointhead")
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}"
    for table in ("audit_auditcheckpoint", "audit_auditcheckpointhead")
]


def _forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in _0002.SQLITE:
            schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
        for sql in SQLITE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)


def _backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_auditentry_append_only_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(unique=True, verbose_name="nomor")),
                ("created_at", models.DateTimeField(verbose_name="waktu")),
                ("last_entry_id", models.BigIntegerField(verbose_name="entri terakhir")),
                ("entries", models.PositiveBigIntegerField(verbose_name="jumlah entri")),
                ("chains", models.PositiveBigIntegerField(verbose_name="jumlah rantai")),
                ("heads_digest", models.CharField(max_length=64)),
                ("prev_digest", models.CharField(max_length=64)),
                ("digest", models.CharField(max_length=64)),
                ("seal_key_id", models.CharField(max_length=16)),
                ("seal_signature", models.CharField(max_length=100)),
            ],
            options={
                "verbose_name": "titik periksa audit",
                "verbose_name_plural": "titik periksa audit",
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.CreateModel(
            name="AuditCheckpointHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain_key", models.CharField(max_length=120)),
                ("seq", models.PositiveIntegerField()),
                ("hash", models.CharField(max_length=64)),
                (
                    "checkpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="heads",
                        to="audit.auditcheckpoint",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["chain_key", "seq"], name="audit_head_chain_seq")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("checkpoint", "chain_key"), name="audit_checkpoint_head_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(_forward, _backward),
    ]
