"""The clinic services' checks: the clinic named on its documents, lists read as rows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from checklists.evaluate import evaluate
from checklists.load import load_service
from izinflow.domain import Decision, DocType, Document, Manifest, PageRef, Pemohon, RequirementStatus, TempatPraktik

WIB = timezone(timedelta(hours=7))
S = RequirementStatus
STAFF = [{"nama": "dr. Rina Kartika", "profesi": "Dokter Umum", "nomor_str": "3171012345678901"}]
ITEMS = [{"nama": "Ruang tunggu", "jumlah": "1", "kondisi": "Baik"}]


def manifest(office: str = "bekasi", service: str = "izin-klinik-utama", variant: str = "baru") -> Manifest:
    return Manifest(
        office=office, service=service, variant=variant, submitted_at=datetime(2026, 11, 20, 9, 0, tzinfo=WIB),
        pemohon=Pemohon(nama="dr. Rina Kartika", nik="3216015203900002"),
        tempat_praktik=TempatPraktik(nama="Klinik Utama Medika Cikarang", alamat="Jl. Raya Cikarang No. 1"),
    )


def doc(doc_type: DocType, page: int, rows: list[dict[str, str]] | None = None, **fields: str) -> Document:
    d = Document(doc_type, [PageRef("berkas.pdf", page)], 0.9, False, dict(fields))
    d.rows = list(rows or [])
    return d


def bekasi(**changes: Document) -> list[Document]:
    docs = {
        "notifikasi_dinkes": doc(DocType.notifikasi_dinkes, 1, nama_klinik="KLINIK UTAMA MEDIKA CIKARANG"),
        "profil_klinik": doc(DocType.profil_klinik, 2, nama_klinik="Klinik Utama Medika Cikarang"),
        "daftar_sdm": doc(DocType.daftar_sdm, 3, STAFF),
        "daftar_sarana_prasarana": doc(DocType.daftar_sarana_prasarana, 4, ITEMS),
        "daftar_peralatan": doc(DocType.daftar_peralatan, 5, ITEMS),
    }
    docs.update(changes)
    return list(docs.values())


def run(documents: list[Document], m: Manifest | None = None):  # type: ignore[no-untyped-def]
    m = m or manifest()
    return evaluate(load_service(m.office, m.service), m.variant, m, documents)


def status(verdict, code: str) -> RequirementStatus:  # type: ignore[no-untyped-def]
    return next(r for r in verdict.requirements if r.code == code).status


def test_a_complete_clinic_bundle_is_complete() -> None:
    verdict = run(bekasi())
    assert verdict.decision is Decision.complete


def test_another_clinic_named_on_the_profile_is_invalid_with_both_names() -> None:
    verdict = run(bekasi(profil_klinik=doc(DocType.profil_klinik, 2, nama_klinik="Klinik Utama Sehat Sentosa")))
    assert status(verdict, "profil_klinik") is S.invalid and verdict.decision is Decision.incomplete
    reason = next(r for r in verdict.requirements if r.code == "profil_klinik").reasons[0]
    assert "Sehat Sentosa" in reason and "Medika Cikarang" in reason


def test_an_unread_clinic_name_or_an_unread_list_goes_to_a_person() -> None:
    verdict = run(bekasi(notifikasi_dinkes=doc(DocType.notifikasi_dinkes, 1), daftar_sdm=doc(DocType.daftar_sdm, 3)))
    assert status(verdict, "notifikasi_dinkes") is S.review and status(verdict, "daftar_sdm") is S.review
    assert verdict.decision is Decision.review


def test_a_missing_list_is_missing_at_batang_too() -> None:
    m = manifest("batang", "sertifikat-standar-fasyankes", "klinik")
    assessment = doc(DocType.self_assessment, 1, [{"nomor": "1", "uraian": "Lokasi sesuai tata ruang", "skor": "2"}])
    verdict = run([assessment], m)
    assert status(verdict, "daftar_sdm") is S.missing and verdict.decision is Decision.incomplete
    assert run([assessment, doc(DocType.daftar_sdm, 2, STAFF)], m).decision is Decision.complete
