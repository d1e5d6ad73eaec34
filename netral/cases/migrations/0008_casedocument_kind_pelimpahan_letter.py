# Surat pelimpahan (T9) as a kind of generated case document.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_correct_holidays_2023_iduladha"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casedocument",
            name="kind",
            field=models.CharField(
                choices=[
                    ("RECEIPT", "Tanda terima laporan"),
                    ("REPORT_FORM", "Formulir laporan"),
                    ("INVITATION", "Undangan klarifikasi"),
                    ("FORWARDING_LETTER", "Surat penerusan/rekomendasi"),
                    ("STATUS_NOTICE", "Pemberitahuan status laporan"),
                    ("PELIMPAHAN_LETTER", "Surat pelimpahan"),
                ],
                max_length=20,
                verbose_name="jenis dokumen",
            ),
        ),
    ]
