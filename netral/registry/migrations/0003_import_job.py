import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_officials"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "region_code",
                    models.CharField(blank=True, max_length=13, null=True, verbose_name="wilayah"),
                ),
                ("file", models.FileField(upload_to="imports/%Y/%m/", verbose_name="berkas")),
                ("original_name", models.CharField(max_length=255, verbose_name="nama berkas")),
                ("dry_run", models.BooleanField(default=False, verbose_name="hanya validasi")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("PENDING", "Menunggu"),
                            ("RUNNING", "Sedang diproses"),
                            ("DONE", "Selesai"),
                            ("FAILED", "Gagal"),
                        ],
                        default="PENDING",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("phase", models.CharField(blank=True, max_length=40, verbose_name="tahap")),
                (
                    "processed",
                    models.PositiveIntegerField(default=0, verbose_name="baris diproses"),
                ),
                (
                    "total",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="jumlah baris"),
                ),
                ("summary", models.JSONField(blank=True, default=dict, verbose_name="ringkasan")),
                (
                    "error_count",
                    models.PositiveIntegerField(default=0, verbose_name="jumlah kesalahan"),
                ),
                (
                    "errors",
                    models.JSONField(blank=True, default=list, verbose_name="kesalahan (awal)"),
                ),
                (
                    "error_file",
                    models.FileField(
                        blank=True,
                        upload_to="imports/errors/%Y/%m/",
                        verbose_name="berkas kesalahan",
                    ),
                ),
                ("message", models.TextField(blank=True, verbose_name="pesan")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "impor pejabat",
                "verbose_name_plural": "impor pejabat",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AlterField(
            model_name="official",
            name="ni_pppk",
            field=models.CharField(blank=True, max_length=18, null=True, verbose_name="NI PPPK"),
        ),
        migrations.AlterField(
            model_name="official",
            name="nik",
            field=models.CharField(blank=True, max_length=16, null=True, verbose_name="NIK"),
        ),
        migrations.AlterField(
            model_name="official",
            name="nip",
            field=models.CharField(blank=True, max_length=18, null=True, verbose_name="NIP"),
        ),
        migrations.AlterField(
            model_name="official",
            name="nrp",
            field=models.CharField(blank=True, max_length=30, null=True, verbose_name="NRP"),
        ),
        migrations.AlterField(
            model_name="official",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.region",
                verbose_name="wilayah tugas",
            ),
        ),
        migrations.AddConstraint(
            model_name="official",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nip__isnull", False)),
                fields=("nip",),
                name="official_nip_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="official",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ni_pppk__isnull", False)),
                fields=("ni_pppk",),
                name="official_ni_pppk_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="official",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nik__isnull", False)),
                fields=("nik",),
                name="official_nik_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="official",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nrp__isnull", False)),
                fields=("nrp",),
                name="official_nrp_unique",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="diunggah oleh",
            ),
        ),
    ]
