"""Page images: PDF pages rendered with pdfium, photos and scans loaded upright."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from extractors.errors import PageReadError

POINTS_PER_INCH = 72.0
MAX_IMAGE_PIXELS = 60_000_000
# Longest side of an image handed to OCR: A4 at 300 DPI. Larger photos only cost time.
MAX_OCR_SIDE = 3508


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data)


def render_page(doc: pdfium.PdfDocument, index: int, dpi: float) -> Image.Image:
    """Render page ``index`` (from 0) as RGB at ``dpi``; raises ``PageReadError``."""
    try:
        page = doc[index]
        try:
            bitmap = page.render(scale=dpi / POINTS_PER_INCH)
            return bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    except (pdfium.PdfiumError, ValueError, IndexError) as exc:
        raise PageReadError("halaman PDF tidak dapat digambar ulang untuk dibaca") from exc


def crop_points(
    img: Image.Image, bbox: tuple[float, float, float, float], dpi: float
) -> Image.Image | None:
    """Cut ``bbox`` (x0, top, x1, bottom in PDF points from the top-left) out of a page render."""
    scale = dpi / POINTS_PER_INCH
    x0, top, x1, bottom = (round(v * scale) for v in bbox)
    x0, top = max(0, x0), max(0, top)
    x1, bottom = min(img.width, x1), min(img.height, bottom)
    if x1 - x0 < 8 or bottom - top < 8:
        return None
    return img.crop((x0, top, x1, bottom))


def load_image(data: bytes) -> Image.Image:
    """Decode a JPEG/PNG, turned upright by its EXIF orientation, as RGB on white."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise PageReadError("gambar terlalu besar untuk dibaca")
            opened.load()
            img = ImageOps.exif_transpose(opened)
    except PageReadError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PageReadError("gambar rusak dan tidak dapat dibuka") from exc
    return flatten(img)


def flatten(img: Image.Image) -> Image.Image:
    """RGB with transparency painted white (a transparent PNG must not OCR as black)."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def limit_size(img: Image.Image, max_side: int = MAX_OCR_SIDE) -> Image.Image:
    """Shrink an oversized image for OCR; never enlarge."""
    side = max(img.size)
    if side <= max_side:
        return img
    factor = max_side / side
    return img.resize((max(1, round(img.width * factor)), max(1, round(img.height * factor))), Image.LANCZOS)


def turn_clockwise(img: Image.Image, degrees: int) -> Image.Image:
    return img.rotate(-degrees, expand=True) if degrees % 360 else img


_SKEW_SIDE = 800  # pixels: the small copy the skew is measured on
_SKEW_STEPS = tuple(x / 4 for x in range(-16, 17))  # -4.0 .. +4.0 degrees


def skew_angle(img: Image.Image) -> float:
    """The small rotation (degrees, counter-clockwise positive, within 4) that makes the page's text
    lines horizontal: the angle whose horizontal ink profile is sharpest (projection profile)."""
    factor = min(1.0, _SKEW_SIDE / max(img.size))
    small = img.convert("L").resize((max(1, round(img.width * factor)), max(1, round(img.height * factor))))
    pixels = np.asarray(small, dtype=np.int16)
    ink = Image.fromarray(np.where(pixels < np.percentile(pixels, 90) - 60, 255, 0).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in _SKEW_STEPS:
        profile = np.asarray(ink.rotate(angle, resample=Image.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def deskew(img: Image.Image) -> Image.Image:
    """The page turned so its lines are horizontal (a row of a table on one line for OCR)."""
    angle = skew_angle(img)
    if angle == 0.0:
        return img
    fill = "white" if img.mode != "L" else 255
    return img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=fill)


def image_header_ok(data: bytes) -> str | None:
    """None when the image header decodes and its size is sane, else an Indonesian reason."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return "gambar rusak dan tidak dapat dibuka"
    if width * height > MAX_IMAGE_PIXELS:
        return f"gambar terlalu besar ({width}×{height} piksel) untuk dibaca"
    if width < 16 or height < 16:
        return "gambar terlalu kecil untuk dibaca"
    return None


# A crop this much covered by strong colour holds a coloured patch (a meterai tempel), not ink on paper.
_PATCH_SHARE = 0.15
_PATCH_SATURATION = 60
_PATCH_INK = 150  # brightest channel below this: dark print on the patch (pink and yellow stay above)
_STAMP_INK_SATURATION = 45  # coloured stamp ink; black signatures and print below it are left out


def prepare_stamp_crop(img: Image.Image, min_side: int = 360) -> Image.Image:
    """A stamp or meterai crop made easy for OCR, black on white, enlarged at most twice.

    On a coloured patch (meterai) the patch turns white and its dark print black; elsewhere only
    the coloured ink is kept, so a black signature drawn across a stamp no longer hides its words.
    """
    factor = min(2.0, min_side / max(1, min(img.size)))
    if factor > 1.0:
        img = img.resize((round(img.width * factor), round(img.height * factor)), Image.LANCZOS)
    rgb = np.asarray(img.convert("RGB"), dtype=np.int16)
    brightest = rgb.max(axis=2)
    saturation = brightest - rgb.min(axis=2)
    if float((saturation > _PATCH_SATURATION).mean()) >= _PATCH_SHARE:
        ink = brightest < _PATCH_INK
    else:
        ink = saturation > _STAMP_INK_SATURATION
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
