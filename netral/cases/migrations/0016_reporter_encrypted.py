"""Reporters' identity and contact data, reported persons' and witnesses' contact data
encrypted at rest (issue 14 pt 15; netral/core/encryption.py).

Reversible: going back decrypts every value into its column again (the keys must be there).
The column types change on PostgreSQL only (varchar -> text: ciphertext is longer); on SQLite
the declared length is not enforced and an altered column would rebuild the table.
"""

from django.db import migrations

import netral.core.encryption
from netral.core.encryption import reseal_migration, text_column_migration


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_evidence_online"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                text_column_migration(
                    "cases_reporter",
                    {
                        "name": "varchar(200)",
                        "birth_place": "varchar(100)",
                        "phone": "varchar(30)",
                        "email": "varchar(254)",
                    },
                ),
                text_column_migration(
                    "cases_reportedperson", {"address": "varchar(300)", "phone": "varchar(30)"}
                ),
                text_column_migration(
                    "cases_witness", {"address": "varchar(300)", "phone": "varchar(30)"}
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="reportedperson",
                    name="address",
                    field=netral.core.encryption.EncryptedTextField(
                        blank=True, max_length=300, verbose_name="alamat"
                    ),
                ),
                migrations.AlterField(
                    model_name="reportedperson",
                    name="phone",
                    field=netral.core.encryption.EncryptedTextField(
                        blank=True, max_length=30, verbose_name="nomor telepon/HP"
                    ),
                ),
                migrations.AlterField(
                    model_name="reporter",
                    name="address",
                    field=netral.core.encryption.EncryptedTextField(
                        max_length=5000, multiline=True, verbose_name="alamat"
                    ),
                ),
                migrations.AlterField(
                    model_name="reporter",
                    name="birth_place",
                    field=netral.core.encryption.EncryptedTextField(
                        blank=True, max_length=100, verbose_name="tempat lahir"
                    ),
                ),
                migrations.AlterField(
                    model_name="reporter",
                    name="email",
                    field=netral.core.encryption.EncryptedEmailField(
                        blank=True, max_length=254, verbose_name="email"
                    ),
                ),
                migrations.AlterField(
                    model_name="reporter",
                    name="name",
                    field=netral.core.encryption.EncryptedTextField(
                        max_length=200, verbose_name="nama"
                    ),
                ),
                migrations.AlterField(
                    model_name="reporter",
                    name="phone",
                    field=netral.core.encryption.EncryptedTextField(
                        max_length=30, verbose_name="nomor telepon/HP"
                    ),
                ),
                migrations.AlterField(
                    model_name="witness",
                    name="address",
                    field=netral.core.encryption.EncryptedTextField(
                        blank=True, max_length=300, verbose_name="alamat"
                    ),
                ),
                migrations.AlterField(
                    model_name="witness",
                    name="phone",
                    field=netral.core.encryption.EncryptedTextField(
                        blank=True, max_length=30, verbose_name="nomor telepon/HP"
                    ),
                ),
            ],
        ),
        reseal_migration(
            "cases_reporter",
            ["name", "birth_place", "address", "phone", "email"],
            "cases.reporter",
        ),
        reseal_migration("cases_reportedperson", ["address", "phone"], "cases.reportedperson"),
        reseal_migration("cases_witness", ["address", "phone"], "cases.witness"),
    ]
