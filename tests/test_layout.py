"""A ruled staff list on a scan is read row by row: its rules are found, whitened, and each cell
gets the words inside it (a wrapped name stays in its row)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from extractors import layout, ocr, raster
from extractors.fields.tables import staff_list
from izinflow.domain import PageRef, PageText

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
STAFF = [
    ("1", ["dr. Andi Pratama, Sp.A"], "Dokter Spesialis Anak", "3415958656567718"),
    ("2", ["Ns. Arif Siregar, S.Kep"], "Perawat", "3238259222888451"),
    ("3", ["apt. Firman Hasibuan, S.Farm.,", "M.Farm"], "Apoteker", "KT99255991816304"),
    ("4", ["Yuli Anggraini, A.Md.Kes"], "Analis Kesehatan", "KT92760070786823"),
    ("5", ["Irwan Saputra Gunawan,", "S.Tr.RMIK"], "Perekam Medis", "KT95120068782924"),
]


def _scanned_list(tilt: float = 0.0) -> Image.Image:
    """A daftar SDM as a 150 dpi grey scan: a title, a ruled table, a closing line."""
    font = ImageFont.truetype(FONT, 22)
    img = Image.new("L", (1240, 1100), 255)
    draw = ImageDraw.Draw(img)
    draw.text((380, 60), "DAFTAR SUMBER DAYA MANUSIA", font=font, fill=0)
    xs = [80, 150, 560, 860, 1160]
    heights = [50] + [80 if len(names) > 1 else 50 for _, names, _, _ in STAFF]
    ys = [150]
    for h in heights:
        ys.append(ys[-1] + h)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=2)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for x, title in zip(xs, ("No", "Nama", "Profesi", "No. STR"), strict=False):
        draw.text((x + 10, ys[0] + 12), title, font=font, fill=0)
    for (no, names, profesi, nomor), top in zip(STAFF, ys[1:], strict=False):
        draw.text((xs[0] + 10, top + 12), no, font=font, fill=0)
        for i, line in enumerate(names):
            draw.text((xs[1] + 10, top + 10 + 30 * i), line, font=font, fill=0)
        draw.text((xs[2] + 10, top + 12), profesi, font=font, fill=0)
        draw.text((xs[3] + 10, top + 12), nomor, font=font, fill=0)
    draw.text((80, ys[-1] + 40), "Jumlah seluruh SDM: 5 orang.", font=font, fill=0)
    return img.rotate(tilt, resample=Image.BICUBIC, expand=True, fillcolor=255) if tilt else img


def test_the_rules_of_a_table_are_found_and_nothing_else_is_taken_for_one() -> None:
    grid = layout.ruled_grid(_scanned_list())
    assert grid is not None
    assert len(grid.rows) == len(STAFF) + 2 and len(grid.columns) == 5
    blank_page = Image.new("L", (1240, 1100), 255)
    ImageDraw.Draw(blank_page).text((100, 100), "Demikian surat ini dibuat", fill=0)
    assert layout.ruled_grid(blank_page) is None


def test_whitening_the_rules_keeps_the_words() -> None:
    cleaned = layout.without_rules(_scanned_list())
    assert layout.ruled_grid(cleaned) is None
    assert "Perawat" in ocr.ocr_image(cleaned, psm=4).text


def test_a_tilted_scanned_staff_list_reads_one_person_per_row(tmp_path: Path) -> None:
    page = raster.deskew(_scanned_list(tilt=1.5))
    grid = layout.ruled_grid(page)
    assert grid is not None
    table = layout.grid_table(ocr.ocr_image(layout.without_rules(page), psm=4).words, grid)
    assert table is not None
    rows = staff_list([PageText(PageRef("sdm.pdf", 1), "", True, tables=(table,))])
    assert [r["nomor_str"] for r in rows] == [s[3] for s in STAFF]
    assert "M.Farm" in rows[2]["nama"] and "Firman Hasibuan" in rows[2]["nama"]
    assert "S.Tr.RMIK" in rows[4]["nama"]
    assert [r["profesi"] for r in rows] == [s[2] for s in STAFF]
