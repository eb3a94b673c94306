"""Outgoing document numbers in the office's format: "503/0012/DPMPTSP/XI/2026"."""

from __future__ import annotations

from datetime import date

from checklists.model import OfficeProfile, StageDocument
from renderers.dates import bulan_romawi


def letter_number(office: OfficeProfile, kind: StageDocument, nomor: int, tanggal: date) -> str:
    """The number of the ``nomor``-th document of ``kind`` the office issues in ``tanggal``'s year."""
    if nomor < 1:
        raise ValueError(f"nomor urut harus positif, bukan {nomor}")
    template = office.letter_number
    if kind == StageDocument.rekomendasi_dinkes and office.dinas_kesehatan is not None:
        template = office.dinas_kesehatan.letter_number  # the Dinas Kesehatan's own letter, in its format
    return template.format(
        kode=office.letter_code(kind), nomor=f"{nomor:04d}", bulan_romawi=bulan_romawi(tanggal), tahun=tanggal.year
    )


def verify_url(office: OfficeProfile, token: str) -> str:
    """Where the document's QR code leads."""
    return office.verify_url.format(token=token)
