"""Render one planned document: HTML -> text PDF (WeasyPrint), or rasterised pages for scanned copies."""

from __future__ import annotations

import io
import logging
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader

from izinflow.samples import images as im
from izinflow.samples.plan import DocPlan
from izinflow.samples.templates import render_html

_STAMP_TEXT = {
    "surat_keterangan_sehat": ("DOKTER PEMERIKSA * FASKES *", "DOKTER\nPEMERIKSA"),
    "surat_keterangan_domisili": ("PEMERINTAH KAB. ROKAN HILIR *", "CAMAT /\nLURAH"),
    "surat_keterangan_tempat_praktik": ("DIREKTUR * FASILITAS KESEHATAN *", "DIREKTUR"),
    "bukti_skp": ("PORMIKI * DPD RIAU *", "PORMIKI"),
    "sip_lama": ("DPMPTSP KAB. ROKAN HILIR *", "KEPALA\nDINAS"),
    "rekomendasi_organisasi_profesi": ("PORMIKI * KALIMANTAN TIMUR *", "PORMIKI"),
    "mou_limbah_medis": ("PENGOLAH LIMBAH B3 * BONTANG *", "DIREKTUR"),
}


@dataclass
class RenderedDoc:
    """A document's pages: a text PDF, or raster page images (scanned copies / a photo file)."""

    plan: DocPlan
    pdf: bytes | None
    rasters: list[Image.Image]
    dpi: int
    photo_only: bool = False  # a bare JPEG photo (pas foto), not a page

    @property
    def page_count(self) -> int:
        return len(self.rasters) if self.pdf is None else len(PdfReader(io.BytesIO(self.pdf)).pages)


@lru_cache(maxsize=1)
def _font_config():  # type: ignore[no-untyped-def]
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class _QuietSubsetWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "HarfBuzz-Subset" not in record.getMessage()


@contextmanager
def _fixed_font_timestamps() -> Iterator[None]:
    """fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = previous or "1767225600"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _QuietSubsetWarning) for f in logger.filters):
        logger.addFilter(_QuietSubsetWarning())
    with _fixed_font_timestamps():
        return weasyprint.HTML(string=html).write_pdf(font_config=_font_config())


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def _images(rng: random.Random, plan: DocPlan) -> dict[str, str | None]:
    ctx = plan.ctx
    p = ctx["p"]
    out: dict[str, str | None] = {
        "sig": im.data_uri(im.signature(rng)),
        "sig2": im.data_uri(im.signature(rng, (10, 10, 10))),
    }
    t = plan.doc_type
    stamp_text = ctx.get("stamp_text") or _STAMP_TEXT.get(t)  # a clinic's documents carry their own stamp
    if stamp_text:
        outer, inner = stamp_text  # type: ignore[misc]
        out["stamp"] = im.data_uri(im.round_stamp(rng, outer, inner))
    else:
        out["stamp"] = None
    if t in ("ktp", "str", "sip_lama", "lainnya"):
        out["photo"] = im.data_uri(im.ktp_photo(rng, p.perempuan))  # type: ignore[attr-defined]
    if t == "surat_permohonan":
        kind = ctx["meterai"]
        met = (
            im.meterai_tempel(rng)
            if kind == "tempel"
            else im.e_meterai(rng)
            if kind == "elektronik"
            else None
        )
        out["met"] = im.data_uri(met) if met is not None else None
    if t == "str":
        out["qr"] = im.data_uri(im.qr_image(f"https://ktki.kemkes.go.id/str/verifikasi/{ctx['nomor']}", 3))
    if t == "ijazah":
        out["qr"] = im.data_uri(im.qr_image(str(ctx["qr_payload"]), 3))
        out["legal"] = im.data_uri(im.legalisir_stamp(rng, str(ctx["legal_kind"])))
    if t == "notifikasi_dinkes":
        out["qr"] = im.data_uri(im.qr_image(str(ctx["qr_payload"]), 3))
    if t == "lainnya" and plan.layout == "e":
        out["met"] = im.data_uri(im.meterai_tempel(rng))
    if t == "pas_foto":
        out["foto"] = im.data_uri(im.pas_foto(rng, str(ctx["bg"]), p.perempuan))  # type: ignore[attr-defined]
    return out


def render_doc(rng: random.Random, plan: DocPlan) -> RenderedDoc:
    if plan.doc_type == "pas_foto" and plan.layout == "c":
        photo = im.pas_foto(rng, str(plan.ctx["bg"]), plan.ctx["p"].perempuan, width=600)  # type: ignore[attr-defined]
        return RenderedDoc(plan, None, [photo], 300, photo_only=True)
    ctx = dict(plan.ctx)
    ctx["img"] = _images(rng, plan)
    pdf = html_to_pdf(render_html(plan.doc_type, plan.layout, ctx))
    if not plan.scanned:
        return RenderedDoc(plan, pdf, [], 0)
    # the meterai's small print and the e-Meterai QR must survive the scan of an application letter; the
    # small print of a list's table cells is scanned no coarser than 120 dpi
    if plan.doc_type == "surat_permohonan":
        dpis: tuple[int, ...] = (150, 200)
    elif plan.rows is not None:
        dpis = (120, 150, 150, 200)
    else:
        dpis = (100, 120, 150, 150, 200)
    dpi = rng.choice(dpis)
    return RenderedDoc(plan, None, rasterise(pdf, dpi), dpi)
