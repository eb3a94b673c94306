"""Fields and rows of a clinic's documents (Izin Klinik Utama at Bekasi, Sertifikat Standar at Batang):
the Dinas Kesehatan's notification, the clinic profile, the staff, facility and equipment lists and
the self-assessment."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from extractors.fields.documents import first_value, letter_date, letter_number, person_name
from extractors.fields.tables import Row, assessment, item_list, staff_by_profession, staff_list
from izinflow.domain import DocType, PageText

NAMA_KLINIK = ("NAMA KLINIK", "NAMA FASYANKES", "NAMA FASILITAS PELAYANAN KESEHATAN", "NAMA SARANA")
ALAMAT_KLINIK = ("ALAMAT KLINIK", "ALAMAT", "ALAMAT FASYANKES", "LOKASI")
PENANGGUNG_JAWAB = ("PENANGGUNG JAWAB", "PENANGGUNG JAWAB KLINIK", "DOKTER PENANGGUNG JAWAB", "NAMA PENANGGUNG JAWAB")

_KLINIK_NAME = re.compile(r"\bKLINIK\s+(?:UTAMA|PRATAMA)?\s*[A-Z][A-Za-z0-9'.\-]*(?:\s+[A-Z][A-Za-z0-9'.\-]*){0,5}")
_NOT_A_NAME = re.compile(r"^KLINIK\s+(UTAMA|PRATAMA)\s*$|\b(DAN|YANG|TELAH|DENGAN|TERSEBUT)\b")


def _lines(pages: Sequence[PageText]) -> list[str]:
    return [ln.strip() for p in pages for ln in p.text.splitlines() if ln.strip()]


def nama_klinik(lines: Sequence[str]) -> str | None:
    """The clinic's name: labelled, else the first "Klinik Utama ..." written in capitals."""
    labelled = first_value(lines, NAMA_KLINIK)
    if labelled:
        return " ".join(labelled.split())
    for line in lines:
        for match in _KLINIK_NAME.finditer(line.upper()):
            name = line[match.start(): match.end()].strip(" .,")
            whole_line = match.start() == 0 and match.end() >= len(line.rstrip(" .,"))
            if (name.isupper() or whole_line) and not _NOT_A_NAME.search(name.upper()):
                return name
    return None


def _set(fields: dict[str, str], key: str, value: object) -> None:
    if value:
        fields[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)


def _notifikasi(pages: Sequence[PageText]) -> dict[str, str]:
    lines = _lines(pages)
    fields: dict[str, str] = {}
    _set(fields, "nomor_surat", letter_number(lines))
    _set(fields, "tanggal_surat", letter_date(lines))
    _set(fields, "nama_klinik", nama_klinik(lines))
    return fields


def _profil(pages: Sequence[PageText]) -> dict[str, str]:
    lines = _lines(pages)
    fields: dict[str, str] = {}
    _set(fields, "nama_klinik", nama_klinik(lines))
    _set(fields, "alamat", first_value(lines, ALAMAT_KLINIK))
    _set(fields, "penanggung_jawab", first_value(lines, PENANGGUNG_JAWAB) or person_name(lines))
    return fields


def _staff(pages: Sequence[PageText]) -> dict[str, str]:
    rows = staff_list(pages)
    fields: dict[str, str] = {}
    _set(fields, "nama_klinik", nama_klinik(_lines(pages)))
    if rows:
        fields["jumlah_sdm"] = str(len(rows))
        fields["sdm_per_profesi"] = "; ".join(f"{p}: {n}" for p, n in sorted(staff_by_profession(rows).items()))
    return fields


def _items(pages: Sequence[PageText]) -> dict[str, str]:
    rows = item_list(pages)
    fields: dict[str, str] = {}
    _set(fields, "nama_klinik", nama_klinik(_lines(pages)))
    if rows:
        fields["jumlah_item"] = str(len(rows))
    return fields


def _self_assessment(pages: Sequence[PageText]) -> dict[str, str]:
    items, totals = assessment(pages)
    fields: dict[str, str] = {}
    _set(fields, "nama_klinik", nama_klinik(_lines(pages)))
    if items:
        fields["jumlah_item"] = str(len(items))
    fields.update(totals)
    return fields


CLINIC_EXTRACTORS: dict[DocType, Callable[[Sequence[PageText]], dict[str, str]]] = {
    DocType.notifikasi_dinkes: _notifikasi,
    DocType.profil_klinik: _profil,
    DocType.daftar_sdm: _staff,
    DocType.daftar_sarana_prasarana: _items,
    DocType.daftar_peralatan: _items,
    DocType.self_assessment: _self_assessment,
}

ROW_READERS: dict[DocType, Callable[[Sequence[PageText]], list[Row]]] = {
    DocType.daftar_sdm: staff_list,
    DocType.daftar_sarana_prasarana: item_list,
    DocType.daftar_peralatan: item_list,
    DocType.self_assessment: lambda pages: assessment(pages)[0],
}


def extract_rows(doc_type: DocType, pages: Sequence[PageText]) -> list[Row]:
    """The rows of a list or table document (staff, facilities, equipment, self-assessment items)."""
    reader = ROW_READERS.get(doc_type)
    return reader(pages) if reader else []
