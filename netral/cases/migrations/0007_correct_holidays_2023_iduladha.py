"""Correct the 2023-2026 holidays seeded by 0002 against the SKB 3 Menteri and their amendments.

Checked date by date (2023-2026) against the lists below; one date was missing and none was
wrong, so this migration only adds 2023-06-30 (cuti bersama Iduladha). Totals after it:
2023 16 libur + 11 cuti = 27; 2024 17 libur + 2 voting days + 10 cuti = 29;
2025 17 libur + 11 cuti = 28; 2026 17 libur + 8 cuti = 25.

2023: SKB Menag/Menaker/MenPAN-RB 1066/2022, 3/2022, 3/2022 (16 libur, 8 cuti), amended by
  SKB 327/2023, 1/2023, 1/2023 (cuti Idulfitri 21, 24-26 Apr moved to 19-21, 24-25 Apr) and by
  SKB 624/2023, 2/2023, 2/2023 (perubahan kedua, 16 Jun 2023: cuti bersama Iduladha 28 AND
  30 Jun; 29 Jun stays libur nasional). Keppres 16/2023 lists the same 11 cuti bersama for ASN.
  https://pon.antaranews.com/infografik/3176645/kalender-libur-nasional-dan-cuti-bersama-2023
  https://naikpangkat.com/?p=49735
  https://lensapolri.com/2023/03/29/pemerintah-resmikan-cuti-bersama-tahun-2023
  https://ntbsatu.com/2023/06/20/cuti-bersama-iduladha-diputuskan-tanggal-28-dan-30-juni-2023.html
  https://economy.okezone.com/read/2023/06/21/320/2834146/libur-idul-adha-29-juni-cuti-bersama-28-dan-30-juni-2023-resmi-ditambah-jadi-3-hari
  https://news.okezone.com:443/read/2023/06/22/337/2835225/presiden-jokowi-tandatangani-keppres-cuti-idul-adha?page=1
2024: SKB 855/2023, 3/2023, 4/2023 (17 libur, 10 cuti), changed by SKB 236/2024, 1/2024,
  2/2024 (its text was not found; the dates a page quotes from it are unchanged); Keppres 10/2024
  (14 Feb, Pemilu) and Keppres 33/2024 (27 Nov, Pilkada serentak).
  https://visual.republika.co.id/berita/s186qu349/infografis-jadwal-libur-dan-cuti-bersama-di-2024
  https://langgam.id/?p=187973
  https://faktualid.com/pendidikan/mahya/ini-skb-cuti-bersama-lebaran-dan-hingga-akhir-tahun-2024/
  https://news.okezone.com:443/read/2024/02/06/337/2966621/jokowi-tetapkan-hari-pemungutan-suara-14-februari-jadi-libur-nasional
  https://dutakabar.com/27-november-2024-hari-libur-nasional-ini-keppresnya
2025: SKB 1017/2024, 2/2024, 2/2024 (17 libur, 10 cuti), amended by SKB 933/2025, 1/2025,
  3/2025 (7 Aug 2025: cuti bersama 18 Aug).
  https://rasikapekalongan.com/cek-libur-nasional-dan-cuti-bersama-tahun-2025
  https://radarbandung.id/2024/10/15/berikut-data-fakta-libur-dan-cuti-2025
  https://fajar.co.id/2025/08/08/presiden-prabowo-resmi-tetapkan-18-agustus-sebagai-cuti-bersama-nasional/
  https://m.jpnn.com/news/pemerintah-sepakat-tetapkan-cuti-bersama-pada-18-agustus
2026: SKB 1497/2025, 2/2025, 5/2025 (19 Sep 2025; 17 libur, 8 cuti); no amendment found.
  Idulfitri 21 Mar 2026 confirmed by the isbat of 19 Mar 2026.
  https://garuda.tv/jadwal-libur-nasional-cuti-bersama-2026
  https://matamaluku.com/pemerintah-tetapkan-17-hari-libur-nasional-tahun-2026-ini-daftarnya
  https://nasional.kontan.co.id/news/long-weekend-januari-2026-nikmati-libur-3-hari-mulai-jumat-ini?page=all
  https://stg.ntvnews.id/news/0193785/pemerintah-tetapkan-idul-fitri-1447-h-jatuh-pada-sabtu-21-maret-2026

Forward adds a missing date and leaves a row already there (e.g. entered in the admin) alone;
reverse deletes only rows that still carry exactly what this migration wrote.
"""

from __future__ import annotations

import datetime as dt

from django.db import migrations

CB = "CUTI_BERSAMA"

# (date, name, kind): dates 0002 should have seeded.
ADDED = [
    ("2023-06-30", "Cuti bersama Idul Adha", CB),
]


def add_missing(apps, schema_editor):
    Holiday = apps.get_model("cases", "Holiday")
    for day, name, kind in ADDED:
        Holiday.objects.get_or_create(
            date=dt.date.fromisoformat(day), defaults={"name": name, "kind": kind}
        )


def remove_added(apps, schema_editor):
    Holiday = apps.get_model("cases", "Holiday")
    for day, name, kind in ADDED:
        Holiday.objects.filter(date=dt.date.fromisoformat(day), name=name, kind=kind).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_pelimpahan")]
    operations = [migrations.RunPython(add_missing, remove_added)]
