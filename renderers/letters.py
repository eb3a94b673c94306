"""The return letter (surat pengembalian berkas), for callers that hold a manifest and a verdict.

A thin shell over ``renderers.documents``, which renders every document the same way.
"""

from __future__ import annotations

from datetime import date

from checklists.model import OfficeProfile, ServiceChecklist
from izinflow.domain import Manifest, Verdict
from renderers.document_inputs import DocumentInput, Pengembalian, permohonan_of
from renderers.documents import Row, document_html, environment, letter_items, render_pdf
from renderers.wording import terbilang

__all__ = ["Row", "environment", "letter_items", "render_return_letter", "return_letter_html", "terbilang"]


def render_return_letter(
    office: OfficeProfile,
    *,
    nomor_permohonan: str,
    nomor_surat: str,
    manifest: Manifest,
    verdict: Verdict,
    checklist: ServiceChecklist,
    tanggal: date,
    verify_url: str = "",
) -> bytes:
    """The *surat pengembalian berkas* (A4 PDF/A) listing each missing or invalid requirement."""
    return render_pdf(return_letter_html(
        office, nomor_permohonan=nomor_permohonan, nomor_surat=nomor_surat, manifest=manifest, verdict=verdict,
        checklist=checklist, tanggal=tanggal, verify_url=verify_url,
    ))


def return_letter_html(
    office: OfficeProfile,
    *,
    nomor_permohonan: str,
    nomor_surat: str,
    manifest: Manifest,
    verdict: Verdict,
    checklist: ServiceChecklist,
    tanggal: date,
    verify_url: str = "",
) -> str:
    """``verify_url``: where the letter's QR code leads, once the letter is issued through the register."""
    return document_html(DocumentInput(
        office=office,
        checklist=checklist,
        permohonan=permohonan_of(manifest, nomor_permohonan),
        nomor_surat=nomor_surat,
        tanggal=tanggal,
        verify_url=verify_url,
        content=Pengembalian(verdict),
    ))
