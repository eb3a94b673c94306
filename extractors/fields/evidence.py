"""Evidence on a page that is not text of the document itself: a legalisation stamp, a meterai.

OCR splits and merges words ("TELAH DILEGAL ISIR", "METERAl TEMPEL", "SESUAI DENGAN ASL1NYA"), so the
phrases are looked for in the text with every space removed and the usual letter/digit confusions
folded. A negative answer ("tidak ada") is only given when the page was read well enough that a
stamp or meterai on it would have been seen; otherwise the field stays absent and a person decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from extractors.text import strip_accents
from izinflow.domain import PageText

TIDAK_ADA = "tidak ada"
MIN_OCR_CONFIDENCE = 60.0
MIN_OCR_WORDS = 36  # fewer distinct words on a scanned page means much of it was not read
UNEXPLAINED_IMAGE_WORDS = 3

_CONFUSIONS = str.maketrans({"0": "O", "1": "I", "|": "I", "!": "I", "L": "I", "5": "S", "8": "B", "4": "A",
                             "3": "E", "6": "G", "$": "S"})


def compact(text: str) -> str:
    """Upper case, letters only, OCR confusions folded (L and 1 both become I): for phrase matching."""
    upper = strip_accents(text).upper().translate(_CONFUSIONS)
    return re.sub(r"[^A-Z]", "", upper)


def _digits_compact(text: str) -> str:
    return re.sub(r"[\s.,]", "", strip_accents(text).upper().translate(str.maketrans({"O": "0", "o": "0"})))


# Phrases in compact form (after ``compact``: L -> I).
_LEGAL = ("SESUAIDENGANASI", "SESUAIDENGANYANGASI", "DIIEGAIISIR", "DIIEGAISIR", "IEGAIISIR", "IEGAIISASI",
          "DIIEGAIISASI", "TEIAHDIIEGAI", "SESUAIASIINYA", "FOTOKOPISESUAIASII", "ASIINYA")
_LEGAL_PART = ("SESUAI", "IEGAI", "TEIAHDI", "DIIEG")
# The long phrases also match with a few letters lost, changed or inserted: a signature stroke
# through a stamp reads as stray letters inside it ("TELAH DILEG Tgi ALISIR").
_LEGAL_FUZZY = regex.compile(
    r"(?:TEIAHDIIEGAIISIR){e<=3}|(?:SESUAIDENGANASIINYA){e<=3}|(?:DIIEGAIISASI){e<=2}", regex.BESTMATCH
)
_FRAGMENT = re.compile(r"IEGAI|ASIINY|^DIIE")
_METERAI = ("METERAI", "MATERAI", "METRAI", "MEIERAI")
_ELEKTRONIK = ("EIEKTRONIK", "EIEKTRONIC", "EMETERAI", "EMATERAI")
_TEMPEL = ("TEMPEI",)
_EMETERAI_QR = re.compile(r"^[A-Z0-9]{22}$|METERAI|MATERAI|PERURI", re.IGNORECASE)
_SEPULUH_RIBU = ("SEPUIUHRIBU", "SEPUIUHRIBURUPIAH")


def _has(haystack: str, needles: Sequence[str]) -> bool:
    return any(n in haystack for n in needles)


def legal_phrase(text: str) -> bool:
    """Whether ``text`` holds a legalisation stamp's wording ("TELAH DILEGALISIR", "SESUAI DENGAN
    ASLINYA"), allowing for OCR's usual damage."""
    evidence = compact(text)
    return _has(evidence, _LEGAL) or _LEGAL_FUZZY.search(evidence) is not None


def partial_legal_phrase(text: str) -> bool:
    """Part of a legalisation stamp's wording was read, not the whole ("TELAH Peggram", "SESUAI DE")."""
    return _has(compact(text), (*_LEGAL_PART, "TEIAH")) and not legal_phrase(text)


def legal_word(word: str) -> bool:
    """A word of a legalisation stamp's wording, however OCR cased it ("DILEGALISiA", "ASLlNYA")."""
    letters = compact(word)
    return len(letters) >= 5 and _FRAGMENT.search(letters) is not None


def stamp_fragment(word: str) -> bool:
    """A word that is part of a legalisation stamp's wording ("DILE", "LEGALI", "ASLINY")."""
    letters = compact(word)
    return len(letters) >= 4 and word.upper() == word and _FRAGMENT.search(letters) is not None


def _nominal_near_meterai(text: str) -> bool:
    """'10000' / '10.000' written on a meterai (not a sum anywhere in the letter)."""
    return re.search(r"(?<![\d])10000(?![\d])", _digits_compact(text)) is not None


def read_well(pages: Sequence[PageText], scans: bool = True) -> bool:
    """Whether every page was read completely enough that a stamp on it would have been seen.

    An image on a text-layer page that gave words none of the evidence explains (a stamp read as
    'TELAH DILKei¥a') means something was there and was not understood. With ``scans`` False a
    scanned page never counts as read well.
    """
    if not pages:
        return False
    for p in pages:
        if p.error is not None:
            return False
        if len(re.findall(r"[A-Za-z]{3,}", p.image_text)) >= UNEXPLAINED_IMAGE_WORDS:
            return False
        if p.ocr and not scans:
            return False
        if p.ocr:
            if p.ocr_confidence is None or p.ocr_confidence < MIN_OCR_CONFIDENCE:
                return False
            if len(set(re.findall(r"[A-Za-z]{2,}", p.text))) < MIN_OCR_WORDS:  # a second reading repeats
                return False
    return True


def _evidence_text(p: PageText) -> str:
    return p.text + "\n" + p.image_text


def legalisasi(pages: Sequence[PageText]) -> str | None:
    """'stempel', 'qr', 'tidak ada', or None when it cannot be told."""
    raw = "\n".join(_evidence_text(p) for p in pages)
    evidence = compact(raw)
    if legal_phrase(raw):
        return "stempel"
    if any(m.kind in ("qr", "barcode") for p in pages for m in p.marks):
        return "qr"
    if any(dated_stamp(patch) for p in pages for patch in p.image_text.split("\n\n")):
        return "stempel"
    if _has(evidence, _LEGAL_PART):
        return None  # part of a stamp was read: a person looks
    return TIDAK_ADA if nothing_unread(pages) else None


# Where the legaliser dates the stamp ("Tgl :", read "Tgi" too), a token of its own.
_DATE_LINE = re.compile(r"^T[gq][l1iI|][.:]*$", re.IGNORECASE)
_CAPITALS = re.compile(r"^[^A-Za-z]*([A-Z]{2,})")
_DATED_STAMP_WORDING = ("SESUAI", "TEIAHDIIE", "IEGAI", "DIIEG")


def dated_stamp(patch: str) -> bool:
    """One patch of ink read on its own holding part of a legalisation stamp's wording in capitals
    ("SESUAI", "TELAH DILE") and the stamp's date line: a legalisation stamp, its wording broken
    by the print it was struck across ("TELAH DILEtiva Peggram udi, Tgi Wakil Direktur")."""
    tokens = patch.split()
    if not any(_DATE_LINE.match(t) for t in tokens):
        return False
    capitals = compact("".join(m.group(1) for t in tokens if (m := _CAPITALS.match(t))))
    return _has(capitals, _DATED_STAMP_WORDING)


def nothing_unread(pages: Sequence[PageText]) -> bool:
    """Whether a stamp or a meterai on ``pages`` would have been read: "not there" can be said.

    Both are often lost when a whole scanned page is OCR'd. A text-layer page, whose images were
    read on their own, can show there is none; so can a scan whose every patch of ink was read on
    its own and held no words (signatures, not stamps)."""
    if read_well(pages, scans=False):
        return True
    return read_well(pages) and all(not p.ocr or _only_scribbles(p.ink_letters) for p in pages)


_STAMP_LETTERS = 4  # a coloured region read with this many word letters holds words: a stamp


def _only_scribbles(ink_letters: tuple[int, ...] | None) -> bool:
    return ink_letters is not None and all(n < _STAMP_LETTERS for n in ink_letters)


def meterai(pages: Sequence[PageText]) -> str | None:
    """'elektronik', 'tempel', 'tidak ada', or None when it cannot be told."""
    raw = "\n".join(_evidence_text(p) for p in pages)
    evidence = compact(raw)
    has_qr = any(m.kind == "qr" for p in pages for m in p.marks)
    on_meterai = _has(evidence, _METERAI)
    nominal = _nominal_near_meterai(raw) or _has(evidence, _SEPULUH_RIBU)
    if _has(evidence, _ELEKTRONIK) and (on_meterai or nominal or has_qr):
        return "elektronik"
    if has_qr and (on_meterai or nominal):
        return "elektronik"
    if any(m.kind == "qr" and _EMETERAI_QR.search(m.value) for p in pages for m in p.marks):
        return "elektronik"
    if (on_meterai and _has(evidence, _TEMPEL)) or (on_meterai and nominal) or _has(evidence, _SEPULUH_RIBU):
        return "tempel"
    if on_meterai or nominal or has_qr:
        return None  # a meterai is probably there but its kind was not read
    return TIDAK_ADA if nothing_unread(pages) else None
