"""NIK (Nomor Induk Kependudukan): checked against the Kemendagri region table; found in OCR text."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from stdnum.id import nik as stdnum_nik

from izinflow.privacy import mask_nik as _mask

WILAYAH_FILE = Path(__file__).resolve().parent.parent / "data" / "wilayah_kemendagri.csv"


class InvalidNik(ValueError):
    """A NIK that cannot be right; ``reason`` is an Indonesian sentence for the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str  # "14"
    regency_code: str  # "14.07"
    regency_name: str  # "Kabupaten Rokan Hilir"
    district_code: str  # "14.07.01"
    birth_date: date
    jenis_kelamin: str  # "LAKI-LAKI" | "PEREMPUAN"

    @property
    def province_name(self) -> str:
        return wilayah().get(self.province_code, "")


@lru_cache(maxsize=1)
def wilayah() -> dict[str, str]:
    """Kemendagri code ("14" or "14.07") -> name."""
    with WILAYAH_FILE.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {row["code"]: row["name"] for row in rows}


def mask_nik(nik: str) -> str:
    """'1407015203900002' -> '1407********0002', for logs and anything shown outside the case."""
    return _mask(nik)


def _birth_date(ddmmyy: str, today: date) -> tuple[date, bool]:
    day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    perempuan = day > 40
    if perempuan:
        day -= 40
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = date(year, month, day)
    except ValueError as exc:
        raise InvalidNik("tanggal lahir pada NIK tidak valid") from exc
    if born > today:
        born = date(year - 100, month, day) if not (month == 2 and day == 29) else born
    if born > today:
        raise InvalidNik("tanggal lahir pada NIK tidak valid")
    return born, perempuan


def parse_nik(value: str, today: date | None = None) -> NikInfo:
    """Check a NIK (16 digits, a Kemendagri province/regency code, a real birth date) and read it."""
    number = stdnum_nik.compact(value or "")
    if not number.isdigit():
        raise InvalidNik("NIK hanya boleh berisi angka")
    if len(number) != 16:
        raise InvalidNik(f"NIK harus 16 digit (tertulis {len(number)} digit)")
    table = wilayah()
    province, regency = number[:2], f"{number[:2]}.{number[2:4]}"
    if province not in table:
        raise InvalidNik(f"kode provinsi {province} pada NIK tidak dikenal")
    if regency not in table:
        raise InvalidNik(f"kode wilayah {regency} pada NIK tidak dikenal")
    if number[4:6] == "00":
        raise InvalidNik(f"kode kecamatan {regency}.00 pada NIK tidak valid")
    born, perempuan = _birth_date(number[6:12], today or date.today())
    if number[12:] == "0000":
        raise InvalidNik("nomor urut pada NIK tidak valid")
    return NikInfo(
        nik=number,
        province_code=province,
        regency_code=regency,
        regency_name=table[regency],
        district_code=f"{regency}.{number[4:6]}",
        birth_date=born,
        jenis_kelamin="PEREMPUAN" if perempuan else "LAKI-LAKI",
    )


def is_valid_nik(value: str, today: date | None = None) -> bool:
    try:
        parse_nik(value, today)
    except InvalidNik:
        return False
    return True


# 16 characters that are digits or letters OCR takes for digits, spaces allowed between groups
_CH = r"[0-9OoDQIl|!SsBZz]"
_CANDIDATE = re.compile(rf"(?<![0-9A-Za-z])((?:{_CH}[ \t]?){{15}}{_CH})(?![0-9A-Za-z])")
_OCR_DIGITS = str.maketrans("OoDQIl|!SsBZz", "0000111155822")
_NIK_LABEL = re.compile(r"\bN[I1l|]K\b|KEPENDUDUKAN|\bKTP\b", re.IGNORECASE)


def _candidates(text: str) -> list[tuple[int, str]]:
    found = []
    for m in _CANDIDATE.finditer(text):
        raw = m.group(1).replace(" ", "").replace("\t", "")
        if sum(c.isdigit() for c in raw) < 10:
            continue
        digits = raw.translate(_OCR_DIGITS)
        if len(digits) == 16 and digits.isdigit():
            found.append((m.start(), digits))
    return found


def nik_from_text(text: str) -> str | None:
    """The NIK in a page's text: a 16-digit number, preferably right after a 'NIK' label and valid."""
    cands = _candidates(text)
    if not cands:
        return None
    labels = [m.end() for m in _NIK_LABEL.finditer(text)]

    def rank(item: tuple[int, str]) -> tuple[int, int, int]:
        pos, digits = item
        near = min((pos - end for end in labels if 0 <= pos - end <= 40), default=10**6)
        return (0 if is_valid_nik(digits) else 1, 0 if near < 10**6 else 1, near)

    return min(cands, key=rank)[1]
