"""The evaluator: each rule of CONTRACT section 6, each requirement status, and the decision."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from checklists.evaluate import evaluate
from checklists.load import load_service
from izinflow.domain import (
    Decision,
    DocType,
    Document,
    Manifest,
    PageRef,
    PageText,
    Pemohon,
    RejectedFile,
    RequirementResult,
    RequirementStatus,
    Verdict,
)

WIB = timezone(timedelta(hours=7))
NIK_ROKAN_HILIR = "1407015203900002"
NIK_PEKANBARU = "1471015203900002"
S = RequirementStatus


def manifest(
    *,
    office: str = "rokan-hilir",
    variant: str = "baru",
    nik: str = NIK_ROKAN_HILIR,
    nama: str = "SITI AMINAH",
) -> Manifest:
    return Manifest(
        office=office,
        service="sip-perekam-medis",
        variant=variant,
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=WIB),
        pemohon=Pemohon(nama=nama, nik=nik),
    )


def doc(doc_type: DocType, page: int, confidence: float = 0.95, ocr: bool = True, **fields: str) -> Document:
    return Document(doc_type, [PageRef("berkas.pdf", page)], confidence, ocr, dict(fields))


def good_rokan_hilir(nik: str = NIK_ROKAN_HILIR) -> dict[DocType, Document]:
    return {
        DocType.surat_permohonan: doc(
            DocType.surat_permohonan, 1, ocr=False, nama="Siti Aminah", meterai="elektronik"
        ),
        DocType.ktp: doc(DocType.ktp, 2, nik=nik, nama="SITI AMINAH"),
        DocType.ijazah: doc(DocType.ijazah, 3, nama="SITI AMINAH, A.Md.RMIK", legalisasi="stempel"),
        DocType.npwp: doc(DocType.npwp, 4, nama="SITI AMINAH"),
        DocType.str: doc(DocType.str, 5, nama="SITI AMINAH, A.Md.RMIK", berlaku_sampai="2030-01-12"),
        DocType.surat_keterangan_sehat: doc(DocType.surat_keterangan_sehat, 6, nama="Siti Aminah"),
        DocType.pas_foto: doc(DocType.pas_foto, 7),
        DocType.surat_keterangan_tempat_praktik: doc(DocType.surat_keterangan_tempat_praktik, 8),
    }


def run(
    docs: dict[DocType, Document] | list[Document], m: Manifest | None = None, **kwargs: object
) -> Verdict:
    m = m or manifest()
    checklist = load_service(m.office, m.service)
    documents = list(docs.values()) if isinstance(docs, dict) else docs
    return evaluate(checklist, m.variant, m, documents, **kwargs)  # type: ignore[arg-type]


def result(verdict: Verdict, code: str) -> RequirementResult:
    return next(r for r in verdict.requirements if r.code == code)


def test_a_complete_bundle_is_complete() -> None:
    verdict = run(good_rokan_hilir())
    assert verdict.decision is Decision.complete
    assert result(verdict, "str").status is S.met
    assert result(verdict, "str").pages == (PageRef("berkas.pdf", 5),)
    assert result(verdict, "meterai").pages == (PageRef("berkas.pdf", 1),)
    assert result(verdict, "surat_keterangan_domisili").status is S.not_required
    assert [r.code for r in verdict.requirements][:3] == ["surat_permohonan", "meterai", "ktp"]


def test_a_missing_document_makes_the_bundle_incomplete() -> None:
    docs = good_rokan_hilir()
    del docs[DocType.npwp]
    verdict = run(docs)
    assert verdict.decision is Decision.incomplete
    assert result(verdict, "npwp").status is S.missing
    assert result(verdict, "npwp").reasons == ("dokumen tidak ditemukan",)


def test_missing_is_never_complete_even_when_everything_else_is_unsure() -> None:
    docs = good_rokan_hilir()
    del docs[DocType.pas_foto]
    docs[DocType.str] = doc(DocType.str, 5, confidence=0.3, nama="SITI AMINAH", berlaku_sampai="2030-01-01")
    assert run(docs).decision is Decision.incomplete
    assert run([]).decision is Decision.incomplete
    assert {r.status for r in run([]).requirements} == {S.missing, S.not_required}


def test_domicile_letter_is_required_outside_rokan_hilir() -> None:
    m = manifest(nik=NIK_PEKANBARU)
    verdict = run(good_rokan_hilir(NIK_PEKANBARU), m)
    domisili = result(verdict, "surat_keterangan_domisili")
    assert domisili.status is S.missing
    assert domisili.reasons == (
        "dokumen tidak ditemukan",
        "Surat Keterangan Domisili dari Camat setempat wajib karena KTP bukan dari Kabupaten Rokan Hilir",
    )
    assert verdict.decision is Decision.incomplete

    docs = good_rokan_hilir(NIK_PEKANBARU)
    docs[DocType.surat_keterangan_domisili] = doc(DocType.surat_keterangan_domisili, 9)
    verdict = run(docs, m)
    assert result(verdict, "surat_keterangan_domisili").status is S.met
    assert verdict.decision is Decision.complete


def test_domicile_follows_the_ktp_nik_when_the_form_nik_is_unusable() -> None:
    verdict = run(good_rokan_hilir(NIK_PEKANBARU), manifest(nik="12345"))
    assert result(verdict, "surat_keterangan_domisili").status is S.missing


def test_bontang_has_no_domicile_requirement() -> None:
    m = manifest(office="bontang", variant="fasyankes", nik=NIK_PEKANBARU)
    docs = [
        doc(DocType.ktp, 1, nik=NIK_PEKANBARU, nama="SITI AMINAH"),
        doc(DocType.ijazah, 2, nama="SITI AMINAH", legalisasi="qr"),
        doc(DocType.str, 3, nama="SITI AMINAH", berlaku_sampai="seumur hidup"),
        doc(DocType.surat_keterangan_sehat, 4, nama="SITI AMINAH"),
        doc(DocType.pas_foto, 5),
        doc(DocType.rekomendasi_organisasi_profesi, 6, nama="Siti Aminah, A.Md.RMIK"),
    ]
    verdict = run(docs, m)
    assert "surat_keterangan_domisili" not in {r.code for r in verdict.requirements}
    assert verdict.decision is Decision.complete

    verdict = run(docs, manifest(office="bontang", variant="mandiri", nik=NIK_PEKANBARU))
    assert verdict.decision is Decision.incomplete
    assert result(verdict, "denah_lokasi").status is S.missing


def test_expired_str_is_invalid_with_the_date_in_words() -> None:
    docs = good_rokan_hilir()
    docs[DocType.str] = doc(DocType.str, 5, nama="SITI AMINAH", berlaku_sampai="2026-01-12")
    verdict = run(docs)
    assert result(verdict, "str").status is S.invalid
    assert result(verdict, "str").reasons == ("STR sudah tidak berlaku sejak 12 Januari 2026",)
    assert result(verdict, "str").pages == (PageRef("berkas.pdf", 5),)
    assert verdict.decision is Decision.incomplete


def test_str_valid_through_the_submission_day_and_for_life() -> None:
    docs = good_rokan_hilir()
    docs[DocType.str] = doc(DocType.str, 5, nama="SITI AMINAH", berlaku_sampai="2026-11-20")
    assert result(run(docs), "str").status is S.met
    docs[DocType.str] = doc(DocType.str, 5, nama="SITI AMINAH", berlaku_sampai="Seumur Hidup")
    assert result(run(docs), "str").status is S.met


def test_unreadable_expiry_goes_to_review_not_met() -> None:
    docs = good_rokan_hilir()
    docs[DocType.str] = doc(DocType.str, 5, nama="SITI AMINAH")
    verdict = run(docs)
    assert result(verdict, "str").status is S.review
    assert verdict.decision is Decision.review


def test_ijazah_without_legalisation_or_qr_is_invalid() -> None:
    docs = good_rokan_hilir()
    docs[DocType.ijazah] = doc(DocType.ijazah, 3, nama="SITI AMINAH", legalisasi="tidak ada")
    verdict = run(docs)
    assert result(verdict, "ijazah").status is S.invalid
    assert result(verdict, "ijazah").reasons == (
        "fotokopi ijazah tidak dilegalisir dan tidak memuat barcode/QR",
    )
    docs[DocType.ijazah] = doc(DocType.ijazah, 3, nama="SITI AMINAH", legalisasi="qr")
    assert result(run(docs), "ijazah").status is S.met
    docs[DocType.ijazah] = doc(DocType.ijazah, 3, nama="SITI AMINAH")
    assert result(run(docs), "ijazah").status is S.review


def test_application_letter_without_meterai_is_invalid() -> None:
    docs = good_rokan_hilir()
    docs[DocType.surat_permohonan] = doc(DocType.surat_permohonan, 1, nama="SITI AMINAH", meterai="tidak ada")
    verdict = run(docs)
    assert result(verdict, "meterai").status is S.invalid
    assert result(verdict, "meterai").reasons == ("surat permohonan tidak bermeterai",)
    assert result(verdict, "surat_permohonan").status is S.met
    assert verdict.decision is Decision.incomplete

    docs[DocType.surat_permohonan] = doc(DocType.surat_permohonan, 1, meterai="tempel")
    assert result(run(docs), "meterai").status is S.met
    del docs[DocType.surat_permohonan]
    verdict = run(docs)
    assert result(verdict, "meterai").status is S.missing
    assert result(verdict, "surat_permohonan").status is S.missing


def test_a_name_that_differs_is_invalid_but_titles_do_not_matter() -> None:
    docs = good_rokan_hilir()
    docs[DocType.str] = doc(DocType.str, 5, nama="SITI RAHMAH", berlaku_sampai="2030-01-01")
    verdict = run(docs)
    assert result(verdict, "str").status is S.invalid
    assert result(verdict, "str").reasons == ("nama pada STR (SITI RAHMAH) tidak sesuai dengan formulir",)

    docs[DocType.str] = doc(DocType.str, 5, nama="Siti Aminah, S.Tr.Kes", berlaku_sampai="2030-01-01")
    assert result(run(docs), "str").status is S.met


def test_a_near_miss_name_or_an_unread_name_goes_to_review() -> None:
    docs = good_rokan_hilir()
    docs[DocType.ktp] = doc(DocType.ktp, 2, nik=NIK_ROKAN_HILIR, nama="SITI AMNAH")
    assert result(run(docs), "ktp").status is S.review
    docs[DocType.ktp] = doc(DocType.ktp, 2, nik=NIK_ROKAN_HILIR)
    assert result(run(docs), "ktp").status is S.review


def test_a_secondary_document_naming_someone_else_is_invalid_and_unread_is_review() -> None:
    docs = good_rokan_hilir()
    docs[DocType.npwp] = doc(DocType.npwp, 4, nama="BUDI SANTOSO")
    assert result(run(docs), "npwp").status is S.invalid
    docs[DocType.npwp] = doc(DocType.npwp, 4)
    assert result(run(docs), "npwp").status is S.review


def test_ktp_nik_not_matching_the_form_is_invalid() -> None:
    docs = good_rokan_hilir(NIK_PEKANBARU)
    verdict = run(docs)
    ktp = result(verdict, "ktp")
    assert ktp.status is S.invalid
    assert ktp.reasons == ("NIK pada KTP tidak sama dengan NIK pada formulir",)
    assert NIK_PEKANBARU not in " ".join(ktp.reasons)


def test_one_digit_ocr_slip_in_the_ktp_nik_goes_to_review() -> None:
    docs = good_rokan_hilir("1407015203900003")
    assert result(run(docs), "ktp").status is S.review
    docs[DocType.ktp] = doc(DocType.ktp, 2, ocr=False, nik="1407015203900003", nama="SITI AMINAH")
    assert result(run(docs), "ktp").status is S.invalid
    # a second, independent reading of the scan read the same digit: no slip, another NIK
    docs[DocType.ktp] = doc(DocType.ktp, 2, nik="1407015203900003", nama="SITI AMINAH")
    docs[DocType.ktp].confirmed = frozenset({"nik"})
    ktp = result(run(docs), "ktp")
    assert ktp.status is S.invalid and ktp.reasons == ("NIK pada KTP tidak sama dengan NIK pada formulir",)


def test_a_malformed_form_nik_is_invalid_and_masked() -> None:
    bad = "1407019903900002"  # day 99: not a date even for a woman (+40)
    verdict = run(good_rokan_hilir(bad), manifest(nik=bad))
    ktp = result(verdict, "ktp")
    assert ktp.status is S.invalid
    assert ktp.reasons[0].startswith("NIK pada formulir tidak valid: ")
    assert bad not in " ".join(ktp.reasons)
    assert verdict.decision is Decision.incomplete


def test_low_confidence_document_is_review_never_met() -> None:
    docs = good_rokan_hilir()
    docs[DocType.pas_foto] = doc(DocType.pas_foto, 7, confidence=0.45)
    verdict = run(docs)
    foto = result(verdict, "pas_foto")
    assert foto.status is S.review
    assert "45%" in foto.reasons[0]
    assert verdict.decision is Decision.review


def test_one_good_document_among_several_is_enough() -> None:
    docs = [*good_rokan_hilir().values()]
    docs.insert(0, doc(DocType.str, 9, nama="SITI AMINAH", berlaku_sampai="2020-01-01"))
    verdict = run(docs)
    assert result(verdict, "str").status is S.met
    assert result(verdict, "str").pages == (PageRef("berkas.pdf", 5),)

    only_bad = [d for d in docs if not (d.doc_type is DocType.str and d.pages[0].page == 5)]
    only_bad.append(doc(DocType.str, 10, nama="SITI RAHMAH", berlaku_sampai="2030-01-01"))
    verdict = run(only_bad)
    assert result(verdict, "str").status is S.invalid
    assert len(result(verdict, "str").reasons) == 2
    assert set(result(verdict, "str").pages) == {PageRef("berkas.pdf", 9), PageRef("berkas.pdf", 10)}


def test_perpanjangan_needs_skp_and_the_old_sip() -> None:
    verdict = run(good_rokan_hilir(), manifest(variant="perpanjangan"))
    assert result(verdict, "bukti_skp").status is S.missing
    assert result(verdict, "sip_lama").status is S.missing
    assert verdict.decision is Decision.incomplete


def test_unreadable_files_turn_a_missing_document_into_review() -> None:
    docs = good_rokan_hilir()
    del docs[DocType.npwp]
    verdict = run(docs, unread=[RejectedFile("npwp.jpg", "berkas rusak")])
    assert result(verdict, "npwp").status is S.review
    assert verdict.decision is Decision.review
    assert verdict.reasons == ("berkas npwp.jpg tidak dapat dibaca: berkas rusak",)

    error_page = PageText(PageRef("scan.pdf", 3), "", ocr=True, error="halaman kosong atau rusak")
    verdict = run(docs, page_errors=[error_page])
    assert verdict.decision is Decision.review
    assert "halaman 3 pada berkas scan.pdf" in verdict.reasons[0]


def test_unreadable_files_do_not_hide_a_definite_problem_or_spoil_a_complete_bundle() -> None:
    docs = good_rokan_hilir()
    docs[DocType.str] = doc(DocType.str, 5, nama="SITI AMINAH", berlaku_sampai="2020-01-01")
    assert run(docs, unread=[RejectedFile("x.pdf", "terkunci")]).decision is Decision.incomplete
    verdict = run(good_rokan_hilir(), unread=[RejectedFile("x.pdf", "terkunci")])
    assert verdict.decision is Decision.complete
    assert verdict.reasons


def test_unknown_variant_is_refused() -> None:
    with pytest.raises(KeyError):
        run(good_rokan_hilir(), manifest(variant="mandiri"))


def test_domicile_is_review_when_no_nik_can_be_read_at_all() -> None:
    docs = good_rokan_hilir()
    docs[DocType.ktp] = doc(DocType.ktp, 2, nama="SITI AMINAH")
    verdict = run(docs, manifest(nik="12345"))
    domisili = result(verdict, "surat_keterangan_domisili")
    assert domisili.status is S.review
    assert "NIK tidak terbaca" in domisili.reasons[-1]


def test_a_document_whose_name_cannot_be_read_is_review_never_complete() -> None:
    docs = good_rokan_hilir()
    docs[DocType.surat_keterangan_sehat] = doc(DocType.surat_keterangan_sehat, 6)
    verdict = run(docs)
    assert result(verdict, "surat_keterangan_sehat").status is S.review
    assert verdict.decision is Decision.review


@pytest.mark.parametrize("read_as", ["A.Md.RMIK", "Tempat:Tgl Lahir", "kelengkapan keanggotaan"])
def test_a_label_or_title_read_as_the_name_is_review_not_a_mismatch(read_as: str) -> None:
    docs = good_rokan_hilir()
    docs[DocType.str] = doc(DocType.str, 5, nama=read_as, berlaku_sampai="2030-01-12")
    assert result(run(docs), "str").status is S.review


@pytest.mark.parametrize("read_as", ["SITI", "SITI AMINAH NOVEMBER"])
def test_a_name_cut_short_or_with_a_stray_word_is_review(read_as: str) -> None:
    docs = good_rokan_hilir()
    docs[DocType.ijazah] = doc(DocType.ijazah, 3, nama=read_as, legalisasi="stempel")
    assert result(run(docs), "ijazah").status is S.review


def test_another_person_sharing_a_first_name_is_still_invalid() -> None:
    docs = good_rokan_hilir()
    docs[DocType.ijazah] = doc(DocType.ijazah, 3, nama="SITI RAHMAH", legalisasi="stempel")
    assert result(run(docs), "ijazah").status is S.invalid


@pytest.mark.parametrize(
    "read_as", ["YULI FITRIANI, ig", "Yuli Fitriani, A-Md. RMIK", "YULI FITRIANI, S.Tr.Kes, November"]
)
def test_what_follows_the_comma_of_a_name_is_titles_or_noise(read_as: str) -> None:
    docs = good_rokan_hilir()
    m = manifest(nama="YULI FITRIANI")
    docs[DocType.ktp] = doc(DocType.ktp, 2, nik=NIK_ROKAN_HILIR, nama="YULI FITRIANI")
    for t in (DocType.surat_permohonan, DocType.ijazah, DocType.npwp, DocType.surat_keterangan_sehat):
        docs[t].fields["nama"] = "YULI FITRIANI"
    docs[DocType.str] = doc(DocType.str, 5, nama=read_as, berlaku_sampai="2030-01-12")
    assert result(run(docs, m), "str").status is S.met
