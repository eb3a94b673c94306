"""Indonesian dates as printed on documents, with OCR noise: '12-03-1990', '12 Maret 1990', ..."""

from __future__ import annotations

import difflib
import re
from datetime import date

from extractors.text import fix_digits, strip_accents

NAMA_BULAN: tuple[str, ...] = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                               "September", "Oktober", "November", "Desember")
SEUMUR_HIDUP = "seumur hidup"

_ABBREVIATIONS = {
    "JAN": 1, "FEB": 2, "PEB": 2, "MAR": 3, "MRT": 3, "APR": 4, "MEI": 5, "MAY": 5, "JUN": 6, "JUL": 7,
    "AGU": 8, "AGT": 8, "AGS": 8, "AUG": 8, "AGUST": 8, "SEP": 9, "SEPT": 9, "OKT": 10, "OCT": 10, "NOV": 11,
    "NOP": 11, "DES": 12, "DEC": 12, "PEBRUARI": 2, "NOPEMBER": 11, "JANUARY": 1, "FEBRUARY": 2,
    "MARCH": 3, "JUNE": 6, "JULY": 7, "AUGUST": 8, "OCTOBER": 10, "DECEMBER": 12,
}
_FULL = {name.upper(): i for i, name in enumerate(NAMA_BULAN, start=1)}
_LETTERS_FOR_MONTH = str.maketrans({"0": "O", "1": "I", "3": "E", "4": "A", "5": "S", "8": "B", "|": "I"})

_NUM = r"[0-9OoIl|SB]"
_NUMERIC = re.compile(
    rf"(?<![0-9A-Za-z])({_NUM}{{1,2}})\s?[-/.]\s?({_NUM}{{1,2}})\s?[-/.]\s?({_NUM}{{4}})(?![0-9A-Za-z])")
_ISO = re.compile(r"(?<![0-9])(\d{4})-(\d{2})-(\d{2})(?![0-9])")
_WORDED = re.compile(
    rf"(?<![0-9A-Za-z])({_NUM}{{1,2}})\s*[-.]?\s*([A-Za-z0-9|]{{3,10}})\.?\s*[-.]?\s*({_NUM}{{4}})(?![0-9])")
_LIFETIME = re.compile(r"SEUMUR\s*-?\s*H[I1Ll|]DUP|SELAMA\s+HIDUP|BERLAKU\s+SELAMANYA")


def month_number(word: str) -> int | None:
    """'Maret', 'MARET', 'Mar', 'Mar3t' -> 3; None when the word is no month."""
    w = strip_accents(word).upper().translate(_LETTERS_FOR_MONTH).strip(".")
    if not w.isalpha():
        return None
    if w in _FULL:
        return _FULL[w]
    if w in _ABBREVIATIONS:
        return _ABBREVIATIONS[w]
    if len(w) >= 4:
        match = difflib.get_close_matches(w, [*_FULL, *[a for a in _ABBREVIATIONS if len(a) >= 5]], 1, 0.75)
        if match:
            return _FULL.get(match[0]) or _ABBREVIATIONS[match[0]]
    return None


def _make(day: int, month: int, year: int) -> date | None:
    if not 1800 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _int(raw: str) -> int:
    return int(fix_digits(raw.replace("|", "1")).translate(str.maketrans("OoIlSB", "001158")))


def _found(text: str) -> list[tuple[int, date]]:
    text = strip_accents(text)
    out: list[tuple[int, date]] = []
    for m in _NUMERIC.finditer(text):
        try:
            d = _make(_int(m.group(1)), _int(m.group(2)), _int(m.group(3)))
        except ValueError:
            d = None
        if d:
            out.append((m.start(), d))
    for m in _ISO.finditer(text):
        d = _make(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            out.append((m.start(), d))
    for m in _WORDED.finditer(text):
        month = month_number(m.group(2))
        if month is None:
            continue
        try:
            d = _make(_int(m.group(1)), month, _int(m.group(3)))
        except ValueError:
            d = None
        if d:
            out.append((m.start(), d))
    return sorted(set(out))


def find_dates(text: str) -> list[date]:
    """Every date in a text, in reading order."""
    return [d for _, d in _found(text)]


def parse_tanggal(text: str) -> date | None:
    """The first date in a text ('Bagansiapiapi, 12 Maret 1990' -> 1990-03-12), or None."""
    found = _found(text)
    return found[0][1] if found else None


def is_seumur_hidup(text: str) -> bool:
    return _LIFETIME.search(strip_accents(text).upper()) is not None


def parse_masa_berlaku(text: str) -> date | str | None:
    """A validity field: a date, ``SEUMUR_HIDUP`` for 'SEUMUR HIDUP', or None."""
    if is_seumur_hidup(text):
        return SEUMUR_HIDUP
    return parse_tanggal(text)


def split_tempat_tanggal(text: str) -> tuple[str, date | None]:
    """'Bagansiapiapi, 12 Maret 1990' -> ('Bagansiapiapi', date(1990, 3, 12))."""
    found = _found(text)
    if not found:
        return text.strip(" ,:;/"), None
    pos, born = found[0]
    place = text[:pos].strip().rstrip(",/;:-").strip()
    return place, born


def format_tanggal(d: date) -> str:
    """date(1990, 3, 12) -> '12 Maret 1990'."""
    return f"{d.day} {NAMA_BULAN[d.month - 1]} {d.year}"
