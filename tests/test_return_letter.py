"""The return letter (surat pengembalian berkas): what the applicant reads in the PDF."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pdfplumber
import pytest

from checklists.load import load_office, load_service
from izinflow.domain import Decision, Manifest, Pemohon, RequirementResult, RequirementStatus, Verdict
from renderers.dates import format_tanggal
from renderers.letters import render_return_letter, return_letter_html, terbilang

S = RequirementStatus


def _manifest(office: str, variant: str, nama: str = "SITI AMINAH") -> Manifest:
    return Manifest(
        office=office,
        service="sip-perekam-medis",
        variant=variant,
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=timezone(timedelta(hours=7))),
        pemohon=Pemohon(nama=nama, nik="1407015203900002"),
    )


TYPICAL = Verdict(
    Decision.incomplete,
    (
        RequirementResult("surat_permohonan", S.met),
        RequirementResult("meterai", S.invalid, ("surat permohonan tidak bermeterai",)),
        RequirementResult(
            "ijazah", S.invalid, ("fotokopi ijazah tidak dilegalisir dan tidak memuat barcode/QR",)
        ),
        RequirementResult("npwp", S.missing, ("dokumen tidak ditemukan",)),
        RequirementResult(
            "str", S.invalid,
            (
                "STR sudah tidak berlaku sejak 12 Januari 2026",
                "nama pada STR (SITI RAHMAH) tidak sesuai dengan formulir",
            ),
        ),
        RequirementResult(
            "surat_keterangan_domisili", S.missing,
            (
                "dokumen tidak ditemukan",
                "Surat Keterangan Domisili dari Camat setempat wajib karena KTP bukan dari "
                "Kabupaten Rokan Hilir",
            ),
        ),
        RequirementResult("surat_keterangan_tempat_praktik", S.missing, ("dokumen tidak ditemukan",)),
        RequirementResult("pas_foto", S.review, ("pas foto kurang jelas terbaca",)),
    ),
    ("berkas scan.jpg tidak dapat dibaca: berkas rusak",),
)


def _text_of(pdf: bytes) -> tuple[int, str]:
    """Page count and all text; table cells are appended whole, since lines of cells interleave."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [page.extract_text() or "" for page in document.pages]
        cells = [
            cell or ""
            for page in document.pages
            for table in page.extract_tables()
            for row in table
            for cell in row
        ]
    return len(pages), " ".join(" ".join([*pages, *cells]).split())


@pytest.fixture(scope="module")
def rokan_hilir_letter() -> tuple[int, str]:
    pdf = render_return_letter(
        load_office("rokan-hilir"),
        nomor_permohonan="RHL-2026-000123",
        nomor_surat="503/0012/DPMPTSP/XI/2026",
        manifest=_manifest("rokan-hilir", "baru"),
        verdict=TYPICAL,
        checklist=load_service("rokan-hilir", "sip-perekam-medis"),
        tanggal=date(2026, 11, 22),
    )
    assert pdf.startswith(b"%PDF")
    return _text_of(pdf)


def test_letter_names_office_date_applicant_and_application(rokan_hilir_letter: tuple[int, str]) -> None:
    _, text = rokan_hilir_letter
    assert "PEMERINTAH KABUPATEN ROKAN HILIR" in text
    assert "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN ROKAN HILIR" in text.upper()
    assert "Bagansiapiapi, 22 November 2026" in text
    assert "Pengembalian Berkas" in text
    assert "SITI AMINAH" in text
    assert "RHL-2026-000123" in text
    assert "Izin Praktik Perekam Medis" in text and "Permohonan Baru" in text
    assert "4 (empat) hari kerja" in text
    assert "CICI SULASTRI, SKM, M.Si" in text and "NIP. 19780321 200212 2 002" in text
    assert "1407015203900002" not in text


def test_letter_lists_each_missing_or_invalid_requirement_with_its_reason(
    rokan_hilir_letter: tuple[int, str],
) -> None:
    _, text = rokan_hilir_letter
    for title in ("Meterai Rp.10.000,- pada surat permohonan", "Foto copy NPWP", "STR Print Warna"):
        assert title in text
    for reason in (
        "Surat permohonan tidak bermeterai",
        "Fotokopi ijazah tidak dilegalisir dan tidak memuat barcode/QR",
        "STR sudah tidak berlaku sejak 12 Januari 2026",
        "nama pada STR (SITI RAHMAH) tidak sesuai dengan formulir",
        "wajib karena KTP bukan dari Kabupaten Rokan Hilir",
        "berkas scan.jpg tidak dapat dibaca",
    ):
        assert reason in text
    assert "Pas photo" not in text, "requirements under review are not sent to the applicant"


def test_typical_letter_fits_on_one_page(rokan_hilir_letter: tuple[int, str]) -> None:
    pages, _ = rokan_hilir_letter
    assert pages == 1


def test_bontang_letter_uses_its_own_letterhead_and_sla() -> None:
    verdict = Verdict(
        Decision.incomplete,
        (RequirementResult("denah_lokasi", S.missing, ("dokumen tidak ditemukan",)),),
    )
    pdf = render_return_letter(
        load_office("bontang"),
        nomor_permohonan="BTG-2026-000007",
        nomor_surat="503/0007/DPMPTSP/XI/2026",
        manifest=_manifest("bontang", "mandiri", nama="Dewi <b>Lestari</b>"),
        verdict=verdict,
        checklist=load_service("bontang", "sip-perekam-medis"),
        tanggal=date(2026, 3, 2),
    )
    pages, text = _text_of(pdf)
    assert pages == 1
    assert "PEMERINTAH KOTA BONTANG" in text
    assert "Bontang, 2 Maret 2026" in text
    assert "Denah Lokasi Tempat Praktik" in text
    assert "7 (tujuh) hari kerja" in text
    assert "Dewi <b>Lestari</b>" in text, "applicant input is shown as text, not interpreted as HTML"


def test_applicant_text_is_escaped_in_the_html() -> None:
    html = return_letter_html(
        load_office("bontang"),
        nomor_permohonan="BTG-1",
        nomor_surat="503/0001/DPMPTSP/XI/2026",
        manifest=_manifest("bontang", "fasyankes", nama="<script>x</script>"),
        verdict=Verdict(Decision.incomplete, (RequirementResult("str", S.missing),)),
        checklist=load_service("bontang", "sip-perekam-medis"),
        tanggal=date(2026, 3, 2),
    )
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 11, 22), "22 November 2026"),
        (date(2026, 1, 5), "5 Januari 2026"),
        (date(2025, 8, 17), "17 Agustus 2025"),
    ],
)
def test_format_tanggal(d: date, expected: str) -> None:
    assert format_tanggal(d) == expected


def test_terbilang() -> None:
    assert [terbilang(n) for n in (4, 7, 11, 14, 20, 21)] == [
        "empat", "tujuh", "sebelas", "empat belas", "dua puluh", "dua puluh satu",
    ]
