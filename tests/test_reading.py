"""Reading pages: text layer without OCR, scans with OCR upright, caps, bad files, the OCR cache."""

from __future__ import annotations

import base64
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import segno
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from extractors import marks, ocr
from extractors.cache import DirectoryOcrCache, MemoryOcrCache
from extractors.errors import PageReadError
from extractors.reading import ReadLimits, read_ahead, read_bundle_pages, usable_text
from izinflow.domain import BundleFile, Mark, PageRef

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract tidak terpasang")

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    "PEMERINTAH KABUPATEN ROKAN HILIR",
    "SURAT KETERANGAN SEHAT",
    "Yang bertanda tangan di bawah ini menerangkan bahwa",
    "Nama : SITI AMINAH",
    "berdasarkan hasil pemeriksaan dinyatakan sehat jasmani",
    "Demikian surat keterangan ini dibuat untuk dipergunakan",
]


def scan_image(lines: list[str] = LINES, size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """A page as a 150-DPI scan: black text on white."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 26)
    for i, line in enumerate(lines):
        draw.text((110, 140 + 46 * i), line, font=font, fill="black")
    return img


def image_pdf(images: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


LETTER = "Surat permohonan izin praktik perekam medis kepada Kepala Dinas"


def text_pdf(pages: int = 1, text: str = LETTER) -> bytes:
    """A text-layer PDF drawn with the standard Helvetica font (no embedding, tiny and fast)."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 60 760 Td ({text}, halaman {number}) Tj ET".encode("latin-1"))
        page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encoded(img: Image.Image, fmt: str = "PNG", **params: Any) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def spy_ocr(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Count tesseract runs (workers=1 keeps the work in this process, where the spy lives)."""
    calls: list[dict[str, Any]] = []
    real: Callable[..., ocr.OcrText] = ocr.ocr_image

    def counting(img: Image.Image, **kwargs: Any) -> ocr.OcrText:
        calls.append({"size": img.size, **kwargs})
        return real(img, **kwargs)

    monkeypatch.setattr(ocr, "ocr_image", counting)
    return calls


# ---------------------------------------------------------------- no OCR needed


def test_usable_text_needs_real_words() -> None:
    assert usable_text("Surat permohonan izin praktik perekam medis")
    assert not usable_text("Scanned by CamScanner")
    assert not usable_text("xq3 zkrtw bvcxz qwrtp zzkkt mnbvc xxzzq kkllm ptrrk (cid:12)(cid:44)")


def test_bad_pdfs_are_rejected_with_reasons() -> None:
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(2))))
    locked.encrypt("rahasia", algorithm="AES-128")
    locked_bytes = io.BytesIO()
    locked.write(locked_bytes)
    whole = text_pdf(4)
    files = [
        BundleFile("terkunci.pdf", locked_bytes.getvalue(), "pdf"),
        BundleFile("terpotong.pdf", whole[: len(whole) // 2], "pdf"),
        BundleFile("sampah.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "pdf"),
        BundleFile("foto.jpg", b"\xff\xd8\xff\xe0" + b"bukan jpeg", "image"),
    ]
    result = read_bundle_pages(files, ocr_cache=None, workers=1)
    reasons = {r.name: r.reason for r in result.rejected}
    assert reasons["terkunci.pdf"].startswith("PDF terkunci kata sandi")
    assert "rusak" in reasons["terpotong.pdf"]
    assert reasons["sampah.pdf"] == "berkas PDF rusak dan tidak dapat dibuka"
    assert reasons["foto.jpg"] == "gambar rusak dan tidak dapat dibuka"
    assert not [p for p in result.pages if p.ref.file in {"terkunci.pdf", "sampah.pdf", "foto.jpg"}]


def test_pdf_with_only_an_owner_password_is_read() -> None:
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(1))))
    locked.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
    out = io.BytesIO()
    locked.write(out)
    result = read_bundle_pages([BundleFile("surat.pdf", out.getvalue(), "pdf")], ocr_cache=None, workers=1)
    assert result.rejected == []
    assert "permohonan izin praktik" in result.pages[0].text


def test_page_caps_per_file_and_per_bundle_are_reported() -> None:
    big = text_pdf(300)
    files = [BundleFile(f"berkas-{i}.pdf", big, "pdf") for i in (1, 2, 3)]
    result = read_bundle_pages(files, ocr_cache=None, workers=1)
    per_file = {f.name: sum(1 for p in result.pages if p.ref.file == f.name) for f in files}
    assert per_file == {"berkas-1.pdf": 60, "berkas-2.pdf": 60, "berkas-3.pdf": 30}
    reasons = {r.name: r.reason for r in result.rejected}
    assert reasons["berkas-1.pdf"] == "berkas berisi 300 halaman; hanya 60 halaman pertama diperiksa"
    assert "halaman 31–300 berkas ini tidak diperiksa" in reasons["berkas-3.pdf"]
    assert all(not p.ocr and p.error is None for p in result.pages)
    assert [p.ref.page for p in result.pages[:3]] == [1, 2, 3]


def test_a_file_past_the_bundle_cap_is_reported_not_dropped() -> None:
    files = [BundleFile("a.pdf", text_pdf(3), "pdf"), BundleFile("b.pdf", text_pdf(2), "pdf")]
    result = read_bundle_pages(files, ocr_cache=None, workers=1, limits=ReadLimits(max_pages_per_bundle=3))
    assert {p.ref.file for p in result.pages} == {"a.pdf"}
    assert [r.name for r in result.rejected] == ["b.pdf"]
    assert "tidak diperiksa" in result.rejected[0].reason


# ---------------------------------------------------------------- OCR


@needs_tesseract
def test_text_layer_page_is_not_ocrd_but_its_qr_image_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint import HTML

    qr = segno.make("https://verifikasi.example.go.id/ijazah/0123", error="m")
    qr_png_bytes = io.BytesIO()
    qr.save(qr_png_bytes, kind="png", scale=8, border=2)
    qr_png = base64.b64encode(qr_png_bytes.getvalue()).decode()
    html = (
        "<p>Dengan hormat, bersama ini kami mengajukan permohonan surat izin praktik perekam medis.</p>"
        f'<img src="data:image/png;base64,{qr_png}" style="width:3cm">'
    )
    data = HTML(string=html).write_pdf()
    calls = spy_ocr(monkeypatch)
    result = read_bundle_pages([BundleFile("surat.pdf", data, "pdf")], ocr_cache=None, workers=1)
    (page,) = result.pages
    assert page.ocr is False
    assert "mengajukan permohonan surat izin" in page.text
    assert Mark("qr", "https://verifikasi.example.go.id/ijazah/0123") in page.marks
    assert page.content_sha256
    # Only the embedded image was OCR'd (sparse-text mode on a crop), never the page itself.
    assert all(call["psm"] == 11 for call in calls)


@needs_tesseract
def test_scanned_pages_turned_90_and_180_are_read_upright() -> None:
    page = scan_image()
    data = image_pdf([page.rotate(90, expand=True), page.rotate(180, expand=True)])
    result = read_bundle_pages([BundleFile("scan.pdf", data, "pdf")], ocr_cache=None, workers=2)
    assert [p.ref for p in result.pages] == [PageRef("scan.pdf", 1), PageRef("scan.pdf", 2)]
    assert [p.rotation for p in result.pages] == [90, 180]
    for read in result.pages:
        assert read.ocr and read.error is None
        assert "KETERANGAN" in read.text
        assert "AMINAH" in read.text
        assert read.ocr_confidence is not None and read.ocr_confidence > 70


@needs_tesseract
def test_exif_rotated_jpeg_is_read_upright() -> None:
    stored_sideways = scan_image().rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to display"
    data = encoded(stored_sideways, "JPEG", quality=90, exif=exif.tobytes())
    result = read_bundle_pages([BundleFile("ktp.jpg", data, "image")], ocr_cache=None, workers=1)
    (page,) = result.pages
    assert page.ref == PageRef("ktp.jpg", 1)
    assert page.rotation == 0  # EXIF did the turning; tesseract's orientation detection was not needed
    assert "KETERANGAN" in page.text


@needs_tesseract
def test_second_read_uses_the_cache_and_runs_no_ocr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    files = [
        BundleFile("scan.pdf", image_pdf([scan_image()]), "pdf"),
        BundleFile("surat.pdf", text_pdf(), "pdf"),
    ]
    cache = DirectoryOcrCache(tmp_path / "ocr")
    calls = spy_ocr(monkeypatch)
    first = read_bundle_pages(files, ocr_cache=cache, workers=1)
    ocr_runs = len(calls)
    assert ocr_runs >= 1
    second = read_bundle_pages(files, ocr_cache=cache, workers=1)
    assert len(calls) == ocr_runs
    assert second.pages == first.pages
    assert "KETERANGAN" in second.pages[0].text
    assert second.pages[0].content_sha256 and second.pages[0].content_sha256 != second.pages[1].content_sha256


@needs_tesseract
def test_reading_a_batch_ahead_leaves_each_bundle_read_even_with_same_file_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = [line.replace("SITI AMINAH", "BUDI SANTOSO").replace("SEHAT", "BERBADAN SEHAT") for line in LINES]
    first_bundle = [
        BundleFile("scan.pdf", image_pdf([scan_image()]), "pdf"),
        BundleFile("surat.pdf", text_pdf(), "pdf"),
    ]
    second_bundle = [BundleFile("scan.pdf", image_pdf([scan_image(other)]), "pdf")]
    cache = DirectoryOcrCache(tmp_path / "ocr")
    calls = spy_ocr(monkeypatch)
    assert read_ahead([first_bundle, second_bundle, first_bundle], ocr_cache=cache, workers=1) == 2
    ahead = len(calls)
    assert ahead >= 2
    first = read_bundle_pages(first_bundle, ocr_cache=cache, workers=1)
    second = read_bundle_pages(second_bundle, ocr_cache=cache, workers=1)
    assert len(calls) == ahead  # every page was found read
    assert "SITI AMINAH" in first.pages[0].text and "BUDI SANTOSO" not in first.pages[0].text
    assert "BUDI SANTOSO" in second.pages[0].text
    assert first.pages[1].ocr is False


def test_a_failing_page_carries_an_error_and_the_rest_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(img: Image.Image, **kwargs: Any) -> ocr.OcrText:
        raise PageReadError("waktu pembacaan OCR halaman habis")

    monkeypatch.setattr(ocr, "ocr_image", broken)
    files = [
        BundleFile("scan.pdf", image_pdf([scan_image()]), "pdf"),
        BundleFile("surat.pdf", text_pdf(), "pdf"),
    ]
    cache = MemoryOcrCache()
    result = read_bundle_pages(files, ocr_cache=cache, workers=1)
    scan, letter = result.pages
    assert scan.error == "waktu pembacaan OCR halaman habis" and scan.text == ""
    assert letter.error is None and "permohonan" in letter.text
    assert cache.records == {}  # a failure is not remembered: the next read tries again


def pas_foto(width: int = 413, height: int = 531) -> Image.Image:
    img = Image.new("RGB", (width, height), (200, 20, 30))
    draw = ImageDraw.Draw(img)
    draw.ellipse((width * 0.25, height * 0.12, width * 0.75, height * 0.6), fill=(224, 172, 140))
    draw.rectangle((width * 0.1, height * 0.62, width * 0.9, height), fill=(30, 40, 90))
    noise = np.random.default_rng(7).integers(-25, 25, (height, width, 3))
    pixels = (np.asarray(img).astype(np.int16) + noise).clip(0, 255).astype(np.uint8)
    return Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(1))


def ktp_card() -> Image.Image:
    card = Image.new("RGB", (1012, 638), (190, 215, 240))
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(FONT, 28)
    lines = ["PROVINSI RIAU", "KABUPATEN ROKAN HILIR", "NIK : 1407015203900002", "Nama : SITI AMINAH",
             "Jenis Kelamin : PEREMPUAN", "Alamat : JL UTAMA", "Pekerjaan : KARYAWAN SWASTA"]
    for i, line in enumerate(lines):
        draw.text((30, 30 + 60 * i), line, font=font, fill="black")
    card.paste(pas_foto(200, 260), (780, 140))
    return card


@needs_tesseract
def test_photo_ratio_tells_a_pas_foto_from_a_ktp() -> None:
    files = [
        BundleFile("foto.png", encoded(pas_foto()), "image"),
        BundleFile("ktp.png", encoded(ktp_card()), "image"),
        BundleFile("surat.jpg", encoded(scan_image(), "JPEG"), "image"),
    ]
    result = read_bundle_pages(files, ocr_cache=None, workers=2)
    ratios = {p.ref.file: p.photo_ratio for p in result.pages}
    assert ratios["foto.png"] >= 0.8
    assert 0.0 < ratios["ktp.png"] <= 0.3
    assert ratios["surat.jpg"] < 0.05
    assert "AMINAH" in next(p.text for p in result.pages if p.ref.file == "ktp.png")


# ---------------------------------------------------------------- photos, stamps and meterai on scans


def grey_scan(img: Image.Image, paper: float = 0.88, seed: int = 3) -> Image.Image:
    """What a greyscale office scanner makes of a page: grey paper, noise, a slight blur."""
    grey = np.asarray(img.convert("L"), dtype=np.float32) * paper
    grey += np.random.default_rng(seed).normal(0, 6, grey.shape)
    out = Image.fromarray(grey.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    return out.convert("RGB")


def photo_sheet() -> Image.Image:
    """Four 4x6 pas foto on an A4 sheet at 150 DPI, as printed at a photo studio."""
    sheet = Image.new("RGB", (1240, 1754), "white")
    for row in range(2):
        for col in range(2):
            sheet.paste(pas_foto(236, 354), (300 + col * 300, 200 + row * 420))
    return sheet


def ktp_copy() -> Image.Image:
    """A KTP photocopied onto an A4 sheet (card at its real size, 150 DPI)."""
    sheet = Image.new("RGB", (1240, 1754), "white")
    sheet.paste(ktp_card().resize((506, 319)), (120, 160))
    return sheet


def test_photo_ratio_sums_the_photos_of_a_sheet_even_in_a_grey_scan() -> None:
    colour, grey = marks.photo_ratio(photo_sheet()), marks.photo_ratio(grey_scan(photo_sheet()))
    one_photo = Image.new("RGB", (1240, 1754), "white")
    one_photo.paste(pas_foto(236, 354), (500, 200))
    single = marks.photo_ratio(one_photo)
    # four photos of 4x6 cm cover about 15 % of an A4 page; dark grey backgrounds are not ink
    assert 0.1 <= colour <= 0.3 and 0.1 <= grey <= 0.3
    assert 0.02 <= single < colour / 2
    assert marks.photo_ratio(pas_foto()) >= 0.8  # a page that is one photo


def test_photo_ratio_keeps_cards_and_text_pages_low() -> None:
    sheet = marks.photo_ratio(photo_sheet())
    ktp = marks.photo_ratio(ktp_copy())
    assert ktp < sheet / 2  # the card's tint and text are not a photo, its small portrait is
    assert marks.photo_ratio(scan_image()) == 0.0
    assert marks.photo_ratio(grey_scan(scan_image())) == 0.0
    banner = scan_image()
    ImageDraw.Draw(banner).rectangle((100, 60, 1100, 130), fill=(30, 130, 160))  # a flat coloured header
    assert marks.photo_ratio(banner) == 0.0


def legalised_page() -> Image.Image:
    """A grey scanned diploma page with a blue 'SESUAI DENGAN ASLINYA' stamp over a signature."""
    page = grey_scan(scan_image([*LINES, "", "Ketua Program Studi,", *[""] * 5, "Dr. H. Rahman Hakim"]))
    signature = [(700 + 25 * i, 520 + (i % 2) * 40) for i in range(12)]
    ImageDraw.Draw(page).line(signature, fill=(20, 20, 20), width=4)
    stamp = Image.new("RGBA", (520, 170), (0, 0, 0, 0))
    ink = (40, 50, 170, 230)
    stamp_draw = ImageDraw.Draw(stamp)
    stamp_draw.rectangle((3, 3, 516, 166), outline=ink, width=5)
    stamp_draw.text((28, 22), "SESUAI DENGAN ASLINYA", font=ImageFont.truetype(FONT, 34), fill=ink)
    stamp_draw.text((28, 90), "Tgl : 12 - 08 - 2026", font=ImageFont.truetype(FONT, 26), fill=ink)
    page.paste(stamp.rotate(4, expand=True), (560, 470), stamp.rotate(4, expand=True))
    return page


def test_ink_regions_find_a_stamp_but_not_black_print_or_frames() -> None:
    (region,) = marks.ink_regions(legalised_page())
    left, top, right, bottom = region
    assert left <= 600 and top <= 500 and right >= 1050 and bottom >= 620
    framed = scan_image()
    ImageDraw.Draw(framed).rectangle((40, 40, 1200, 1714), outline=(120, 90, 30), width=6)
    assert marks.ink_regions(framed) == []  # a coloured border is a frame, not a stamp
    assert marks.ink_regions(grey_scan(scan_image())) == []


@needs_tesseract
def test_blue_stamp_on_a_grey_scan_is_read_into_image_text() -> None:
    files = [BundleFile("ijazah.pdf", image_pdf([legalised_page()]), "pdf")]
    (page,) = read_bundle_pages(files, ocr_cache=None, workers=1).pages
    assert page.ocr and page.error is None
    assert "AMINAH" in page.text
    assert "SESUAI" in page.image_text and "ASLINYA" in page.image_text


@needs_tesseract
def test_meterai_tempel_on_a_scanned_letter_is_read() -> None:
    page = scan_image([*LINES, "", "Pemohon,"])
    patch = Image.new("RGB", (200, 230), (205, 115, 180))
    draw = ImageDraw.Draw(patch)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 24)
    for y, word in ((20, "METERAI"), (70, "TEMPEL"), (120, "10000")):
        draw.text((30, y), word, font=bold, fill=(70, 20, 60))
    page.paste(patch, (700, 560))
    files = [BundleFile("surat.jpg", encoded(page, "JPEG", quality=90), "image")]
    (read,) = read_bundle_pages(files, ocr_cache=None, workers=1).pages
    assert "METERAI" in read.image_text and "10000" in read.image_text


@needs_tesseract
def test_a_second_reading_as_one_block_adds_to_scanned_pages_only() -> None:
    from extractors.reading import reread_as_block

    files = [
        BundleFile("scan.pdf", image_pdf([scan_image()]), "pdf"),
        BundleFile("surat.pdf", text_pdf(), "pdf"),
    ]
    cache = MemoryOcrCache()
    pages = read_bundle_pages(files, ocr_cache=cache, workers=1).pages
    again = reread_as_block(files, pages, ocr_cache=cache, workers=1)
    scanned, text_layer = again[0], again[1]
    assert pages[0].ocr and scanned.text.startswith(pages[0].text)
    assert len(scanned.text) > len(pages[0].text) and LINES[0].split()[0] in scanned.text[len(pages[0].text):]
    assert text_layer == pages[1]


DIPLOMA = [
    "POLITEKNIK KESEHATAN KEMENKES RIAU",
    "IJAZAH",
    "Nomor Ijazah : 062112024000123",
    "dengan ini menyatakan bahwa",
    "SITI AMINAH",
    "lahir di Bagansiapiapi tanggal 12 Maret 1990, telah",
    "menyelesaikan pendidikan pada Program Studi Diploma",
    "Tiga Rekam Medis dan Informasi Kesehatan dan lulus",
    "pada tanggal 5 Agustus 2012, oleh sebab itu kepadanya",
    "diberikan gelar Ahli Madya Kesehatan (A.Md.RMIK)",
    "beserta segala hak dan kewajiban yang melekat",
    "pada gelar tersebut menurut peraturan yang berlaku.",
    "",
    "Ketua Program Studi,                  Direktur,",
    "", "", "", "",
    "Hj. Nurhayati, S.KM          Dr. H. Rahman Hakim",
]


def grey_diploma(stamped: bool) -> Image.Image:
    """A diploma copy scanned in grey, signed; ``stamped`` adds a legalisation stamp over the left
    signature, in ink as dark as the print (a grey scan leaves no colour to tell them apart)."""
    page = scan_image(DIPLOMA)
    draw = ImageDraw.Draw(page)
    for x0 in (160, 760):
        draw.line([(x0 + 22 * i, 880 + (i % 3) * 22) for i in range(13)], fill=(30, 30, 30), width=4)
    if stamped:
        stamp = Image.new("RGBA", (560, 190), (0, 0, 0, 0))
        ink = (60, 60, 60, 235)
        stamp_draw = ImageDraw.Draw(stamp)
        stamp_draw.rounded_rectangle((3, 3, 556, 186), radius=24, outline=ink, width=5)
        stamp_draw.text((30, 24), "FOTOKOPI SESUAI DENGAN ASLINYA", font=ImageFont.truetype(FONT, 28), fill=ink)
        stamp_draw.text((30, 100), "Kasubag Akademik, tgl 02-09-2026", font=ImageFont.truetype(FONT, 24), fill=ink)
        turned = stamp.rotate(-5, expand=True)
        page.paste(turned, (90, 800), turned)
    return grey_scan(page)


def test_unexplained_ink_finds_stamps_and_signatures_but_not_the_read_print() -> None:
    page = grey_diploma(stamped=True)
    words = [(110, 130 + 46 * i, 900, 40) for i, line in enumerate(DIPLOMA) if line]  # every printed line read
    regions = marks.unexplained_ink(page, words)
    assert any(left <= 120 and top <= 820 and right >= 600 and bottom >= 960 for left, top, right, bottom in regions)
    text_only = grey_scan(scan_image(DIPLOMA))
    assert marks.unexplained_ink(text_only, words) == []


@needs_tesseract
def test_examining_the_ink_of_a_grey_scan_tells_a_legalised_copy_from_a_plain_one() -> None:
    from extractors.fields.evidence import legalisasi
    from extractors.reading import reread_as_block

    files = [BundleFile("legalisir.pdf", image_pdf([grey_diploma(True)]), "pdf"),
             BundleFile("polos.pdf", image_pdf([grey_diploma(False)]), "pdf")]
    pages = read_bundle_pages(files, ocr_cache=None, workers=1).pages
    assert [p.ink_letters for p in pages] == [None, None]  # a grey scan is not examined on the first reading
    assert legalisasi(pages[1:]) is None
    examined = reread_as_block(files, pages, ocr_cache=None, workers=1, examine_ink={p.ref for p in pages})
    assert legalisasi(examined[:1]) == "stempel"
    assert examined[1].ink_letters is not None and legalisasi(examined[1:]) == "tidak ada"


def test_a_skewed_page_is_measured_and_turned_level_before_it_is_read_as_one_block() -> None:
    from extractors import raster

    level = scan_image(DIPLOMA)
    tilted = level.rotate(2.5, resample=Image.BICUBIC, expand=True, fillcolor="white")
    assert abs(raster.skew_angle(tilted) + 2.5) <= 0.5
    assert raster.skew_angle(level) == 0.0
    assert raster.deskew(level) is level
