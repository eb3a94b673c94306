"""Every document a case produces: one HTML per document, one PDF renderer.

``document_html(DocumentInput)`` (the inputs are in ``renderers.document_inputs``) picks the
template of the input's ``content``, checks that the document can be issued from
those inputs (an Indonesian ``DocumentError`` otherwise) and renders it: the issuing office's
letterhead, the number, the Indonesian date, the QR code of the verification URL and the signature
block with the words "Ditandatangani secara elektronik", over which the PAdES signature is placed.
``render_pdf`` turns that HTML into an A4 PDF/A-3b with its fonts embedded. Both are pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from checklists.model import (
    DinasKesehatan,
    FieldVisitSheet,
    OfficeProfile,
    ServiceChecklist,
    Signatory,
)
from checklists.visit import FieldVisit, Recap, recap, sheet_lines
from izinflow.domain import RequirementStatus, Verdict
from renderers.dates import format_tanggal
from renderers.document_inputs import (
    BeritaAcaraPemeriksaan,
    BeritaAcaraVisitasi,
    DocumentInput,
    IzinKlinik,
    IzinPraktik,
    Koreksi,
    Pengembalian,
    Penolakan,
    RekomendasiDinkes,
    RekomendasiTeknis,
    SertifikatStandar,
    SuratTugas,
    TandaTerima,
)
from renderers.qr import qr_data_uri
from renderers.wording import (
    STATUS_LABEL,
    complaint_channels,
    complaint_footer,
    fee_sentence,
    hari,
    local_time,
    persen,
    pukul,
    sentence,
    sla_text,
    tanggal_terbilang,
    terbilang,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_VARIANT = "pdf/a-3b"

S = RequirementStatus


class DocumentError(ValueError):
    """A document that cannot be issued from its inputs; the message is an Indonesian sentence."""


# --- entry points -------------------------------------------------------------------------------


def document_html(doc: DocumentInput) -> str:
    spec = _SPEC[type(doc.content)]
    if not doc.nomor_surat.strip():
        raise DocumentError("Nomor surat belum diberikan.")
    if doc.checklist.office != doc.office.code:
        raise DocumentError(
            f"Layanan {doc.checklist.name} bukan layanan {doc.office.name}; dokumen tidak dapat diterbitkan."
        )
    context = _common(doc) | spec.context(doc, doc.content)
    return environment().get_template(spec.template).render(**context)


def render_pdf(html: str) -> bytes:
    """An A4 PDF/A-3b: fonts embedded (subset), text extractable, ready for a PAdES signature."""
    from weasyprint import HTML  # heavy import, paid only by callers that render

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant=PDF_VARIANT)


def signatory_of(doc: DocumentInput) -> Signatory:
    """Who signs the document (and whose certificate signs the PDF): the office's head, or the
    Dinas Kesehatan's for its recommendation."""
    if isinstance(doc.content, RekomendasiDinkes):
        return _dinkes(doc.office).signatory
    return doc.office.signatory


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(tanggal=format_tanggal, persen=persen, terbilang=terbilang)
    return env


# --- context per document -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One requirement row of a table (the return letter's: one that is missing or not as required)."""

    title: str
    note: str
    status: str
    keterangan: str


_RETURN_STATUS = {S.missing: "Belum ada", S.invalid: "Tidak sesuai"}


def letter_items(verdict: Verdict, checklist: ServiceChecklist) -> list[Row]:
    items = []
    for result in verdict.requirements:
        if result.status not in _RETURN_STATUS:
            continue
        title, note = _requirement_title(checklist, result.code)
        keterangan = "; ".join(result.reasons) or "dokumen tidak ditemukan"
        items.append(Row(title, note, _RETURN_STATUS[result.status], sentence(keterangan)))
    return items


def _common(doc: DocumentInput) -> dict[str, Any]:
    p = doc.permohonan
    try:
        variant_name = doc.checklist.variant(p.variant).name
    except KeyError:
        variant_name = ""
    return {
        "kop": doc.office,
        "signatory": doc.office.signatory,
        "footer": complaint_footer(doc.office),
        "office": doc.office,
        "checklist": doc.checklist,
        "permohonan": p,
        "pemohon_nama": " ".join(p.pemohon_nama.split()),
        "variant_name": variant_name,
        "nomor_surat": doc.nomor_surat,
        "tanggal": format_tanggal(doc.tanggal),
        "tanggal_permohonan": format_tanggal(p.tanggal_permohonan),
        "kota": doc.office.city,
        "qr": qr_data_uri(doc.verify_url) if doc.verify_url else "",
        "verify_url": doc.verify_url,
        "sla": sla_text(doc.checklist),
        "fee_sentence": fee_sentence(doc.checklist.fee),
    }


def _tanda_terima(doc: DocumentInput, c: TandaTerima) -> dict[str, Any]:
    rows = []
    for r in c.verdict.requirements:
        title, note = _requirement_title(doc.checklist, r.code)
        if r.status in (S.missing, S.invalid):
            raise DocumentError(
                f"Tanda terima hanya diterbitkan untuk berkas yang lengkap; persyaratan \"{title}\" "
                f"{STATUS_LABEL[r.status].lower()}."
            )
        if r.status == S.met:
            rows.append(Row(title, note, "Ada", ""))
        elif r.status == S.review:
            rows.append(Row(title, note, "Ada", "diperiksa petugas"))
    if not rows:
        raise DocumentError("Tanda terima tidak memuat satu pun persyaratan yang diterima.")
    received = local_time(c.diterima_pada, doc.office)
    return {
        "rows": rows,
        "diterima": f"{format_tanggal(received.date())} {pukul(received, doc.office)}",
        "perkiraan_selesai": format_tanggal(c.perkiraan_selesai) if c.perkiraan_selesai else "",
    }


def _pengembalian(doc: DocumentInput, c: Pengembalian) -> dict[str, Any]:
    items = letter_items(c.verdict, doc.checklist)
    if not items and not c.verdict.reasons:
        raise DocumentError("Surat pengembalian tanpa persyaratan yang kurang atau berkas yang tidak terbaca.")
    return {"items": items, "other_reasons": list(c.verdict.reasons)}


def _penolakan(doc: DocumentInput, c: Penolakan) -> dict[str, Any]:
    alasan = [sentence(a) for a in c.alasan if a.strip()]
    if not alasan:
        raise DocumentError("Surat penolakan harus memuat sedikitnya satu alasan penolakan.")
    days = doc.checklist.complaints.answer_days
    return {
        "alasan": alasan,
        "dasar": [d.strip().rstrip(".") for d in c.dasar if d.strip()],
        "kanal_pengaduan": complaint_channels(doc.office, doc.checklist),
        "hari_jawab": f"{days} ({terbilang(days)}) hari",
    }


@dataclass(frozen=True)
class CheckRow:
    """One requirement in the berita acara: the automatic check's result and the final one."""

    title: str
    note: str
    sistem: str
    temuan: tuple[str, ...]
    akhir: str
    koreksi: Koreksi | None


def _berita_acara_pemeriksaan(doc: DocumentInput, c: BeritaAcaraPemeriksaan) -> dict[str, Any]:
    if not c.pemeriksa:
        raise DocumentError("Berita acara pemeriksaan harus menyebut petugas yang memeriksa.")
    codes = {r.code for r in c.verdict.requirements}
    koreksi: dict[str, Koreksi] = {}
    for k in c.koreksi:
        if k.code not in codes:
            raise DocumentError(f"Koreksi atas persyaratan {k.code}, yang tidak ada pada hasil pemeriksaan.")
        if not k.alasan.strip():
            title, _ = _requirement_title(doc.checklist, k.code)
            raise DocumentError(f"Koreksi atas persyaratan \"{title}\" harus disertai alasannya.")
        koreksi[k.code] = k
    rows = []
    final: list[RequirementStatus] = []
    for r in c.verdict.requirements:
        title, note = _requirement_title(doc.checklist, r.code)
        k = koreksi.get(r.code)
        status = k.status if k else r.status
        final.append(status)
        rows.append(CheckRow(
            title, note, STATUS_LABEL[r.status], tuple(sentence(x) for x in r.reasons), STATUS_LABEL[status], k
        ))
    if any(s in (S.missing, S.invalid) for s in final):
        kesimpulan, lanjut = "BELUM LENGKAP DAN/ATAU BELUM BENAR", (
            "dan dikembalikan kepada pemohon untuk dilengkapi dan/atau diperbaiki")
    elif any(s == S.review for s in final):
        kesimpulan, lanjut = "MASIH MEMERLUKAN PEMERIKSAAN LEBIH LANJUT", "oleh petugas yang berwenang"
    else:
        kesimpulan, lanjut = "LENGKAP DAN BENAR", "dan diteruskan ke tahap pemrosesan berikutnya"
    checked = local_time(c.diperiksa_pada, doc.office)
    return {
        "hari_tanggal": tanggal_terbilang(checked.date()),
        "pukul": pukul(checked, doc.office),
        "pemeriksa": c.pemeriksa,
        "rows": rows,
        "catatan_sistem": [sentence(x) for x in c.verdict.reasons],
        "kesimpulan": kesimpulan,
        "lanjut": lanjut,
    }


def _surat_tugas(doc: DocumentInput, c: SuratTugas) -> dict[str, Any]:
    _sheet(doc)
    if not c.tim:
        raise DocumentError("Surat tugas harus menyebut sedikitnya satu anggota tim visitasi.")
    if c.tanggal_visitasi < doc.tanggal:
        raise DocumentError(
            f"Tanggal visitasi ({format_tanggal(c.tanggal_visitasi)}) mendahului tanggal surat tugas "
            f"({format_tanggal(doc.tanggal)})."
        )
    _need_facility(doc)
    return {
        "tim": c.tim,
        "visitasi": f"{hari(c.tanggal_visitasi)}, {format_tanggal(c.tanggal_visitasi)}",
        "dasar": _standard_basis(doc.checklist),
    }


@dataclass(frozen=True)
class GroupLine:
    group: str
    title: str
    total: int
    maximum: int
    persen: str


def _visit_recap(doc: DocumentInput, kunjungan: FieldVisit) -> tuple[FieldVisitSheet, Recap]:
    sheet = _sheet(doc)
    result = recap(sheet, kunjungan.scores)
    if not result.final:
        raise DocumentError(
            f"Lembar penilaian belum lengkap: butir {', '.join(result.unscored)} belum diberi skor."
        )
    return sheet, result


def _berita_acara_visitasi(doc: DocumentInput, c: BeritaAcaraVisitasi) -> dict[str, Any]:
    sheet, result = _visit_recap(doc, c.kunjungan)
    if not c.kunjungan.team:
        raise DocumentError("Berita acara visitasi harus menyebut tim visitasi.")
    if c.kunjungan.visited_on > doc.tanggal:
        raise DocumentError(
            f"Berita acara bertanggal {format_tanggal(doc.tanggal)} tidak dapat memuat visitasi "
            f"{format_tanggal(c.kunjungan.visited_on)} yang belum terjadi."
        )
    _need_facility(doc)
    lines = sheet_lines(sheet, c.kunjungan)
    return {
        "hari_tanggal": tanggal_terbilang(c.kunjungan.visited_on),
        "surat_tugas": c.surat_tugas,
        "tim": c.kunjungan.team,
        "pendamping": c.pendamping,
        "groups": [
            GroupLine(g.group, g.title, g.total, g.maximum, persen(_percent(g.total, g.maximum)))
            for g in result.by_group
        ],
        "recap": result,
        "temuan": [line for line in lines if line.score is not None and (line.score < line.max or line.note)],
    }


def _rekomendasi_teknis(doc: DocumentInput, c: RekomendasiTeknis) -> dict[str, Any]:
    _, result = _visit_recap(doc, c.kunjungan)
    _need_pass(result, "Rekomendasi teknis")
    _need_facility(doc)
    kepada = c.kepada or f"Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {doc.office.regency_name}"
    return {"recap": result, "kepada": kepada, "berita_acara": c.berita_acara, "isi": c}


def _rekomendasi_dinkes(doc: DocumentInput, c: RekomendasiDinkes) -> dict[str, Any]:
    dinkes = _dinkes(doc.office)
    alasan = [sentence(a) for a in c.alasan if a.strip()]
    if c.rekomendasi == "penolakan" and not alasan:
        raise DocumentError("Rekomendasi penolakan harus memuat alasan penolakannya.")
    if not c.nomor_str.strip():
        raise DocumentError("Nomor STR pemohon belum diisi.")
    _need_facility(doc)
    return {
        "kop": dinkes,
        "signatory": dinkes.signatory,
        "footer": "",
        "isi": c,
        "alasan": alasan,
        "str_berlaku": _str_validity(c.str_berlaku_sampai),
        "produk": f"Surat {doc.checklist.name}",  # "Surat Izin Praktik Perekam Medis"
    }


def _izin_praktik(doc: DocumentInput, c: IzinPraktik) -> dict[str, Any]:
    if c.berlaku_sampai <= doc.tanggal:
        raise DocumentError("Masa berlaku izin harus berakhir setelah tanggal penetapannya.")
    if c.str_berlaku_sampai is not None:
        if c.str_berlaku_sampai < doc.tanggal:
            raise DocumentError(f"STR pemohon sudah tidak berlaku sejak {format_tanggal(c.str_berlaku_sampai)}.")
        if c.berlaku_sampai > c.str_berlaku_sampai:
            raise DocumentError("Masa berlaku Surat Izin Praktik tidak boleh melewati masa berlaku STR.")
    if not c.nomor_str.strip():
        raise DocumentError("Nomor STR pemohon belum diisi.")
    if c.sip_ke < 1:
        raise DocumentError(f"Urutan Surat Izin Praktik harus 1 atau lebih, bukan {c.sip_ke}.")
    _need_facility(doc)
    dinkes = doc.office.dinas_kesehatan
    return {
        "isi": c,
        "dasar": list(doc.checklist.legal_basis),
        "pemberi_rekomendasi": f"Kepala {dinkes.name}" if dinkes else "Kepala Dinas Kesehatan",
        "str_berlaku": _str_validity(c.str_berlaku_sampai),
        "sip_ke": f"{c.sip_ke} ({terbilang(c.sip_ke)})",
    }


def _izin_klinik(doc: DocumentInput, c: IzinKlinik) -> dict[str, Any]:
    if c.berlaku_sampai <= doc.tanggal:
        raise DocumentError("Masa berlaku izin harus berakhir setelah tanggal penetapannya.")
    _need_facility(doc)
    return {"isi": c, "dasar": list(doc.checklist.legal_basis)}


def _sertifikat_standar(doc: DocumentInput, c: SertifikatStandar) -> dict[str, Any]:
    _, result = _visit_recap(doc, c.kunjungan)
    _need_pass(result, "Sertifikat Standar")
    if c.berlaku_sampai is not None and c.berlaku_sampai <= doc.tanggal:
        raise DocumentError("Masa berlaku sertifikat harus berakhir setelah tanggal penetapannya.")
    _need_facility(doc)
    return {"isi": c, "recap": result, "berita_acara": c.berita_acara}


# --- small helpers -------------------------------------------------------------------------------


def _requirement_title(checklist: ServiceChecklist, code: str) -> tuple[str, str]:
    try:
        requirement = checklist.requirement(code)
    except KeyError:
        return code.replace("_", " ").capitalize(), ""
    return requirement.title, requirement.note


def _sheet(doc: DocumentInput) -> FieldVisitSheet:
    if doc.checklist.field_visit is None:
        raise DocumentError(f"Layanan {doc.checklist.name} tidak memiliki visitasi lapangan.")
    return doc.checklist.field_visit


def _need_pass(result: Recap, what: str) -> None:
    if not result.passed:
        raise DocumentError(
            f"{what} hanya diterbitkan bila hasil visitasi memenuhi syarat; capaian {persen(result.percentage)}% "
            f"di bawah batas {persen(result.pass_mark)}%."
        )


def _need_facility(doc: DocumentInput) -> None:
    if not doc.permohonan.tempat_praktik.strip():
        raise DocumentError("Nama tempat praktik atau fasilitas pelayanan kesehatan belum diisi.")


def _dinkes(office: OfficeProfile) -> DinasKesehatan:
    if office.dinas_kesehatan is None:
        raise DocumentError(f"Profil {office.name} tidak memuat data Dinas Kesehatan penerbit rekomendasi.")
    return office.dinas_kesehatan


def _percent(total: int, maximum: int) -> float:
    # Rounded down like the recap's, so that no group prints more than it scored.
    return float((Decimal(total * 100) / Decimal(maximum)).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


def _str_validity(until: date | None) -> str:
    return f"sampai dengan {format_tanggal(until)}" if until else "seumur hidup"


def _standard_basis(checklist: ServiceChecklist) -> list[str]:
    decree = checklist.enactment.decree.removeprefix("No. SK").strip(" :")
    standard = checklist.source + (f" (Surat Keputusan Nomor {decree})" if decree else "")
    return [*([standard] if checklist.source else []), *checklist.legal_basis]


@dataclass(frozen=True)
class _Spec:
    template: str
    context: Callable[[DocumentInput, Any], dict[str, Any]]


_SPEC: dict[type, _Spec] = {
    TandaTerima: _Spec("tanda_terima_berkas.html", _tanda_terima),
    Pengembalian: _Spec("surat_pengembalian_berkas.html", _pengembalian),
    Penolakan: _Spec("surat_penolakan.html", _penolakan),
    BeritaAcaraPemeriksaan: _Spec("berita_acara_pemeriksaan_berkas.html", _berita_acara_pemeriksaan),
    SuratTugas: _Spec("surat_tugas_visitasi.html", _surat_tugas),
    BeritaAcaraVisitasi: _Spec("berita_acara_visitasi.html", _berita_acara_visitasi),
    RekomendasiTeknis: _Spec("rekomendasi_teknis.html", _rekomendasi_teknis),
    RekomendasiDinkes: _Spec("rekomendasi_dinkes.html", _rekomendasi_dinkes),
    IzinPraktik: _Spec("izin_praktik.html", _izin_praktik),
    IzinKlinik: _Spec("izin_klinik.html", _izin_klinik),
    SertifikatStandar: _Spec("sertifikat_standar.html", _sertifikat_standar),
}

