"""A social account's official has no index of its own: the unique constraint's index
(official, platform, handle) leads with it and serves every lookup and cascade by official, so
the single-column index only cost a write per account (a scratch copy of 1,000,000 accounts:
2.47 s with it, 1.90 s without; docs/benchmarks.md Session 19).

The index is dropped by name, the same on SQLite and PostgreSQL (Django's name for it), so
neither database rebuilds the table or checks the foreign key again (AlterField would: a copy
of the table on SQLite, a new validation of every account on PostgreSQL)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "registry_socialaccount_official_id_af9d03f3"


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_official_nik_encrypted"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "registry_socialaccount" ("official_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="socialaccount",
                    name="official",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="social_accounts",
                        to="registry.official",
                    ),
                ),
            ],
        ),
    ]
