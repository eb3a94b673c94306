"""Whether two written names are the same person (CONTRACT rule 8).

Both names are reduced to their bare words: titles (A.Md.RMIK, S.Tr.Kes, dr., Sp.PD, Hj., ...),
case, punctuation and spacing are dropped, and digits that OCR commonly reads instead of letters
(0/O, 1/I, 5/S, 8/B) are folded to the letter.

The OCR tolerance is deliberately small, because a wrong "match" accepts someone else's document:

* the first name must be identical: in Indonesian names the first word is usually the given name
  ("SITI", "NUR", "MUHAMMAD" aside, it is what distinguishes people), and short names differ by
  one letter between real people (ANI / ANA / ANY);
* any other word may differ by one edit only when it has at least 6 letters (a misread glyph in a
  long word; "AMINAH"/"AMINAM"), and the whole name by at most 1 edit under 16 letters, 2 from 16;
* "SITI AMINAH" vs "SITI RAHMAH" (3 edits in one word) therefore never matches.

``compare_names`` also says when two names are *close* (similar, beyond the tolerance): the
evaluator sends those to a person instead of rejecting them, since OCR may be the cause.
"""

from __future__ import annotations

import re
from enum import StrEnum

from extractors.fields.documents import lost_word

# Canonical spellings; dots mark where the parts may be separated by dots and/or spaces.
_TITLES = (
    "A.Md.RMIK", "A.Md.PK", "A.Md.Kes", "A.Md.Kep", "A.Md.Keb", "A.Md.Farm", "A.Md.Gz", "A.Md.AK",
    "A.Md.Rad", "A.Md.Ft", "A.Md.KL", "A.Md.T", "A.Md.Kom", "A.Md", "A.Ma", "A.Kep", "Amd.Kes",
    "Amd.Kep", "Amd.Keb", "Amd.RMIK", "Amd",
    "S.Tr.Kes", "S.Tr.RMIK", "S.Tr.Keb", "S.Tr.Kep", "S.Tr.Gz", "S.Tr.AK", "S.Tr.Ft", "S.Tr",
    "S.K.M", "S.Kep", "S.Keb", "S.Farm", "S.Gz", "S.Kes", "S.Kom", "S.Sos", "S.Pd", "S.Psi", "S.Si",
    "S.Ked", "S.KG", "S.H", "S.E", "S.T", "S.IP", "S.Ag", "S.Ak", "S.Hut", "S.P", "S.ST", "S.S",
    "SKM", "SST", "SE", "SH",
    "M.Kes", "M.K.M", "M.Kep", "M.Si", "M.Sc", "M.M", "M.H", "M.Pd", "M.Farm", "M.Biomed", "M.A.R.S",
    "M.P.H", "M.T", "M.Ak", "MKM", "MARS", "MPH",
    "Ph.D", "Apt", "Ns", "drg", "dr", "Dra", "Drs", "Dr", "Ir", "Prof", "Hj", "H", "Bd", "Ners",
)


def _title_pattern(title: str) -> str:
    parts = [re.escape(p) for p in title.upper().split(".") if p]
    return r"\.?\s*".join(parts) + r"\.?"


_TITLE_RE = re.compile(
    r"(?<![A-Z0-9])(?:SP\.\s*[A-Z]{1,6}(?:\s*\(K\))?\.?|"
    + "|".join(_title_pattern(t) for t in sorted(_TITLES, key=len, reverse=True))
    + r")(?![A-Z0-9])"
)
_OCR_DIGITS = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z", "4": "A"})


class NameComparison(StrEnum):
    match = "match"
    close = "close"  # similar, but beyond the OCR tolerance: a person decides
    different = "different"


def name_words(name: str) -> tuple[str, ...]:
    """The bare words of a name: upper case, no titles, no punctuation."""
    # What follows the first comma is post-nominal titles ("SITI AMINAH, A.Md.RMIK") or, on a
    # scan, whatever OCR ran into after them; a name itself never holds a comma.
    text = " ".join(name.upper().split(",")[0].split())
    text = _TITLE_RE.sub(" ", text)
    text = re.sub(r"['`’‘]", "", text)
    text = re.sub(r"[^A-Z0-9]+", " ", text)
    return tuple(text.translate(_OCR_DIGITS).split())


_LABEL_WORDS = frozenset({
    "TEMPAT", "TGL", "TANGGAL", "LAHIR", "NOMOR", "NO", "ALAMAT", "JENIS", "KELAMIN", "NIK",
    "AGAMA", "PEKERJAAN", "STATUS", "BERLAKU", "KELENGKAPAN", "KEANGGOTAAN", "ANGGOTA", "PROGRAM",
    "STUDI", "NAMA", "LENGKAP", "YANG", "BERSANGKUTAN",
})


def looks_like_name(text: str) -> bool:
    """Whether what was read where a name should be can be a person's name at all: not only
    titles, not a label the reader took for the value, not a run of lower-case prose, not a name
    in capitals with a word OCR misread into small letters ('asa WIJAYA')."""
    words = name_words(text)
    if not words or any(not w.isalpha() for w in words):
        return False
    if _LABEL_WORDS.intersection(words) or lost_word(text):
        return False
    letters = [c for c in text if c.isalpha()]
    return not letters or not all(c.islower() for c in letters)


def names_match(a: str, b: str) -> bool:
    return compare_names(a, b) is NameComparison.match


def compare_names(a: str, b: str) -> NameComparison:
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return NameComparison.different
    if wa == wb or "".join(wa) == "".join(wb):
        return NameComparison.match
    if len(wa) == len(wb) and wa[0] == wb[0] and _within_ocr_tolerance(wa, wb):
        return NameComparison.match
    shorter, longer = sorted((wa, wb), key=len)
    if set(shorter) < set(longer):  # a name cut short, or words stuck to it: a person looks
        return NameComparison.close
    ja, jb = "".join(wa), "".join(wb)
    similarity = 1 - _edits(ja, jb) / max(len(ja), len(jb))
    return NameComparison.close if similarity >= 0.8 else NameComparison.different


def _within_ocr_tolerance(wa: tuple[str, ...], wb: tuple[str, ...]) -> bool:
    total = 0
    for x, y in zip(wa, wb, strict=True):
        edits = _edits(x, y)
        if edits and (edits > 1 or min(len(x), len(y)) < 6):
            return False
        total += edits
    letters = sum(len(w) for w in wa)
    return total <= (2 if letters >= 16 else 1)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
