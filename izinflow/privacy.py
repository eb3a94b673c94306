"""Masking of personal data before anything leaves for Prefect (logs, artifacts, run names)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def mask_nik(nik: str) -> str:
    digits = re.sub(r"\D", "", nik)
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def initials(nama: str) -> str:
    return " ".join(part[0] + "." for part in re.findall(r"[A-Za-z]+", nama)[:4]) or "-"


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Mask every 16-digit number and replace each known personal name by its initials."""
    text = _SIXTEEN_DIGITS.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    for nama in sorted({n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(nama), initials(nama), text, flags=re.IGNORECASE)
    return text
