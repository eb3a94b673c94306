"""Every document a case produces, as the office issues it: laid out on A4, numbered, dated, signed
electronically by the office's head, with a QR code that leads to the verification page."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone

import pdfplumber
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from checklists.load import load_office, load_service
from checklists.model import OfficeProfile, ServiceChecklist, StageDocument
from checklists.visit import FieldVisit, VisitTeamMember
from izinflow.domain import Decision, Manifest, Pemohon, RequirementResult, RequirementStatus, TempatPraktik, Verdict
from renderers.dates import format_tanggal
from renderers.document_inputs import (
    BeritaAcaraPemeriksaan,
    BeritaAcaraVisitasi,
    Content,
    DocumentInput,
    IzinKlinik,
    IzinPraktik,
    Koreksi,
    Pengembalian,
    Penolakan,
    Permohonan,
    Petugas,
    RekomendasiDinkes,
    RekomendasiTeknis,
    Rujukan,
    SertifikatStandar,
    SuratTugas,
    TandaTerima,
    permohonan_of,
)
from renderers.documents import DocumentError, document_html, render_pdf, signatory_of
from renderers.numbering import letter_number, verify_url
from renderers.wording import tanggal_terbilang, terbilang

S = RequirementStatus
MM = 72 / 25.4  # points per millimetre
WIB = timezone(timedelta(hours=7))
TOKEN = "q7Xc2mR9vT4bN8kLw3Zp6YfH1sJd5G"  # + two characters: 32, as secrets.token_urlsafe(24)

# --- realistic cases, one per office -------------------------------------------------------------

RHL = load_office("rokan-hilir")
BTG = load_office("bontang")
BKS = load_office("bekasi")
BTA = load_office("batang")
RHL_SIP = load_service("rokan-hilir", "sip-perekam-medis")
BTG_SIP = load_service("bontang", "sip-perekam-medis")
BKS_KLINIK = load_service("bekasi", "izin-klinik-utama")
BTA_FASYANKES = load_service("batang", "sertifikat-standar-fasyankes")

RHL_MANIFEST = Manifest(
    office="rokan-hilir", service="sip-perekam-medis", variant="baru",
    submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=WIB),
    pemohon=Pemohon(nama="SITI  AMINAH, A.Md.RMIK", nik="1407015203900002"),
    tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagan Punak, Bagansiapiapi"),
)
RHL_APP = permohonan_of(RHL_MANIFEST, "RHL-2026-000123")
BTG_APP = Permohonan(
    "BTG-2026-000007", date(2026, 11, 16), "fasyankes", "Dewi Lestari, A.Md.PK",
    "RSUD Taman Husada Bontang", "Jl. S. Parman No. 1, Belimbing, Bontang Barat",
)
BKS_APP = Permohonan(
    "BKS-2026-000042", date(2026, 11, 10), "baru", "dr. Andi Pratama",
    "Klinik Utama Sehat Sentosa", "Jl. Raya Cikarang-Cibarusah No. 88, Sukaresmi, Cikarang Selatan",
)
BTA_APP = Permohonan(
    "BTA-2026-000015", date(2026, 11, 2), "klinik", "dr. Rahmat Hidayat",
    "Klinik Pratama Medika Utama", "Jl. Ahmad Yani No. 45, Kauman, Batang",
)

RHL_VERDICT = Verdict(
    Decision.review,
    (
        RequirementResult("surat_permohonan", S.met),
        RequirementResult("meterai", S.met),
        RequirementResult("ktp", S.met),
        RequirementResult("surat_keterangan_domisili", S.not_required, ("KTP dari Kabupaten Rokan Hilir",)),
        RequirementResult("ijazah", S.invalid, ("fotokopi ijazah tidak dilegalisir dan tidak memuat barcode/QR",)),
        RequirementResult("npwp", S.met),
        RequirementResult("str", S.met),
        RequirementResult("surat_keterangan_sehat", S.met),
        RequirementResult("pas_foto", S.review, ("pas foto kurang jelas terbaca",)),
        RequirementResult("surat_keterangan_tempat_praktik", S.met),
    ),
    ("berkas scan_halaman_9.jpg tidak dapat dibaca: berkas rusak",),
)
BTG_VERDICT = Verdict(
    Decision.review,
    (
        *(RequirementResult(r.code, S.met) for r in BTG_SIP.requirements_for("fasyankes")[:-1]),
        RequirementResult("rekomendasi_organisasi_profesi", S.review, ("nama pada surat tidak terbaca",)),
    ),
)

TEAM = (
    VisitTeamMember("dr. Lestari Wulandari", "Kepala Seksi Pelayanan Kesehatan Rujukan"),
    VisitTeamMember("Agus Santoso, S.KM", "Sanitarian Ahli Muda"),
    VisitTeamMember("apt. Nur Aini, S.Farm", "Apoteker Ahli Pertama"),
)
_SHEET = BTA_FASYANKES.field_visit
assert _SHEET is not None
_LOWER = {"B4": 1, "C3": 1, "E3": 1, "F3": 0}
VISIT = FieldVisit(
    application_id=15, visited_on=date(2026, 11, 9), team=TEAM,
    scores={item.code: _LOWER.get(item.code, item.max) for item in _SHEET.items},
    notes={"B4": "perjanjian kerja sama pengolahan limbah B3 berakhir Desember 2026",
           "F3": "belum ada perjanjian kerja sama rujukan dengan rumah sakit"},
)
FAILED_VISIT = replace(VISIT, scores={item.code: 1 for item in _SHEET.items})


def _input(office: OfficeProfile, checklist: ServiceChecklist, app: Permohonan, kind: StageDocument, number: int,
           tanggal: date, content: Content) -> DocumentInput:
    return DocumentInput(
        office=office, checklist=checklist, permohonan=app,
        nomor_surat=letter_number(office, kind, number, tanggal), tanggal=tanggal,
        verify_url=verify_url(office, f"{TOKEN}{number:02d}"), content=content,
    )


@dataclass(frozen=True)
class Case:
    doc: DocumentInput
    pages: int
    expected: tuple[str, ...]  # phrases the document must print


CASES: dict[str, Case] = {
    "rhl-tanda-terima": Case(_input(
        RHL, RHL_SIP, RHL_APP, StageDocument.tanda_terima_berkas, 31, date(2026, 11, 23),
        TandaTerima(datetime(2026, 11, 23, 10, 5, tzinfo=WIB),
                    replace(RHL_VERDICT, requirements=tuple(
                        replace(r, status=S.met) if r.status == S.invalid else r for r in RHL_VERDICT.requirements)),
                    perkiraan_selesai=date(2026, 11, 27)),
    ), 1, ("TANDA TERIMA BERKAS PERMOHONAN", "23 November 2026 pukul 10.05 WIB", "27 November 2026",
           "STR Print Warna", "Ada, diperiksa petugas", "4 (empat) hari kerja")),
    "rhl-pengembalian": Case(_input(
        RHL, RHL_SIP, RHL_APP, StageDocument.surat_pengembalian_berkas, 12, date(2026, 11, 22),
        Pengembalian(RHL_VERDICT),
    ), 1, ("Pengembalian Berkas", "Tidak sesuai", "tidak memuat barcode/QR", "scan_halaman_9.jpg")),
    "rhl-ba-pemeriksaan": Case(_input(
        RHL, RHL_SIP, RHL_APP, StageDocument.berita_acara_pemeriksaan_berkas, 8, date(2026, 11, 23),
        BeritaAcaraPemeriksaan(
            diperiksa_pada=datetime(2026, 11, 23, 3, 30, tzinfo=UTC),
            pemeriksa=(Petugas("RAHMAT HIDAYAT, S.H.", "Penata Perizinan Ahli Muda", "Penata Tk. I (III/d)",
                               "19840211 200902 1 003"),
                       Petugas("NURUL HASANAH, S.Kom", "Petugas Back Office")),
            verdict=RHL_VERDICT,
            koreksi=(
                Koreksi("ijazah", S.met, "halaman 2 ijazah memuat QR Kemdikbud yang terbaca saat diperiksa petugas",
                        "RAHMAT HIDAYAT, S.H."),
                Koreksi("pas_foto", S.met, "pas foto jelas pada berkas asli", "NURUL HASANAH, S.Kom"),
            ),
        ),
    ), 2, ("BERITA ACARA PEMERIKSAAN BERKAS PERMOHONAN",
           "Senin tanggal dua puluh tiga bulan November tahun dua ribu dua puluh enam, pukul 10.30 WIB",
           "RAHMAT HIDAYAT, S.H.", "NIP. 19840211 200902 1 003", "NURUL HASANAH, S.Kom",
           "Diubah dari hasil sistem oleh RAHMAT HIDAYAT, S.H.", "memuat QR Kemdikbud",
           "Tidak dipersyaratkan", "scan_halaman_9.jpg", "LENGKAP DAN BENAR", "Mengetahui")),
    "rhl-izin": Case(_input(
        RHL, RHL_SIP, RHL_APP, StageDocument.izin, 57, date(2026, 11, 24),
        IzinPraktik(nomor_str="PM00001452360817", str_berlaku_sampai=None, berlaku_sampai=date(2031, 11, 24)),
    ), 1, ("SURAT IZIN PRAKTIK PEREKAM MEDIS", "PM00001452360817", "seumur hidup", "24 November 2031",
           "RSUD Dr. R.M. Pratomo", "Peraturan Menteri Kesehatan Nomor 55 Tahun 2013", "Ditetapkan di",
           "1 (satu)")),
    "btg-tanda-terima": Case(_input(
        BTG, BTG_SIP, BTG_APP, StageDocument.tanda_terima_berkas, 5, date(2026, 11, 17),
        TandaTerima(datetime(2026, 11, 17, 1, 40, tzinfo=UTC), BTG_VERDICT),
    ), 1, ("17 November 2026 pukul 09.40 WITA", "Scan Surat Tanda Registrasi (STR)", "7 (tujuh) hari kerja")),
    "btg-rekomendasi-terbit": Case(_input(
        BTG, BTG_SIP, BTG_APP, StageDocument.rekomendasi_dinkes, 3, date(2026, 11, 19),
        RekomendasiDinkes("penerbitan", "PM00002276410955", date(2030, 5, 31), diverifikasi_pada=date(2026, 11, 18)),
    ), 1, ("DINAS KESEHATAN KOTA BONTANG", "Rekomendasi Penerbitan Surat Izin Praktik Perekam Medis",
           "merekomendasikan penerbitan", "sampai dengan 31 Mei 2030", "18 November 2026",
           "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Bontang")),
    "btg-rekomendasi-tolak": Case(_input(
        BTG, BTG_SIP, BTG_APP, StageDocument.rekomendasi_dinkes, 4, date(2026, 11, 19),
        RekomendasiDinkes("penolakan", "PM00002276410955", date(2030, 5, 31), diverifikasi_pada=date(2026, 11, 18),
                          alasan=("tempat praktik yang dimohonkan belum memiliki unit kerja rekam medis",),
                          surat_permintaan=Rujukan("503/0044/DPMPTSP/XI/2026", date(2026, 11, 17))),
    ), 1, ("Rekomendasi Penolakan Surat Izin Praktik Perekam Medis", "merekomendasikan penolakan",
           "belum memiliki unit kerja rekam medis", "503/0044/DPMPTSP/XI/2026")),
    "btg-penolakan": Case(_input(
        BTG, BTG_SIP, BTG_APP, StageDocument.surat_penolakan, 2, date(2026, 11, 20),
        Penolakan(
            alasan=("tempat praktik yang dimohonkan belum memiliki unit kerja rekam medis",),
            dasar=("Rekomendasi Kepala Dinas Kesehatan Kota Bontang Nomor 440/0004/DINKES/XI/2026 tanggal "
                   "19 November 2026 perihal Rekomendasi Penolakan Surat Izin Praktik Perekam Medis",),
        ),
    ), 1, ("Penolakan Permohonan Izin Praktik Perekam Medis", "tidak dapat disetujui (ditolak)",
           "440/0004/DINKES/XI/2026", "LAPOR!", "7 (tujuh) hari")),
    "btg-izin": Case(_input(
        BTG, BTG_SIP, BTG_APP, StageDocument.izin, 7, date(2026, 11, 23),
        IzinPraktik(nomor_str="PM00002276410955", str_berlaku_sampai=date(2030, 5, 31),
                    berlaku_sampai=date(2030, 5, 31),
                    rekomendasi=Rujukan("440/0003/DINKES/XI/2026", date(2026, 11, 19))),
    ), 1, ("SURAT IZIN PRAKTIK PEREKAM MEDIS", "Rekomendasi Kepala Dinas Kesehatan Kota Bontang Nomor "
           "440/0003/DINKES/XI/2026 tanggal 19 November 2026", "sampai dengan 31 Mei 2030",
           "Praktik di Fasilitas Pelayanan Kesehatan")),
    "bks-izin": Case(_input(
        BKS, BKS_KLINIK, BKS_APP, StageDocument.izin, 42, date(2026, 11, 24),
        IzinKlinik(jenis_pelayanan="Pelayanan medik spesialistik penyakit dalam, anak, serta kebidanan dan kandungan",
                   pemilik="PT Sehat Sentosa Medika", penanggung_jawab="dr. Andi Pratama, Sp.PD",
                   berlaku_sampai=date(2031, 11, 24), nib="9120304561234",
                   notifikasi=Rujukan("445/1234/Yankes/XI/2026", date(2026, 11, 5))),
    ), 1, ("SURAT IZIN KLINIK UTAMA", "Klinik Utama Sehat Sentosa", "PT Sehat Sentosa Medika", "9120304561234",
           "Peraturan Bupati Bekasi Nomor 8 Tahun 2019", "445/1234/Yankes/XI/2026", "24 November 2031")),
    "bta-surat-tugas": Case(_input(
        BTA, BTA_FASYANKES, BTA_APP, StageDocument.surat_tugas_visitasi, 21, date(2026, 11, 4),
        SuratTugas(tim=(Petugas("dr. Lestari Wulandari", "Kepala Seksi Pelayanan Kesehatan Rujukan",
                                "Pembina (IV/a)", "19800412 200604 2 011"),
                        Petugas("Agus Santoso, S.KM", "Sanitarian Ahli Muda", "Penata Tk. I (III/d)"),
                        Petugas("apt. Nur Aini, S.Farm", "Apoteker Ahli Pertama")),
                   tanggal_visitasi=date(2026, 11, 9)),
    ), 1, ("SURAT TUGAS", "MENUGASKAN", "dr. Lestari Wulandari", "NIP. 19800412 200604 2 011",
           "Senin, 9 November 2026", "Klinik Pratama Medika Utama", "000.8.3.2/101/2024", "Dikeluarkan di")),
    "bta-ba-visitasi": Case(_input(
        BTA, BTA_FASYANKES, BTA_APP, StageDocument.berita_acara_visitasi, 9, date(2026, 11, 10),
        BeritaAcaraVisitasi(VISIT, surat_tugas=Rujukan("800.1.11.1/0021/DINKES/XI/2026", date(2026, 11, 4)),
                            pendamping=Petugas("dr. Rahmat Hidayat", "Penanggung Jawab Klinik")),
    ), 2, ("BERITA ACARA HASIL VISITASI", "Senin tanggal sembilan bulan November tahun dua ribu dua puluh enam",
           "800.1.11.1/0021/DINKES/XI/2026", "Persyaratan lokasi dan bangunan", "Ketenagaan", "47", "52", "90,3%",
           "batas memenuhi 75%", "MEMENUHI", "belum ada perjanjian kerja sama rujukan", "skor 0 dari 2",
           "Apoteker Ahli Pertama")),
    "bta-rekomendasi-teknis": Case(_input(
        BTA, BTA_FASYANKES, BTA_APP, StageDocument.rekomendasi_teknis, 11, date(2026, 11, 11),
        RekomendasiTeknis(VISIT, Rujukan("400.7/0009/DINKES/XI/2026", date(2026, 11, 10)),
                          jenis_fasyankes="Klinik Pratama", penanggung_jawab="dr. Rahmat Hidayat"),
    ), 1, ("Rekomendasi Teknis Perizinan Fasilitas Pelayanan Kesehatan",
           "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Batang",
           "400.7/0009/DINKES/XI/2026", "90,3%", "MEMENUHI", "Tembusan")),
    "bta-sertifikat": Case(_input(
        BTA, BTA_FASYANKES, BTA_APP, StageDocument.izin, 6, date(2026, 11, 13),
        SertifikatStandar(VISIT, Rujukan("400.7/0009/DINKES/XI/2026", date(2026, 11, 10)),
                          jenis_fasyankes="Klinik Pratama", penanggung_jawab="dr. Rahmat Hidayat",
                          nib="8120015562033", kbli="86105"),
    ), 1, ("SERTIFIKAT STANDAR", "Klinik Pratama Medika Utama", "90,3%", "8120015562033", "86105",
           "selama fasilitas tersebut tetap memenuhi standar")),
}


# --- rendering once, reading back what a reader (and a scanner) sees ------------------------------


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes
    text: str  # every page's words in reading order
    pages: list[pdfplumber.page.Page]
    images: list[Image.Image]  # each page at 150 dpi (pdftoppm)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out: dict[str, Rendered] = {}
    folder = tmp_path_factory.mktemp("documents")
    for name, case in CASES.items():
        html = document_html(case.doc)
        pdf = render_pdf(html)
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(path), str(folder / name)], check=True)
        images = [Image.open(p).convert("L") for p in sorted(folder.glob(f"{name}-*.png"))]
        document = pdfplumber.open(io.BytesIO(pdf))
        # In content-stream order, which is the document's: side-by-side cells do not interleave.
        text = " ".join(w["text"] for page in document.pages for w in page.extract_words(use_text_flow=True))
        out[name] = Rendered(html, pdf, text, list(document.pages), images)
    return out


def _words(page: pdfplumber.page.Page) -> list[dict]:
    return page.extract_words(use_text_flow=True, extra_attrs=["size"])


def _find(words: list[dict], phrase: str) -> list[dict]:
    """The words of the first occurrence of ``phrase`` (consecutive words), or []."""
    wanted = phrase.split()
    texts = [w["text"] for w in words]
    for i in range(len(texts) - len(wanted) + 1):
        if texts[i:i + len(wanted)] == wanted:
            return words[i:i + len(wanted)]
    return []


NAMES = list(CASES)


@pytest.mark.parametrize("name", NAMES)
def test_document_prints_number_on_top_and_applicant_date_and_content(
    name: str, rendered: dict[str, Rendered]
) -> None:
    case, doc = CASES[name], rendered[name]
    assert len(doc.pages) == case.pages
    first = doc.pages[0]
    number = _find(_words(first), case.doc.nomor_surat)
    assert number, f"{case.doc.nomor_surat} not printed on the first page"
    assert number[0]["top"] < first.height / 3, "the number is in the top third of the first page"
    assert " ".join(case.doc.permohonan.pemohon_nama.split()) in doc.text
    assert format_tanggal(case.doc.tanggal) in doc.text
    for phrase in case.expected:
        assert phrase in doc.text, phrase


@pytest.mark.parametrize("name", NAMES)
def test_signature_block_closes_the_last_page(name: str, rendered: dict[str, Rendered]) -> None:
    case, doc = CASES[name], rendered[name]
    signatory = signatory_of(case.doc)
    assert doc.text.count("Ditandatangani secara elektronik") == 1, "one anchor for the PAdES signature field"
    last = doc.pages[-1]
    words = _words(last)
    anchor = _find(words, "Ditandatangani secara elektronik")
    assert anchor, "the signature block is on the last page"
    top = anchor[0]["top"]
    if len(doc.pages) == 1:
        assert top > 0.45 * last.height, "the signature block is in the lower part of the page"
    jabatan = _find(words, signatory.jabatan.split()[-1] + ",")
    nama = _find(words, signatory.nama)
    nip = _find(words, f"NIP. {signatory.nip}")
    assert jabatan and nama and nip
    assert 0 < top - jabatan[0]["bottom"] < 20 * MM, "the jabatan stands right above the signature"
    assert 0 < nama[0]["top"] - anchor[0]["bottom"] < 15 * MM, "the name stands right below the signature"
    assert nama[0]["top"] < nip[0]["top"] < nama[0]["top"] + 15 * MM
    if signatory.pangkat:
        assert signatory.pangkat in last.extract_text()
    centre = (anchor[0]["x0"] + anchor[-1]["x1"]) / 2
    assert abs(centre - (nama[0]["x0"] + nama[-1]["x1"]) / 2) < 3 * MM, "one centred block"


def _assert_within_margins(pages: list[pdfplumber.page.Page]) -> None:
    # base_surat.html: @page margin 10mm 18mm 14mm 25mm; page numbers and footer (7pt and less) sit in
    # the top and bottom margins, everything else inside.
    for page in pages:
        left, right = 25 * MM - 0.5, page.width - 18 * MM + 0.5
        top, bottom = 10 * MM - 0.5, page.height - 14 * MM + 0.5
        for char in page.chars:
            assert left <= char["x0"] and char["x1"] <= right, f"{char['text']!r} beyond the side margins"
            if char["size"] > 7.1:
                assert top <= char["top"] and char["bottom"] <= bottom, f"{char['text']!r} in the top/bottom margin"


@pytest.mark.parametrize("name", NAMES)
def test_nothing_overflows_the_page_margins(name: str, rendered: dict[str, Rendered]) -> None:
    _assert_within_margins(rendered[name].pages)


@pytest.mark.parametrize(("name", "label"), [("btg-penolakan", "Lampiran"), ("rhl-ba-pemeriksaan", "Jabatan"),
                                            ("bks-izin", "Penanggung")])
def test_a_long_unbroken_input_wraps_inside_the_margins(name: str, label: str) -> None:
    doc = CASES[name].doc
    app = replace(doc.permohonan, pemohon_nama="ANDI" + "Y" * 80, tempat_praktik="Klinik" + "X" * 120)
    with pdfplumber.open(io.BytesIO(render_pdf(document_html(replace(doc, permohonan=app))))) as pdf:
        _assert_within_margins(pdf.pages)
        words = {w["text"] for w in pdf.pages[0].extract_words()}
    assert label in words, "the office's own labels are not broken apart to make room"


@pytest.mark.parametrize("name", NAMES)
def test_no_page_is_blank_and_the_qr_code_leads_to_the_verification_page(
    name: str, rendered: dict[str, Rendered]
) -> None:
    doc = rendered[name]
    assert len(doc.images) == len(doc.pages)
    for image in doc.images:
        assert image.size == (1241, 1754)  # A4 at 150 dpi
        dark = sum(image.histogram()[:128]) / (image.width * image.height)
        assert dark > 0.004, "the page has ink on it"
    found = zxingcpp.read_barcodes(doc.images[-1])
    assert [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode] == [CASES[name].doc.verify_url]
    assert "Pindai untuk memeriksa keaslian dokumen" in doc.text


def test_fonts_are_embedded_text_extractable_and_the_pdf_claims_pdf_a(rendered: dict[str, Rendered]) -> None:
    for name, doc in rendered.items():
        reader = PdfReader(io.BytesIO(doc.pdf))
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            assert fonts
            for ref in fonts.values():
                font = ref.get_object()
                descriptor = (font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font)[
                    "/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name}: font not embedded"
        metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert re.search(r"pdfaid:part\W+3", metadata) and re.search(r"pdfaid:conformance\W+B", metadata), name
        assert reader.trailer["/Root"]["/OutputIntents"], name
        assert "Ditandatangani" in reader.pages[-1].extract_text(), f"{name}: text extractable"


def test_no_document_prints_the_nik(rendered: dict[str, Rendered]) -> None:
    nik = RHL_MANIFEST.pemohon.nik
    for name in ("rhl-tanda-terima", "rhl-pengembalian", "rhl-ba-pemeriksaan", "rhl-izin"):
        assert nik not in rendered[name].text and nik not in rendered[name].html
        assert nik[:4] + "********" not in rendered[name].text


def test_the_dinas_kesehatan_recommendation_is_its_own_letter(rendered: dict[str, Rendered]) -> None:
    dinkes = BTG.dinas_kesehatan
    assert dinkes is not None
    doc = CASES["btg-rekomendasi-terbit"].doc
    assert doc.nomor_surat == "440/0003/DINKES/XI/2026", "numbered in the Dinas Kesehatan's format"
    assert signatory_of(doc) == dinkes.signatory
    text = rendered["btg-rekomendasi-terbit"].text
    assert dinkes.name.upper() in text.upper() and dinkes.address in text
    assert dinkes.signatory.nama in text and f"NIP. {dinkes.signatory.nip}" in text
    assert BTG.signatory.nama not in text and BTG.address not in text, "not on the DPMPTSP's letterhead"
    assert "merekomendasikan penolakan" not in text


def test_a_visit_below_the_pass_mark_is_recorded_as_not_meeting_it() -> None:
    base = CASES["bta-ba-visitasi"].doc
    html = document_html(replace(base, content=BeritaAcaraVisitasi(FAILED_VISIT)))
    assert "BELUM MEMENUHI" in html and "50%" in html and "Rekomendasi teknis belum dapat diberikan" in html


def test_applicant_input_is_text_not_html() -> None:
    base = CASES["bks-izin"].doc
    app = replace(base.permohonan, pemohon_nama="dr. <b>Andi</b>", tempat_praktik="Klinik <script>x</script>")
    html = document_html(replace(base, permohonan=app))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;Andi" in html


def test_a_draft_without_verification_url_has_no_qr_code() -> None:
    html = document_html(replace(CASES["rhl-izin"].doc, verify_url=""))
    assert "data:image/svg+xml" not in html and "Pindai untuk memeriksa" not in html
    assert "Ditandatangani secara elektronik" in html


def _bad(name: str, **changes: object) -> DocumentInput:
    doc = CASES[name].doc
    content = changes.pop("content", doc.content)
    return replace(doc, content=replace(content, **changes) if changes else content)  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        (_bad("rhl-tanda-terima", verdict=RHL_VERDICT), "hanya diterbitkan untuk berkas yang lengkap"),
        (_bad("rhl-pengembalian", verdict=Verdict(Decision.complete, (RequirementResult("ktp", S.met),))),
         "tanpa persyaratan yang kurang"),
        (_bad("btg-penolakan", alasan=(" ",)), "sedikitnya satu alasan"),
        (_bad("rhl-ba-pemeriksaan", koreksi=(Koreksi("ijazah", S.met, "", "RAHMAT"),)), "harus disertai alasannya"),
        (_bad("rhl-ba-pemeriksaan", koreksi=(Koreksi("npwpp", S.met, "ada", "RAHMAT"),)), "tidak ada pada hasil"),
        (_bad("rhl-ba-pemeriksaan", pemeriksa=()), "petugas yang memeriksa"),
        (_bad("bta-surat-tugas", tanggal_visitasi=date(2026, 11, 3)), "mendahului tanggal surat tugas"),
        (_bad("bta-ba-visitasi", kunjungan=replace(VISIT, scores={"A1": 2})), "butir A2, A3"),
        (_bad("bta-rekomendasi-teknis", kunjungan=FAILED_VISIT), "capaian 50% di bawah batas 75%"),
        (_bad("bta-sertifikat", kunjungan=FAILED_VISIT), "Sertifikat Standar hanya diterbitkan"),
        (_bad("btg-rekomendasi-tolak", alasan=()), "harus memuat alasan penolakannya"),
        (_bad("btg-izin", berlaku_sampai=date(2031, 11, 23)), "tidak boleh melewati masa berlaku STR"),
        (_bad("rhl-izin", str_berlaku_sampai=date(2026, 1, 12)), "sudah tidak berlaku sejak 12 Januari 2026"),
        (_bad("bks-izin", berlaku_sampai=date(2026, 11, 24)), "berakhir setelah tanggal penetapannya"),
        (replace(CASES["rhl-izin"].doc, permohonan=replace(RHL_APP, tempat_praktik="")), "tempat praktik"),
        (replace(CASES["btg-rekomendasi-terbit"].doc, office=RHL, checklist=RHL_SIP), "tidak memuat data Dinas"),
        (replace(CASES["rhl-izin"].doc, checklist=BTG_SIP), "bukan layanan"),
        (replace(CASES["bks-izin"].doc, content=SuratTugas((), date(2026, 12, 1))), "tidak memiliki visitasi"),
        (replace(CASES["rhl-izin"].doc, nomor_surat=" "), "Nomor surat belum diberikan"),
    ],
)
def test_a_document_that_cannot_be_issued_is_refused_with_its_reason(doc: DocumentInput, reason: str) -> None:
    with pytest.raises(DocumentError, match=re.escape(reason)):
        document_html(doc)


def test_each_content_type_names_its_document_kind() -> None:
    kinds = {name: case.doc.kind for name, case in CASES.items()}
    assert kinds["rhl-ba-pemeriksaan"] == StageDocument.berita_acara_pemeriksaan_berkas
    assert kinds["btg-rekomendasi-tolak"] == StageDocument.rekomendasi_dinkes
    assert {kinds[n] for n in ("rhl-izin", "btg-izin", "bks-izin", "bta-sertifikat")} == {StageDocument.izin}
    produced = {step.produces for c in (RHL_SIP, BTG_SIP, BKS_KLINIK, BTA_FASYANKES) for step in c.procedure}
    not_rendered = {StageDocument.lembar_penilaian_kesesuaian, StageDocument.rekap_penilaian, None}
    assert produced - not_rendered <= set(kinds.values())


def test_numbers_and_dates_in_words() -> None:
    assert [terbilang(n) for n in (100, 115, 999, 1000, 1945, 2026, 12_345)] == [
        "seratus", "seratus lima belas", "sembilan ratus sembilan puluh sembilan", "seribu",
        "seribu sembilan ratus empat puluh lima", "dua ribu dua puluh enam",
        "dua belas ribu tiga ratus empat puluh lima",
    ]
    assert tanggal_terbilang(date(2026, 8, 17)) == (
        "Senin tanggal tujuh belas bulan Agustus tahun dua ribu dua puluh enam"
    )
    with pytest.raises(ValueError):
        terbilang(0)
