"""Text normalisation for page text that may come from OCR.

Everything here is pure: upper-casing, accent stripping, the usual OCR letter/digit confusions,
and a fuzzy mapping of words onto a known vocabulary so that "SURAT TANDA REGISTRASl" or
"KETERANGAM" still read as the words they were meant to be.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

_LETTER_FIXES = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "|": "I", "3": "E", "4": "A"})
_DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1",
                              "i": "1", "!": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2",
                              "G": "6", "b": "6", "T": "7"})
_TOKEN = re.compile(r"[A-Za-z0-9|]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fix_lower_l(token: str) -> str:
    """'REGISTRASl' -> 'REGISTRASI': a lower-case l inside an upper-case word is an I."""
    letters = [c for c in token if c.isalpha() and c != "l"]
    if "l" in token and letters and all(c.isupper() for c in letters):
        return token.replace("l", "I")
    return token


def fix_ocr_word(token: str) -> str:
    """A word as it was meant: 'BUDl' -> 'BUDI', 'SET1AWAN' -> 'SETIAWAN' (case kept otherwise)."""
    return fix_letters(_fix_lower_l(token))


def fix_letters(token: str) -> str:
    """Turn digits that OCR put into a word back into letters (only in mostly-letter tokens)."""
    letters = sum(c.isalpha() for c in token)
    digits = sum(c.isdigit() or c == "|" for c in token)
    if letters and letters >= 2 * digits and digits:
        return token.translate(_LETTER_FIXES)
    return token


def fix_digits(token: str) -> str:
    """Turn letters that OCR put into a number back into digits (only in mostly-digit tokens)."""
    digits = sum(c.isdigit() for c in token)
    if digits and digits >= 2 * (len(token) - digits):
        return token.translate(_DIGIT_FIXES)
    return token


def fold(text: str) -> str:
    """Upper case, no accents, OCR letter confusions fixed in words, spaces collapsed per line."""
    out_lines = []
    for line in strip_accents(text).replace("\r", "\n").split("\n"):
        line = _TOKEN.sub(lambda m: fix_letters(_fix_lower_l(m.group(0))), line)
        out_lines.append(" ".join(line.upper().split()))
    return "\n".join(out_lines)


def words(text: str) -> list[str]:
    """The alphanumeric words of a text, folded."""
    return re.findall(r"[A-Z0-9]+", fold(text))


def lines(text: str) -> list[str]:
    """The non-empty lines of a text, folded."""
    return [ln for ln in fold(text).split("\n") if ln.strip()]


@lru_cache(maxsize=65536)
def _closest(token: str, vocabulary: frozenset[str]) -> str:
    if token in vocabulary or len(token) < 4 or token.isdigit():
        return token
    cutoff = 0.75 if len(token) < 5 else 0.8 if len(token) < 7 else 0.84
    near = [v for v in vocabulary if abs(len(v) - len(token)) <= 2 and len(v) >= 4]
    match = difflib.get_close_matches(token, near, n=1, cutoff=cutoff)
    return match[0] if match else token


def canonical_words(tokens: Sequence[str], vocabulary: frozenset[str]) -> list[str]:
    """Map each token to the vocabulary word it most likely was; rejoin words OCR broke in two."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok not in vocabulary and i + 1 < len(tokens):
            joined = tok + tokens[i + 1]
            if tokens[i + 1] not in vocabulary or len(tok) <= 2:
                cand = _closest(joined, vocabulary) if len(joined) >= 6 else joined
                if cand in vocabulary and (cand == joined or len(joined) >= 8):
                    out.append(cand)
                    i += 2
                    continue
        out.append(_closest(tok, vocabulary))
        i += 1
    return out


def vocabulary_of(phrases: Iterable[str]) -> frozenset[str]:
    vocab: set[str] = set()
    for phrase in phrases:
        vocab.update(w for w in words(phrase) if not w.isdigit())
    return frozenset(vocab)


def similar(a: str, b: str) -> float:
    """Similarity of two folded strings, 0..1."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
