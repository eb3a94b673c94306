"""The one edge where izinflow runs tesseract (through pytesseract).

Nothing else in the code base calls tesseract: the rest works on ``OcrText``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytesseract
from PIL import Image

from extractors.errors import PageReadError

LANG = "ind+eng"
DEFAULT_TIMEOUT = 90

_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([0-9.]+)")
# Below this OSD confidence tesseract is guessing; rotating on a guess does more harm than good.
_MIN_OSD_CONFIDENCE = 1.5


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, width, height in image pixels


@dataclass(frozen=True)
class OcrText:
    text: str
    mean_confidence: float | None  # mean word confidence 0-100; None when no word was found
    words: tuple[OcrWord, ...] = ()


def _single_threaded() -> None:
    # tesseract's OpenMP threads fight the page-level process pool for the same cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _prepared(img: Image.Image) -> Image.Image:
    # Grayscale PGM: what tesseract binarises anyway, and much faster to write than PNG.
    gray = img.convert("L") if img.mode != "L" else img.copy()
    gray.format = "PPM"
    return gray


def _failure(exc: Exception) -> PageReadError:
    if isinstance(exc, RuntimeError) and "timeout" in str(exc).lower():
        return PageReadError("waktu pembacaan OCR halaman habis")
    return PageReadError("halaman tidak dapat dibaca dengan OCR")


def ocr_image(
    img: Image.Image, *, lang: str = LANG, psm: int = 3, timeout: float = DEFAULT_TIMEOUT
) -> OcrText:
    """OCR one image; raises ``PageReadError`` when tesseract fails or times out."""
    _single_threaded()
    try:
        data = pytesseract.image_to_data(
            _prepared(img),
            lang=lang,
            config=f"--psm {psm}",
            timeout=timeout,
            output_type=pytesseract.Output.DICT,
        )
    except (RuntimeError, pytesseract.TesseractError, OSError) as exc:
        raise _failure(exc) from exc
    return _from_tsv(data)


def _from_tsv(data: dict[str, list]) -> OcrText:
    lines: dict[tuple[int, int, int], list[str]] = {}
    words: list[OcrWord] = []
    for i, raw in enumerate(data["text"]):
        word = (raw or "").strip()
        if not word:
            continue
        confidence = float(data["conf"][i])
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(word)
        box = (int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i]))
        words.append(OcrWord(word, confidence, box))
    parts: list[str] = []
    previous: tuple[int, int] | None = None
    for (block, par, _line), line_words in lines.items():
        if previous is not None and previous != (block, par):
            parts.append("")
        parts.append(" ".join(line_words))
        previous = (block, par)
    scored = [w.confidence for w in words if w.confidence >= 0]
    mean = sum(scored) / len(scored) if scored else None
    return OcrText("\n".join(parts), mean, tuple(words))


def detect_orientation(img: Image.Image, *, timeout: float = 30) -> int:
    """Degrees (0, 90, 180, 270) to turn the image clockwise so its text stands upright.

    Returns 0 when tesseract's orientation detection has too little text to be sure.
    """
    _single_threaded()
    try:
        osd = pytesseract.image_to_osd(
            _prepared(img), config="--psm 0 -c min_characters_to_try=10", timeout=timeout
        )
    except (RuntimeError, pytesseract.TesseractError, OSError):
        return 0
    rotate = _ROTATE.search(osd)
    confidence = _ORIENTATION_CONFIDENCE.search(osd)
    if not rotate or not confidence or float(confidence.group(1)) < _MIN_OSD_CONFIDENCE:
        return 0
    degrees = int(rotate.group(1)) % 360
    return degrees if degrees in (90, 180, 270) else 0
