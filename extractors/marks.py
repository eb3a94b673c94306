"""What is seen rather than read on a page image: QR codes, barcodes, photographs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import zxingcpp
from PIL import Image

from izinflow.domain import Mark

_QR_FORMATS = frozenset({"QRCode", "MicroQRCode", "RMQRCode", "QRCodeModel1", "QRCodeModel2"})

# Photo detection works on a small copy of the page, cut into square cells.
_PHOTO_SIDE = 320
_CELL = 6
_TONE_LIGHTNESS = 45  # this much darker than the paper around it: not paper
_TONE_SATURATION = 50  # this colourful: ink or a picture, never paper (tinted paper stays below)
_TONE_SHARE = 0.7  # a cell is filled when most of its pixels are toned: text strokes never fill one
_MIN_PHOTO_CELLS = 12  # about 2x2 cm on an A4 page
_MIN_SOLIDITY = 0.4  # share of its bounding box a region fills: photos are rectangles, frames are rings
# Colour/lightness spread of a picture (background, skin, hair, clothes); flat banners stay below.
_MIN_PHOTO_SPREAD = 18.0


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
    """Share of ``img`` covered by photograph-like regions, summed over every photo (0.0-1.0).

    A photograph is a solid, roughly rectangular region of cells filled with colour or with grey
    clearly darker than the paper around it, whose pixels vary like a picture (not a flat tint),
    away from recognised text (``text_boxes``: left, top, width, height in ``img`` pixels). Paper
    brightness is judged locally, so grey scans, uneven phone lighting and dark photo backgrounds
    (once taken for ink) do not mislead it.
    """
    if img.width < _CELL or img.height < _CELL:
        return 0.0
    factor = min(1.0, _PHOTO_SIDE / max(img.size))
    size = (max(_CELL, round(img.width * factor)), max(_CELL, round(img.height * factor)))
    small = img.convert("RGB").resize(size, Image.BILINEAR, reducing_gap=3.0)
    rows, cols = small.height // _CELL, small.width // _CELL
    rgb = np.asarray(small, dtype=np.int16)[: rows * _CELL, : cols * _CELL]
    lightness = rgb.mean(axis=2)
    saturation = rgb.max(axis=2) - rgb.min(axis=2)

    by_cell = lightness.reshape(rows, _CELL, cols, _CELL).swapaxes(1, 2).reshape(rows, cols, -1)
    paper = _max_filter(np.percentile(by_cell, 90, axis=2), max(2, min(rows, cols) // 6))
    paper_pixels = np.repeat(np.repeat(paper, _CELL, axis=0), _CELL, axis=1)
    toned = ((paper_pixels - lightness) > _TONE_LIGHTNESS) | (saturation > _TONE_SATURATION)
    filled = toned.reshape(rows, _CELL, cols, _CELL).mean(axis=(1, 3)) >= _TONE_SHARE
    filled &= ~_text_cells(text_boxes, factor, rows, cols)

    covered = np.zeros_like(filled)
    for component in _components(filled):
        r0, c0 = (min(axis) for axis in zip(*component, strict=True))
        r1, c1 = (max(axis) + 1 for axis in zip(*component, strict=True))
        box_cells = (r1 - r0) * (c1 - c0)
        if box_cells < _MIN_PHOTO_CELLS or len(component) < _MIN_SOLIDITY * box_cells:
            continue
        y0, y1, x0, x1 = r0 * _CELL, r1 * _CELL, c0 * _CELL, c1 * _CELL
        pixels = rgb[y0:y1, x0:x1][toned[y0:y1, x0:x1]]
        if float(pixels.std(axis=0).mean()) >= _MIN_PHOTO_SPREAD:
            covered[r0:r1, c0:c1] = True
    return round(float(covered.mean()), 3)


def _max_filter(grid: np.ndarray, radius: int) -> np.ndarray:
    """Greatest value within ``radius`` cells (a square window), one axis at a time."""
    out = grid
    for axis in (0, 1):
        pad = [(radius, radius) if a == axis else (0, 0) for a in (0, 1)]
        padded = np.pad(out, pad, mode="edge")
        length = out.shape[axis]
        out = np.max([np.take(padded, range(k, k + length), axis=axis) for k in range(2 * radius + 1)], axis=0)
    return out


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


# Coloured ink (legalisation stamps, meterai, signatures in blue) on a small copy of the page.
_INK_SIDE = 600
_INK_CELL = 6
_INK_SATURATION = 60
_INK_CELL_SHARE = 0.04  # a few coloured stroke pixels make a cell part of a stamp
_INK_MIN_SIDE = 0.05  # of the page's shorter side: smaller coloured bits are specks or a tick
_INK_MAX_SHARE = 0.2  # of the page's area: larger coloured regions are a picture or a tinted form
_INK_LINE = 0.12  # of the page's longer side: a straight coloured run this long is a frame or a rule
_INK_MARGIN = 0.12  # of a region's size, added around its crop


def ink_regions(img: Image.Image, limit: int = 3) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom in ``img`` pixels) of coloured-ink regions of stamp size.

    Largest first, at most ``limit``. A grey scan has none: its stamps are in the page's own OCR.
    """
    factor, coloured = _coloured(img)
    return _stamp_sized(coloured, factor, img.size, limit)


def unexplained_ink(
    img: Image.Image, word_boxes: Sequence[tuple[int, int, int, int]], limit: int = 4
) -> list[tuple[int, int, int, int]]:
    """Boxes of dark ink of stamp size that no read word covers: stamps, signatures, seals, logos.

    For a grey page, where ink has no colour to tell a stamp from print. ``word_boxes`` are the
    confidently read words (left, top, width, height in ``img`` pixels). Largest first.
    """
    factor = min(1.0, _INK_SIDE / max(img.size))
    size = (max(_INK_CELL, round(img.width * factor)), max(_INK_CELL, round(img.height * factor)))
    small = np.asarray(img.convert("L").resize(size, Image.BILINEAR, reducing_gap=3.0), dtype=np.int16)
    dark = small < float(np.percentile(small, 90)) - _DARK_DEPTH
    for left, top, width, height in word_boxes:
        pad = height * _WORD_PAD
        r0, r1 = max(0, int((top - pad) * factor)), int((top + height + pad) * factor) + 1
        c0, c1 = max(0, int((left - pad) * factor)), int((left + width + pad) * factor) + 1
        dark[r0:r1, c0:c1] = False
    return _stamp_sized(dark, factor, img.size, limit)


_DARK_DEPTH = 60  # this much darker than the paper: ink, not paper grain or shadow
_WORD_PAD = 0.3  # of a word's height, around a read word: its own ink


def _stamp_sized(
    mask: np.ndarray, factor: float, img_size: tuple[int, int], limit: int
) -> list[tuple[int, int, int, int]]:
    rows, cols = mask.shape[0] // _INK_CELL, mask.shape[1] // _INK_CELL
    if rows == 0 or cols == 0 or not mask.any():
        return []
    mask = mask[: rows * _INK_CELL, : cols * _INK_CELL]
    size = (mask.shape[1], mask.shape[0])
    # Thin long runs are frames and rules; a solid patch (a meterai) has long runs too but is thick.
    thick = _max_filter((~_max_filter((~mask).astype(np.uint8), 3).astype(bool)).astype(np.uint8), 3)
    mask &= ~(_straight_lines(mask, max(8, round(_INK_LINE * max(size)))) & ~thick.astype(bool))
    cells = mask.reshape(rows, _INK_CELL, cols, _INK_CELL).mean(axis=(1, 3)) >= _INK_CELL_SHARE
    cells = _max_filter(cells.astype(np.uint8), 2).astype(bool)  # join the strokes of one stamp
    min_side = _INK_MIN_SIDE * min(rows, cols)
    width, height = img_size
    found: list[tuple[int, tuple[int, int, int, int]]] = []
    for component in _components(cells):
        r0, c0 = (min(axis) for axis in zip(*component, strict=True))
        r1, c1 = (max(axis) + 1 for axis in zip(*component, strict=True))
        if min(r1 - r0, c1 - c0) < min_side or (r1 - r0) * (c1 - c0) > _INK_MAX_SHARE * rows * cols:
            continue
        scale = _INK_CELL / factor
        pad_r, pad_c = _INK_MARGIN * (r1 - r0), _INK_MARGIN * (c1 - c0)
        box = (
            max(0, round((c0 - pad_c) * scale)),
            max(0, round((r0 - pad_r) * scale)),
            min(width, round((c1 + pad_c) * scale)),
            min(height, round((r1 + pad_r) * scale)),
        )
        found.append(((r1 - r0) * (c1 - c0), box))
    found.sort(key=lambda item: item[0], reverse=True)
    return [box for _area, box in found[:limit]]


def has_colour(img: Image.Image) -> bool:
    """Whether the page shows coloured ink at all: a colour capture in which a wet stamp would show."""
    return img.mode not in ("L", "1", "LA") and bool(_coloured(img)[1].any())


def _coloured(img: Image.Image) -> tuple[float, np.ndarray]:
    """The scale factor and the mask of clearly coloured pixels of a copy at most ``_INK_SIDE`` wide."""
    factor = min(1.0, _INK_SIDE / max(img.size))
    size = (max(_INK_CELL, round(img.width * factor)), max(_INK_CELL, round(img.height * factor)))
    small = np.asarray(img.convert("RGB").resize(size, Image.BILINEAR, reducing_gap=3.0), dtype=np.int16)
    return factor, ((small.max(axis=2) - small.min(axis=2)) > _INK_SATURATION) & (small.mean(axis=2) < 235)


def _straight_lines(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels of horizontal or vertical runs at least ``length`` long (frames, rules, borders)."""
    lines = np.zeros_like(mask)
    for axis in (0, 1):
        runs = np.cumsum(np.pad(mask, [(1, 0) if a == axis else (0, 0) for a in (0, 1)]), axis=axis,
                         dtype=np.int32)
        n = mask.shape[axis]
        ends = np.take(runs, range(length, n + 1), axis=axis) - np.take(runs, range(0, n + 1 - length), axis=axis)
        full = ends >= 0.9 * length  # a window of ``length`` almost all coloured
        covered = np.cumsum(np.pad(full, [(1, 0) if a == axis else (0, 0) for a in (0, 1)]), axis=axis,
                            dtype=np.int32)
        # a pixel is on a line when any full window starting within ``length`` before it covers it
        starts = np.pad(covered, [(length - 1, length - 1) if a == axis else (0, 0) for a in (0, 1)],
                        mode="edge")
        hit = np.take(starts, range(length, length + n), axis=axis) - np.take(starts, range(0, n), axis=axis)
        lines |= hit > 0
    return lines
