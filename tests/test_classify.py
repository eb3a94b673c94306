"""Classification of pages into document types from their content, and grouping into documents."""

from __future__ import annotations

import pytest

from extractors.classify import classify_page, default_catalogue, group_documents, parse_catalogue
from izinflow.domain import DocType, Mark, PageClass, PageRef, PageText

# ---- realistic page texts: text layers and hand-made OCR noise (also used by test_fields) ----

KTP_A = """PROVINSI RIAU
KABUPATEN ROKAN HILIR
NIK : 1407015203900002
Nama : SITI AMINAH
Tempat/Tgl Lahir : BAGANSIAPIAPI, 12-03-1990
Jenis Kelamin : PEREMPUAN Gol. Darah : O
Alamat : JL. PERWIRA NO. 12
RT/RW : 003/002
Kel/Desa : BAGAN BATU
Kecamatan : BANGKO
Agama : ISLAM
Status Perkawinan : KAWIN
Pekerjaan : KARYAWAN SWASTA
Kewarganegaraan : WNI
Berlaku Hingga : SEUMUR HIDUP
BAGANSIAPIAPI
20-05-2018"""

KTP_OCR = """PROVlNSI KALIMANTAN TlMUR
KOTA BONTANG
NIK 6474O11508880003
Nama ; BUDl SETIAWAN
Tempat/Tgl Lahir . BONTANG, 15-O8-1988
Jenis Kelamin ; LAKI-LAKI   Gol Darah ; A
Alamat ; JL. MERDEKA NO. 7
RT/RW ; 001/004
Kel/Desa ; LOK TUAN
Kecamatan ; BONTANG UTARA
Agama ; lSLAM
Status Perkawlnan ; BELUM KAWIN
Pekerjaan ; PELAJAR/MAHASISWA
Kewarganegaraan ; WNl
Berlaku Hingga ; SEUMUR HlDUP"""

KTP_TABLE = """PROVINSI RIAU
KABUPATEN ROKAN HILIR
NIK
1407015203900002
Nama
SITI AMINAH
Tempat/Tgl Lahir
BAGANSIAPIAPI, 12-03-1990
Jenis Kelamin
PEREMPUAN
Alamat
JL. PERWIRA NO. 12
Gol. Darah
O"""

PERMOHONAN_A = """Bagansiapiapi, 20 November 2026
Perihal : Permohonan Surat Izin Praktik Perekam Medis
Lampiran : 1 (satu) berkas
Kepada Yth.
Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu
Kabupaten Rokan Hilir
di -
Bagansiapiapi
Dengan hormat,
Yang bertanda tangan di bawah ini:
Nama : SITI AMINAH, A.Md.RMIK
NIK : 1407015203900002
Tempat/Tgl Lahir : Bagansiapiapi, 12 Maret 1990
Alamat : Jl. Perwira No. 12, Bagan Batu
Dengan ini mengajukan permohonan Surat Izin Praktik (SIP) Perekam Medis di RSUD Dr. R.M. Pratomo.
Sebagai bahan pertimbangan, bersama ini saya lampirkan:
1. Fotokopi KTP;
2. Fotokopi Ijazah yang dilegalisir;
3. Surat Tanda Registrasi (STR);
4. Surat Keterangan Sehat dari dokter;
5. Pas foto 4x6;
6. Surat Keterangan Tempat Praktik.
Demikian permohonan ini saya sampaikan, atas perhatiannya saya ucapkan terima kasih.
Hormat saya,
METERAI TEMPEL
10000
SITI AMINAH, A.Md.RMIK"""

PERMOHONAN_OCR = """Hal ; Permohonan lzin Praktik Perekam Medis
Kepada Yth.
Kepala DPMPTSP Kota Bontang
di Tempat
Dengan horrnat,
Saya yang bertanda tangan di bawah ini
Nama ; Budi Setiawan, S.Tr.Kes
NlK ; 6474011508880003
memohon agar dapat diterbitkan Surat lzin Praktik Perekam Medis untuk praktik mandiri.
Demikian permohonan ini saya buat dengan sebenarnya.
Bontang, 3 Des 2026
Pemohon,
Budi Setiawan, S.Tr.Kes"""

SIP_A = """PEMERINTAH KABUPATEN ROKAN HILIR
DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU
SURAT IZIN PRAKTIK PEREKAM MEDIS
Nomor : SIPRM/503/DPMPTSP/2021/0457
Berdasarkan Peraturan Menteri Kesehatan Nomor 55 Tahun 2013, dengan ini memberikan izin kepada:
Nama : SITI AMINAH, A.Md.RMIK
Tempat/Tgl Lahir : Bagansiapiapi, 12 Maret 1990
Nomor STR : 6111201123456789
Untuk menjalankan praktik sebagai Perekam Medis di:
Tempat Praktik : RSUD Dr. R.M. Pratomo
Surat Izin Praktik ini berlaku sampai dengan tanggal 30 Juni 2026
Ditetapkan di : Bagansiapiapi
Pada tanggal : 1 Juli 2021
KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU
CICI SULASTRI, SKM, M.Si"""

SIP_OCR = """KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PTSP
KOTA B0NTANG
SURAT lZIN PRAKTIK (SIP)
Nomor: 503/SIP-RM/0112/DPMPTSP/2022
MEMUTUSKAN
Menetapkan : Memberikan Surat lzin Praktik kepada
Nama ; BUDI SETIAWAN, S.Tr.Kes
Nomor STR ; 6111301198765432
Tempat Praktik ; Klinik Sehat Bontang
Berlaku sampai ; 14-02-2027"""

STR_A = """KONSIL TENAGA KESEHATAN INDONESIA
SURAT TANDA REGISTRASI
PEREKAM MEDIS DAN INFORMASI KESEHATAN
Nomor STR : 6111201123456789
Nama : SITI AMINAH, A.Md.RMIK
Tempat, Tanggal Lahir : Bagansiapiapi, 12 Maret 1990
Jenis Kelamin : Perempuan
Kompetensi : Perekam Medis dan Informasi Kesehatan
Berlaku sampai : Seumur Hidup
Jakarta, 2 Januari 2024
Ketua Konsil"""

STR_OCR = """KEMENTERIAN KESEHATAN REPUBLlK INDONESIA
SURAT TANDA REGISTRASl
TENAGA KESEHATAN
Telah teregistrasi sebagai Perekam Medis
No. Registrasi : 61 1 1 3 0 1 1 9 8 7 6 5 4 3 2
Nama ; BUDI SETIAWAN, S.Tr.Kes
Tempat Tgl Lahir ; Bontang, 15 Agustus 1988
Berlaku Sampai ; 15 Agustus 2029
Konsil Kesehatan lndonesia"""

STR_BACK = """Persyaratan pencatatan ulang sebagaimana tercantum pada peraturan
halaman 2 dari 2
catatan: dokumen ini dicetak dari sistem"""

SEHAT_A = """PEMERINTAH KABUPATEN ROKAN HILIR
DINAS KESEHATAN
UPT PUSKESMAS BAGANSIAPIAPI
SURAT KETERANGAN SEHAT
Nomor : 445/PKM-BGS/XI/2026/118
Yang bertanda tangan di bawah ini:
Nama : dr. HENDRA LUBIS
Jabatan : Dokter Puskesmas
Dengan ini menerangkan bahwa:
Nama : SITI AMINAH
Umur : 36 tahun
Pekerjaan : Perekam Medis
Alamat : Jl. Perwira No. 12
Telah dilakukan pemeriksaan kesehatan dengan hasil: Tekanan darah 120/80 mmHg, Tinggi badan 158 cm,
Berat badan 55 kg, tidak buta warna, dan dinyatakan dalam keadaan SEHAT.
Surat keterangan ini dibuat untuk keperluan pengurusan Surat Izin Praktik.
Bagansiapiapi, 10 November 2026
Dokter Pemeriksa,
dr. HENDRA LUBIS"""

SEHAT_OCR = """KLlNlK PRATAMA SEHAT SENTOSA
SURAT KETERANGAN BERBADAN SEHAT
No ; 12/SKS/KPS/XII/2026
Dokter klinik menerangkan bahwa Sdr. BUDI SETIAWAN, lahir di Bontang tanggal 15-08-1988
telah diperiksa dan berbadan sehat jasmani.
Bontang, 1 Desember 2026
dr. Rina Marlina"""

DOMISILI_A = """PEMERINTAH KABUPATEN ROKAN HILIR
KECAMATAN BANGKO
SURAT KETERANGAN DOMISILI
Nomor : 470/BGK/2026/311
Yang bertanda tangan di bawah ini Camat Bangko Kabupaten Rokan Hilir, menerangkan bahwa:
Nama : BUDI SETIAWAN
NIK : 6474011508880003
Tempat/Tgl Lahir : Bontang, 15-08-1988
Jenis Kelamin : Laki-laki
Agama : Islam
Pekerjaan : Perekam Medis
Kewarganegaraan : Indonesia
Alamat : Jl. Merdeka No. 7, Bagan Hulu
Benar-benar berdomisili di wilayah Kecamatan Bangko sejak tahun 2024 sampai sekarang.
Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.
Bagansiapiapi, 5 November 2026
CAMAT BANGKO
Drs. ARIF HIDAYAT"""

DOMISILI_OCR = """KANTOR CAMAT TANAH PUTIH
SURAT KETERANGAN BERDOMlSlLl
No. 145/TP/2026/77
Camat Tanah Putih menerangkan bahwa Saudara BUDI SETIAWAN bertempat tinggal di
Kepenghuluan Sedinginan. Surat ini berlaku sampai 31-12-2026.
Sedinginan, 2 November 2026
CAMAT"""

TEMPAT_A = """RUMAH SAKIT UMUM DAERAH Dr. R.M. PRATOMO
SURAT KETERANGAN TEMPAT PRAKTIK
Nomor : 800/RSUD/XI/2026/091
Direktur RSUD Dr. R.M. Pratomo dengan ini menerangkan bahwa:
Nama : SITI AMINAH, A.Md.RMIK
NIK : 1407015203900002
benar bekerja sebagai Perekam Medis pada Instalasi Rekam Medis RSUD Dr. R.M. Pratomo,
fasilitas pelayanan kesehatan dengan kode fasyankes 1407011.
Bagansiapiapi, 12 November 2026
Direktur,
dr. MUHAMMAD FIRDAUS, Sp.PD"""

TEMPAT_OCR = """KLINIK PRATAMA MEDIKA
SURAT KETERANGAN KERJA
No; 07/KPM/2026
Yang bertanda tangan dlbawah ini pimpinan Klinik Pratama Medika menerangkan bahwa
Nama ; Budi Setiawan
bekerja dl klinik kami sebagai tenaga perekam medis sejak 2020.
Bontang, 4 Des 2026"""

IJAZAH_A = """KEMENTERIAN PENDIDIKAN, KEBUDAYAAN, RISET, DAN TEKNOLOGI
POLITEKNIK KESEHATAN RIAU
IJAZAH
Nomor Ijazah : 062112024000123
diberikan kepada
SITI AMINAH
Nomor Induk Mahasiswa : P031914411023
lahir di Bagansiapiapi tanggal 12 Maret 1990
telah menyelesaikan pendidikan pada Program Studi D-III Rekam Medis dan Informasi Kesehatan
dan dinyatakan lulus, kepadanya diberikan gelar Ahli Madya Rekam Medis dan Informasi Kesehatan (A.Md.RMIK)
dengan segala hak dan kewajiban yang melekat pada gelar tersebut.
Direktur"""

IJAZAH_OCR = """UNlVERSlTAS SEHAT NUSANTARA
IJAZAH
Nomor Seri ljazah ; 321012023001234
Nama ; BUDI SETIAWAN
Tempat dan Tanggal Lahir ; Bontang, 15 Agustus 1988
Program Studi ; Sarjana Terapan Manajemen lnformasi Kesehatan
Iulus pada tanggal 30 Agustus 2012 berhak memakai gelar S.Tr.Kes
Rektor"""

LEGALISIR = "Fotokopi sesuai dengan aslinya\nPudir I\ntanda tangan"

TRANSKRIP = """POLITEKNIK KESEHATAN RIAU
TRANSKRIP AKADEMIK
Nama : SITI AMINAH
Program Studi : D-III Rekam Medis dan Informasi Kesehatan
No Mata Kuliah SKS Nilai
1 Anatomi 2 A
2 Terminologi Medis 3 B
Indeks Prestasi Kumulatif : 3.45"""

CV = """DAFTAR RIWAYAT HIDUP
Data Pribadi
Nama : SITI AMINAH
Tempat/Tgl Lahir : Bagansiapiapi, 12 Maret 1990
Riwayat Pendidikan
2008-2011 D-III Rekam Medis Poltekkes Riau
Pengalaman Kerja
2012-sekarang RSUD Dr. R.M. Pratomo"""

NPWP_A = """KEMENTERIAN KEUANGAN REPUBLIK INDONESIA
DIREKTORAT JENDERAL PAJAK
NPWP : 01.312.166.0-091.000
SITI AMINAH
NIK : 1407015203900002
JL. PERWIRA NO. 12 BAGAN BATU
KPP PRATAMA BAGANSIAPIAPI
Tanggal Terdaftar : 15/06/2015"""

NPWP_OCR = """DlREKTORAT JENDERAL PAJAK
SURAT KETERANGAN TERDAFTAR
Nomor : S-1234KT/WPJ.02/KP.0103/2024
Dengan ini diterangkan bahwa wajib pajak:
Nama Wajib Pajak ; BUDI SETIAWAN
NPWP ; 6474011508880003
Alamat ; JL MERDEKA NO 7 BONTANG
terdaftar pada KPP Pratama Bontang"""

SKP_A = """PERHIMPUNAN PROFESIONAL PEREKAM MEDIS DAN INFORMASI KESEHATAN INDONESIA
BUKTI KECUKUPAN SKP
Satuan Kredit Profesi
Nama : SITI AMINAH, A.Md.RMIK
Nomor STR : 6111201123456789
Kegiatan Pembelajaran 15 SKP
Pengabdian Masyarakat 5 SKP
Jumlah SKP 50 (memenuhi kecukupan)
Jakarta, 1 Oktober 2026"""

SKP_OCR = """Plataran Sehat Kementerian Kesehatan
REKAPITULASl SKP
Nama ; Siti Aminah
Total SKP ; 52
Status kecukupan ; Cukup"""

SOP_A = """KLINIK MANDIRI PEREKAM MEDIS BUDI
STANDAR OPERASIONAL PROSEDUR
PENYIMPANAN REKAM MEDIS
No. Dokumen : 01/SOP/2026   No. Revisi : 00   Tanggal Terbit : 2 Januari 2026
Pengertian : Penyimpanan berkas rekam medis pasien
Tujuan : Agar berkas aman dan mudah ditemukan
Kebijakan : Berkas disimpan dengan sistem terminal digit
Prosedur :
1. Petugas menerima berkas"""

SOP_OCR = """SOP
PENDAFTARAN PASlEN
Pengertian ; tata cara pendaftaran pasien baru
Tujuan ; sebagai acuan langkah-langkah
Prosedur ; 1. pasien datang
Unit terkait ; pendaftaran"""

SOP_PAGE2 = """2. Petugas mencatat nomor berkas pada buku ekspedisi
3. Berkas dikembalikan ke rak penyimpanan sesuai nomor
4. Petugas memeriksa kelengkapan formulir"""

MOU_A = """PERJANJIAN KERJA SAMA
TENTANG PENGANGKUTAN DAN PEMUSNAHAN LIMBAH MEDIS
Pada hari ini kami yang bertanda tangan di bawah ini:
1. Budi Setiawan, selanjutnya disebut PIHAK PERTAMA
2. PT Enviro Bersih, transportir limbah B3, selanjutnya disebut PIHAK KEDUA
Pasal 1
PIHAK KEDUA melakukan pengangkutan limbah medis ke insinerator berizin."""

MOU_OCR = """MEMORANDUM OF UNDERSTANDING (MOU)
Pembuangan sampah medis praktik mandiri
para pihak sepakat ...
Pasal 2 pengolahan limbah"""

ALKES_A = """DAFTAR ALAT KESEHATAN DI RUANGAN
PRAKTIK MANDIRI PEREKAM MEDIS
No Nama Alat Merk Jumlah Kondisi
1 Komputer Lenovo 1 Baik
2 Printer Epson 1 Baik
3 Rak berkas - 2 Baik"""

ALKES_OCR = """DAFTAR ALKES
No Nama Alat Jumlah Kondlsi
1 Lemari arsip 1 baik"""

DENAH_A = """DENAH LOKASI TEMPAT PRAKTIK
U
Jl. Pelita
Masjid Raya
Tempat Praktik
(tidak berskala)"""

DENAH_OCR = """SKETSA LOKASI
UTARA
Jalan Ahmad Yani
Apotek"""

REKOM_A = """DEWAN PENGURUS CABANG
PERHIMPUNAN PROFESIONAL PEREKAM MEDIS DAN INFORMASI KESEHATAN INDONESIA (PORMIKI)
KOTA BONTANG
SURAT REKOMENDASI
Nomor : 021/DPC-PORMIKI/BTG/XII/2026
Ketua DPC PORMIKI Kota Bontang merekomendasikan:
Nama : BUDI SETIAWAN, S.Tr.Kes
Nomor Anggota : 64.74.0123
untuk mengajukan Surat Izin Praktik Perekam Medis.
Bontang, 2 Desember 2026
Ketua,
RATNA SARI, A.Md.PK"""

REKOM_OCR = """PORMlKl DPC KOTA BONTANG
REKOMENDASI
No ; 05/REK/2026
Organisasi profesi dengan ini merekomendasikan Sdr. BUDI SETIAWAN sebagai anggota aktif
Ketua"""

REKOM_DINAS = """PEMERINTAH KOTA BONTANG
DINAS KESEHATAN
REKOMENDASI TEKNIS
Nomor : 440/123/DINKES
Kepala Dinas Kesehatan Kota Bontang memberikan rekomendasi teknis penerbitan izin melalui OSS
setelah dilakukan verifikasi.
KEPALA DINAS KESEHATAN"""

NOTIF_A = """PEMERINTAH KABUPATEN BEKASI
DINAS KESEHATAN
NOTIFIKASI
Nomor : 440/789/Dinkes
Berdasarkan hasil verifikasi pemenuhan komitmen melalui OSS, Klinik Utama Sehat Bekasi
telah memenuhi persyaratan.
Kepala Dinas Kesehatan Kabupaten Bekasi"""

NOTIF_OCR = """SURAT NOTlFlKASl
Dinas Kesehatan Kab. Bekasi
pemenuhan komitmen klinik NIB 1234567890123"""

PROFIL_A = """PROFIL KLINIK UTAMA SEHAT BEKASI
Nama Klinik : Klinik Utama Sehat Bekasi
Alamat Klinik : Jl. Raya Cikarang No. 1
Visi : Menjadi klinik pilihan
Misi : Memberikan pelayanan prima
Jenis Pelayanan : Rawat jalan spesialis
Jam Pelayanan : 08.00 - 21.00
Penanggung Jawab : dr. Andi Wijaya, Sp.PD"""

PROFIL_OCR = """PROFlLE KLlNlK
gambaran umum klinik, visi dan misi, struktur organisasi"""

SDM_A = """DAFTAR SUMBER DAYA MANUSIA
KLINIK UTAMA SEHAT BEKASI
No Nama Jabatan Pendidikan No STR No SIP
1 dr. Andi Wijaya, Sp.PD Penanggung jawab Sp-1 123 456
2 Ns. Rina Sari Perawat S1 Keperawatan 789 101"""

SDM_OCR = """DAFTAR NAMA SDM KLlNlK
nama jabatan status kepegawaian
tenaga medis 3 orang"""

SARANA_A = """DAFTAR SARANA DAN PRASARANA
No Sarana Jumlah Keterangan
1 Ruang tunggu 1 Ada
2 Ruang periksa 4 Ada
3 Instalasi listrik 1 Ada
4 Alat pemadam api ringan (APAR) 3 Ada"""

SARANA_OCR = """SARANA PRASARANA KLlNlK
genset, air bersih, ambulans"""

PERALATAN_A = """DAFTAR PERALATAN KLINIK
No Nama Alat Merk Jumlah Kondisi Kalibrasi
Peralatan Medis
1 Tensimeter Omron 5 Baik 2026
Peralatan Non Medis
1 Kursi roda - 2 Baik -"""

PERALATAN_OCR = """DAFTAR PERALATAN
peralatan medis dan non medis, kalibrasi terakhir"""

SELF_A = """SELF ASSESSMENT KLINIK
Instrumen penilaian kesesuaian klinik pratama
No Elemen Penilaian Ya Tidak Keterangan
1 Ketersediaan ruang tunggu v
2 Ketersediaan APAR v"""

SELF_OCR = """PENILAIAN MANDIRI (SELF ASESMEN)
kriteria, skor, kesesuaian"""


def page(text: str, file: str = "berkas.pdf", no: int = 1, **kw: object) -> PageText:
    return PageText(PageRef(file, no), text, ocr=bool(kw.pop("ocr", False)), **kw)  # type: ignore[arg-type]


T = DocType
CASES = [
    (T.ktp, KTP_A), (T.ktp, KTP_OCR), (T.ktp, KTP_TABLE),
    (T.surat_permohonan, PERMOHONAN_A), (T.surat_permohonan, PERMOHONAN_OCR),
    (T.sip_lama, SIP_A), (T.sip_lama, SIP_OCR),
    (T.str, STR_A), (T.str, STR_OCR),
    (T.surat_keterangan_sehat, SEHAT_A), (T.surat_keterangan_sehat, SEHAT_OCR),
    (T.surat_keterangan_domisili, DOMISILI_A), (T.surat_keterangan_domisili, DOMISILI_OCR),
    (T.surat_keterangan_tempat_praktik, TEMPAT_A), (T.surat_keterangan_tempat_praktik, TEMPAT_OCR),
    (T.ijazah, IJAZAH_A), (T.ijazah, IJAZAH_OCR),
    (T.lainnya, TRANSKRIP), (T.lainnya, CV),
    (T.npwp, NPWP_A), (T.npwp, NPWP_OCR),
    (T.bukti_skp, SKP_A), (T.bukti_skp, SKP_OCR),
    (T.sop_praktik, SOP_A), (T.sop_praktik, SOP_OCR),
    (T.mou_limbah_medis, MOU_A), (T.mou_limbah_medis, MOU_OCR),
    (T.daftar_alat_kesehatan, ALKES_A), (T.daftar_alat_kesehatan, ALKES_OCR),
    (T.denah_lokasi, DENAH_A), (T.denah_lokasi, DENAH_OCR),
    (T.rekomendasi_organisasi_profesi, REKOM_A), (T.rekomendasi_organisasi_profesi, REKOM_OCR),
    (T.notifikasi_dinkes, NOTIF_A), (T.notifikasi_dinkes, NOTIF_OCR),
    (T.profil_klinik, PROFIL_A), (T.profil_klinik, PROFIL_OCR),
    (T.daftar_sdm, SDM_A), (T.daftar_sdm, SDM_OCR),
    (T.daftar_sarana_prasarana, SARANA_A), (T.daftar_sarana_prasarana, SARANA_OCR),
    (T.daftar_peralatan, PERALATAN_A), (T.daftar_peralatan, PERALATAN_OCR),
    (T.self_assessment, SELF_A), (T.self_assessment, SELF_OCR),
]


@pytest.mark.parametrize(("expected", "text"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_type_is_recognised_from_content(expected: DocType, text: str) -> None:
    cls = classify_page(page(text))
    assert cls.doc_type == expected
    assert cls.confidence >= 0.6


def _shout(text: str) -> str:
    """Another OCR failure: everything upper case, words broken in two, 1/l/I swapped."""
    out = text.upper().replace("SURAT TANDA REGISTRASI", "SURAT TANDA REGIS TRASl")
    return out.replace("KETERANGAN", "KETERANGAM").replace("I", "1", 3)


@pytest.mark.parametrize(("expected", "text"), [
    (T.str, STR_A), (T.surat_keterangan_sehat, SEHAT_A), (T.surat_keterangan_domisili, DOMISILI_A),
    (T.surat_keterangan_tempat_praktik, TEMPAT_A), (T.surat_permohonan, PERMOHONAN_A), (T.sip_lama, SIP_A),
])
def test_noisy_upper_case_ocr_still_classifies(expected: DocType, text: str) -> None:
    assert classify_page(page(_shout(text), ocr=True)).doc_type == expected


def test_broken_title_word_still_matches() -> None:
    cls = classify_page(page("SURAT TANDA REGISTRASl\nNama ; SITI AMINAH\nBerlaku sampai : Seumur Hidup"))
    assert cls.doc_type == DocType.str


def test_file_name_never_influences_the_type() -> None:
    for name in ("ktp.pdf", "STR_siti.pdf", "ijazah.jpg"):
        assert classify_page(page(SEHAT_A, file=name)).doc_type == DocType.surat_keterangan_sehat


def test_application_letter_for_a_sip_is_not_a_sip() -> None:
    assert classify_page(page(PERMOHONAN_A)).doc_type == DocType.surat_permohonan
    assert classify_page(page(SIP_A)).doc_type == DocType.sip_lama


def test_dinas_recommendation_is_not_a_professional_recommendation() -> None:
    assert classify_page(page(REKOM_DINAS)).doc_type != DocType.rekomendasi_organisasi_profesi


def test_blank_page_is_kosong() -> None:
    assert classify_page(page("")).doc_type == DocType.kosong
    assert classify_page(page("  \n  . \n", ocr=True)).doc_type == DocType.kosong
    assert classify_page(page("ee ~ |\n", ocr=True)).doc_type == DocType.kosong  # scanner specks


def test_photo_without_text_is_pas_foto() -> None:
    cls = classify_page(page("", photo_ratio=0.92, ocr=True))
    assert cls.doc_type == DocType.pas_foto
    assert cls.confidence >= 0.6
    # four small photos on a white sheet: no text, a little photograph
    assert classify_page(page("", photo_ratio=0.05, ocr=True)).doc_type == DocType.pas_foto
    # a photographed KTP is a photo too, but its text says what it is
    assert classify_page(page(KTP_OCR, photo_ratio=0.95, ocr=True)).doc_type == DocType.ktp


def test_weak_evidence_gives_low_confidence() -> None:
    cls = classify_page(page("Surat keterangan\nNama : SITI\ndemikian"))
    assert cls.confidence < 0.6


def test_unreadable_page_has_no_confidence() -> None:
    cls = classify_page(page("", error="halaman tidak dapat dibaca"))
    assert cls.confidence == 0.0


def test_meterai_text_alone_does_not_make_a_document_type() -> None:
    assert classify_page(page("METERAI TEMPEL\n10000\nSEPULUH RIBU RUPIAH")).doc_type != DocType.meterai


def test_catalogue_rejects_unknown_types() -> None:
    with pytest.raises(ValueError):
        parse_catalogue({"types": {"kartu_anggota": {"titles": []}}})
    with pytest.raises(ValueError):
        parse_catalogue({"types": {"ktp": {"titles": [{"phrase": "X", "weigth": 1}]}}})


def test_a_new_type_is_data_not_code() -> None:
    cat = parse_catalogue({"types": {
        "ktp": {"titles": [{"phrase": "PROVINSI", "weight": 2}],
                "cues": [{"phrase": "GOL DARAH", "weight": 3}]},
        "denah_lokasi": {"titles": [{"phrase": "PETA SEDERHANA", "weight": 5}]},
    }})
    assert classify_page(page("PETA SEDERHANA\nrumah di ujung jalan"), cat).doc_type == DocType.denah_lokasi


def test_every_page_type_has_cues() -> None:
    covered = {t.doc_type for t in default_catalogue().types}
    assert set(DocType) - covered == {DocType.meterai, DocType.kosong}


def _classified(pages: list[PageText]) -> list:
    return group_documents(pages, [classify_page(p) for p in pages])


def test_continuation_pages_join_their_document() -> None:
    pages = [page(SOP_A, no=1), page(SOP_PAGE2, no=2), page(STR_A, no=3), page(STR_BACK, no=4),
             page(KTP_A, no=5)]
    docs = _classified(pages)
    assert [(d.doc_type, [r.page for r in d.pages]) for d in docs] == [
        (DocType.sop_praktik, [1, 2]), (DocType.str, [3, 4]), (DocType.ktp, [5])]


def test_document_continues_in_the_next_file() -> None:
    pages = [page(SOP_A, file="a.pdf", no=1), page(SOP_PAGE2, file="b.pdf", no=1, ocr=True),
             page(KTP_A, file="b.pdf", no=2)]
    docs = _classified(pages)
    assert [d.doc_type for d in docs] == [DocType.sop_praktik, DocType.ktp]
    assert docs[0].pages == [PageRef("a.pdf", 1), PageRef("b.pdf", 1)]
    assert docs[0].ocr is True
    assert docs[1].ocr is False


def test_same_type_continues_across_files_but_cards_do_not() -> None:
    sops = _classified([page(SOP_A, file="sop1.pdf"), page(SOP_OCR, file="sop2.pdf")])
    assert [len(d.pages) for d in sops] == [2]
    cards = _classified([page(KTP_A, file="ktp1.jpg"), page(KTP_OCR, file="ktp2.jpg")])
    assert [d.doc_type for d in cards] == [DocType.ktp, DocType.ktp]


def test_untitled_page_with_its_own_heading_starts_a_new_document() -> None:
    receipt = "KWITANSI\nTelah terima dari : Siti Aminah\nUang sejumlah : 150.000 rupiah"
    docs = _classified([page(SIP_A, file="a.pdf"), page(receipt, file="b.pdf"), page(receipt, file="c.pdf")])
    assert [(d.doc_type, len(d.pages)) for d in docs] == [
        (DocType.sip_lama, 1), (DocType.lainnya, 1), (DocType.lainnya, 1)]


def test_blank_pages_do_not_interrupt_a_document() -> None:
    docs = _classified([page(STR_A, no=1), page("", no=2), page(STR_BACK, no=3)])
    assert [(d.doc_type, [r.page for r in d.pages]) for d in docs] == [
        (DocType.str, [1, 3]), (DocType.kosong, [2])]


def test_document_confidence_is_its_weakest_page() -> None:
    pages = [page(SOP_A, no=1), page(SOP_OCR, no=2)]
    classes = [classify_page(p) for p in pages]
    docs = group_documents(pages, classes)
    assert len(docs) == 1
    assert docs[0].confidence == min(c.confidence for c in classes)


def test_photo_after_a_letter_is_its_own_document() -> None:
    docs = _classified([page(SEHAT_A, no=1), page("", no=2, photo_ratio=0.9)])
    assert [d.doc_type for d in docs] == [DocType.surat_keterangan_sehat, DocType.pas_foto]


def test_marks_keep_a_page_from_being_blank() -> None:
    cls = classify_page(page("", marks=(Mark("qr", "https://example.org/x"),)))
    assert cls.doc_type != DocType.kosong


def test_a_page_that_cannot_be_placed_keeps_a_missing_requirement_at_review() -> None:
    from extractors.classify import doubtful_pages
    from izinflow.domain import PageClass, PageRef, PageText

    scrap = PageText(PageRef("ijazah.JPG", 1), "Pekanbaru, 9 Oktober 2009\nDirektur,\nDr. H. Rahman", ocr=True)
    clear = PageText(PageRef("a.pdf", 1), "DAFTAR RIWAYAT HIDUP ...", ocr=False)
    classes = [PageClass(scrap.ref, DocType.lainnya, 0.5), PageClass(clear.ref, DocType.lainnya, 0.8)]
    doubtful = doubtful_pages([scrap, clear], classes)
    assert [p.ref for p in doubtful] == [scrap.ref]
    assert doubtful[0].error and "tidak dapat dipastikan" in doubtful[0].error


def test_a_faint_other_document_in_the_next_file_stands_alone() -> None:
    """A scanned list that reads only faintly as a facilities list does not vanish into the staff
    list of the file before it; within one file an untitled weak page still continues."""
    first = page(SOP_A, file="a.pdf", no=1)
    faint = PageClass(PageRef("b.pdf", 1), DocType.str, 0.5)
    docs = group_documents([first, page(SOP_PAGE2, file="b.pdf", no=1, ocr=True)],
                           [classify_page(first), faint])
    assert [d.doc_type for d in docs] == [DocType.sop_praktik, DocType.str]
    same_file = PageClass(PageRef("a.pdf", 2), DocType.str, 0.5)
    docs = group_documents([first, page(SOP_PAGE2, file="a.pdf", no=2, ocr=True)],
                           [classify_page(first), same_file])
    assert [(d.doc_type, len(d.pages)) for d in docs] == [(DocType.sop_praktik, 2)]


# ---- signature pages and untitled pages of other documents (clinic bundles) ----

# The last page of a list printed on its own (the signature block would not fit), as OCR reads it.
CLOSING_OCR = """Batang, 21 Oktober 2026

AP ginan Klinik Utama Amanah Limpung,

#7 KLINIK j
( UTAMA “¥
AG /

+
wy n

iSka Nurhayati Halimah, Sp.N"""

CLOSING_LAYER = "Cikarang, 24 November 2026\nPenanggung Jawab Klinik,\ndr. Rizky Nasution, Sp.M"

# A statement whose underlined title OCR lost on a skewed scan.
PERNYATAAN_UNTITLED = """Mematuhi Ketentuan Penyelenggaraan Klinik

Yang bertanda tangan di bawah ini:

Nama : dr. Yuli Fitriani

Jabatan : Penanggung Jawab Klinik

Nama Klinik : Klinik Pratama Permata Bunda Subah

Alamat Klinik : Jl. Raya Subah No. 66, Desa Subah, Kecamatan
Subah, Kabupaten Batang

Nomor Telepon : (0285) 7532762

dengan ini menyatakan sanggup:

1. Menyelenggarakan pelayanan kesehatan sesuai dengan standar pelayanan, standar

profesi dan standar prosedur operasional:

. Mempekerjakan tenaga medis dan tenaga kesehatan yang memiliki STR dan SIP
yang masih berlaku:

. Mengelola limbah medis sesuai ketentuan peraturan perundang-undangan;

Apabila di kemudian hari saya tidak memenuhi pernyataan ini, saya bersedia menerima
sanksi sesuai ketentuan yang berlaku.

Demikian surat pernyataan ini saya buat dengan sebenar-benarnya tanpa paksaan dari
pihak mana pun.

Batang, 4 Oktober 2026
Yang membuat pernyataan,"""

SARANA_SIGNED = SARANA_A + "\nCikarang, 3 Oktober 2026\nPenanggung Jawab Klinik,\ndr. Novita Ramadhani, Sp.M"


def _layout(docs: list) -> list[tuple[DocType, list[tuple[str, int]]]]:
    return [(d.doc_type, [(r.file, r.page) for r in d.pages]) for d in docs]


def test_a_place_and_date_alone_is_not_a_blank_page() -> None:
    """OCR read only the date line of a signature page: print, not scanner specks."""
    cls = classify_page(page("Batang, 6 November 2026", ocr=True))
    assert cls.doc_type == DocType.lainnya
    assert classify_page(page("ee ~ |\n12", ocr=True)).doc_type == DocType.kosong


def test_an_untitled_statement_in_the_next_file_does_not_join_the_document_before() -> None:
    pages = [page(SELF_A, file="lain-lain.pdf", no=1), page(PERNYATAAN_UNTITLED, file="surat notifikasi.JPG", ocr=True)]
    assert _layout(_classified(pages)) == [
        (DocType.self_assessment, [("lain-lain.pdf", 1)]), (DocType.lainnya, [("surat notifikasi.JPG", 1)])]


def test_a_signature_page_filed_apart_goes_back_to_the_list_it_closes() -> None:
    """The staff list's last page sits in a file of its own, sorted before the list; the signed
    facilities list beside it already has its closing."""
    pages = [page(CLOSING_OCR, file="SDM klinik.jpeg", ocr=True), page(CV, file="CV.pdf"),
             page(SARANA_SIGNED, file="SARPRAS.pdf"), page(SDM_A, file="daftar SDM.pdf")]
    assert _layout(_classified(pages)) == [
        (DocType.lainnya, [("CV.pdf", 1)]),
        (DocType.daftar_sarana_prasarana, [("SARPRAS.pdf", 1)]),
        (DocType.daftar_sdm, [("daftar SDM.pdf", 1), ("SDM klinik.jpeg", 1)]),
    ]


def test_a_signature_page_does_not_continue_a_document_that_has_closed() -> None:
    """Across a blank page, after a list signed at its foot, and after a signature page of its own:
    each of these signature pages closes the peralatan list that has none."""
    after_signed = [page(SARANA_SIGNED, file="SARPRAS.pdf"), page("", file="WhatsApp Image.JPG", ocr=True),
                    page(CLOSING_LAYER, file="alkes klinik.pdf"), page(PERALATAN_A, file="daftar peralatan.pdf")]
    assert _layout(_classified(after_signed))[-1] == (
        DocType.daftar_peralatan, [("daftar peralatan.pdf", 1), ("alkes klinik.pdf", 1)])
    second = CLOSING_LAYER.replace("24 November", "2 Desember")
    after_own = [page(SDM_A, file="scan.pdf", no=1), page(CLOSING_LAYER, file="scan.pdf", no=2),
                 page(second, file="scan.pdf", no=3), page(PERALATAN_A, file="lampiran.pdf")]
    assert _layout(_classified(after_own)) == [
        (DocType.daftar_sdm, [("scan.pdf", 1), ("scan.pdf", 2)]),
        (DocType.daftar_peralatan, [("lampiran.pdf", 1), ("scan.pdf", 3)]),
    ]


def test_a_signature_page_goes_to_the_list_of_its_date_or_stays_when_that_cannot_be_told() -> None:
    sdm_dated = SDM_A.replace("KLINIK UTAMA SEHAT BEKASI", "KLINIK UTAMA SEHAT BEKASI\nKeadaan per 21 Oktober 2026")
    pages = [page(CLOSING_OCR, file="a.jpeg", ocr=True), page(PERALATAN_A, file="b.pdf"), page(sdm_dated, file="c.pdf")]
    assert _layout(_classified(pages))[-1] == (DocType.daftar_sdm, [("c.pdf", 1), ("a.jpeg", 1)])
    undated = [page(CLOSING_OCR, file="a.jpeg", ocr=True), page(PERALATAN_A, file="b.pdf"), page(SDM_A, file="c.pdf")]
    assert _layout(_classified(undated))[0] == (DocType.lainnya, [("a.jpeg", 1)])


def test_a_birth_date_is_not_a_signature() -> None:
    from extractors.classify import closes, is_closing_only

    born = page("Tempat/Tgl Lahir : Bontang, 15 Agustus 1988\nAlamat : Jl. Merdeka No. 7", ocr=True)
    assert not closes(born) and not is_closing_only(born)
    assert closes(page(SARANA_SIGNED)) and not is_closing_only(page(SARANA_SIGNED))
    assert is_closing_only(page(CLOSING_OCR, ocr=True))


def test_a_printed_signature_page_is_no_document_in_doubt() -> None:
    """A text page holding only the end of a list cannot be a document the bundle lacks; over a recap
    of the people counted, that end is a staff list's own page."""
    from extractors.classify import doubtful_pages

    tail = "Cikarang, 28 Agustus 2026\nPimpinan Klinik Utama Insan Mulia Babelan,\ndr. Rina Ramadhani, Sp.OG"
    printed, scanned = page(tail, file="lampiran.pdf", no=2), page(tail, file="scan.jpg", ocr=True)
    classes = [classify_page(printed), classify_page(scanned)]
    assert [c.doc_type for c in classes] == [DocType.lainnya, DocType.lainnya]
    assert printed.ref not in [p.ref for p in doubtful_pages([printed, scanned], classes)]
    # over a recap of the people counted, the same end is a staff list's own last page, in no doubt
    recap = "Rekapitulasi: Tenaga Medis 7 orang, Tenaga Kesehatan 9 orang; jumlah seluruhnya 16 orang.\n" + tail
    with_recap = [page(recap, file="lampiran.pdf", no=2), page(recap, file="scan.jpg", ocr=True)]
    classes = [classify_page(p) for p in with_recap]
    assert [c.doc_type for c in classes] == [DocType.daftar_sdm, DocType.daftar_sdm]
    assert doubtful_pages(with_recap, classes) == []


def test_a_staff_lists_last_page_with_its_recap_of_people_goes_back_to_the_list() -> None:
    """The last page of a staff list photographed apart: the recap of people counted and the signature
    (read sideways from a phone photo), no title and no table."""
    recap = ("Rekapitulasi: Tenaga Medis 6 orang, Tenaga Kesehatan 10 orang: jumlah seluruhnya 16 orang.\n\n"
             "Cikarang, 22 Agustus 2026\ninan Klinik Utama Amanah Cikarang,\n\nvita Kartika, Sp.M")
    alone = classify_page(page(recap, file="IMG_20260917_173736.JPG", ocr=True, ocr_confidence=94.6))
    assert alone.doc_type == DocType.daftar_sdm and alone.confidence >= default_catalogue().review_below
    pages = [page(SDM_A, file="CV.jpeg", ocr=True), page(CV, file="CV.pdf"),
             page(recap, file="IMG_20260917_173736.JPG", ocr=True, ocr_confidence=94.6)]
    assert _layout(_classified(pages)) == [
        (DocType.daftar_sdm, [("CV.jpeg", 1), ("IMG_20260917_173736.JPG", 1)]),
        (DocType.lainnya, [("CV.pdf", 1)]),
    ]
    # a letter counting people is no staff list
    letter = "SURAT PERMOHONAN\nPerihal: izin praktik\nkami mempekerjakan 3 orang perekam medis"
    assert classify_page(page(letter)).doc_type != DocType.daftar_sdm
