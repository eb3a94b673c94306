"""Arrange rendered documents into files (merged, split, misnamed) and write bundle + truth to disk."""

from __future__ import annotations

import io
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from izinflow.samples import degrade
from izinflow.samples.clinic_docs import CLINIC_DOCS
from izinflow.samples.plan import SamplePlan
from izinflow.samples.render import RenderedDoc

ZIP_DATE = (2026, 1, 1, 0, 0, 0)
DESCRIPTIVE = {
    "surat_permohonan": ("surat permohonan", "Permohonan SIP", "surat_permohonan_sip"),
    "ktp": ("KTP", "fc ktp", "ktp_scan"),
    "ijazah": ("ijazah", "IJAZAH D3", "ijazah legalisir"),
    "npwp": ("NPWP", "npwp"),
    "str": ("STR", "str terbaru", "STR_2026"),
    "surat_keterangan_sehat": ("surat sehat", "SKS", "ket_sehat"),
    "pas_foto": ("pas foto", "foto 4x6", "pasfoto"),
    "surat_keterangan_domisili": ("domisili", "SK domisili"),
    "surat_keterangan_tempat_praktik": ("surat ket tempat praktik", "sk kerja"),
    "bukti_skp": ("SKP", "sertifikat skp"),
    "sip_lama": ("SIP lama", "sip_2021"),
    "rekomendasi_organisasi_profesi": ("rekomendasi OP", "rekom pormiki"),
    "sop_praktik": ("SOP", "sop praktik"),
    "mou_limbah_medis": ("MoU limbah", "PKS limbah medis"),
    "daftar_alat_kesehatan": ("daftar alkes", "alat"),
    "denah_lokasi": ("denah", "denah lokasi"),
    "notifikasi_dinkes": ("notifikasi dinkes", "Notifikasi_Dinkes", "surat notifikasi"),
    "profil_klinik": ("profil klinik", "PROFILE KLINIK", "profil"),
    "daftar_sdm": ("daftar SDM", "data tenaga", "SDM klinik"),
    "daftar_sarana_prasarana": ("sarana prasarana", "daftar_sarpras", "SARPRAS"),
    "daftar_peralatan": ("daftar peralatan", "alkes klinik", "inventaris alat"),
    "self_assessment": ("self assessment", "SELF ASSESMENT KLINIK", "penilaian mandiri"),
    "lainnya": ("lain-lain", "CV"),
    "kosong": ("lampiran",),
}


@dataclass
class PageSrc:
    doc: int  # index into the rendered documents
    index: int  # page index within the document (from 0)


@dataclass
class FilePlan:
    kind: str  # "pdf" | "jpeg" | "png"
    pages: list[PageSrc] = field(default_factory=list)
    name: str = ""


def group_files(rng: random.Random, docs: list[RenderedDoc]) -> list[FilePlan]:
    """Order documents at random, split some multi-page ones, merge neighbours into shared files."""
    order = list(range(len(docs)))
    rng.shuffle(order)
    units: list[list[PageSrc]] = []
    for d in order:
        pages = [PageSrc(d, i) for i in range(docs[d].page_count)]
        if len(pages) >= 2 and rng.random() < 0.35:
            cut = rng.randint(1, len(pages) - 1)
            units.append(pages[:cut])
            units.insert(rng.randint(0, len(units)), pages[cut:])
        else:
            units.append(pages)
    files: list[FilePlan] = []
    for unit in units:
        rd = docs[unit[0].doc]
        single_raster = len(unit) == 1 and rd.pdf is None
        if rd.photo_only:
            files.append(FilePlan("jpeg" if rng.random() < 0.7 else "png", list(unit)))
            continue
        if single_raster and rng.random() < 0.4:
            files.append(FilePlan("jpeg" if rng.random() < 0.8 or rd.dpi > 120 else "png", list(unit)))
            continue
        if files and files[-1].kind == "pdf" and len(files[-1].pages) < 9 and rng.random() < 0.45:
            files[-1].pages.extend(unit)
        else:
            files.append(FilePlan("pdf", list(unit)))
    return files


def name_files(
    rng: random.Random, files: list[FilePlan], docs: list[RenderedDoc], submitted: str, clinic: bool = False
) -> None:
    """Name files as applicants do: camera/scanner names, the content's name, or another document's name
    (of the same service: a clinic's file is not named after an SIP paper)."""
    used: set[str] = set()
    day = submitted[:10].replace("-", "")
    all_types = sorted(t for t in DESCRIPTIVE if t in ("lainnya", "kosong") or (t in CLINIC_DOCS) == clinic)
    for n, f in enumerate(files):
        ext = {"pdf": ".pdf", "jpeg": rng.choice((".jpg", ".jpeg", ".JPG")), "png": ".png"}[f.kind]
        main_type = docs[f.pages[0].doc].plan.doc_type
        roll = rng.random()
        if roll < 0.5:
            hh, mm, ss = rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)
            if f.kind == "pdf":
                stem = rng.choice(
                    (
                        f"scan_{rng.randint(1, 200):04d}",
                        "berkas",
                        "dokumen",
                        f"Dokumen_{n + 1}",
                        f"CamScanner {submitted[:10]} {hh:02d}.{mm:02d}",
                        f"lampiran ({n + 1})",
                        "doc",
                    )
                )
            elif f.kind == "jpeg":
                stem = rng.choice(
                    (
                        f"IMG_{day}_{hh:02d}{mm:02d}{ss:02d}",
                        f"WhatsApp Image {submitted[:10]} at {hh:02d}.{mm:02d}.{ss:02d}",
                    )
                )
            else:
                stem = rng.choice((f"Screenshot_{day}-{hh:02d}{mm:02d}{ss:02d}", "foto", f"image{n}"))
        elif roll < 0.85:
            stem = rng.choice(DESCRIPTIVE[main_type])
        else:
            stem = rng.choice(DESCRIPTIVE[rng.choice([t for t in all_types if t != main_type])])
        name, k = stem + ext, 2
        while name.lower() in used:
            name, k = f"{stem} ({k}){ext}", k + 1
        used.add(name.lower())
        f.name = name


def write_files(
    rng: random.Random, files: list[FilePlan], docs: list[RenderedDoc]
) -> tuple[dict[str, bytes], dict]:
    """Bytes of every file, plus per-page facts (rotation) keyed by (file, page)."""
    out: dict[str, bytes] = {}
    facts: dict[tuple[str, int], dict[str, object]] = {}
    readers: dict[int, PdfReader] = {}
    for f in files:
        if f.kind in ("jpeg", "png"):
            src = f.pages[0]
            rd = docs[src.doc]
            img = rd.rasters[src.index]
            turn = 0
            if rd.photo_only:
                data = degrade.jpeg_with_orientation(img, 1, 88) if f.kind == "jpeg" else degrade.png(img)
            elif f.kind == "jpeg":
                photo = degrade.phone_photo(img, rng)
                orientation = rng.choice((1, 1, 6, 6, 8, 3))
                data = degrade.jpeg_with_orientation(photo, orientation, rng.randint(70, 88))
            else:
                scanned, turn = degrade.scan(img, rng)
                data = degrade.png(scanned.convert("L"))
            out[f.name] = data
            facts[(f.name, 1)] = {"rotation": turn}
            continue
        writer = PdfWriter()
        for k, src in enumerate(f.pages, start=1):
            rd = docs[src.doc]
            turn = 0
            if rd.pdf is not None:
                reader = readers.setdefault(src.doc, PdfReader(io.BytesIO(rd.pdf)))
                writer.add_page(reader.pages[src.index])
            else:
                img, turn = degrade.scan(rd.rasters[src.index], rng)
                writer.add_page(PdfReader(io.BytesIO(degrade.image_pdf([img], rd.dpi))).pages[0])
            facts[(f.name, k)] = {"rotation": turn}
        buf = io.BytesIO()
        writer.write(buf)
        out[f.name] = buf.getvalue()
    return out, facts


def truth_of(
    plan: SamplePlan, bundle_name: str, files: list[FilePlan], docs: list[RenderedDoc], facts: dict
) -> dict[str, object]:
    pages: list[dict[str, object]] = []
    doc_pages: dict[int, list[dict[str, object]]] = {i: [] for i in range(len(docs))}
    for f in files:
        for k, src in enumerate(f.pages, start=1):
            rd = docs[src.doc]
            pages.append(
                {
                    "file": f.name,
                    "page": k,
                    "type": rd.plan.doc_type,
                    "layout": rd.plan.layout,
                    "scanned": rd.pdf is None,
                    "rotation": facts[(f.name, k)]["rotation"],
                }
            )
            doc_pages[src.doc].append({"file": f.name, "page": k, "_order": src.index})
    documents = []
    for i, rd in enumerate(docs):
        refs = sorted(doc_pages[i], key=lambda r: r["_order"])  # type: ignore[arg-type, return-value]
        document: dict[str, object] = {
            "type": rd.plan.doc_type,
            "layout": rd.plan.layout,
            "pages": [{"file": r["file"], "page": r["page"]} for r in refs],
            "fields": dict(rd.plan.fields),
        }
        if rd.plan.rows is not None:
            document["rows"] = [dict(row) for row in rd.plan.rows]
        documents.append(document)
    return {
        "bundle": bundle_name,
        "office": plan.office,
        "service": plan.service,
        "variant": plan.variant,
        "decision": plan.decision,
        "requirements": plan.requirements,
        "defects": plan.defects,
        "pages": pages,
        "documents": documents,
    }


def write_bundle(outdir: Path, plan: SamplePlan, payload: dict[str, bytes]) -> Path:
    manifest = json.dumps(plan.application, indent=2, ensure_ascii=False).encode()
    if plan.as_zip:
        path = outdir / f"{plan.bundle_id}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in [("application.json", manifest), *sorted(payload.items())]:
                zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
        return path
    path = outdir / plan.bundle_id
    path.mkdir(parents=True, exist_ok=True)
    (path / "application.json").write_bytes(manifest)
    for name, data in payload.items():
        (path / name).write_bytes(data)
    return path
