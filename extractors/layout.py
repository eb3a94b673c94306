"""A ruled table on a scan, rebuilt from its rules and the OCR word boxes.

Line-by-line OCR loses a table whose cells wrap: a two-line name puts its second line among the
next row's words, and a rule beside a digit turns "| 3 |" into noise. Here the rules are found in
the image (long straight runs of dark pixels), whitened before OCR, and each cell gets the words
inside it, in reading order: the same ``Table`` a text-layer page gives through pdfplumber.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

import numpy as np
from PIL import Image

from extractors.ocr import OcrWord
from izinflow.domain import Table

_MIN_ROWS = 3
_DARK = 128
_MIN_CONFIDENCE = 30  # OCR noise on the rules' remains and the stamp
_MIN_RULE = 40  # pixels: a straight dark run this long is a rule, not a letter


_STRIP = 48  # pixels: rules are traced strip by strip, so a slanted or bowed rule is still one rule
_MAX_THICKNESS = 7  # pixels: thicker dark bands are a photo's background or a filled box, not a rule


@dataclass(frozen=True)
class Rule:
    """A traced rule: its cross position (y of a horizontal rule, x of a vertical one) along it."""

    along: tuple[float, ...]
    across: tuple[float, ...]

    def at(self, position: float) -> float:
        return float(np.interp(position, self.along, self.across))


@dataclass(frozen=True)
class Grid:
    rows: tuple[Rule, ...]  # horizontal rules, top to bottom
    columns: tuple[Rule, ...]  # vertical rules, left to right


def grid_table(words: Sequence[OcrWord], grid: Grid) -> Table | None:
    """The rows of a ruled table, each cell the words inside it (boxes in the grid's pixels)."""
    cells: dict[tuple[int, int], list[OcrWord]] = {}
    for w in words:
        if w.confidence < _MIN_CONFIDENCE:
            continue
        x, y = _mid_x(w), _mid_y(w)
        row = _slot([r.at(x) for r in grid.rows], y)
        column = _slot([c.at(y) for c in grid.columns], x)
        if row is not None and column is not None:
            cells.setdefault((row, column), []).append(w)
    table = [
        row for i in range(len(grid.rows) - 1)
        if any(row := tuple(_cell_text(cells.get((i, j), [])) for j in range(len(grid.columns) - 1)))
    ]
    return tuple(table) if len(table) > _MIN_ROWS else None


def _slot(edges: Sequence[float], value: float) -> int | None:
    for i, (lo, hi) in enumerate(pairwise(edges)):
        if lo <= value < hi:
            return i
    return None


def ruled_grid(image: Image.Image) -> Grid | None:
    """The rules of the page's ruled table, or None when the page has no such table."""
    dark = np.asarray(image.convert("L"), dtype=np.uint8) < _DARK
    rows = _trace(_runs(dark, _MIN_RULE, axis=1))
    columns = _trace(_runs(dark, _MIN_RULE, axis=0).T)
    if len(rows) < _MIN_ROWS + 1 or len(columns) < 3:
        return None
    return Grid(tuple(rows), tuple(columns))


def _trace(mask: np.ndarray) -> list[Rule]:
    """The long thin lines along axis 1 of ``mask`` (pixels on long straight runs), in order across.

    Each strip of the mask gives the thin bands it covers; bands in neighbouring strips within a few
    pixels of each other are one rule. Rules shorter than half the longest are text or noise.
    """
    n = mask.shape[1] // _STRIP
    traces: list[list[tuple[float, float]]] = []
    for i in range(n):
        centre = i * _STRIP + _STRIP / 2
        covered = np.flatnonzero(mask[:, i * _STRIP:(i + 1) * _STRIP].mean(axis=1) >= 0.6)
        for band in _bands(covered):
            open_traces = [t for t in traces if 0 < (i - (t[-1][0] - _STRIP / 2) / _STRIP) <= 2
                           and abs(t[-1][1] - band) <= 4]
            if open_traces:
                min(open_traces, key=lambda t: abs(t[-1][1] - band)).append((centre, band))
            else:
                traces.append([(centre, band)])
    if not traces:
        return []
    longest = max(len(t) for t in traces)
    kept = [t for t in traces if len(t) >= max(3, longest / 2)]
    rules = [Rule(tuple(a for a, _ in t), tuple(b for _, b in t)) for t in kept]
    return sorted(rules, key=lambda r: float(np.mean(r.across)))


def _bands(positions: np.ndarray) -> list[float]:
    """The middles of the thin runs of neighbouring positions."""
    if positions.size == 0:
        return []
    groups = np.split(positions, np.flatnonzero(np.diff(positions) > 1) + 1)
    return [float(g.mean()) for g in groups if g.size <= _MAX_THICKNESS]


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
    # The grey edge of an anti-aliased rule would stay behind as a faint line: take it too.
    grown = rule.copy()
    for shift in (1, 2):
        grown[shift:] |= rule[:-shift]
        grown[:-shift] |= rule[shift:]
        grown[:, shift:] |= rule[:, :-shift]
        grown[:, :-shift] |= rule[:, shift:]
    rule = grown
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
