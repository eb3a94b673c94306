"""The shared vocabulary: plain typed data passed between the pipeline's steps.

Nothing here touches Prefect, a database or the file system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DocType(StrEnum):
    """Document types: the contract's requirement codes, plus ``lainnya`` and ``kosong``."""

    surat_permohonan = "surat_permohonan"
    meterai = "meterai"
    ktp = "ktp"
    surat_keterangan_domisili = "surat_keterangan_domisili"
    ijazah = "ijazah"
    npwp = "npwp"
    str = "str"
    surat_keterangan_sehat = "surat_keterangan_sehat"
    pas_foto = "pas_foto"
    surat_keterangan_tempat_praktik = "surat_keterangan_tempat_praktik"
    bukti_skp = "bukti_skp"
    sip_lama = "sip_lama"
    rekomendasi_organisasi_profesi = "rekomendasi_organisasi_profesi"
    sop_praktik = "sop_praktik"
    mou_limbah_medis = "mou_limbah_medis"
    daftar_alat_kesehatan = "daftar_alat_kesehatan"
    denah_lokasi = "denah_lokasi"
    notifikasi_dinkes = "notifikasi_dinkes"
    profil_klinik = "profil_klinik"
    daftar_sdm = "daftar_sdm"
    daftar_sarana_prasarana = "daftar_sarana_prasarana"
    daftar_peralatan = "daftar_peralatan"
    self_assessment = "self_assessment"
    lainnya = "lainnya"
    kosong = "kosong"


class RequirementStatus(StrEnum):
    met = "met"
    missing = "missing"
    invalid = "invalid"
    review = "review"
    not_required = "not_required"


class Decision(StrEnum):
    complete = "complete"
    incomplete = "incomplete"
    review = "review"
    unreadable = "unreadable"


@dataclass(frozen=True, order=True)
class PageRef:
    """One page of one file of a bundle; pages are numbered from 1."""

    file: str
    page: int

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "page": self.page}


@dataclass(frozen=True)
class Pemohon:
    nama: str
    nik: str
    email: str = ""
    telepon: str = ""


@dataclass(frozen=True)
class TempatPraktik:
    nama: str = ""
    alamat: str = ""


@dataclass(frozen=True)
class Manifest:
    """What the applicant typed into the online form (``application.json``)."""

    office: str
    service: str
    variant: str
    submitted_at: datetime
    pemohon: Pemohon
    tempat_praktik: TempatPraktik = field(default_factory=TempatPraktik)
    # The application number this bundle completes (optional ``resubmission_of``): the applicant's
    # new files for an application the office returned. Empty for a new application.
    resubmission_of: str = ""


@dataclass(frozen=True)
class BundleFile:
    """One document file of a bundle, held in memory; ``kind`` comes from its bytes."""

    name: str
    data: bytes
    kind: str  # "pdf" | "image"


@dataclass(frozen=True)
class RejectedFile:
    """A file of a bundle that could not be used, with an Indonesian reason a clerk can read."""

    name: str
    reason: str


@dataclass(frozen=True)
class Bundle:
    manifest: Manifest
    files: tuple[BundleFile, ...]
    sha256: str
    rejected: tuple[RejectedFile, ...] = ()


@dataclass(frozen=True)
class Mark:
    """Something read from an image rather than from text: a QR code, a barcode."""

    kind: str  # "qr" | "barcode"
    value: str


Table = tuple[tuple[str, ...], ...]  # rows of cells, as a ruled table on a text-layer page holds them


@dataclass(frozen=True)
class PageText:
    """What was read from one page."""

    ref: PageRef
    text: str
    ocr: bool
    rotation: int = 0  # degrees the page image was turned before OCR
    ocr_confidence: float | None = None  # tesseract mean word confidence, 0-100
    marks: tuple[Mark, ...] = ()
    image_text: str = ""  # OCR of the images embedded in a text-layer page (stamps, e-Meterai)
    photo_ratio: float = 0.0  # share of the page area covered by one photograph
    # Colour scans only: word letters read in each region of coloured ink (stamps, signatures).
    ink_letters: tuple[int, ...] | None = None
    tables: tuple[Table, ...] = ()  # ruled tables of a text-layer page (pdfplumber), cells as text
    error: str | None = None  # an Indonesian reason when the page could not be read
    content_sha256: str = ""


@dataclass(frozen=True)
class PageClass:
    ref: PageRef
    doc_type: DocType
    confidence: float


@dataclass
class Document:
    """The pages of one document (consecutive, except a signature page filed apart, appended last),
    with the fields read from them."""

    doc_type: DocType
    pages: list[PageRef]
    confidence: float
    ocr: bool
    fields: dict[str, str] = field(default_factory=dict)
    # Fields an independent second reading of a scan read the same: OCR's one-off slips ruled out.
    confirmed: frozenset[str] = frozenset()
    rows: list[dict[str, str]] = field(default_factory=list)  # a list's or a table's rows (daftar SDM, ...)


@dataclass(frozen=True)
class RequirementResult:
    code: str
    status: RequirementStatus
    reasons: tuple[str, ...] = ()
    pages: tuple[PageRef, ...] = ()


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    requirements: tuple[RequirementResult, ...]
    reasons: tuple[str, ...] = ()
