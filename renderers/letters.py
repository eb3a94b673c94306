"""Letters to applicants, as PDF: Jinja2 templates (autoescaped) rendered by WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from checklists.model import OfficeProfile, ServiceChecklist
from izinflow.domain import Manifest, RequirementStatus, Verdict
from renderers.dates import format_tanggal

TEMPLATES = Path(__file__).resolve().parent / "templates"

_STATUS_LABEL = {
    RequirementStatus.missing: "Belum ada",
    RequirementStatus.invalid: "Tidak sesuai",
}
_SATUAN = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
           "sebelas")
_SLA_UNIT = {"hari_kerja": "hari kerja", "hari": "hari", "jam": "jam"}
_CHANNEL_LABEL = {
    "email": "Surel", "telepon": "Telepon", "sms": "SMS", "faksimile": "Faksimile", "website": "Laman",
    "aplikasi": "Aplikasi",
}


@dataclass(frozen=True)
class LetterItem:
    """One row of the letter's table: a requirement that is missing or not as required."""

    title: str
    note: str
    status: str
    keterangan: str


def render_return_letter(
    office: OfficeProfile,
    *,
    nomor_permohonan: str,
    nomor_surat: str,
    manifest: Manifest,
    verdict: Verdict,
    checklist: ServiceChecklist,
    tanggal: date,
) -> bytes:
    """The *surat pengembalian berkas* (A4 PDF) listing each missing or invalid requirement."""
    from weasyprint import HTML  # heavy import, paid only by callers that render

    html = return_letter_html(
        office, nomor_permohonan=nomor_permohonan, nomor_surat=nomor_surat, manifest=manifest, verdict=verdict,
        checklist=checklist, tanggal=tanggal,
    )
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def return_letter_html(
    office: OfficeProfile,
    *,
    nomor_permohonan: str,
    nomor_surat: str,
    manifest: Manifest,
    verdict: Verdict,
    checklist: ServiceChecklist,
    tanggal: date,
) -> str:
    try:
        variant_name = checklist.variant(manifest.variant).name
    except KeyError:
        variant_name = ""
    template = environment().get_template("surat_pengembalian_berkas.html")
    return template.render(
        office=office,
        checklist=checklist,
        manifest=manifest,
        nomor_permohonan=nomor_permohonan,
        nomor_surat=nomor_surat,
        tanggal=format_tanggal(tanggal),
        tanggal_permohonan=format_tanggal(manifest.submitted_at.date()),
        pemohon_nama=" ".join(manifest.pemohon.nama.split()),
        variant_name=variant_name,
        items=letter_items(verdict, checklist),
        other_reasons=list(verdict.reasons),
        sla=_sla_text(checklist),
        fee_sentence=_fee_sentence(checklist.fee),
        footer=_footer(office),
    )


def letter_items(verdict: Verdict, checklist: ServiceChecklist) -> list[LetterItem]:
    items = []
    for result in verdict.requirements:
        if result.status not in _STATUS_LABEL:
            continue
        try:
            requirement = checklist.requirement(result.code)
            title, note = requirement.title, requirement.note
        except KeyError:
            title, note = result.code.replace("_", " ").capitalize(), ""
        keterangan = "; ".join(result.reasons) or "dokumen tidak ditemukan"
        items.append(LetterItem(title, note, _STATUS_LABEL[result.status], _sentence(keterangan)))
    return items


def terbilang(n: int) -> str:
    """Small whole numbers in Indonesian words (0 < n < 100), as in "4 (empat) hari kerja"."""
    if not 0 < n < 100:
        raise ValueError(f"di luar rentang: {n}")
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{_SATUAN[n - 10]} belas"
    tens, ones = divmod(n, 10)
    return f"{_SATUAN[tens]} puluh" + (f" {_SATUAN[ones]}" if ones else "")


def _sla_text(checklist: ServiceChecklist) -> str:
    days = checklist.sla.days
    words = f" ({terbilang(days)})" if days < 100 else ""
    return f"{days}{words} {_SLA_UNIT[checklist.sla.unit]}"


def _fee_sentence(fee: str) -> str:
    text = fee.strip().rstrip(".")
    if text.lower().startswith("gratis"):
        return "tidak dipungut biaya (gratis)"
    return text[:1].lower() + text[1:]


def _footer(office: OfficeProfile) -> str:
    channels = [
        f"{_CHANNEL_LABEL[c.kind]} {c.value}" for c in office.complaint_channels if c.kind in _CHANNEL_LABEL
    ]
    return "Pengaduan, saran dan masukan: " + "  ·  ".join(channels) if channels else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
