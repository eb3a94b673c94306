"""NPWP: the old 15-digit number (12.345.678.9-012.000) or, since 2024, the 16-digit one (a NIK)."""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError
from stdnum.id import npwp as stdnum_npwp

from extractors.fields.nik import is_valid_nik
from extractors.text import fix_digits

_D = r"[0-9OoIlSB]"
_FORMATTED = re.compile(
    rf"(?<![0-9])({_D}{{2}}\s?[.,]\s?{_D}{{3}}\s?[.,]\s?{_D}{{3}}\s?[.,]\s?{_D}\s?[-.]\s?{_D}{{3}}\s?[.,]\s?{_D}{{3}})"
    r"(?![0-9])")
_RUN = re.compile(rf"(?<![0-9A-Za-z])((?:{_D}[\s.,-]?){{14,15}}{_D})(?![0-9A-Za-z])")
_LABEL = re.compile(r"NPWP|NOMOR\s+POKOK", re.IGNORECASE)


def _digits(raw: str) -> str:
    return fix_digits(re.sub(r"[\s.,-]", "", raw))


def is_valid_npwp(digits: str) -> bool:
    """15 digits with a correct check digit, or 16 digits (a valid NIK, or 0 + a valid 15-digit NPWP)."""
    if len(digits) == 16 and not digits.startswith("0"):
        return is_valid_nik(digits)
    try:
        stdnum_npwp.validate(digits)
    except ValidationError:
        return False
    return True


def parse_npwp(text: str) -> str | None:
    """The NPWP in a text, digits only.

    A number in the printed NPWP layout is taken even when its check digit is off (the check can
    say so); a bare run of 15/16 digits is taken only after an NPWP label or when it is valid.
    """
    formatted = [_digits(m.group(1)) for m in _FORMATTED.finditer(text)]
    formatted = [d for d in formatted if len(d) == 15 and d.isdigit()]
    if formatted:
        return next((d for d in formatted if is_valid_npwp(d)), formatted[0])
    label_ends = [m.end() for m in _LABEL.finditer(text)]
    runs = []
    for m in _RUN.finditer(text):
        d = _digits(m.group(1))
        if len(d) in (15, 16) and d.isdigit():
            near = any(0 <= m.start() - end <= 40 for end in label_ends)
            runs.append((not is_valid_npwp(d), not near, d))
    runs = [r for r in runs if not r[0] or not r[1]]
    return min(runs)[2] if runs else None
