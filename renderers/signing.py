"""PAdES signatures on issued documents, and their validation (pure over PDF bytes).

``sign_pdf`` adds a PAdES B-B certification signature (no later change permitted) with a visible
field laid over the template's signature block, found by its words "Ditandatangani secara
elektronik"; a document without that block gets a field with those words at the lower right of its
last page. ``validate_pdf`` says whether a document is intact, unchanged since signing and signed by
a certificate chaining to the given roots, in a sentence a clerk can read.

Both call pyHanko's synchronous API, which runs its own event loop: call them from plain threads
(Prefect tasks, the CLI), not from inside a running asyncio loop.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
from asn1crypto import x509
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.validation import KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko.stamp.base import BaseStamp, BaseStampStyle
from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)

ANCHOR = "Ditandatangani secara elektronik"
FIELD_NAME = "TandaTanganElektronik"
_FIELD_PADDING = 6.0  # pt around the anchor words
_FIELD_MAX_HEIGHT = 42.0  # the field grows into the free space around the words, up to this
_NEIGHBOUR_MARGIN = 2.0
_FALLBACK_SIZE = (190.0, 46.0)
_FALLBACK_OFFSET = (40.0, 56.0)  # from the right and bottom edges of the last page
_SIGNING_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"})  # either will do
_INK = (0.12, 0.23, 0.47)
_FONT_FILE = "DejaVuSans.ttf"
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts", "/usr/local/share/fonts")


@dataclass(frozen=True)
class SignaturePlacement:
    """Where the visible signature goes: page index and box in PDF user space (x0, y0, x1, y1)."""

    page: int
    box: tuple[float, float, float, float]
    over_anchor: bool  # False: no signature block found, the field carries the words itself


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool  # intact, unchanged and trusted: the document is what the office signed
    intact: bool  # the signed bytes hash to what was signed and the signature matches the certificate
    trusted: bool  # the certificate chains to one of the trust roots and is in force
    unchanged: bool  # nothing was added after signing (beyond validation data / archive timestamps)
    signer: str  # common name of the signer's certificate ("" when none)
    signed_at: datetime | None  # as the signer declared it (no timestamp authority in PAdES B-B)
    reason: str  # Indonesian sentence for the clerk


def sign_pdf(pdf: bytes, signer: Signer, *, reason: str, location: str, contact: str = "") -> bytes:
    """``pdf`` with a visible PAdES certification signature by ``signer`` appended (incremental)."""
    placement = find_signature_placement(pdf)
    name = _common_name(signer.signing_cert)
    lines = () if placement.over_anchor else tuple(filter(None, (ANCHOR, f"oleh {name}" if name else "")))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    field_name = _free_field_name(writer)
    meta = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        contact_info=contact or None,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    x0, y0, x1, y1 = placement.box
    spec = SigFieldSpec(
        sig_field_name=field_name,
        on_page=placement.page,
        box=(math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)),
    )
    pdf_signer = PdfSigner(meta, signer, stamp_style=_FrameStampStyle(lines=lines),
                           new_field_spec=spec)
    return pdf_signer.sign_pdf(writer).getvalue()


def find_signature_placement(pdf: bytes) -> SignaturePlacement:
    """Over the last "Ditandatangani secara elektronik" (the signature block), else lower right of the end."""
    document = pdfium.PdfDocument(pdf)
    count = len(document)
    try:
        for index in range(count - 1, -1, -1):
            page = document[index]
            text = page.get_textpage()
            anchor = _anchor_box(text)
            if anchor is not None:
                return SignaturePlacement(index, _field_box(page, text, anchor), over_anchor=True)
        left, bottom, right, _top = document[count - 1].get_mediabox()
    finally:
        document.close()
    width, height = _FALLBACK_SIZE
    x1, y0 = right - _FALLBACK_OFFSET[0], bottom + _FALLBACK_OFFSET[1]
    return SignaturePlacement(count - 1, (max(left, x1 - width), y0, x1, y0 + height), over_anchor=False)


def validate_pdf(pdf: bytes, trust_roots: Iterable[x509.Certificate], *, at: datetime | None = None
                 ) -> SignatureCheck:
    """The verdict on the document's signatures (all must hold), checked at ``at`` (default: now)."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        log.info("unreadable PDF: %s", type(exc).__name__)
        return _failed("Berkas tidak dapat dibaca sebagai PDF.")
    if not signatures:
        return _failed("Dokumen tidak memuat tanda tangan elektronik.")
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False, moment=at)
    checks = []
    with _quiet_pyhanko():
        for embedded in signatures:
            try:
                status = validate_pdf_signature(embedded, context, key_usage_settings=_SIGNING_USAGE)
            except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
                log.info("signature not checkable: %s", type(exc).__name__)
                return _failed("Tanda tangan elektronik dalam dokumen rusak atau tidak dikenal.")
            checks.append(_check(status))
    return next((c for c in checks if not c.valid), checks[0])


# --- placement -----------------------------------------------------------------------------------


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space (from the bottom left)


def _anchor_box(text: pdfium.PdfTextPage) -> Box | None:
    """The box of the last occurrence of the anchor on the page, capitalised first if there is one."""
    for match_case in (True, False):
        searcher = text.search(ANCHOR, match_case=match_case)
        last = None
        while (hit := searcher.get_next()) is not None:
            last = hit
        searcher.close()
        if last is not None:
            start, count = last
            boxes = [text.get_charbox(i) for i in range(start, start + count)]
            boxes = [b for b in boxes if b[2] > b[0]] or boxes  # spaces have empty boxes
            return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                    max(b[2] for b in boxes), max(b[3] for b in boxes))
    return None


def _field_box(page: pdfium.PdfPage, text: pdfium.PdfTextPage, anchor: Box) -> Box:
    """The anchor's box widened by a margin and grown into the free space above and below it."""
    left, bottom, right, top = page.get_mediabox()
    x0, y0, x1, y1 = anchor
    x0, x1 = max(left, x0 - _FIELD_PADDING), min(right, x1 + _FIELD_PADDING)
    lines = [text.get_rect(i) for i in range(text.count_rects())]
    beside = [r for r in lines if r[2] > x0 and r[0] < x1]
    above = min((r[1] for r in beside if r[1] >= y1 - 0.5), default=top)
    below = max((r[3] for r in beside if r[3] <= y0 + 0.5), default=bottom)
    grow = max(_FIELD_PADDING / 2, (_FIELD_MAX_HEIGHT - (y1 - y0)) / 2)
    return (x0, y0 - max(1.0, min(grow, y0 - below - _NEIGHBOUR_MARGIN)),
            x1, y1 + max(1.0, min(grow, above - y1 - _NEIGHBOUR_MARGIN)))


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, *_ in enumerate_sig_fields(writer.prev)}
    return next(name for n in range(1, 1000) if (name := FIELD_NAME + (str(n) if n > 1 else "")) not in taken)


# --- appearance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FrameStampStyle(BaseStampStyle):
    """A thin frame, with the given lines drawn as glyph outlines (no font to embed: PDF/A stays intact)."""

    lines: tuple[str, ...] = field(default=())
    border_width: int = 0  # the frame is drawn by the stamp itself, at a finer width

    def create_stamp(self, writer: BasePdfFileWriter, box: BoxConstraints, text_params: dict) -> _FrameStamp:
        return _FrameStamp(writer=writer, style=self, box=box)


class _FrameStamp(BaseStamp):
    def _render_inner_content(self) -> list[bytes]:
        width, height = self.box.width, self.box.height
        ops = [b"%g %g %g RG %g %g %g rg 0.75 w" % (*_INK, *_INK),
               b"0.5 0.5 %g %g re S" % (width - 1, height - 1)]
        if self.style.lines:
            ops.append(_text_block(self.style.lines, width, height))
        return ops


def _text_block(lines: Sequence[str], width: float, height: float) -> bytes:
    """Centred lines as filled outlines, at the largest size up to 8 pt that fits the box."""
    font = _outline_font()
    if font is None:
        return b""
    units = font["head"].unitsPerEm
    widths = [_advance(font, line) / units for line in lines]
    size = min(8.0, (width - 8) / max(max(widths), 1e-6), (height - 6) / (1.3 * len(lines)))
    leading = size * 1.3
    y = (height + leading * len(lines)) / 2 - size
    ops = []
    for line, line_width in zip(lines, widths, strict=True):
        ops.append(_outline_line(font, line, (width - line_width * size) / 2, y, size / units))
        y -= leading
    return b" ".join(ops)


def _advance(font: TTFont, text: str) -> int:
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    return sum(metrics[cmap.get(ord(ch), ".notdef")][0] for ch in text)


class _PdfPathPen(BasePen):
    """Glyph outlines as PDF path operators, scaled from font units and placed at an origin."""

    def __init__(self, glyph_set: Mapping, origin: tuple[float, float], scale: float) -> None:
        super().__init__(glyph_set)
        self.origin, self.scale, self.dx = origin, scale, 0.0
        self.ops: list[bytes] = []

    def _xy(self, pt: tuple[float, float]) -> bytes:
        return b"%.2f %.2f" % (self.origin[0] + (self.dx + pt[0]) * self.scale, self.origin[1] + pt[1] * self.scale)

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(self._xy(pt) + b" m")

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(self._xy(pt) + b" l")

    def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]) -> None:
        self.ops.append(b" ".join((self._xy(p1), self._xy(p2), self._xy(p3))) + b" c")

    def _closePath(self) -> None:
        self.ops.append(b"h")


def _outline_line(font: TTFont, text: str, x: float, y: float, scale: float) -> bytes:
    glyphs, cmap, metrics = font.getGlyphSet(), font.getBestCmap(), font["hmtx"]
    pen = _PdfPathPen(glyphs, (x, y), scale)
    for ch in text:
        name = cmap.get(ord(ch), ".notdef")
        glyphs[name].draw(pen)
        pen.dx += metrics[name][0]
    return b" ".join(pen.ops) + b" f" if pen.ops else b""


@cache
def _outline_font() -> TTFont | None:
    for root in _FONT_DIRS:
        found = next(Path(root).rglob(_FONT_FILE), None) if Path(root).is_dir() else None
        if found is not None:
            return TTFont(found, lazy=True)
    log.warning("%s not found: a signature field without a signature block shows only its frame", _FONT_FILE)
    return None


# --- validation ----------------------------------------------------------------------------------

@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a tampered or untrusted document with a traceback; here that is a verdict, not an error."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _check(status: PdfSignatureStatus) -> SignatureCheck:
    signer = _common_name(status.signing_cert)
    level = status.modification_level
    unchanged = status.docmdp_ok is not False and (level is None or level <= ModificationLevel.LTA_UPDATES)
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    valid = intact and trusted and unchanged and status.bottom_line
    if not status.intact:
        reason = "Isi dokumen telah berubah setelah ditandatangani: tanda tangan tidak lagi cocok."
    elif not status.valid:
        reason = "Tanda tangan elektronik rusak atau tidak cocok dengan sertifikat penanda tangan."
    elif not unchanged:
        reason = "Dokumen telah diubah setelah ditandatangani (ada perubahan yang ditambahkan sesudahnya)."
    elif not trusted:
        reason = _trust_reason(status.trust_problem_indic, signer)
    elif not valid:
        reason = "Tanda tangan elektronik tidak memenuhi syarat pemeriksaan."
    else:
        reason = f"Tanda tangan elektronik sah: dokumen utuh, tidak diubah, dan ditandatangani oleh {signer}."
    return SignatureCheck(valid, intact, trusted, unchanged, signer, status.signer_reported_dt, reason)


def _trust_reason(indic: AdESSubIndic | None, signer: str) -> str:
    who = f"Sertifikat penanda tangan ({signer})" if signer else "Sertifikat penanda tangan"
    if indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE, AdESFailure.REVOKED):
        return f"{who} telah dicabut."
    if indic in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                 AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED):
        return f"{who} tidak berlaku pada waktu pemeriksaan (kedaluwarsa)."
    if indic in (AdESFailure.NOT_YET_VALID, AdESIndeterminate.NOT_YET_VALID):
        return f"{who} belum berlaku."
    if indic == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        return f"{who} tidak diperuntukkan bagi penandatanganan dokumen."
    return f"{who} tidak diterbitkan oleh otoritas sertifikat yang dipercaya."


def _failed(reason: str) -> SignatureCheck:
    return SignatureCheck(False, False, False, False, "", None, reason)


def _common_name(cert: x509.Certificate | None) -> str:
    if cert is None:
        return ""
    return str(cert.subject.native.get("common_name", ""))
