"""Enumerations of case handling, with the legal terms of DOMAIN.md as stored codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    """AsalPerkara, DOMAIN.md §5.1."""

    LAPORAN = "LAPORAN", _("Laporan")
    TEMUAN = "TEMUAN", _("Temuan")
    INFORMASI_AWAL = "INFORMASI_AWAL", _("Informasi awal")


class Status(models.TextChoices):
    """StatusPerkara, DOMAIN.md §8.1 (exactly)."""

    DRAFT_PUBLIK = "DRAFT_PUBLIK", _("Draf laporan publik")
    INFORMASI_AWAL = "INFORMASI_AWAL", _("Informasi awal")
    PENELUSURAN = "PENELUSURAN", _("Penelusuran")
    HASIL_PENGAWASAN = "HASIL_PENGAWASAN", _("Hasil pengawasan")
    DITERIMA = "DITERIMA", _("Diterima")
    KAJIAN_AWAL = "KAJIAN_AWAL", _("Kajian awal")
    MENUNGGU_KELENGKAPAN = "MENUNGGU_KELENGKAPAN", _("Menunggu kelengkapan")
    DILIMPAHKAN = "DILIMPAHKAN", _("Dilimpahkan")
    TIDAK_DIREGISTRASI = "TIDAK_DIREGISTRASI", _("Tidak diregistrasi")
    DICABUT = "DICABUT", _("Dicabut")
    TEMUAN_DITETAPKAN = "TEMUAN_DITETAPKAN", _("Temuan ditetapkan")
    DIREGISTRASI = "DIREGISTRASI", _("Diregistrasi")
    KLARIFIKASI = "KLARIFIKASI", _("Klarifikasi")
    KAJIAN = "KAJIAN", _("Kajian")
    PERPANJANGAN = "PERPANJANGAN", _("Perpanjangan")
    GAKKUMDU_PEMBAHASAN = "GAKKUMDU_PEMBAHASAN", _("Pembahasan Sentra Gakkumdu")
    DIPUTUS = "DIPUTUS", _("Diputus")
    DITERUSKAN = "DITERUSKAN", _("Diteruskan")
    DIHENTIKAN = "DIHENTIKAN", _("Dihentikan")
    PEMANTAUAN_TINDAK_LANJUT = "PEMANTAUAN_TINDAK_LANJUT", _("Pemantauan tindak lanjut")
    SELESAI = "SELESAI", _("Selesai")
    ARSIP = "ARSIP", _("Arsip")


# Closed: no deadline runs and the partial due_at index skips them.
CLOSED_STATUSES = frozenset(
    {
        Status.TIDAK_DIREGISTRASI,
        Status.DICABUT,
        Status.DILIMPAHKAN,
        Status.DIHENTIKAN,
        Status.SELESAI,
        Status.ARSIP,
    }
)
# Before registration: the reporter may still withdraw (Perbawaslu 7/2022 Ps. 14(1)).
PRE_REGISTRATION = frozenset({Status.DITERIMA, Status.KAJIAN_AWAL, Status.MENUNGGU_KELENGKAPAN})


class Channel(models.TextChoices):
    KANTOR = "KANTOR", _("Datang ke kantor pengawas")
    DARING = "DARING", _("Formulir daring Netral")
    SIGAPLAPOR = "SIGAPLAPOR", _("SigapLapor")
    PKD_FORWARD = "PKD_FORWARD", _("Diteruskan oleh PKD")
    PENGAWASAN = "PENGAWASAN", _("Hasil pengawasan sendiri")


class ReporterKind(models.TextChoices):
    """JenisPelapor, DOMAIN.md §1.5."""

    WNI_HAK_PILIH = "WNI_HAK_PILIH", _("WNI yang mempunyai hak pilih")
    PESERTA = "PESERTA", _("Peserta Pemilu/Pemilihan")
    PEMANTAU = "PEMANTAU", _("Pemantau Pemilu/Pemilihan")


class Gender(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class FormalRequirement(models.TextChoices):
    """SYARAT_FORMAL, Perbawaslu 7/2022 Ps. 15(3) (DOMAIN.md §5.4)."""

    IDENTITAS_PELAPOR = "IDENTITAS_PELAPOR", _("Identitas pelapor (dengan kartu identitas)")
    NAMA_ALAMAT_PELAPOR_DAN_TERLAPOR = (
        "NAMA_ALAMAT_PELAPOR_DAN_TERLAPOR",
        _("Nama dan alamat pelapor dan terlapor"),
    )
    DALAM_BATAS_WAKTU = "DALAM_BATAS_WAKTU", _("Disampaikan dalam batas waktu")


class MaterialRequirement(models.TextChoices):
    """SYARAT_MATERIIL, Perbawaslu 7/2022 Ps. 15(4) (DOMAIN.md §5.4)."""

    WAKTU_DAN_TEMPAT_KEJADIAN = "WAKTU_DAN_TEMPAT_KEJADIAN", _("Waktu dan tempat kejadian")
    URAIAN_KEJADIAN = "URAIAN_KEJADIAN", _("Uraian kejadian")
    BUKTI = "BUKTI", _("Bukti")


class InitialAssessment(models.TextChoices):
    """HasilKajianAwal, Perbawaslu 7/2022 Ps. 16(1)(a) ff. (DOMAIN.md §5.5)."""

    ADM = "ADM", _("Memenuhi syarat: dugaan pelanggaran administratif")
    ADM_TSM = "ADM_TSM", _("Memenuhi syarat: dugaan pelanggaran administratif TSM")
    PIDANA = "PIDANA", _("Memenuhi syarat: dugaan tindak pidana")
    KODE_ETIK = "KODE_ETIK", _("Memenuhi syarat: dugaan pelanggaran kode etik")
    PERUU_LAIN = (
        "PERUU_LAIN",
        _("Memenuhi syarat: dugaan pelanggaran peraturan perundang-undangan lainnya"),
    )
    LENGKAPI = "LENGKAPI", _("Perlu dilengkapi")
    TMS = "TMS", _("Tidak memenuhi syarat")
    LIMPAH = "LIMPAH", _("Bukan kewenangan: dilimpahkan")


REGISTRABLE_ASSESSMENTS = frozenset(
    {
        InitialAssessment.ADM,
        InitialAssessment.ADM_TSM,
        InitialAssessment.PIDANA,
        InitialAssessment.KODE_ETIK,
        InitialAssessment.PERUU_LAIN,
    }
)


class ViolationType(models.TextChoices):
    """JenisPelanggaran, DOMAIN.md §7."""

    ADMINISTRATIF = "ADMINISTRATIF", _("Pelanggaran administratif")
    ADMINISTRATIF_TSM = "ADMINISTRATIF_TSM", _("Pelanggaran administratif TSM")
    PIDANA = "PIDANA", _("Tindak pidana Pemilu/Pemilihan")
    KODE_ETIK_PENYELENGGARA = "KODE_ETIK_PENYELENGGARA", _("Pelanggaran kode etik penyelenggara")
    PERUU_LAINNYA = "PERUU_LAINNYA", _("Pelanggaran peraturan perundang-undangan lainnya")
    BUKAN_PELANGGARAN = "BUKAN_PELANGGARAN", _("Bukan pelanggaran")


class SkbCode(models.TextChoices):
    """SKB 2022 Lampiran II (DOMAIN.md §3)."""

    KE01 = "KE01", _("KE01 Memasang spanduk/baliho bakal calon")
    KE02 = "KE02", _("KE02 Sosialisasi/kampanye media sosial bakal calon")
    KE03 = "KE03", _("KE03 Menghadiri deklarasi/kampanye bakal calon dan mendukung aktif")
    KE04 = "KE04", _("KE04 Posting/comment/share/like akun pemenangan bakal calon")
    KE05 = "KE05", _("KE05 Foto bersama bakal calon/tim sukses dengan simbol keberpihakan")
    KE06 = "KE06", _("KE06 Ikut kegiatan kampanye/sosialisasi bakal calon/parpol")
    KE07 = "KE07", _("KE07 Deklarasi/kampanye suami/istri calon tanpa CLTN")
    DS01 = "DS01", _("DS01 Memasang spanduk/baliho calon")
    DS02 = "DS02", _("DS02 Sosialisasi/kampanye media sosial calon")
    DS03 = "DS03", _("DS03 Pendekatan ke parpol/masyarakat sebagai bakal calon tanpa CLTN")
    DS04 = "DS04", _("DS04 Menghadiri deklarasi/kampanye dan mendukung calon")
    DS05 = "DS05", _("DS05 Menjadi anggota/pengurus partai politik")
    DS06 = "DS06", _("DS06 Posting/comment/share/like akun pemenangan calon")
    DS07 = "DS07", _("DS07 Foto bersama calon dengan simbol keberpihakan")
    DS08 = "DS08", _("DS08 Kegiatan yang mengarah keberpihakan (termasuk pemberian barang)")
    DS09 = "DS09", _("DS09 Tim ahli/pemenangan bakal calon sebelum penetapan")
    DS10 = "DS10", _("DS10 Tim ahli/pemenangan calon setelah penetapan")
    DS11 = "DS11", _("DS11 Dukungan kepada bakal calon perseorangan (KTP)")
    DS12 = "DS12", _("DS12 Keputusan/tindakan yang menguntungkan/merugikan calon")
    DS13 = "DS13", _("DS13 Bentuk pelanggaran lain di luar matriks")


class TargetStatus(models.TextChoices):
    BAKAL_CALON = "BAKAL_CALON", _("Bakal calon")
    CALON = "CALON", _("Calon")


class PersonFinding(models.TextChoices):
    """Status per terlapor (DOMAIN.md §8.2 invariants: each terlapor gets its own finding)."""

    BELUM_DIPUTUS = "BELUM_DIPUTUS", _("Belum diputus")
    TERBUKTI = "TERBUKTI", _("Terbukti")
    TIDAK_TERBUKTI = "TIDAK_TERBUKTI", _("Tidak terbukti / bukan pelanggaran")


class Recipient(models.TextChoices):
    """PenerimaRekomendasi, DOMAIN.md §6.1."""

    KASN = "KASN", _("KASN (historis)")
    BKN = "BKN", _("Badan Kepegawaian Negara")
    PPK = "PPK", _("Pejabat Pembina Kepegawaian")
    KEMENPANRB = "KEMENPANRB", _("Kementerian PANRB")
    KEMENDAGRI = "KEMENDAGRI", _("Kementerian Dalam Negeri")
    BUPATI_WALIKOTA = "BUPATI_WALIKOTA", _("Bupati/Wali Kota")
    CAMAT = "CAMAT", _("Camat")
    KEPALA_DESA = "KEPALA_DESA", _("Kepala desa")
    PANGLIMA_TNI = "PANGLIMA_TNI", _("Panglima TNI")
    KAPOLRI_PROPAM = "KAPOLRI_PROPAM", _("Kapolri (Propam)")
    SENTRA_GAKKUMDU = "SENTRA_GAKKUMDU", _("Sentra Gakkumdu")
    POLRI_PENYIDIK = "POLRI_PENYIDIK", _("Penyidik Polri")
    DKPP = "DKPP", _("DKPP")
    KPU = "KPU", _("KPU")


class FollowUp(models.TextChoices):
    """StatusTindakLanjut, DOMAIN.md §6.3."""

    BELUM_DITERUSKAN = "BELUM_DITERUSKAN", _("Belum diteruskan")
    DITERUSKAN = "DITERUSKAN", _("Diteruskan")
    DITERIMA_INSTANSI = "DITERIMA_INSTANSI", _("Diterima instansi")
    DIPROSES_INSTANSI = "DIPROSES_INSTANSI", _("Diproses instansi")
    SANKSI_DIJATUHKAN = "SANKSI_DIJATUHKAN", _("Sanksi dijatuhkan")
    TIDAK_TERBUKTI_INSTANSI = "TIDAK_TERBUKTI_INSTANSI", _("Tidak terbukti menurut instansi")
    DITOLAK_DIBATALKAN = "DITOLAK_DIBATALKAN", _("Ditolak/dibatalkan")
    SUBJEK_SUDAH_BERHENTI = "SUBJEK_SUDAH_BERHENTI", _("Subjek sudah berhenti")
    TIDAK_DITINDAKLANJUTI = "TIDAK_DITINDAKLANJUTI", _("Tidak ditindaklanjuti")
    DATA_DIBLOKIR = "DATA_DIBLOKIR", _("Data kepegawaian diblokir")
    BLOKIR_DIBUKA = "BLOKIR_DIBUKA", _("Blokir dibuka")


# A recommendation in one of these states needs nothing more (T23 condition).
FOLLOW_UP_TERMINAL = frozenset(
    {
        FollowUp.SANKSI_DIJATUHKAN,
        FollowUp.TIDAK_TERBUKTI_INSTANSI,
        FollowUp.DITOLAK_DIBATALKAN,
        FollowUp.SUBJEK_SUDAH_BERHENTI,
        FollowUp.BLOKIR_DIBUKA,
    }
)


class SanctionLevel(models.TextChoices):
    RINGAN = "RINGAN", _("Ringan")
    SEDANG = "SEDANG", _("Sedang")
    BERAT = "BERAT", _("Berat")
    MORAL = "MORAL", _("Sanksi moral")
    PIDANA = "PIDANA", _("Pidana")


class SanctionType(models.TextChoices):
    """DOMAIN.md §4: PP 94/2021 Ps. 8, PP 42/2004 Ps. 15, PPPK (SECONDARY), UU 6/2014, pidana."""

    # PNS, PP 94/2021 Ps. 8
    TEGURAN_LISAN = "TEGURAN_LISAN", _("Teguran lisan")
    TEGURAN_TERTULIS = "TEGURAN_TERTULIS", _("Teguran tertulis")
    PERNYATAAN_TIDAK_PUAS = "PERNYATAAN_TIDAK_PUAS", _("Pernyataan tidak puas secara tertulis")
    POTONG_TUKIN_25_6BLN = "POTONG_TUKIN_25_6BLN", _("Pemotongan tunjangan kinerja 25% 6 bulan")
    POTONG_TUKIN_25_9BLN = "POTONG_TUKIN_25_9BLN", _("Pemotongan tunjangan kinerja 25% 9 bulan")
    POTONG_TUKIN_25_12BLN = "POTONG_TUKIN_25_12BLN", _("Pemotongan tunjangan kinerja 25% 12 bulan")
    TURUN_JABATAN_12BLN = (
        "TURUN_JABATAN_12BLN",
        _("Penurunan jabatan setingkat lebih rendah 12 bulan"),
    )
    BEBAS_JABATAN_PELAKSANA_12BLN = (
        "BEBAS_JABATAN_PELAKSANA_12BLN",
        _("Pembebasan dari jabatan menjadi jabatan pelaksana 12 bulan"),
    )
    PDHTAPS = "PDHTAPS", _("Pemberhentian dengan hormat tidak atas permintaan sendiri")
    PTDH = "PTDH", _("Pemberhentian tidak dengan hormat")
    # Sanksi moral, PP 42/2004 Ps. 15
    PERNYATAAN_TERTUTUP = "PERNYATAAN_TERTUTUP", _("Sanksi moral: pernyataan tertutup")
    PERNYATAAN_TERBUKA = "PERNYATAAN_TERBUKA", _("Sanksi moral: pernyataan terbuka")
    # PPPK (SECONDARY)
    PPPK_TUNDA_KGB_1TH = "PPPK_TUNDA_KGB_1TH", _("PPPK: penundaan kenaikan gaji berkala 1 tahun")
    PPPK_TURUN_GOLONGAN_1TH = "PPPK_TURUN_GOLONGAN_1TH", _("PPPK: penurunan golongan 1 tahun")
    PPPK_PHPK_HORMAT = "PPPK_PHPK_HORMAT", _("PPPK: PHPK dengan hormat")
    PPPK_PHPK_HORMAT_TAPS = (
        "PPPK_PHPK_HORMAT_TAPS",
        _("PPPK: PHPK dengan hormat tidak atas permintaan sendiri"),
    )
    PPPK_PHPK_TIDAK_HORMAT = "PPPK_PHPK_TIDAK_HORMAT", _("PPPK: PHPK tidak dengan hormat")
    # Kepala/perangkat desa, UU 6/2014 Ps. 30, 52
    DESA_TEGURAN_LISAN = "DESA_TEGURAN_LISAN", _("Desa: teguran lisan")
    DESA_TEGURAN_TERTULIS = "DESA_TEGURAN_TERTULIS", _("Desa: teguran tertulis")
    DESA_PEMBERHENTIAN_SEMENTARA = (
        "DESA_PEMBERHENTIAN_SEMENTARA",
        _("Desa: pemberhentian sementara"),
    )
    DESA_PEMBERHENTIAN = "DESA_PEMBERHENTIAN", _("Desa: pemberhentian")
    # Pidana
    PIDANA_UU7_490 = "PIDANA_UU7_490", _("Pidana UU 7/2017 Ps. 490")
    PIDANA_UU7_494 = "PIDANA_UU7_494", _("Pidana UU 7/2017 Ps. 494")
    PIDANA_UU7_493 = "PIDANA_UU7_493", _("Pidana UU 7/2017 Ps. 493")
    PIDANA_UU10_188 = "PIDANA_UU10_188", _("Pidana UU 10/2016 Ps. 188")
    PIDANA_UU10_189 = "PIDANA_UU10_189", _("Pidana UU 10/2016 Ps. 189")
    LAINNYA = "LAINNYA", _("Sanksi lain (tulis di keterangan)")


class CaseLinkType(models.TextChoices):
    RELATED = "RELATED", _("Terkait")
    DUPLICATE_OF = "DUPLICATE_OF", _("Duplikat dari")
    MERGED_INTO = "MERGED_INTO", _("Digabung ke")
    SPAWNED_FROM = "SPAWNED_FROM", _("Informasi awal dari")
    # T9: the new case at the receiving unit points to the case it was forwarded from
    # (Perbawaslu 7/2022 Ps. 20, DOMAIN §5.5 LIMPAH / §8.2 T9).
    PELIMPAHAN = "PELIMPAHAN", _("Pelimpahan dari")


class EvidenceKind(models.TextChoices):
    FOTO = "FOTO", _("Foto")
    VIDEO = "VIDEO", _("Video")
    DOKUMEN = "DOKUMEN", _("Dokumen/surat")
    TANGKAPAN_LAYAR = "TANGKAPAN_LAYAR", _("Tangkapan layar")
    BENDA = "BENDA", _("Benda")
    TAUTAN = "TAUTAN", _("Tautan daring")
    LAINNYA = "LAINNYA", _("Lainnya")


class EvidenceCheck(models.TextChoices):
    """Where an evidence file's content check stands (issue 15 §1)."""

    PENDING = "PENDING", _("Sedang diperiksa")
    CHECKED = "CHECKED", _("Sudah diperiksa")
    REFUSED = "REFUSED", _("Ditolak")


class Platform(models.TextChoices):
    """Where an online post was seen (about 40% of ASN violations are on social media)."""

    FACEBOOK = "FACEBOOK", _("Facebook")
    INSTAGRAM = "INSTAGRAM", _("Instagram")
    TIKTOK = "TIKTOK", _("TikTok")
    X = "X", _("X (Twitter)")
    YOUTUBE = "YOUTUBE", _("YouTube")
    WHATSAPP = "WHATSAPP", _("WhatsApp")
    SITUS_BERITA = "SITUS_BERITA", _("Situs berita")
    LAINNYA = "LAINNYA", _("Situs lain")


class ClarificationParty(models.TextChoices):
    PELAPOR = "PELAPOR", _("Pelapor")
    TERLAPOR = "TERLAPOR", _("Terlapor")
    SAKSI = "SAKSI", _("Saksi")
    AHLI = "AHLI", _("Ahli")


class ClarificationMode(models.TextChoices):
    TATAP_MUKA = "TATAP_MUKA", _("Tatap muka")
    DARING = "DARING", _("Daring")


class DocumentKind(models.TextChoices):
    RECEIPT = "RECEIPT", _("Tanda terima laporan")
    REPORT_FORM = "REPORT_FORM", _("Formulir laporan")
    INVITATION = "INVITATION", _("Undangan klarifikasi")
    FORWARDING_LETTER = "FORWARDING_LETTER", _("Surat penerusan/rekomendasi")
    STATUS_NOTICE = "STATUS_NOTICE", _("Pemberitahuan status laporan")
    PELIMPAHAN_LETTER = "PELIMPAHAN_LETTER", _("Surat pelimpahan")
