"""Field extraction: NIK, dates, NPWP and the per-type fields, on realistic and noisy texts."""

from __future__ import annotations

from datetime import date

import pytest

# The page texts live with the classification tests (pytest puts tests/ on the import path).
from test_classify import (
    DOMISILI_A,
    DOMISILI_OCR,
    IJAZAH_A,
    IJAZAH_OCR,
    KTP_A,
    KTP_OCR,
    KTP_TABLE,
    LEGALISIR,
    NPWP_A,
    NPWP_OCR,
    PERMOHONAN_A,
    PERMOHONAN_OCR,
    REKOM_A,
    SEHAT_A,
    SEHAT_OCR,
    SIP_A,
    SIP_OCR,
    SKP_A,
    STR_A,
    STR_OCR,
    TEMPAT_A,
    page,
)

from extractors.fields import (
    NAMA_BULAN,
    SEUMUR_HIDUP,
    InvalidNik,
    extract_fields,
    find_dates,
    is_valid_npwp,
    mask_nik,
    nik_from_text,
    parse_masa_berlaku,
    parse_nik,
    parse_npwp,
    parse_tanggal,
)
from extractors.fields.dates import split_tempat_tanggal
from extractors.fields.nik import wilayah
from izinflow.domain import DocType, Mark, PageText

# ---- NIK ----


def test_good_nik_is_read() -> None:
    info = parse_nik("1407015203900002")
    assert info.province_code == "14"
    assert info.regency_code == "14.07"
    assert info.regency_name == "Kabupaten Rokan Hilir"
    assert info.district_code == "14.07.01"
    assert info.birth_date == date(1990, 3, 12)  # day 52 = 12 + 40: a woman
    assert info.jenis_kelamin == "PEREMPUAN"


def test_man_nik_has_plain_day() -> None:
    info = parse_nik("6474011508880003")
    assert info.birth_date == date(1988, 8, 15)
    assert info.jenis_kelamin == "LAKI-LAKI"
    assert info.regency_name == "Kota Bontang"


def test_kemendagri_not_bps_numbering() -> None:
    assert parse_nik("1406011203900001").regency_name == "Kabupaten Rokan Hulu"
    assert parse_nik("1407011203900001").regency_name == "Kabupaten Rokan Hilir"
    assert wilayah()["32.16"] == "Kabupaten Bekasi"
    assert wilayah()["32.75"] == "Kota Bekasi"
    assert wilayah()["33.25"] == "Kabupaten Batang"
    assert wilayah()["12.71"] == "Kota Medan"
    assert sum(1 for code in wilayah() if "." not in code) == 38


@pytest.mark.parametrize(("value", "reason"), [
    ("140701520390002", "NIK harus 16 digit"),
    ("9999015203900002", "kode provinsi 99 pada NIK tidak dikenal"),
    ("1499015203900002", "kode wilayah 14.99 pada NIK tidak dikenal"),
    ("1407017513900002", "tanggal lahir pada NIK tidak valid"),
    ("1407013202900002", "tanggal lahir pada NIK tidak valid"),  # 32 is no day, for men or women
    ("1407017102900002", "tanggal lahir pada NIK tidak valid"),  # 31 February for a woman
])
def test_bad_nik_is_refused_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(InvalidNik) as err:
        parse_nik(value)
    assert reason in err.value.reason


def test_nik_with_separators_is_accepted() -> None:
    assert parse_nik("1407 0152 0390 0002").nik == "1407015203900002"


def test_mask_nik() -> None:
    assert mask_nik("1407015203900002") == "1407********0002"


def test_nik_found_in_noisy_text() -> None:
    assert nik_from_text("NIK ; 14O7O15203900OO2\nNama : SITI") == "1407015203900002"
    assert nik_from_text("N I K: 1407 0152 0390 0002") == "1407015203900002"
    assert nik_from_text("NlK : l4070l52O39OOO02") == "1407015203900002"
    assert nik_from_text("No. STR 6111201123456789\nNIK : 1407015203900002") == "1407015203900002"
    assert nik_from_text("Nama : SITI AMINAH") is None


# ---- dates ----


@pytest.mark.parametrize("text", [
    "12-03-1990", "12/03/1990", "12.03.1990", "12 Maret 1990", "12 MARET 1990", "12 Mar 1990",
    "Bagansiapiapi, 12 Maret 1990", "l2 Maret 199O", "12 Mar3t 1990", "12 Maret1990", "1990-03-12",
])
def test_every_date_format(text: str) -> None:
    assert parse_tanggal(text) == date(1990, 3, 12)


def test_place_and_date_of_birth_split() -> None:
    assert split_tempat_tanggal("Bagansiapiapi, 12 Maret 1990") == ("Bagansiapiapi", date(1990, 3, 12))
    assert split_tempat_tanggal("BONTANG, 15-08-1988") == ("BONTANG", date(1988, 8, 15))


def test_find_dates_in_reading_order_and_no_false_dates() -> None:
    assert find_dates("dari 1 Juli 2021 sampai 30 Juni 2026") == [date(2021, 7, 1), date(2026, 6, 30)]
    assert find_dates("NIK 1407015203900002, 31 Februari 2020, 13-13-2020") == []


def test_seumur_hidup_and_month_table() -> None:
    assert parse_masa_berlaku("Berlaku Sampai : SEUMUR HIDUP") == SEUMUR_HIDUP
    assert parse_masa_berlaku("seumur hldup") == SEUMUR_HIDUP
    assert parse_masa_berlaku("30 Juni 2026") == date(2026, 6, 30)
    assert NAMA_BULAN[2] == "Maret" and len(NAMA_BULAN) == 12


# ---- NPWP ----


def test_npwp_15_digits() -> None:
    assert parse_npwp("NPWP : 01.312.166.0-091.000") == "013121660091000"
    assert parse_npwp("NPWP : O1.312.l66.0-091.000") == "013121660091000"
    assert is_valid_npwp("013121660091000")
    assert not is_valid_npwp("013121650091000")


def test_npwp_16_digits_is_a_nik() -> None:
    assert parse_npwp("NPWP ; 1407015203900002") == "1407015203900002"
    assert parse_npwp("NPWP : 0013121660091000") == "0013121660091000"
    assert is_valid_npwp("1407015203900002")


def test_no_npwp_in_text_without_one() -> None:
    assert parse_npwp("Nomor STR 6111201123456789") is None


# ---- fields per document type ----


def fields(doc_type: DocType, *texts: str, **kw: object) -> dict[str, str]:
    return extract_fields(doc_type, [page(t, no=i + 1, **kw) for i, t in enumerate(texts)])


def test_ktp_fields_text_layer() -> None:
    assert fields(DocType.ktp, KTP_A) == {
        "nik": "1407015203900002", "nama": "SITI AMINAH", "tempat_lahir": "BAGANSIAPIAPI",
        "tanggal_lahir": "1990-03-12", "jenis_kelamin": "PEREMPUAN", "alamat": "JL. PERWIRA NO. 12"}


def test_ktp_fields_noisy_ocr_and_table_layout() -> None:
    f = fields(DocType.ktp, KTP_OCR)
    assert f["nik"] == "6474011508880003"
    assert f["nama"] == "BUDI SETIAWAN"
    assert f["tanggal_lahir"] == "1988-08-15"
    assert f["jenis_kelamin"] == "LAKI-LAKI"
    t = fields(DocType.ktp, KTP_TABLE)
    assert (t["nama"], t["tanggal_lahir"], t["alamat"]) == ("SITI AMINAH", "1990-03-12", "JL. PERWIRA NO. 12")


def test_str_fields() -> None:
    assert fields(DocType.str, STR_A) == {
        "nama": "SITI AMINAH, A.Md.RMIK", "nomor_str": "6111201123456789", "tempat_lahir": "Bagansiapiapi",
        "tanggal_lahir": "1990-03-12", "berlaku_sampai": "seumur hidup"}
    f = fields(DocType.str, STR_OCR)
    assert f["nomor_str"] == "611130119876543" + "2"
    assert f["berlaku_sampai"] == "2029-08-15"
    assert f["nama"] == "BUDI SETIAWAN, S.Tr.Kes"


def test_ijazah_fields_and_legalisation() -> None:
    f = fields(DocType.ijazah, IJAZAH_A)
    assert f["nama"] == "SITI AMINAH"
    assert f["nomor_ijazah"] == "062112024000123"
    assert f["program_studi"] == "D-III Rekam Medis dan Informasi Kesehatan"
    assert f["tanggal_lahir"] == "1990-03-12"
    assert f["legalisasi"] == "tidak ada"  # a text-layer page read completely, no stamp on it
    f = fields(DocType.ijazah, IJAZAH_OCR)
    assert (f["nama"], f["tanggal_lahir"]) == ("BUDI SETIAWAN", "1988-08-15")
    assert f["program_studi"].startswith("Sarjana Terapan")
    stamped = extract_fields(DocType.ijazah, [page(IJAZAH_A, image_text="SESUAI DENGAN ASLINYA")])
    assert stamped["legalisasi"] == "stempel"
    assert fields(DocType.ijazah, IJAZAH_A + "\n" + LEGALISIR)["legalisasi"] == "stempel"
    qr = extract_fields(DocType.ijazah, [page(IJAZAH_A, marks=(Mark("qr", "https://pddikti.example/x"),))])
    assert qr["legalisasi"] == "qr"


def test_npwp_fields() -> None:
    assert fields(DocType.npwp, NPWP_A) == {"npwp": "013121660091000", "nama": "SITI AMINAH"}
    assert fields(DocType.npwp, NPWP_OCR) == {"npwp": "6474011508880003", "nama": "BUDI SETIAWAN"}


def test_application_letter_fields_and_meterai() -> None:
    f = fields(DocType.surat_permohonan, PERMOHONAN_A)
    assert f["nama"] == "SITI AMINAH, A.Md.RMIK"
    assert f["tanggal_surat"] == "2026-11-20"
    assert f["meterai"] == "tempel"
    f = fields(DocType.surat_permohonan, PERMOHONAN_OCR, ocr=True, ocr_confidence=45.0)
    assert (f["nama"], f["tanggal_surat"]) == ("Budi Setiawan, S.Tr.Kes", "2026-12-03")
    assert "meterai" not in f  # a poor scan: no meterai read does not mean there is none
    assert fields(DocType.surat_permohonan, PERMOHONAN_OCR)["meterai"] == "tidak ada"
    e = extract_fields(DocType.surat_permohonan, [page(PERMOHONAN_OCR, image_text="METERAI ELEKTRONIK")])
    assert e["meterai"] == "elektronik"
    qr = extract_fields(DocType.surat_permohonan,
                        [page(PERMOHONAN_OCR, image_text="10000", marks=(Mark("qr", "e-meterai:123"),))])
    assert qr["meterai"] == "elektronik"
    stamp = extract_fields(DocType.surat_permohonan, [page(PERMOHONAN_OCR, image_text="SEPULUH RIBU RUPIAH")])
    assert stamp["meterai"] == "tempel"


def test_health_certificate_names_the_patient_not_the_doctor() -> None:
    f = fields(DocType.surat_keterangan_sehat, SEHAT_A)
    assert f["nama"] == "SITI AMINAH"
    assert f["nomor_surat"] == "445/PKM-BGS/XI/2026/118"
    assert f["tanggal_surat"] == "2026-11-10"
    assert fields(DocType.surat_keterangan_sehat, SEHAT_OCR)["nama"] == "BUDI SETIAWAN"


def test_domicile_letter_names_the_resident_not_the_camat() -> None:
    f = fields(DocType.surat_keterangan_domisili, DOMISILI_A)
    assert f["nama"] == "BUDI SETIAWAN"
    assert f["nik"] == "6474011508880003"
    assert f["tanggal_surat"] == "2026-11-05"
    g = fields(DocType.surat_keterangan_domisili, DOMISILI_OCR)
    assert g["nama"] == "BUDI SETIAWAN"
    assert g["berlaku_sampai"] == "2026-12-31"


def test_place_of_practice_and_recommendation_letters() -> None:
    f = fields(DocType.surat_keterangan_tempat_praktik, TEMPAT_A)
    assert f["nama"] == "SITI AMINAH, A.Md.RMIK"
    assert f["nik"] == "1407015203900002"
    r = fields(DocType.rekomendasi_organisasi_profesi, REKOM_A)
    assert r["nama"] == "BUDI SETIAWAN, S.Tr.Kes"
    assert r["nomor_surat"] == "021/DPC-PORMIKI/BTG/XII/2026"


def test_previous_sip_fields() -> None:
    f = fields(DocType.sip_lama, SIP_A)
    assert f["nama"] == "SITI AMINAH, A.Md.RMIK"
    assert f["nomor_surat"] == "SIPRM/503/DPMPTSP/2021/0457"
    assert f["berlaku_sampai"] == "2026-06-30"
    assert f["tanggal_surat"] == "2021-07-01"
    assert fields(DocType.sip_lama, SIP_OCR)["berlaku_sampai"] == "2027-02-14"


def test_skp_names_the_member() -> None:
    assert fields(DocType.bukti_skp, SKP_A)["nama"] == "SITI AMINAH, A.Md.RMIK"


def test_label_and_value_on_separate_lines_with_various_separators() -> None:
    text = "SURAT KETERANGAN SEHAT\nmenerangkan bahwa\nNama\n: RINA MARLINA\nUmur ; 30"
    assert fields(DocType.surat_keterangan_sehat, text)["nama"] == "RINA MARLINA"
    text = "menerangkan bahwa :\nN a m a . DEWI SARI\nAlamat : Jl. Mawar"
    assert fields(DocType.surat_keterangan_sehat, text)["nama"] == "DEWI SARI"


def test_documents_without_person_fields_give_nothing() -> None:
    assert extract_fields(DocType.denah_lokasi, [page("DENAH LOKASI")]) == {}


def test_inline_names_stop_at_what_follows_them() -> None:
    text = ("REKOMENDASI IZIN PRAKTIK\nPORMIKI merekomendasikan FIRMAN WIJAYA LUBIS, S.Tr.Kes (nomor anggota\n"
            "23.2272.900) untuk memperoleh Surat Izin Praktik")
    assert fields(DocType.rekomendasi_organisasi_profesi, text)["nama"] == "FIRMAN WIJAYA LUBIS, S.Tr.Kes"
    wrapped = ("SURAT KETERANGAN DOKTER\nDokter pemeriksa menerangkan bahwa Sdr/i YUDI LUBIS\n"
               "GUNAWAN, lahir di Semarang tanggal 25 Maret 1982, umur 44 tahun")
    assert fields(DocType.surat_keterangan_sehat, wrapped)["nama"] == "YUDI LUBIS GUNAWAN"
    letter = ("SURAT PERMOHONAN\nSaya yang bertanda tangan di bawah ini, YUDI LUBIS GUNAWAN, S.Tr.Kes, Nomor Induk\n"
              "Kependudukan 3374012503820045, lahir di Semarang\nSaya menyatakan bahwa seluruh data benar.")
    f = fields(DocType.surat_permohonan, letter)
    assert f["nama"] == "YUDI LUBIS GUNAWAN, S.Tr.Kes"
    assert f["nik"] == "3374012503820045"


def test_ktp_read_as_two_columns() -> None:
    text = ("NIK\nNama\nTempat/Tgl Lahir\nJenis Kelamin\nAlamat\nPROVINSI JAWA TENGAH\nKOTA SEMARANG\n"
            "1 3374025409980040\nINDAH FITRIANI\nPADANG, 14-09-1998\nPEREMPUAN Gol. Darah : A\nJL. PELITA NO. 42")
    assert fields(DocType.ktp, text) == {
        "nik": "3374025409980040", "nama": "INDAH FITRIANI", "tempat_lahir": "PADANG",
        "tanggal_lahir": "1998-09-14", "jenis_kelamin": "PEREMPUAN", "alamat": "JL. PELITA NO. 42"}


def test_validity_wrapped_over_lines_and_lifetime_in_a_table() -> None:
    text = "SURAT TANDA REGISTRASI\nNama : SITI\nSTR ini berlaku sampai dengan tanggal 24 Agustus\n\n2026 dan dapat"
    assert fields(DocType.str, text)["berlaku_sampai"] == "2026-08-24"
    table = "SURAT TANDA REGISTRASI\nTanggal Terbit\nMasa Berlaku\n20 September 2025\nSeumur Hidup"
    assert fields(DocType.str, table)["berlaku_sampai"] == "seumur hidup"


def test_stamp_read_in_pieces_still_counts_as_legalisation() -> None:
    text = IJAZAH_A + "\nSESUAI DEN\nG\nTgl : AN ASLINYA\nWakil Direktur Bid. Akademik"
    assert fields(DocType.ijazah, text)["legalisasi"] == "stempel"


# ---- OCR noise seen on scanned bundles ----


def test_separator_read_as_a_digit_or_symbol_is_not_part_of_the_value() -> None:
    text = ("Fotokopi KTP-el\nPROVINSI RIAU\nKABUPATEN ROKAN HILIR\nNIK + 1407051201900021\nNama 1 BUDI HASIBUAN\n"
            "Tempat / Tgl. Lahir 5 TARAKAN, 12-01-1990\nJenis Kelamin 2 LAKI-LAKI\nAlamat JL. KESEHATAN NO, 27\n"
            "Agama : ISLAM\nKewarganegaraan 2 WNI")
    f = fields(DocType.ktp, text, ocr=True, ocr_confidence=81.5)
    assert (f["nik"], f["nama"]) == ("1407051201900021", "BUDI HASIBUAN")
    assert (f["tempat_lahir"], f["tanggal_lahir"], f["jenis_kelamin"]) == ("TARAKAN", "1990-01-12", "LAKI-LAKI")
    assert fields(DocType.str, "SURAT TANDA REGISTRASI\nNomor STR 3 KT57883810323627\n")["nomor_str"] == (
        "KT57883810323627")
    # a lone digit that is a day stays: it is the value, not the separator
    assert fields(DocType.surat_keterangan_sehat, "Tanggal 5 Maret 2026\nNama : ANI")["tanggal_surat"] == "2026-03-05"


def test_table_borders_around_values_are_dropped() -> None:
    text = ("SURAT TANDA REGISTRASI\n| Nomor Registrasi 4726592700259873 |\nNama Lengkap _|EKA HANDAYANI, S.Tr.Kes\n"
            "Tempat, Tanggal Lahir | Tarakan, 12 Januari 1990 |\nMasa Berlaku | Seumur Hidup")
    f = fields(DocType.str, text, ocr=True)
    assert (f["nomor_str"], f["nama"]) == ("4726592700259873", "EKA HANDAYANI, S.Tr.Kes")
    assert (f["tanggal_lahir"], f["berlaku_sampai"]) == ("1990-01-12", "seumur hidup")


def test_a_label_or_a_stray_symbol_is_never_taken_for_a_name() -> None:
    ktp = ("NIK\nNama\nTempat/Tg! Lahir\nJenis Kelamin\nAlamat\nPROVINSI RIAU\nKABUPATEN ROKAN HULU\n"
           ": 14060142039500 57\nSRI LESTARI\nDUMAI, 02-03-1995\nPEREMPUAN Gol. Darah : B\nJL PERWIRA NO. 88")
    assert fields(DocType.ktp, ktp)["nama"] == "SRI LESTARI"
    noisy = ktp.replace("Tempat/Tg! Lahir", "TempatiTg Lahir")
    assert fields(DocType.ktp, noisy)["nama"] == "SRI LESTARI"
    dollar = ("Fotokopi KTP-el\nPROVINSI RIAU\nNIK :\nNama $\nTempat / Tgl. Lahir\nJenis Kelamin\n"
              "KABUPATEN ROKAN HILIR\n1407046706960048\nRINA RAHMAH\nPALEMBANG, 27-06-1996\nPEREMPUAN")
    assert fields(DocType.ktp, dollar)["nama"] == "RINA RAHMAH"


def test_values_in_a_column_of_their_own_are_matched_to_their_labels() -> None:
    str_page = ("SURAT TANDA REGISTRASI\nNomor STR : KT79812940842231\nSurat Tanda Registrasi kepada:\n\nNama\n\n"
                "Tempat, Tanggal Lahir\nJenis Kelamin\nKompetensi\n\n: RATNA AULIA, A.Md.Kes\n\n"
                ": Bagansiapiapi, 17 April 1999\n: Perempuan\n\n: Perekam Medis dan Informasi")
    assert fields(DocType.str, str_page, ocr=True)["nama"] == "RATNA AULIA, A.Md.Kes"
    sip = ("SURAT IZIN PRAKTIK PEREKAM MEDIS\nNomor : 503/DPMPTSP/SIPPM/2021/016\nPerekam Medis kepada:\n\n"
           ": RATNA AULIA, A.Md.Kes\n\nNama\nril 1999\n\nTempat/Tgl. Lahir\nAlamat\n\nNomor STR\nTempat Praktik\n\n"
           "- Bagansiapiapi, 17 Ap!\n: ji. Ahmad Yani No. 37\n3 KT57883810323627\n: RSUD Dr. R.M. Pratomo")
    assert fields(DocType.sip_lama, sip, ocr=True)["nama"] == "RATNA AULIA, A.Md.Kes"
    npwp = ("DIREKTORAT JENDERAL PAJAK\nDirektur Jenderal Pajak dengan ini menerangkan bahwa Wajib Pajak:\n"
            ": HENDRA LUBIS\n: 29.776.499.5-524.000\nNama Wajib Pajak\nNomor Pokok Wajib Pajak (NPWP)\n"
            "NIK : 1271020503970028")
    assert fields(DocType.npwp, npwp, ocr=True)["nama"] == "HENDRA LUBIS"


def test_names_lose_what_follows_them_and_keep_titles_put_on_the_next_line() -> None:
    rekom = "REKOMENDASI\nNama : BAYU HIDAYAT, A.Md.RMIK (nomor anggota 35.2804.737)\nAlamat : Jl. Mawar"
    assert fields(DocType.rekomendasi_organisasi_profesi, rekom)["nama"] == "BAYU HIDAYAT, A.Md.RMIK"
    wrapped = "SURAT TANDA REGISTRASI\nSurat Tanda Registrasi kepada:\nNama - IRWAN GUNAWAN PRATAMA,\nS.Tr.RMIK\n"
    assert fields(DocType.str, wrapped)["nama"] == "IRWAN GUNAWAN PRATAMA, S.Tr.RMIK"
    cropped = "gan Batu menerangkan bahwa Sdr/i AGUS\nPadang tanggal 14 Oktober 1982, umur 43 tahun,"
    assert fields(DocType.surat_keterangan_sehat, cropped)["nama"] == "AGUS"


def test_owner_of_a_practice_is_read_from_the_titled_name_the_document_repeats() -> None:
    sop = ("PRAKTIK MANDIRI\nPEREKAM MEDIS\nAGUS HASIBUAN,\n\nA.Md.RMIK\nSTANDAR OPERASIONAL PROSEDUR\n"
           "Tanggal Terbit Ditetapkan oleh\n2 September 2026 AGUS HASIBUAN, A.Md.RMIK\nPengertian\n"
           "Hj. Nurhayati, S.KM, M.Kes")
    assert fields(DocType.sop_praktik, sop, ocr=True)["nama"] == "AGUS HASIBUAN, A.Md.RMIK"
    mou = ("NOTA KESEPAHAMAN\nNota kesepahaman ini dibuat antara PT. Borneo Enviro Lestari (PIHAK PERTAMA) dan TRI\n"
           "WAHYUNI, S.Tr.RMIK, pengelola praktik mandiri\nPIHAK PERTAMA PIHAK KEDUA\n"
           "Ir. Sugeng Riyadi TRI WAHYUNI, S.Tr.RMIK\nBontang, 10 September 2026")
    assert fields(DocType.mou_limbah_medis, mou)["nama"] == "TRI WAHYUNI, S.Tr.RMIK"
    heading = "ILHAM SYAHPUTRA, No. Dokumen Revisi Halaman\nSTANDAR OPERASIONAL\nPROSEDUR ILHAM SYAHPUTRA, A.Md.Kes"
    assert fields(DocType.sop_praktik, heading, ocr=True)["nama"] == "ILHAM SYAHPUTRA, A.Md.Kes"


def test_validity_labels_and_lifetime_with_ocr_noise() -> None:
    for text, want in [
        ("STR ini berIaku sampai dengan tanggal 19 Januari\n2028 dan dapat diperpanjang", "2028-01-19"),
        ("Berlaku s/d : 12-01-2028", "2028-01-12"),
        ("BERLAKU SAMPAl DENGAN : 5 Juni 2027", "2027-06-05"),
        ("Berlaku Hingga SEUMUR H1DUP", "seumur hidup"),
        ("Masa Berlaku | SEUMURHIDUP", "seumur hidup"),
    ]:
        assert fields(DocType.str, "SURAT TANDA REGISTRASI\n" + text)["berlaku_sampai"] == want, text
    since = "SURAT TANDA REGISTRASI\nMasa berlaku selama 5 tahun sejak 1 Januari 2021"
    assert "berlaku_sampai" not in fields(DocType.str, since)  # a start date is no end date


def test_legalisation_evidence_split_or_merged_by_ocr() -> None:
    for stamp in ("Program St Tgl TELAH DILEGAL ISIR Wakil Direktur", "Tgi SESUAI DENGAN ASLIN Wakil",
                  "SESUAI DENGAN ASL1NYA"):
        assert extract_fields(DocType.ijazah, [page(IJAZAH_A, image_text=stamp)])["legalisasi"] == "stempel", stamp
    # a clear scan with no stamp read: page OCR often loses a stamp in coloured ink, a person looks
    scanned = [page(IJAZAH_A, ocr=True, ocr_confidence=93.0)]
    assert "legalisasi" not in extract_fields(DocType.ijazah, scanned)
    garbled = [page(IJAZAH_A, image_text="TELAH DILKei¥a Peggram S Tgl Wakil Direktur Bid. Akademik")]
    assert "legalisasi" not in extract_fields(DocType.ijazah, garbled)
    unexplained = [page(IJAZAH_A, image_text="Wakil Direktur Bid. Akademik")]
    assert "legalisasi" not in extract_fields(DocType.ijazah, unexplained)
    poor = [page(IJAZAH_OCR, ocr=True, ocr_confidence=41.0)]
    assert "legalisasi" not in extract_fields(DocType.ijazah, poor)
    broken = [page(IJAZAH_A, error="gambar (meterai, stempel atau kode QR) pada halaman tidak dapat dibaca")]
    assert "legalisasi" not in extract_fields(DocType.ijazah, broken)
    half = [page(IJAZAH_A, image_text="SESUAI DE")]
    assert "legalisasi" not in extract_fields(DocType.ijazah, half)  # part of a stamp: a person looks


def test_part_of_a_stamps_wording_with_its_date_line_in_one_patch_is_a_legalisation() -> None:
    # stamps struck across "Ketua Program Studi", as read from grey scans
    for patch in ("beserta segala hak dan kewajiban yan TELAH DILEtiva Peggram udi, Tgi Wakil Direktur Bid Akademik",
                  "beserta segala hak dan kewa: SESUAI udi Tgl Wakil Direktur Bid. Akademik Ni M.Kes",
                  "DILEGA Program Tgl. Dekan"):
        assert extract_fields(DocType.ijazah, [page(IJAZAH_A, image_text=patch)])["legalisasi"] == "stempel", patch
    for patch in (
        "SESUAI udi Wakil Direktur",  # no date line: a person looks
        "TELAH DILE\n\nTgl Wakil Direktur",  # wording and date line in different patches
        "telah dinyatakan lulus sesuai dengan ketentuan Tempat/Tgl Lahir",  # print in small letters
        "TELAH DINYATAKAN LULUS Tgl Lahir",  # "TELAH DI" begins many words; DILE is the stamp's
    ):
        assert extract_fields(DocType.ijazah, [page(IJAZAH_A, image_text=patch)]).get("legalisasi") != "stempel", patch


def test_meterai_evidence_with_ocr_confusions() -> None:
    def meterai(image_text: str, **kw: object) -> str | None:
        return extract_fields(DocType.surat_permohonan, [page(PERMOHONAN_OCR, image_text=image_text, **kw)]).get(
            "meterai")

    assert meterai("METERAl TEMPEL 10000") == "tempel"
    assert meterai("ME AI TEMPEL 10000 SEPULUH RIBU RUPlAH 1NM36BX932745937") == "tempel"
    assert meterai("METERAI 10.000") == "tempel"
    assert meterai("METERAI ELEKTRONlK 10000 SEPULUH RIBU RUPIAH") == "elektronik"
    assert meterai("", marks=(Mark("qr", "F3W1JZ4Z2MLGETULFQVS2J"),)) == "elektronik"
    assert meterai("", marks=(Mark("qr", "https://example.org/ttd/123"),)) is None  # some other QR
    assert meterai("") == "tidak ada"
    # A clear scan can lose a grey meterai tempel to page segmentation: "not there" only once every
    # patch of ink was read on its own and held no words (a signature), as for a legalisation stamp.
    assert meterai("", ocr=True, ocr_confidence=92.0) is None
    assert meterai("", ocr=True, ocr_confidence=92.0, ink_letters=(2, 0)) == "tidak ada"
    assert meterai("", ocr=True, ocr_confidence=92.0, ink_letters=(2, 11)) is None
    assert meterai("", ocr=True, ocr_confidence=48.0) is None
    assert meterai("", error="gambar (meterai, stempel atau kode QR) pada halaman tidak dapat dibaca") is None


KTP_LABEL_COLUMN = """NIK

Nama

Tempat:Tgl Lahir
Jenis Kelamin
Alamat

RT/RW
Agama
Berlaku Hingga

PROVINSI KALIMANTAN TIMUR
KOTA BONTANG

6474011102950034

AGUS HAKIM

TARAKAN, 11-02-1995

(LAKI-LAKI Gol. Darah : AB

JL HASANUDDIN NO. 40
"""


def test_ktp_read_as_a_label_column_takes_the_name_from_the_values_not_the_next_label() -> None:
    from izinflow.domain import DocType as T

    fields = extract_fields(T.ktp, [page(KTP_LABEL_COLUMN)])
    assert fields["nama"] == "AGUS HAKIM"
    assert fields["nik"] == "6474011102950034"
    assert fields["tanggal_lahir"] == "1995-02-11"


def test_a_name_wrapped_above_its_label_is_joined_with_its_titles() -> None:
    from izinflow.domain import DocType as T

    text = (
        "KONSIL KESEHATAN INDONESIA\nSURAT TANDA REGISTRASI\nNomor Registrasi 7056629744305170\n"
        "YULI RAMADHANI ANGGRAINI,\nNama Lengkap\nA.Md.RMIK\nTempat, Tanggal Lahir Dumai, 10 Januari 1989\n"
        "Masa Berlaku Seumur Hidup\n"
    )
    fields = extract_fields(T.str, [page(text)])
    assert fields["nama"] == "YULI RAMADHANI ANGGRAINI, A.Md.RMIK"


def test_a_lifetime_str_whose_validity_label_ocr_lost_is_still_lifetime() -> None:
    from izinflow.domain import DocType as T

    text = (
        "KONSIL KESEHATAN INDONESIA\nSURAT TANDA REGISTRASI\n6694003909772362\nJenis Tenaga Kesehatan\n"
        "Pa itrkam tes dan trai Kera\nhese Sey | Semur idup\nSTR ini diterbitkan secara elektronik\n"
    )
    assert extract_fields(T.str, [page(text, ocr=True)])["berlaku_sampai"] == "seumur hidup"
    expired = text.replace("hese Sey | Semur idup", "Berlaku sampai 12 Januari 2025")
    assert extract_fields(T.str, [page(expired, ocr=True)])["berlaku_sampai"] == "2025-01-12"


def test_a_stamp_with_a_signature_stroke_read_into_its_wording_still_counts() -> None:
    for stamp in ("ogram St TELAH DILEG Tgi ALISIR Wakil Direktur", "SESUAl DENGAN ASLlNYAA", "DILEGALlSASl"):
        assert extract_fields(DocType.ijazah, [page(IJAZAH_A, image_text=stamp)])["legalisasi"] == "stempel", stamp
    # ordinary wording near the phrases is no stamp
    for text in ("telah menyelesaikan pendidikan sesuai dengan ketentuan yang berlaku", "TELAH DIBERIKAN",
                 "Legalitas program studi"):
        assert extract_fields(DocType.ijazah, [page(IJAZAH_A, image_text=text)]).get("legalisasi") != "stempel"


def test_a_scan_shows_no_legalisation_only_when_every_patch_of_ink_was_read_without_words() -> None:
    def scan(ink: tuple[int, ...] | None, confidence: float = 93.0) -> list[PageText]:
        return [page(IJAZAH_A, ocr=True, ocr_confidence=confidence, ink_letters=ink)]

    assert extract_fields(DocType.ijazah, scan(()))["legalisasi"] == "tidak ada"  # no ink beside the print
    assert extract_fields(DocType.ijazah, scan((0, 2)))["legalisasi"] == "tidak ada"  # signatures only
    assert "legalisasi" not in extract_fields(DocType.ijazah, scan((0, 11)))  # words in a patch: a stamp
    assert "legalisasi" not in extract_fields(DocType.ijazah, scan(None))  # grey, never examined
    assert "legalisasi" not in extract_fields(DocType.ijazah, scan((0,), confidence=41.0))  # read poorly


def test_a_name_in_capitals_keeps_a_letter_ocr_read_small() -> None:
    text = IJAZAH_A.replace("SITI AMINAH", "WULAN PERTIwI")
    assert fields(DocType.ijazah, text)["nama"] == "WULAN PERTIWI"


def test_str_number_read_apart_from_its_label_comes_from_the_qr_or_stands_alone() -> None:
    text = ("SURAT TANDA REGISTRASI\n6175539142996483\nPUTRI RAMADHANI, S.KM\nBengkalis, 18 Agustus 1988\n"
            "Nomor Registrasi\nNama Lengkap\nTempat, Tanggal Lahir\nMasa Berlaku\nSeumur Hidup")
    qr = Mark("qr", "https://ktki.kemkes.go.id/str/verifikasi/6175539142996483")
    assert fields(DocType.str, text, marks=(qr,))["nomor_str"] == "6175539142996483"
    assert fields(DocType.str, text)["nomor_str"] == "6175539142996483"
    two = text.replace("Bengkalis", "1407015203900002 Bengkalis")
    assert "nomor_str" not in fields(DocType.str, two)  # two candidates and no QR: not guessed
    assert fields(DocType.str, two, marks=(qr,))["nomor_str"] == "6175539142996483"


def test_a_letter_number_ends_where_the_next_column_begins() -> None:
    text = "DINAS KESEHATAN\nNomor : 440/5304/Dinkes/IX/2026 Cikarang Pusat, 30 September 2026\nPerihal : Notifikasi"
    assert fields(DocType.surat_keterangan_sehat, text)["nomor_surat"] == "440/5304/Dinkes/IX/2026"
    spaced = "DINAS KESEHATAN\nNomor : 503 / 0012 / DPMPTSP / XI / 2026\n"
    assert fields(DocType.surat_keterangan_sehat, spaced)["nomor_surat"] == "503 / 0012 / DPMPTSP / XI / 2026"


def test_a_stamp_word_ocr_cased_oddly_still_belongs_to_the_wording() -> None:
    from extractors.fields.evidence import legal_phrase, legal_word, partial_legal_phrase

    assert legal_word("DILEGALISiA") and legal_word("ASLlNYA") and not legal_word("Peggram")
    assert legal_phrase("TELAH DILEGALISiA") and not partial_legal_phrase("TELAH DILEGALISiA")
    assert partial_legal_phrase("Ahli beserta segala hak TELAH Peggram Sluai, Tgl")


# ---- names OCR damaged (bench misses, read from their page texts) ----


def test_an_exclamation_mark_in_a_name_in_capitals_is_an_i() -> None:
    ktp = ("Fotokopi KTP-e\nPROVINSI KALIMANTAN TIMUR\nKOTA BONTANG\nNIK : 6474014810790056\nNama SIT! PERTIWI\n"
           "Tempat / Tgl. Lahir PADANG, 08-10-1979\nJenis Kelamin PEREMPUAN\nAlamat JL. PATTIMURA NO. 102")
    assert fields(DocType.ktp, ktp, ocr=True)["nama"] == "SITI PERTIWI"


def test_a_name_that_lost_a_word_gives_way_to_the_same_label_read_again() -> None:
    from checklists.names import looks_like_name

    first = ("KONSIL KESEHATAN INDONESIA\nSURAT TANDA REGISTRASI\nNomor Registrasi 1844752172381610\n"
             "Nama Lengkap asa WIJAYA, A.Md.RMIK\nTempat, Tanggal Lahir Padang, 7 Februari 2002\n"
             "Masa Berlaku Seumur Hidup")
    assert fields(DocType.str, first, ocr=True)["nama"] == "asa WIJAYA, A.Md.RMIK"
    assert not looks_like_name("asa WIJAYA, A.Md.RMIK")  # so the document gets a second reading
    again = first + "\n\n" + first.replace("asa WIJAYA", "ILHAM WIJAYA")  # the block reading added below
    assert fields(DocType.str, again, ocr=True)["nama"] == "ILHAM WIJAYA, A.Md.RMIK"
    for name in ("ILHAM WIJAYA, A.Md.RMIK", "AHMAD bin SALEH", "dr. BUDI SANTOSO, Sp.PD", "Rina Aminah"):
        assert looks_like_name(name), name


def test_a_word_ocr_split_before_a_doubled_consonant_is_joined() -> None:
    ijazah = ("UNIVERSITAS DIAN NUSWANTORO\nIJAZAH\ndengan ini menyatakan bahwa\nYULI RAMADHANI AN GGRAINI\n"
              "Nomor Induk Mahasiswa 1935870, lahir di Dumai tanggal 10 Januari 1989,")
    assert fields(DocType.ijazah, ijazah, ocr=True)["nama"] == "YULI RAMADHANI ANGGRAINI"
    kept = ijazah.replace("YULI RAMADHANI AN GGRAINI", "NUR AINI SAPUTRI")
    assert fields(DocType.ijazah, kept, ocr=True)["nama"] == "NUR AINI SAPUTRI"


def test_prose_after_a_marker_is_no_name_and_a_dashed_degree_is_read_as_printed() -> None:
    rekom = ("SURAT REKOMENDASI\nNomor : REK/PORMIKI-BTG/940/X/2026\nsetelah melakukan verifikasi terhadap\n"
             "Dewan Pengurus Cabang PORMIKI Kota Bontang\nrekomendasi kepada\n"
             "kelengkapan keanggotaan, dengan ini member ikan\nNama YULI RAMADHANI ANGGRAINI, A-Md. RMIK\n"
             "No. Anggota PC YRMIKI\nTempat/Tgl. Lahir")
    assert fields(DocType.rekomendasi_organisasi_profesi, rekom, ocr=True)["nama"] == \
        "YULI RAMADHANI ANGGRAINI, A.Md.RMIK"
    spaced = rekom.replace("A-Md. RMIK", "A.Md. Kes")
    assert fields(DocType.rekomendasi_organisasi_profesi, spaced, ocr=True)["nama"] == \
        "YULI RAMADHANI ANGGRAINI, A.Md.Kes"
    specialist = rekom.replace("YULI RAMADHANI ANGGRAINI, A-Md. RMIK", "dr. RINA SARI, Sp.THT-KL")
    assert fields(DocType.rekomendasi_organisasi_profesi, specialist, ocr=True)["nama"] == "dr. RINA SARI, Sp.THT-KL"


def test_a_month_run_in_from_the_next_column_ends_a_name_whose_titles_start_a_line_below() -> None:
    sehat = ("SURAT KETERANGAN DOKTER\n(Keterangan Berbadan Sehat)\nNo. 445/403/X/2026\n"
             "ama Medika menerangkan bahwa Sdr/i WULAN PERTIWI,\nNovember 1987, umur 39 tahun, beralamat di Jl.\n"
             "ksaan fisik pada hari ini dengan hasil:\nDokter pemeriksa pada Klinik Ut\n"
             "S.Tr.Kes, lahir di Bontang tanggal 7\nMerdeka No. 87, telah menjalani pemeril\n"
             "Bontang, 20 Oktober 2026\nRika Amelia")
    assert fields(DocType.surat_keterangan_sehat, sehat, ocr=True)["nama"] == "WULAN PERTIWI, S.Tr.Kes"
    untitled = sehat.replace("S.Tr.Kes, lahir", "lahir")
    assert fields(DocType.surat_keterangan_sehat, untitled, ocr=True)["nama"] == "WULAN PERTIWI"


def test_the_first_names_a_table_cell_wrapped_away_come_from_where_the_name_is_written_whole() -> None:
    sop = ("PRAKTIK MANDIRI PEMINJAMAN BERKAS REKAM MEDIS\nPEREKAM MEDIS\nRINA SUSANTI No. Dokumen Revisi Halaman\n"
           "WAHYUNI, A.Md.RMIK SOP/PM-RMIK/029/1 00 1/1\nDitetapkan oleh\nSTANDAR\nTanggal Terbit\nOPERASIONAL\n"
           "7 November 2026 RINA SUSANTI WAHYUNI,\nPROSEDUR\nA.Md.RMIK\n"
           "Peminjaman Berkas Rekam Medis adalah rangkaian kegiatan yang")
    assert fields(DocType.sop_praktik, sop, sop.replace("029/1", "029/2"))["nama"] == "RINA SUSANTI WAHYUNI, A.Md.RMIK"


def test_a_label_in_the_next_cell_is_no_title() -> None:
    sop = ("PRAKTIK MANDIRI PENGKODEAN DIAGNOSIS (ICD-10)\nPEREKAM MEDIS\nRATNA HALIMAH, No. Dokumen Revisi Halaman\n"
           "S.Tr.RMIK SOP/PM-RMIK/001/2 00 1/1\nSTANDAR Ditetapkan oleh\nTanggal Terbit\nOPERASIONAL\n"
           "4 Oktober 2026\nPROSEDUR RATNA HALIMAH, S.Tr.RMIK\nPengkodean Diagnosis (ICD-10) adalah rangkaian")
    assert fields(DocType.sop_praktik, sop, sop)["nama"] == "RATNA HALIMAH, S.Tr.RMIK"


def test_a_lists_name_column_is_no_label_of_a_persons_name() -> None:
    alkes = ("DAFTAR ALAT KESEHATAN\nndiri Perekam Medis BAYU WIJAYA SAPUTRA, A.Md.Kes\n"
             "Jl. Bhayangkara No. 8, Bontang Selatan\nNama Alat _[Jumitan Kon\nPrinter 4 Baik\n"
             "Tempat sampah medis bertutup 1 di\nBontang, 17 September 2026\nPenanggung jawab,\nMI\n"
             "BAYU WIJAYA SAPUTRA, A.Md.Kes")
    assert fields(DocType.daftar_alat_kesehatan, alkes, ocr=True)["nama"] == "BAYU WIJAYA SAPUTRA, A.Md.Kes"
