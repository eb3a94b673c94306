"""Tables of a clinic's bundle read into rows: staff (daftar SDM), facilities and equipment, the
self-assessment.

Two sources, the same rows: a text-layer page's ruled tables (pdfplumber cells, in
``PageText.tables``) are mapped by their header; any other page (a scan, a table without rules) is
read line by line, one table row per line as OCR and pdfplumber lay it out, the cells told apart by
what they hold (a row number first, a registration number, a profession from ``data/profesi.yaml``,
a count, a condition, a score).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml

from extractors.text import fold
from izinflow.domain import PageText, Table

Row = dict[str, str]

PROFESI_FILE = Path(__file__).resolve().parent.parent / "data" / "profesi.yaml"

_ROW_START = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s+(?=\S)")
# An STR number: 16 digits (or two letters and 14), written whole or in groups of four.
_REGISTRATION = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{14}|\d{16}|\d{4}(?:[ .]\d{4}){3})(?![A-Za-z0-9])")
_KONDISI = re.compile(r"\b(baik|rusak ringan|rusak berat|rusak|berfungsi|tidak berfungsi|layak|cukup)\b", re.IGNORECASE)
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%")


@cache
def professions() -> dict[str, str]:
    """Every way of writing a profession (folded) -> its standard name."""
    data = yaml.safe_load(PROFESI_FILE.read_text(encoding="utf-8"))
    return {fold(alias): name for name, aliases in data.items() for alias in (name, *aliases)}


# --- staff -----------------------------------------------------------------------------------------


def staff_list(pages: Sequence[PageText]) -> list[Row]:
    """People on a daftar SDM: {"nama", "profesi", "nomor_str"} in the order of the list."""
    rows = _from_tables(pages, {"nama": ("NAMA",), "profesi": ("PROFESI", "JABATAN", "JENIS TENAGA", "KETENAGAAN"),
                                "nomor_str": ("STR",)})
    if rows is not None:
        return [_staff_row(r.get("nama", ""), r.get("profesi", ""), r.get("nomor_str", "")) for r in rows
                if r.get("nama")]
    return [row for line in _numbered_lines(pages) if (row := _staff_line(line)) is not None]


def staff_by_profession(rows: Sequence[Row]) -> Counter[str]:
    return Counter(profession_of(row["profesi"]) for row in rows if row.get("profesi"))


def _staff_row(nama: str, profesi: str, nomor: str) -> Row:
    return {"nama": _cell(nama), "profesi": _cell(profesi), "nomor_str": re.sub(r"[\s.]", "", nomor)}


def _staff_line(line: str) -> Row | None:
    """'3 Siti Nurhaliza, S.Kep., Ns. Perawat 6401234567890123': the profession (as written, to the
    registration number) is where a known way of writing one starts; the name is before it."""
    registration = list(_REGISTRATION.finditer(line))
    nomor = re.sub(r"[\s.]", "", registration[-1].group(1)) if registration else ""
    rest = line[: registration[-1].start()] if registration else line
    found = _profession_in(rest)
    if found is None:
        return None
    nama, profesi = _cell(rest[: found[1]]), _cell(rest[found[1]:])
    return {"nama": nama, "profesi": profesi, "nomor_str": nomor} if nama else None


def profession_of(written: str) -> str:
    """The standard name of a profession as written ("Dokter Spesialis Anak" -> "dokter spesialis")."""
    found = _profession_in(written)
    return found[0] if found else " ".join(written.lower().split())


def _profession_in(text: str) -> tuple[str, int] | None:
    """The profession named in ``text`` (the longest way of writing one that occurs) and where it
    starts in ``text``; a name's titles ("dr.", "Sp.PD") are not professions."""
    words = [(m.start(), fold(m.group(0))) for m in re.finditer(r"[A-Za-z]+", text)]
    best: tuple[int, str, int] | None = None
    for alias, name in professions().items():
        parts = alias.split()
        for i in range(len(words) - len(parts) + 1):
            if [w for _, w in words[i:i + len(parts)]] == parts:
                candidate = (len(alias), name, words[i][0])
                if best is None or candidate[0] > best[0] or (candidate[0] == best[0] and candidate[2] > best[2]):
                    best = candidate
    if best is None:
        return None
    return best[1], best[2]


# --- facilities and equipment ------------------------------------------------------------------------


def item_list(pages: Sequence[PageText]) -> list[Row]:
    """Items of a daftar sarana prasarana or peralatan: {"nama", "jumlah", "kondisi"}."""
    rows = _from_tables(pages, {"nama": ("NAMA", "SARANA", "PRASARANA", "ALAT", "URAIAN", "JENIS"),
                                "jumlah": ("JUMLAH", "JML", "VOLUME"), "kondisi": ("KONDISI", "KETERANGAN", "KET")})
    if rows is not None:  # a row without a count is a group heading ("SARANA (RUANGAN)")
        return [{"nama": _cell(r.get("nama", "")), "jumlah": _count(r.get("jumlah", "")),
                 "kondisi": _cell(r.get("kondisi", "")).capitalize()} for r in rows
                if r.get("nama") and _count(r.get("jumlah", ""))]
    return [row for line in _numbered_lines(pages) if (row := _item_line(line)) is not None]


def _item_line(line: str) -> Row | None:
    kondisi = list(_KONDISI.finditer(line))
    rest = line[: kondisi[0].start()] if kondisi else line
    count = re.search(r"(\d{1,4})\s*(unit|buah|set|ruang|bh|pcs)?\s*$", rest, re.IGNORECASE)
    if count is None:
        return None
    nama = _cell(rest[: count.start()])
    if not nama:
        return None
    return {"nama": nama, "jumlah": count.group(1), "kondisi": kondisi[0].group(1).capitalize() if kondisi else ""}


# --- self-assessment ---------------------------------------------------------------------------------


def assessment(pages: Sequence[PageText]) -> tuple[list[Row], Row]:
    """Items of a self-assessment {"nomor", "uraian", "skor"} and its totals {"total_skor", "persentase"}
    as printed (what the clinic claims; the sum of the items is for the reader to compare)."""
    rows = _from_tables(pages, {"nomor": ("NO",), "uraian": ("ELEMEN", "STANDAR", "URAIAN", "KRITERIA", "INDIKATOR"),
                                "skor": ("SKOR", "NILAI")})
    items: list[Row] = []
    totals: Row = {}
    if rows is not None:
        for r in rows:
            skor, uraian, nomor = _count(r.get("skor", "")), _cell(r.get("uraian", "")), r.get("nomor", "").strip()
            if skor and uraian and re.fullmatch(r"(?:[A-Z]\.)?\d{1,3}\.?", nomor):
                items.append({"nomor": nomor.strip(" ."), "uraian": uraian, "skor": skor})
    else:
        for line in _numbered_lines(pages):
            item = re.match(r"^\s*(\d{1,3})\s*[.)]?\s+(.+?)\s+(\d{1,3})(?:\s+\S.*)?$", line)
            if item:
                items.append({"nomor": item.group(1), "uraian": _cell(item.group(2)), "skor": item.group(3)})
    items.sort(key=_item_order)  # pages of one form may come in any order; its numbers do not
    text = "\n".join(p.text for p in pages)
    for key, label in (("total_skor", _TOTAL_LINE), ("skor_maksimal", _MAXIMUM_LINE)):
        for line in text.splitlines():
            found = label.match(line.strip())
            if found and key not in totals:
                totals[key] = found.group(1)
    percent = _PERCENT.search(text)
    if percent:
        totals["persentase"] = percent.group(1).replace(",", ".")
    return items, totals


def _item_order(item: Row) -> tuple[str, int]:
    found = re.fullmatch(r"(?:([A-Z])\.)?(\d{1,3})", item["nomor"])
    return (found.group(1) or "", int(found.group(2))) if found else ("~", 0)


# A total is a line that starts with its label ("Jumlah skor 50", "Total nilai : 50 / 52"), unlike
# an item that mentions a "jumlah" inside its wording.
_TOTAL_LINE = re.compile(r"^(?:JUMLAH|TOTAL)\s+(?:SKOR|NILAI)(?:\s+[A-Za-z]+)?\s*[:=]?\s*(\d{1,4})\b", re.IGNORECASE)
_MAXIMUM_LINE = re.compile(r"^(?:SKOR|NILAI)\s+(?:MAKSIMAL|MAKSIMUM|TERTINGGI)\s*[:=]?\s*(\d{1,4})\b", re.IGNORECASE)


# --- shared ------------------------------------------------------------------------------------------


def _from_tables(pages: Sequence[PageText], columns: dict[str, Sequence[str]]) -> list[Row] | None:
    """Rows of the ruled tables whose header names the first wanted column, cells by header; None
    when no page has such a table (then the text is read line by line)."""
    rows: list[Row] = []
    found = False
    for page in pages:
        for table in page.tables:
            mapping = _header(table, columns) if table else None
            if mapping is None:
                continue
            found = True
            header_at, where = mapping
            for cells in table[header_at + 1:]:
                row = {key: cells[i] if i < len(cells) else "" for key, i in where.items()}
                if any(v.strip() for v in row.values()):
                    rows.append(row)
    return rows if found else None


def _header(table: Table, columns: dict[str, Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    first = next(iter(columns))
    for at, cells in enumerate(table[:3]):
        folded = [fold(c) for c in cells]
        where: dict[str, int] = {}
        for key, names in columns.items():
            for i, cell in enumerate(folded):
                if i not in where.values() and any(re.search(rf"\b{n}\b", cell) for n in names):
                    where[key] = i
                    break
        if first in where and len(where) >= 2:
            return at, where
    return None


def _numbered_lines(pages: Sequence[PageText]) -> list[str]:
    """Text lines that start with a row number (table rows), the number kept."""
    return [ln for p in pages for ln in p.text.splitlines() if _ROW_START.match(ln)]


def _cell(value: str) -> str:
    value = _ROW_START.sub("", value) if _ROW_START.match(value) else value
    return " ".join(value.replace("|", " ").split()).strip(" ,;:-")


def _count(value: str) -> str:
    match = re.search(r"\d{1,4}", value or "")
    return match.group(0) if match else ""


