"""A ruled table on a scan, rebuilt from its rules and the OCR word boxes.

Line-by-line OCR loses a table whose cells wrap: a two-line name puts its second line among the
next row's words, and a rule beside a digit turns "| 3 |" into noise. Here the rules are found in
the image (long straight runs of dark pixels), whitened before OCR, and each cell gets the words
inside it, in reading order: the same ``Table`` a text-layer page gives through pdfplumber.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from statistics import median

import numpy as np
from PIL import Image

from extractors.ocr import OcrWord
from izinflow.domain import Table

_MIN_ROWS = 3
_RULE_COVER = 0.7  # share of the table's height a vertical rule darkens
_DARK = 128
_MIN_CONFIDENCE = 30  # OCR noise on the rules' remains and the stamp
_MIN_RULE = 40  # pixels: a straight dark run this long is a rule, not a letter


Grid = tuple[list[int], list[int]]  # y of the horizontal rules, x of the vertical rules


def grid_table(words: Sequence[OcrWord], grid: Grid) -> Table | None:
    """The rows of a ruled table, each cell the words inside it (boxes in the grid's pixels)."""
    ys, xs = grid
    columns = list(pairwise(xs))
    table = [row for lo, hi in pairwise(ys) if any(row := _cells(words, lo, hi, columns))]
    return tuple(table) if len(table) > _MIN_ROWS else None


def _cells(
    words: Sequence[OcrWord], top: float, bottom: float, bounds: Sequence[tuple[float, float]]
) -> tuple[str, ...]:
    inside = [w for w in words if top <= _mid_y(w) < bottom and w.confidence >= _MIN_CONFIDENCE]
    return tuple(_cell_text([w for w in inside if a <= _mid_x(w) < b]) for a, b in bounds)


def ruled_grid(image: Image.Image) -> Grid | None:
    """y of the horizontal rules and x of the vertical ones of the page's ruled table, or None."""
    dark = np.asarray(image.convert("L"), dtype=np.uint8) < _DARK
    across = _runs(dark, _MIN_RULE, axis=1)
    # A rule slanted by the scan spreads over a few pixel rows: count it over a five-row window.
    per_row = across.sum(axis=1).astype(np.float64)
    window = np.convolve(per_row, np.ones(5), mode="same")
    ys = _centres(np.flatnonzero(window >= 0.45 * image.width), gap=4)
    if len(ys) < _MIN_ROWS + 1:
        return None
    xs = _vertical_rules(dark, (ys[0], ys[-1]))
    if len(xs) < 3:
        return None
    return ys, xs


def _vertical_rules(dark: np.ndarray, span: tuple[int, int]) -> list[int]:
    """x of the vertical lines crossing most of ``span``'s height (a ruled table's column borders)."""
    part = dark[max(0, span[0]):span[1]]
    if part.shape[0] < 20:
        return []
    # A rule a page's slant moves by a pixel or two still covers a column once widened by three.
    widened = part.copy()
    for shift in (1, 2, 3):
        widened[:, shift:] |= part[:, :-shift]
        widened[:, :-shift] |= part[:, shift:]
    return _centres(np.flatnonzero(widened.mean(axis=0) >= _RULE_COVER), gap=4)


def _centres(positions: np.ndarray, gap: int) -> list[int]:
    """The middle of each group of neighbouring positions."""
    if positions.size == 0:
        return []
    return [int(g.mean()) for g in np.split(positions, np.flatnonzero(np.diff(positions) > gap) + 1)]


def _cell_text(words: Sequence[OcrWord]) -> str:
    """Words of one cell in reading order: line by line (a wrapped name stays whole), left to right."""
    if not words:
        return ""
    height = median(w.box[3] for w in words)
    lines: list[list[OcrWord]] = []
    for w in sorted(words, key=_mid_y):
        if lines and abs(_mid_y(w) - _mid_y(lines[-1][0])) <= 0.6 * height:
            lines[-1].append(w)
        else:
            lines.append([w])
    return " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.box[0])).strip(" |[]")


def _mid_y(w: OcrWord) -> float:
    return w.box[1] + w.box[3] / 2


def _mid_x(w: OcrWord) -> float:
    return w.box[0] + w.box[2] / 2


def without_rules(image: Image.Image, min_run: int = _MIN_RULE) -> Image.Image:
    """The page with its table rules whitened: tesseract reads "| 3 |" beside a rule as noise."""
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    dark = grey < _DARK
    rule = _runs(dark, min_run, axis=1) | _runs(dark, min_run, axis=0)
    cleaned = grey.copy()
    cleaned[rule] = 255
    return Image.fromarray(cleaned)


def _runs(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels on a straight dark run of at least ``length`` along ``axis``."""
    d = dark if axis == 1 else dark.T
    c = np.cumsum(np.pad(d.astype(np.int32), ((0, 0), (1, 0))), axis=1)
    full = (c[:, length:] - c[:, :-length]) == length  # window starting at each x is all dark
    cover = np.zeros(d.shape, dtype=np.int32)
    starts = np.pad(full.astype(np.int32), ((0, 0), (0, length - 1)))
    cs = np.cumsum(np.pad(starts, ((0, 0), (1, 0))), axis=1)
    cover = (cs[:, length:] - cs[:, :-length]) > 0
    cover = np.pad(cover, ((0, 0), (length - 1, 0)))[:, : d.shape[1]]
    return cover if axis == 1 else cover.T
