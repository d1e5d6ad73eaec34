"""Seed the recipient profiles of a penerusan (DOMAIN §1.3, §6, §7) and correct two seeded
rules (issue 12 points 4 and 11). Data only; every row is editable in the admin.

- Each recipient kind gets its own subject and opening (no more "Penerusan Pelanggaran
  Peraturan Perundang-undangan Lainnya" for a crime sent to Polri).
- The SKB 2022 follow-up rule (PPK_TINDAK_LANJUT) applies to ASN recipients only (BKN, PPK and,
  historically, KASN); its basis no longer reads "pasal tidak ditemukan" (a letter never prints
  an unsourced basis).
- KASN is kept for decisions until 3 Sep 2024: SE MenPANRB 4/2024 (signed 4 Sep 2024) sends
  unprocessed documents to BKN (Perpres 91 and 92/2024; DOMAIN §1.2, §6.1).
- NOTIF_LENGKAPI counts "1 Hari setelah kajian awal" (Perbawaslu 7/2022 Ps. 22(1)): from the
  kajian awal result that asks for completion, i.e. the completion request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

C, S, U = "CONFIRMED", "SECONDARY", "UNCONFIRMED"
ASN = ["PNS", "PPPK", "CAMAT", "LURAH"]
ASN_BODY = (
    "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi {registration_number}, "
    "{unit} menyatakan terlapor berikut terbukti melanggar ketentuan netralitas Aparatur Sipil "
    "Negara dan meneruskan rekomendasi ini untuk ditindaklanjuti sesuai ketentuan disiplin dan "
    "kode etik Aparatur Sipil Negara:"
)
SKB = (
    "Keputusan Bersama MenPANRB, Mendagri, Kepala BKN, Ketua KASN dan Ketua Bawaslu Tahun 2022 "
    "tentang Pedoman Pembinaan dan Pengawasan Netralitas Pegawai ASN"
)

# recipient, subject, body, basis Pemilu, basis Pilkada, subject types, asn follow-up,
# available until, confidence, note
PROFILES: list[tuple[Any, ...]] = [
    (
        "BKN",
        "Penerusan Rekomendasi Pelanggaran Netralitas Aparatur Sipil Negara",
        ASN_BODY,
        f"UU 7/2017 Ps. 455; {SKB}; Perpres 92/2024; SE MenPANRB 4/2024",
        f"Perbawaslu 8/2020 jo. Perbawaslu 9/2024; {SKB}; Perpres 92/2024; SE MenPANRB 4/2024",
        ASN,
        True,
        None,
        C,
        "Sejak 2024 rekomendasi netralitas ASN disampaikan kepada BKN (DOMAIN §1.2, §6.1).",
    ),
    (
        "PPK",
        "Penerusan Rekomendasi Pelanggaran Netralitas Aparatur Sipil Negara",
        ASN_BODY,
        f"UU 7/2017 Ps. 455; PP 94/2021; {SKB}",
        f"Perbawaslu 8/2020 jo. Perbawaslu 9/2024; PP 94/2021; {SKB}",
        ASN,
        True,
        None,
        C,
        "Pejabat Pembina Kepegawaian menjatuhkan sanksi (PP 94/2021; DOMAIN §1.3).",
    ),
    (
        "KASN",
        "Penerusan Rekomendasi Pelanggaran Netralitas Aparatur Sipil Negara",
        ASN_BODY,
        f"UU 7/2017 Ps. 455; {SKB}",
        f"Perbawaslu 8/2020; {SKB}",
        ASN,
        True,
        dt.date(2024, 9, 3),
        C,
        "KASN dibubarkan (UU 20/2023, Perpres 91 dan 92/2024); hanya untuk putusan sebelum "
        "SE MenPANRB 4/2024 (4 Sep 2024).",
    ),
    (
        "KEMENPANRB",
        "Penyampaian Laporan Pelanggaran Netralitas Aparatur Sipil Negara",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyampaikan laporan pelanggaran netralitas Aparatur "
        "Sipil Negara yang telah diproses oleh Komisi Aparatur Sipil Negara berikut:",
        "SE MenPANRB 4/2024",
        "SE MenPANRB 4/2024",
        [],
        False,
        None,
        C,
        "Dokumen yang sudah diproses KASN dilaporkan kepada MenPANRB (DOMAIN §6.1).",
    ),
    (
        "KEMENDAGRI",
        "Penyampaian Laporan Pelanggaran Netralitas Aparatur Sipil Negara Pemerintah Daerah",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyampaikan pelanggaran netralitas berikut sebagai "
        "bahan pembinaan dan pengawasan terhadap Pejabat Pembina Kepegawaian daerah:",
        SKB,
        SKB,
        [],
        False,
        None,
        C,
        "Penandatangan SKB; membina kepala daerah selaku PPK (DOMAIN §1.2).",
    ),
    (
        "BUPATI_WALIKOTA",
        "Penerusan Rekomendasi Pelanggaran Netralitas Kepala Desa",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan kepala desa berikut terbukti melanggar "
        "larangan bagi kepala desa dan meneruskan rekomendasi ini untuk dikenai sanksi sesuai "
        "Undang-Undang tentang Desa:",
        "UU 7/2017 Ps. 280(2)(h), 282; UU 6/2014 Ps. 29-30",
        "UU 10/2016 Ps. 71; UU 6/2014 Ps. 29-30",
        ["KEPALA_DESA"],
        False,
        None,
        S,
        "Sanksi oleh Bupati/Wali Kota (UU 6/2014 Ps. 30; pembagian kewenangan SECONDARY).",
    ),
    (
        "CAMAT",
        "Penerusan Rekomendasi Pelanggaran Netralitas Kepala Desa dan Perangkat Desa",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} meneruskan rekomendasi berikut untuk pembinaan dan "
        "penerusan kepada Bupati/Wali Kota sesuai Undang-Undang tentang Desa:",
        "UU 6/2014 Ps. 29-30, 51-52",
        "UU 6/2014 Ps. 29-30, 51-52",
        ["KEPALA_DESA", "PERANGKAT_DESA"],
        False,
        None,
        S,
        "Jalur 'melalui camat' adalah praktik DPMD, bukan ketentuan undang-undang (DOMAIN §6.2).",
    ),
    (
        "KEPALA_DESA",
        "Penerusan Rekomendasi Pelanggaran Netralitas Perangkat Desa",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan perangkat desa berikut terbukti melanggar "
        "larangan bagi perangkat desa dan meneruskan rekomendasi ini untuk ditindaklanjuti:",
        "UU 7/2017 Ps. 280(2)(i); UU 6/2014 Ps. 51-52",
        "UU 10/2016 Ps. 70(1); UU 6/2014 Ps. 51-52",
        ["PERANGKAT_DESA"],
        False,
        None,
        U,
        "Kewenangan menjatuhkan sanksi kepada perangkat desa belum terkonfirmasi di tingkat "
        "nasional (DOMAIN §1.3, §14 butir 7); sesuaikan dengan Perda setempat.",
    ),
    (
        "PANGLIMA_TNI",
        "Penerusan Rekomendasi Pelanggaran Netralitas Prajurit TNI",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan prajurit TNI berikut terbukti melanggar "
        "kewajiban netralitas dan meneruskan rekomendasi ini kepada atasan yang berhak menghukum:",
        "UU 7/2017 Ps. 280(2)(g); UU 34/2004 Ps. 39",
        "UU 10/2016 Ps. 70(1); UU 34/2004 Ps. 39",
        ["TNI"],
        False,
        None,
        U,
        "Pejabat yang menjatuhkan sanksi kepada prajurit TNI belum terkonfirmasi (DOMAIN §1.3).",
    ),
    (
        "KAPOLRI_PROPAM",
        "Penerusan Rekomendasi Pelanggaran Netralitas Anggota Polri",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan anggota Polri berikut terbukti melanggar "
        "kewajiban netralitas dan meneruskan rekomendasi ini kepada Divisi Profesi dan "
        "Pengamanan Polri:",
        "UU 7/2017 Ps. 280(2)(g); UU 2/2002 Ps. 28; Perpol 7/2022",
        "UU 10/2016 Ps. 70(1); UU 2/2002 Ps. 28; Perpol 7/2022",
        ["POLRI"],
        False,
        None,
        S,
        "Propam menjatuhkan sanksi disiplin dan kode etik (DOMAIN §1.3, SECONDARY).",
    ),
    (
        "SENTRA_GAKKUMDU",
        "Penerusan Dugaan Tindak Pidana {election}",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number} dan pembahasan bersama Sentra Penegakan Hukum Terpadu, {unit} "
        "menyatakan perbuatan terlapor berikut merupakan dugaan tindak pidana {election} dan "
        "meneruskannya kepada Kepolisian melalui Sentra Gakkumdu untuk dilakukan penyidikan:",
        "UU 7/2017 Ps. 476(1),(2)",
        "UU 1/2015 jo. UU 10/2016 (Sentra Gakkumdu Pemilihan)",
        [],
        False,
        None,
        C,
        "Diteruskan kepada Polri paling lama 1 x 24 jam (DOMAIN §1.2, §7).",
    ),
    (
        "POLRI_PENYIDIK",
        "Penerusan Dugaan Tindak Pidana {election} kepada Penyidik",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan perbuatan terlapor berikut merupakan dugaan "
        "tindak pidana {election} dan meneruskannya kepada Penyidik Kepolisian Negara Republik "
        "Indonesia untuk dilakukan penyidikan:",
        "UU 7/2017 Ps. 476(1)",
        "UU 1/2015 jo. UU 10/2016",
        [],
        False,
        None,
        C,
        "Paling lama 1 x 24 jam sejak dinyatakan tindak pidana (DOMAIN §5.7 PIDANA_TO_POLRI).",
    ),
    (
        "DKPP",
        "Penerusan Dugaan Pelanggaran Kode Etik Penyelenggara {election}",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan terdapat dugaan pelanggaran kode etik "
        "penyelenggara {election} oleh terlapor berikut dan meneruskannya kepada Dewan "
        "Kehormatan Penyelenggara Pemilu untuk diperiksa dan diputus:",
        "UU 7/2017 Ps. 455(1)(a)",
        "",
        [],
        False,
        None,
        C,
        "Dasar untuk Pilkada belum dicatat di DOMAIN: surat tidak mencetak dasar yang belum "
        "bersumber; isi bila sudah diketahui.",
    ),
    (
        "KPU",
        "Penerusan Pelanggaran Administratif {election}",
        "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
        "{registration_number}, {unit} menyatakan terdapat pelanggaran administratif {election} "
        "berikut dan meneruskannya kepada Komisi Pemilihan Umum untuk ditindaklanjuti:",
        "UU 7/2017 Ps. 461",
        "",
        [],
        False,
        None,
        C,
        "Dasar untuk Pilkada belum dicatat di DOMAIN: isi bila sudah diketahui.",
    ),
]


def seed(apps: Any, schema_editor: Any) -> None:
    profile = apps.get_model("cases", "RecipientProfile")
    for row in PROFILES:
        (code, subject, body, pemilu, pilkada, types, asn, until, confidence, note) = row
        profile.objects.update_or_create(
            recipient=code,
            defaults={
                "letter_subject": subject,
                "letter_body": body,
                "legal_basis_pemilu": pemilu,
                "legal_basis_pilkada": pilkada,
                "subject_types": types,
                "asn_follow_up": asn,
                "available_until": until,
                "confidence": confidence,
                "note": note,
            },
        )
    rule = apps.get_model("cases", "DeadlineRule")
    rule.objects.filter(step="PPK_TINDAK_LANJUT", legal_basis__contains="tidak ditemukan").update(
        legal_basis=f"{SKB} (lama waktu belum bersumber; praktik 2020: 10 hari)"
    )
    rule.objects.filter(step="NOTIF_LENGKAPI", anchor="KAJIAN_AWAL_AT").update(
        anchor="COMPLETION_REQUESTED_AT"
    )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "RecipientProfile").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_recipient_profile_completion_notice")]
    operations = [migrations.RunPython(seed, unseed)]
