"""What is seen rather than read on a page image: QR codes, barcodes, photographs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import zxingcpp
from PIL import Image

from izinflow.domain import Mark

_QR_FORMATS = frozenset({"QRCode", "MicroQRCode", "RMQRCode", "QRCodeModel1", "QRCodeModel2"})

# Photo detection works on a small copy of the page, cut into square cells.
_PHOTO_SIDE = 256
_CELL = 8
_TONE_SHARE = 0.6  # a cell is photo-like when most of its pixels are neither paper nor ink
_MIN_PHOTO_SPREAD = 18.0  # lightness std of a real photograph; flat tints and grey scans stay below


def decode_marks(img: Image.Image) -> tuple[Mark, ...]:
    """Every QR code and barcode zxing finds in ``img``, in reading order, without duplicates."""
    gray = img.convert("L") if img.mode != "L" else img
    try:
        found = zxingcpp.read_barcodes(gray)
    except (RuntimeError, ValueError):
        return ()
    marks: list[Mark] = []
    for barcode in found:
        if not barcode.valid or not barcode.text:
            continue
        kind = "qr" if barcode.format.name in _QR_FORMATS else "barcode"
        mark = Mark(kind, barcode.text)
        if mark not in marks:
            marks.append(mark)
    return tuple(marks)


def merge_marks(*groups: Iterable[Mark]) -> tuple[Mark, ...]:
    merged: list[Mark] = []
    for group in groups:
        for mark in group:
            if mark not in merged:
                merged.append(mark)
    return tuple(merged)


def photo_ratio(img: Image.Image, text_boxes: Sequence[tuple[int, int, int, int]] = ()) -> float:
    """Share of ``img`` covered by its largest photograph-like region (0.0-1.0).

    A photograph is a connected run of cells that are neither paper nor black ink, away from
    recognised text (``text_boxes``: left, top, width, height in ``img`` pixels), whose lightness
    varies like a real picture rather than a flat tint.
    """
    if img.width < _CELL or img.height < _CELL:
        return 0.0
    factor = min(1.0, _PHOTO_SIDE / max(img.size))
    small = img.convert("RGB").resize(
        (max(_CELL, round(img.width * factor)), max(_CELL, round(img.height * factor))), Image.BILINEAR
    )
    rgb = np.asarray(small, dtype=np.int16)
    lightness = rgb.mean(axis=2)
    saturation = rgb.max(axis=2) - rgb.min(axis=2)
    paper = _paper_colour(rgb, lightness)
    on_paper = (np.abs(rgb - paper).max(axis=2) <= 40) | ((lightness > 225) & (saturation < 30))
    ink = (saturation < 40) & (lightness < 80)
    tone = ~(on_paper | ink)

    rows, cols = small.height // _CELL, small.width // _CELL
    if rows == 0 or cols == 0:
        return 0.0
    cells = tone[: rows * _CELL, : cols * _CELL].reshape(rows, _CELL, cols, _CELL).mean(axis=(1, 3))
    cell_grid = lightness[: rows * _CELL, : cols * _CELL].reshape(rows, _CELL, cols, _CELL).swapaxes(1, 2)
    mask = cells >= _TONE_SHARE
    mask &= ~_text_cells(text_boxes, factor, rows, cols)
    mask = _open(mask)
    best = 0
    for component in _components(mask):
        if len(component) <= best:
            continue
        pixels = cell_grid[tuple(zip(*component, strict=True))].ravel()
        if float(pixels.std()) >= _MIN_PHOTO_SPREAD:
            best = len(component)
    return round(best / (rows * cols), 3)


def _paper_colour(rgb: np.ndarray, lightness: np.ndarray) -> np.ndarray:
    """The commonest light colour: white paper, or the tint of a card such as a KTP.

    Dark or saturated colours (the red or blue behind a pas foto, skin) are never paper.
    """
    light = rgb[(lightness > 170) & (rgb.max(axis=2) - rgb.min(axis=2) < 64)]
    if light.shape[0] < 0.2 * lightness.size:
        return np.array([255, 255, 255])
    bins = (light // 16) @ np.array([256, 16, 1])
    commonest = np.bincount(bins).argmax()
    return light[bins == commonest].mean(axis=0)


def _text_cells(
    boxes: Sequence[tuple[int, int, int, int]], factor: float, rows: int, cols: int
) -> np.ndarray:
    text = np.zeros((rows, cols), dtype=bool)
    for left, top, width, height in boxes:
        c0 = max(0, int(left * factor) // _CELL - 1)
        r0 = max(0, int(top * factor) // _CELL - 1)
        c1 = min(cols, int((left + width) * factor) // _CELL + 2)
        r1 = min(rows, int((top + height) * factor) // _CELL + 2)
        text[r0:r1, c0:c1] = True
    return text


def _open(mask: np.ndarray) -> np.ndarray:
    """Morphological opening with a 3×3 square: drops strips one or two cells thin."""
    padded = np.pad(mask, 1, constant_values=False)
    eroded = np.ones_like(mask)
    for dr in range(3):
        for dc in range(3):
            eroded &= padded[dr : dr + mask.shape[0], dc : dc + mask.shape[1]]
    padded = np.pad(eroded, 1, constant_values=False)
    dilated = np.zeros_like(mask)
    for dr in range(3):
        for dc in range(3):
            dilated |= padded[dr : dr + mask.shape[0], dc : dc + mask.shape[1]]
    return dilated & mask


def _components(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    rows, cols = mask.shape
    seen = np.zeros_like(mask)
    found: list[list[tuple[int, int]]] = []
    for start_r in range(rows):
        for start_c in range(cols):
            if not mask[start_r, start_c] or seen[start_r, start_c]:
                continue
            stack = [(start_r, start_c)]
            seen[start_r, start_c] = True
            component: list[tuple[int, int]] = []
            while stack:
                r, c = stack.pop()
                component.append((r, c))
                for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= nr < rows and 0 <= nc < cols and mask[nr, nc] and not seen[nr, nc]:
                        seen[nr, nc] = True
                        stack.append((nr, nc))
            found.append(component)
    return found
