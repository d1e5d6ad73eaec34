"""The library of standard pledge texts (DOMAIN.md §9: the 4-point Ikrar Netralitas ASN
[S89][S90], a peaceful-election pledge of organisers and stakeholders, a Pilkada variant
after the Kotawaringin Barat ikrar [S87][S134]). Regions copy them to edit (a copy is a new
text; signed versions never change). Data migration: no app imports (STYLE.md §1.13)."""

from __future__ import annotations

import uuid

from django.db import migrations

STANDARD_TEXTS = [
    {
        "slug": "ikrar-netralitas-asn-desa",
        "family": "6c1b7a52-3f0e-4d59-9a51-4f8f0d1a0001",
        "kind": "IKRAR_NETRALITAS",
        "title": "Ikrar Netralitas Aparatur Sipil Negara dan Perangkat Desa",
        "preamble": "Kami yang bertanda tangan di bawah ini, Aparatur Sipil Negara, kepala desa dan perangkat desa, dengan ini berikrar:",
        "points": [
            "Menjaga dan menegakkan prinsip netralitas sebelum, selama dan sesudah penyelenggaraan pemilihan.",
            "Menghindari konflik kepentingan, tidak melakukan intimidasi dan ancaman, serta tidak berpihak kepada peserta pemilihan mana pun.",
            "Menggunakan media sosial secara bijak, tidak untuk kepentingan peserta pemilihan, serta tidak menyebarkan ujaran kebencian dan berita bohong (hoaks).",
            "Menolak politik uang dan segala jenis pemberian dalam bentuk apa pun.",
        ],
        "closing": "Demikian ikrar ini kami buat dengan sesungguhnya dan penuh tanggung jawab.",
        "regime": "",
        "subject_types": [
            "PNS",
            "PPPK",
            "CAMAT",
            "LURAH",
            "KEPALA_DESA",
            "PERANGKAT_DESA",
            "ANGGOTA_BPD",
        ],
    },
    {
        "slug": "deklarasi-pemilu-damai",
        "family": "6c1b7a52-3f0e-4d59-9a51-4f8f0d1a0002",
        "kind": "DEKLARASI_NETRALITAS",
        "title": "Deklarasi Pemilihan Damai Penyelenggara dan Pemangku Kepentingan",
        "preamble": "Kami, penyelenggara pemilihan, pemerintah daerah, aparat keamanan dan pemangku kepentingan, dengan ini menyatakan:",
        "points": [
            "Mewujudkan pemilihan yang damai, jujur, adil, langsung, umum, bebas dan rahasia.",
            "Menjaga persatuan dan kesatuan serta menolak segala bentuk provokasi, intimidasi dan kekerasan.",
            "Menolak politisasi suku, agama, ras dan antargolongan (SARA), ujaran kebencian dan berita bohong.",
            "Menolak dan melawan politik uang dalam setiap tahapan pemilihan.",
            "Menjaga netralitas Aparatur Sipil Negara, TNI, Polri, kepala desa dan perangkat desa.",
            "Menghormati dan menerima hasil pemilihan serta menyelesaikan sengketa melalui jalur hukum.",
        ],
        "closing": "Demikian deklarasi ini kami buat untuk dilaksanakan dengan penuh tanggung jawab.",
        "regime": "",
        "subject_types": [],
    },
    {
        "slug": "ikrar-netralitas-pilkada",
        "family": "6c1b7a52-3f0e-4d59-9a51-4f8f0d1a0003",
        "kind": "PAKTA_INTEGRITAS",
        "title": "Pakta Integritas Netralitas dalam Pemilihan Kepala Daerah",
        "preamble": "Saya yang bertanda tangan di bawah ini dengan ini menyatakan:",
        "points": [
            "Tidak membuat keputusan dan/atau tindakan yang menguntungkan atau merugikan pasangan calon, sebelum, selama dan sesudah Pilkada.",
            "Tidak terlibat dalam kegiatan kampanye pasangan calon mana pun.",
            "Menghindari konflik kepentingan, tidak melakukan intimidasi dan ancaman.",
            "Menolak politik uang dan segala jenis pemberian dalam bentuk apa pun.",
            "Tidak memberikan dukungan kepada pasangan calon melalui media sosial.",
        ],
        "closing": "Apabila saya melanggar pakta integritas ini, saya bersedia dikenai sanksi sesuai ketentuan peraturan perundang-undangan.",
        "regime": "PILKADA",
        "subject_types": [
            "PNS",
            "PPPK",
            "CAMAT",
            "LURAH",
            "KEPALA_DESA",
            "PERANGKAT_DESA",
            "ANGGOTA_BPD",
            "TNI",
            "POLRI",
        ],
    },
]


def load(apps, schema_editor):
    PledgeTemplate = apps.get_model("declarations", "PledgeTemplate")
    for text in STANDARD_TEXTS:
        fields = dict(text)
        family = uuid.UUID(fields.pop("family"))
        PledgeTemplate.objects.get_or_create(
            family=family,
            version=1,
            defaults={**fields, "is_standard": True, "region": None},
        )


class Migration(migrations.Migration):
    dependencies = [("declarations", "0001_events_pledges_signatures")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
