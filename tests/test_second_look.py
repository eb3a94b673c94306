"""The second reading of scanned documents: which documents get one, and how two readings merge."""

from __future__ import annotations

from checklists.load import load_service
from checklists.model import fields_needed
from flows.verification import confirmed_fields, fields_sought, merge_readings, missing_fields
from izinflow.domain import DocType, Document, PageRef


def _doc(doc_type: DocType, ocr: bool = True, **fields: str) -> Document:
    return Document(doc_type, [PageRef("scan.pdf", 1)], 0.9, ocr, dict(fields))


def test_the_fields_each_document_must_yield_come_from_the_checklist() -> None:
    needed = fields_needed(load_service("rokan-hilir", "sip-perekam-medis"), "baru")
    assert needed["ktp"] == {"nik", "nama"}
    assert needed["str"] == {"nama", "berlaku_sampai"}
    assert needed["ijazah"] == {"nama", "legalisasi"}
    assert "meterai" in needed["surat_permohonan"]
    assert "pas_foto" not in needed


def test_a_document_lacking_a_needed_field_or_with_a_label_for_a_name_gets_a_second_reading() -> None:
    needed = frozenset({"nama", "berlaku_sampai"})
    assert missing_fields(_doc(DocType.str, nama="SITI AMINAH", berlaku_sampai="seumur hidup"), needed) == set()
    assert missing_fields(_doc(DocType.str, nama="SITI AMINAH"), needed) == {"berlaku_sampai"}
    assert missing_fields(_doc(DocType.str, nama="Tempat/Tgl Lahir", berlaku_sampai="2030-01-01"), needed) == {"nama"}
    stamp = frozenset({"legalisasi"})
    assert missing_fields(_doc(DocType.ijazah, legalisasi="tidak ada"), stamp) == {"legalisasi"}
    assert missing_fields(_doc(DocType.ijazah, ocr=False, legalisasi="tidak ada"), stamp) == set()


def test_a_scanned_letter_about_a_person_whose_name_was_not_read_gets_a_second_reading() -> None:
    needed = fields_needed(load_service("rokan-hilir", "sip-perekam-medis"), "baru")
    assert "surat_keterangan_tempat_praktik" not in needed  # no rule compares its name
    sought = fields_sought(DocType.surat_keterangan_tempat_praktik, frozenset())
    # OCR lost the body with the name ('Fasilitas pelayanan tersebut telah teregistrasi ...')
    assert missing_fields(_doc(DocType.surat_keterangan_tempat_praktik, nomor_surat="800/813/IX/2026"), sought) == {
        "nama"}
    assert missing_fields(_doc(DocType.surat_keterangan_tempat_praktik, nama="RINA AMINAH, S.KM"), sought) == set()
    assert fields_sought(DocType.pas_foto, frozenset()) == frozenset()  # no person's name to read on a photo


def test_the_second_reading_fills_gaps_but_never_overrules_what_the_first_read() -> None:
    first = {"nama": "A.Md.RMIK", "nomor_str": "1234", "legalisasi": "tidak ada"}
    second = {"nama": "SITI AMINAH, A.Md.RMIK", "nomor_str": "9999", "berlaku_sampai": "2030-01-01",
              "legalisasi": "stempel"}
    merged = merge_readings(first, second)
    assert merged == {"nama": "SITI AMINAH, A.Md.RMIK", "nomor_str": "1234", "berlaku_sampai": "2030-01-01",
                      "legalisasi": "stempel"}
    assert merge_readings({"meterai": "tempel"}, {"meterai": "tidak ada"}) == {"meterai": "tempel"}
    assert merge_readings({}, {"meterai": "tidak ada"}) == {}


def test_absence_of_a_stamp_is_taken_from_the_second_reading_only_where_it_examined_the_ink() -> None:
    assert merge_readings({}, {"legalisasi": "tidak ada"}, absent_proven={"legalisasi"}) == {"legalisasi": "tidak ada"}
    assert merge_readings({}, {"meterai": "tidak ada"}, absent_proven={"legalisasi"}) == {}
    kept = merge_readings({"legalisasi": "stempel"}, {"legalisasi": "tidak ada"}, absent_proven={"legalisasi"})
    assert kept == {"legalisasi": "stempel"}


def test_a_field_is_confirmed_only_when_both_readings_read_it_the_same() -> None:
    first = {"nik": "1407015203900003", "nama": "SITI AMINAH"}
    assert confirmed_fields(first, {"nik": "1407015203900003"}, ("nik",)) == {"nik"}
    assert confirmed_fields(first, {"nik": "1407015203900002"}, ("nik",)) == frozenset()
    assert confirmed_fields(first, {}, ("nik",)) == frozenset()
    assert confirmed_fields({}, {}, ("nik",)) == frozenset()


def test_a_scanned_list_always_gets_a_second_reading_a_text_layer_list_never() -> None:
    needed = fields_needed(load_service("bekasi", "izin-klinik-utama"), "baru")
    assert needed["daftar_sdm"] == {"rows"} and needed["profil_klinik"] == {"nama_klinik"}
    rows = [{"nama": "dr. Rina", "profesi": "Dokter Umum", "nomor_str": ""}]
    scanned = _doc(DocType.daftar_sdm)
    scanned.rows = rows
    assert missing_fields(scanned, needed["daftar_sdm"]) == {"rows"}
    typed = _doc(DocType.daftar_sdm, ocr=False)
    typed.rows = rows
    assert missing_fields(typed, needed["daftar_sdm"]) == set()
