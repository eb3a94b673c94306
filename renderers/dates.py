"""Dates as Indonesian letters write them: "22 November 2026"."""

from __future__ import annotations

from datetime import date

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
BULAN_ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_tanggal(d: date) -> str:
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def bulan_romawi(d: date) -> str:
    """The month in Roman numerals, as in letter numbers ("503/…/XI/2026")."""
    return BULAN_ROMAWI[d.month - 1]
