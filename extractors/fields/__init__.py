"""Field extractors: NIK, dates, NPWP, and the per-document-type fields."""

from extractors.fields.dates import NAMA_BULAN, SEUMUR_HIDUP, find_dates, parse_masa_berlaku, parse_tanggal
from extractors.fields.documents import extract_fields
from extractors.fields.nik import InvalidNik, NikInfo, mask_nik, nik_from_text, parse_nik
from extractors.fields.npwp import is_valid_npwp, parse_npwp

__all__ = [
    "NAMA_BULAN", "SEUMUR_HIDUP", "InvalidNik", "NikInfo", "extract_fields", "find_dates", "is_valid_npwp",
    "mask_nik", "nik_from_text", "parse_masa_berlaku", "parse_nik", "parse_npwp", "parse_tanggal",
]
