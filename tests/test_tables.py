"""Clinic lists read into rows: from a text-layer page's ruled tables and from OCR'd lines."""

from __future__ import annotations

from extractors.fields.clinic import extract_rows, nama_klinik
from extractors.fields.tables import assessment, item_list, staff_by_profession, staff_list
from izinflow.domain import DocType, PageRef, PageText


def page(text: str = "", tables: tuple = (), ocr: bool = False, no: int = 1) -> PageText:
    return PageText(PageRef("berkas.pdf", no), text, ocr=ocr, tables=tables)


STAFF_TABLE = (
    ("No", "Nama", "Profesi", "No. STR"),
    ("1", "dr. Hendra Wijaya, Sp.PD", "Dokter Spesialis Penyakit Dalam", "3171 0123 4567 8901"),
    ("2", "dr. Rina Kartika", "Dokter Umum", "KT12345678901234"),
    ("3", "Siti Nurhaliza, S.Kep., Ns.", "Perawat", "6401234567890123"),
    ("4", "Yuni Astuti, A.Md.Keb", "Bidan", "6401234567890124"),
)

STAFF_OCR = """KLINIK UTAMA MEDIKA CIKARANG
DAFTAR SUMBER DAYA MANUSIA
No Nama Profesi No. STR
1 dr. Hendra Wijaya, Sp.PD Dokter Spesialis Penyakit Dalam 3171012345678901
2 dr. Rina Kartika Dokter Umum KT12345678901234
3. Siti Nurhaliza, S.Kep., Ns. Perawat 6401234567890123
4 Yuni Astuti, A.Md.Keb Bidan 6401234567890124
5 Ahmad Fauzi, S.Farm., Apt. Apoteker 6401234567890125
6 Dewi Lestari, A.Md.RMIK Perekam Medis dan Informasi Kesehatan 6401234567890126
Cikarang, 3 November 2026"""


def test_staff_from_a_ruled_table_by_its_header() -> None:
    rows = staff_list([page("DAFTAR SDM", tables=(STAFF_TABLE,))])
    assert [r["nama"] for r in rows] == ["dr. Hendra Wijaya, Sp.PD", "dr. Rina Kartika", "Siti Nurhaliza, S.Kep., Ns.",
                                         "Yuni Astuti, A.Md.Keb"]
    assert [r["profesi"] for r in rows] == ["Dokter Spesialis Penyakit Dalam", "Dokter Umum", "Perawat", "Bidan"]
    assert staff_by_profession(rows) == {"dokter spesialis": 1, "dokter umum": 1, "perawat": 1, "bidan": 1}
    assert rows[0]["nomor_str"] == "3171012345678901" and rows[1]["nomor_str"] == "KT12345678901234"


def test_staff_from_ocr_lines_and_counted_per_profession() -> None:
    rows = staff_list([page(STAFF_OCR, ocr=True)])
    assert len(rows) == 6
    assert rows[0] == {"nama": "dr. Hendra Wijaya, Sp.PD", "profesi": "Dokter Spesialis Penyakit Dalam",
                       "nomor_str": "3171012345678901"}
    assert rows[5]["profesi"] == "Perekam Medis dan Informasi Kesehatan"
    assert rows[5]["nama"] == "Dewi Lestari, A.Md.RMIK"
    assert staff_by_profession(rows) == {"dokter spesialis": 1, "dokter umum": 1, "perawat": 1, "bidan": 1,
                                         "apoteker": 1, "perekam medis": 1}
    assert extract_rows(DocType.daftar_sdm, [page(STAFF_OCR, ocr=True)]) == rows


def test_a_list_spanning_two_pages_keeps_every_row() -> None:
    first, second = STAFF_OCR.split("4 Yuni")
    rows = staff_list([page(first, ocr=True), page("4 Yuni" + second, ocr=True, no=2)])
    assert len(rows) == 6


def test_facilities_and_equipment_rows() -> None:
    table = (("No", "Nama Sarana/Prasarana", "Jumlah", "Kondisi"), ("1", "Ruang tunggu", "1", "Baik"),
             ("2", "Alat Pemadam Api Ringan (APAR)", "4 unit", "Baik"))
    assert item_list([page(tables=(table,))]) == [
        {"nama": "Ruang tunggu", "jumlah": "1", "kondisi": "Baik"},
        {"nama": "Alat Pemadam Api Ringan (APAR)", "jumlah": "4", "kondisi": "Baik"}]
    text = ("DAFTAR PERALATAN\nNo Nama Alat Jumlah Kondisi\n1 Tensimeter digital 3 Baik\n"
            "2 Stetoskop 5 unit Rusak ringan\n")
    assert item_list([page(text, ocr=True)]) == [
        {"nama": "Tensimeter digital", "jumlah": "3", "kondisi": "Baik"},
        {"nama": "Stetoskop", "jumlah": "5", "kondisi": "Rusak ringan"}]


def test_self_assessment_items_and_the_total_as_printed() -> None:
    text = """SELF ASSESSMENT KLINIK
No Elemen Penilaian Skor Keterangan
1 Klinik memiliki izin lingkungan 2 Ada
2 Jumlah tempat duduk ruang tunggu memadai 1
3 Tersedia APAR yang masih berlaku 0 Kedaluwarsa
Jumlah skor 3
Skor maksimal 6
Persentase 50,0 %"""
    items, totals = assessment([page(text, ocr=True)])
    assert [(i["nomor"], i["skor"]) for i in items] == [("1", "2"), ("2", "1"), ("3", "0")]
    assert items[1]["uraian"] == "Jumlah tempat duduk ruang tunggu memadai"  # an item, not the total
    assert totals == {"total_skor": "3", "skor_maksimal": "6", "persentase": "50.0"}


def test_clinic_name_labelled_or_in_capitals() -> None:
    labelled = ["Nama Klinik : Klinik Utama Medika Cikarang", "Alamat : Jl. Raya"]
    assert nama_klinik(labelled) == "Klinik Utama Medika Cikarang"
    assert nama_klinik(["DAFTAR SUMBER DAYA MANUSIA", "KLINIK UTAMA MEDIKA CIKARANG"]) == "KLINIK UTAMA MEDIKA CIKARANG"
    assert nama_klinik(["Persyaratan izin klinik utama dan pratama"]) is None
