"""Reading every page of a bundle: the PDF text layer where there is one, OCR where there is not.

Steps: plan each file's pages (text layer, embedded images, caps), answer what the OCR cache
already knows, run the remaining page jobs in a process pool (one page per task), assemble
``PageText`` in file and page order. A page that fails carries an ``error``; nothing raises.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import multiprocessing
import os
import re
from collections.abc import Collection, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pdfplumber
import pypdf
from PIL import Image

from extractors import layout, marks, ocr, raster
from extractors.cache import OcrCache, OcrRecord
from extractors.errors import PageReadError
from extractors.fields import evidence
from izinflow.domain import BundleFile, Mark, PageRef, PageText, RejectedFile, Table

log = logging.getLogger(__name__)

# Bump when what a cached record means changes (OCR settings, record fields).
PIPELINE_VERSION = "read-15"


@dataclass(frozen=True)
class ReadLimits:
    max_pages_per_file: int = 60
    max_pages_per_bundle: int = 150
    page_timeout: float = 90.0  # seconds for one tesseract run on one page
    max_dpi: int = 300
    min_dpi: int = 150
    crop_dpi: int = 300
    max_images_per_page: int = 8


@dataclass(frozen=True)
class ReadResult:
    pages: list[PageText]
    rejected: list[RejectedFile]


# ---------------------------------------------------------------- text layer


_CID = re.compile(r"\(cid:\d+\)")
_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")
_VOWELS = frozenset("aeiouy")
_CONSONANT_RUN = re.compile(r"[^aeiouy\W\d_]{5,}")
MIN_TEXT_LETTERS = 25
# A text layer this short beside a page-sized image is a scanner's caption, not the document.
_FULL_TEXT_LETTERS = 200


def clean_text_layer(text: str) -> str:
    return _CID.sub("", text).strip()


def real_word_letters(text: str) -> tuple[int, int]:
    """(letters in word-like runs, letters in all runs): garbage layers have few real words."""
    real = total = 0
    for run in _LETTER_RUN.findall(text):
        total += len(run)
        lower = run.lower()
        if any(ch in _VOWELS for ch in lower) and not _CONSONANT_RUN.search(lower):
            real += len(run)
    return real, total


def usable_text(text: str) -> bool:
    real, total = real_word_letters(text)
    return real >= MIN_TEXT_LETTERS and real >= 0.6 * total


# ---------------------------------------------------------------- plans and jobs


@dataclass(frozen=True)
class ImageBox:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in points from the top-left
    area_share: float
    read_text: bool  # small stamps and seals are OCR'd; page-sized images are covered by the text layer


@dataclass(frozen=True)
class PageJob:
    """One unit of pool work: OCR a whole page (``scan``) or the images of a text page (``crops``)."""

    ref: PageRef
    mode: str  # "scan" | "crops" | "block" (a second reading of a scan as one block of text)
    dpi: float
    index: int | None = None  # PDF page index from 0; None for an image file
    image: bytes = b""  # the bytes of an image file
    boxes: tuple[ImageBox, ...] = ()
    timeout: float = 90.0
    turn: int = 0  # for "block": the rotation the first reading found
    examine_ink: bool = False  # for "block": also read every stamp-sized patch of ink on its own
    level: bool = False  # for "block": turn the page level first (a wide table's rows on their lines)


@dataclass
class PagePlan:
    ref: PageRef
    content_sha256: str
    layer_text: str = ""
    layer_tables: tuple[Table, ...] = ()
    job: PageJob | None = None
    error: str | None = None


@dataclass
class FilePlan:
    pages: list[PagePlan] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    pdf: bytes | None = None  # set when a page job needs to render this PDF


def read_bundle_pages(
    files: Sequence[BundleFile],
    *,
    ocr_cache: OcrCache | None,
    workers: int = 2,
    limits: ReadLimits = ReadLimits(),
) -> ReadResult:
    """Read every page of ``files`` (in order); never raises for a bad file or page."""
    plans = _plan_files(files, limits)
    records: dict[PageRef, OcrRecord] = {}
    pending: list[tuple[PagePlan, str]] = []
    for _file, plan in plans:
        for page in plan.pages:
            if page.job is None:
                continue
            key = _cache_key(page)
            cached = ocr_cache.get(key) if ocr_cache is not None else None
            if cached is not None:
                records[page.ref] = cached
            else:
                pending.append((page, key))

    pdfs = {f.name: p.pdf for f, p in plans if p.pdf is not None}
    jobs = [page.job for page, _key in pending if page.job is not None]
    outcomes = run_jobs(jobs, pdfs, workers=workers, limits=limits)
    for page, key in pending:
        outcome = outcomes[page.ref]
        if "error" not in outcome and ocr_cache is not None:
            ocr_cache.put(key, outcome)
        records[page.ref] = outcome

    pages: list[PageText] = []
    rejected: list[RejectedFile] = []
    for _file, plan in plans:
        pages.extend(_page_text(page, records.get(page.ref)) for page in plan.pages)
        rejected.extend(plan.rejected)
    return ReadResult(pages=pages, rejected=rejected)


def _plan_files(files: Sequence[BundleFile], limits: ReadLimits) -> list[tuple[BundleFile, FilePlan]]:
    plans: list[tuple[BundleFile, FilePlan]] = []
    budget = limits.max_pages_per_bundle
    for bundle_file in files:
        plan = plan_file(bundle_file, budget, limits)
        budget -= len(plan.pages)
        plans.append((bundle_file, plan))
    return plans


def read_ahead(
    bundles: Sequence[Sequence[BundleFile]],
    *,
    ocr_cache: OcrCache,
    workers: int = 2,
    limits: ReadLimits = ReadLimits(),
) -> int:
    """The first reading of every page of several bundles, in one pool, into ``ocr_cache``, where
    ``read_bundle_pages`` then finds it. A bundle of three scans keeps one of two cores idle half
    the time; the pages of a batch keep both busy. Returns the number of pages read."""
    jobs: list[PageJob] = []
    keys: dict[PageRef, str] = {}
    seen: set[str] = set()
    pdfs: dict[str, bytes] = {}
    for number, files in enumerate(bundles):
        for bundle_file, plan in _plan_files(files, limits):
            name = f"{number}/{bundle_file.name}"  # two bundles may both hold a "KTP.pdf"
            if plan.pdf is not None:
                pdfs[name] = plan.pdf
            for page in plan.pages:
                if page.job is None:
                    continue
                key = _cache_key(page)
                if key in seen or ocr_cache.get(key) is not None:
                    continue
                seen.add(key)
                job = replace(page.job, ref=PageRef(name, page.ref.page))
                jobs.append(job)
                keys[job.ref] = key
    outcomes = run_jobs(jobs, pdfs, workers=workers, limits=limits)
    for ref, key in keys.items():
        if "error" not in outcomes[ref]:
            ocr_cache.put(key, outcomes[ref])
    return len(jobs)


def reread_as_block(
    files: Sequence[BundleFile],
    pages: Sequence[PageText],
    *,
    ocr_cache: OcrCache | None,
    workers: int = 2,
    limits: ReadLimits = ReadLimits(),
    alone: bool = False,
    examine_ink: Collection[PageRef] = (),
    level: Collection[PageRef] = (),
) -> list[PageText]:
    """A second reading of scanned pages as one block of text (tesseract ``--psm 6``).

    Page segmentation now and then drops a whole block (a paragraph under uneven light, a boxed
    table), and with it the line that mattered. The caller asks for this only for the pages of a
    document that lacks a field it needs, so the cost stays with the few pages that need it.
    Each page comes back with the second reading added to its text (or unchanged on failure);
    with ``alone`` its text is the second reading only (empty on failure), to compare readings.
    The pages in ``examine_ink`` also have every stamp-sized patch of ink read on its own (for a
    legalisation the first reading could not tell), grey scans included; the pages in ``level`` are
    turned level first (lists: a table's rows must stay on their lines).
    """
    wanted = {p.ref: p for p in pages if p.ocr and not p.error}
    if not wanted:
        return list(pages)
    budget = limits.max_pages_per_bundle
    jobs: list[tuple[PageJob, str]] = []
    pdfs: dict[str, bytes] = {}
    for bundle_file in files:
        plan = plan_file(bundle_file, budget, limits)
        budget -= len(plan.pages)
        if plan.pdf is not None:
            pdfs[bundle_file.name] = plan.pdf
        for page in plan.pages:
            if page.ref in wanted and page.job is not None and page.job.mode == "scan":
                examine, levelled = page.ref in examine_ink, page.ref in level
                job = replace(page.job, mode="block", turn=wanted[page.ref].rotation, examine_ink=examine,
                              level=levelled)
                suffix = ":block" + ("+ink" if examine else "") + ("+level" if levelled else "")
                jobs.append((job, hashlib.sha256((_cache_key(page) + suffix).encode()).hexdigest()))
    records: dict[PageRef, OcrRecord] = {}
    pending = []
    for job, key in jobs:
        cached = ocr_cache.get(key) if ocr_cache is not None else None
        if cached is not None:
            records[job.ref] = cached
        else:
            pending.append((job, key))
    outcomes = run_jobs([job for job, _ in pending], pdfs, workers=workers, limits=limits)
    for job, key in pending:
        if "error" not in outcomes[job.ref] and ocr_cache is not None:
            ocr_cache.put(key, outcomes[job.ref])
        records[job.ref] = outcomes[job.ref]
    out = []
    for page in pages:
        record = records.get(page.ref, {})
        extra = str(record.get("text", ""))
        text = extra if alone else f"{page.text}\n\n{extra}".strip()
        ink = record.get("ink_letters")
        if "ink_letters" in record:
            page = replace(
                page,
                image_text=f"{page.image_text}\n\n{record.get('image_text', '')}".strip(),
                marks=marks.merge_marks(page.marks, (Mark(k, v) for k, v in record.get("marks", []))),
                ink_letters=tuple(int(n) for n in ink) if isinstance(ink, list) else None,
            )
        tables = tuple(tuple(tuple(str(c) for c in row) for row in t) for t in record.get("tables", []))
        out.append(replace(page, text=text, tables=page.tables + tables))
    return out


def _read_block(job: PageJob) -> OcrRecord:
    image = raster.turn_clockwise(raster.limit_size(_page_image(job, job.dpi)), job.turn)
    grid = None
    if job.level:  # a page skewed by two degrees mixes a wide table's rows when read line by line
        if image.width > image.height:
            # A list scanned sideways: tesseract's page reading turns vertical lines by itself (so the
            # first reading found no turn), a block reading does not.
            image = raster.turn_clockwise(image, ocr.detect_orientation(image, timeout=job.timeout))
        image = raster.deskew(image)
        grid = layout.ruled_grid(image)
    tables: list[list[list[str]]] = []
    if grid is not None:  # a ruled list: read without its rules, cut along them
        result = ocr.ocr_image(layout.without_rules(image), psm=4, timeout=job.timeout)
        table = layout.grid_table(result.words, grid)
        tables = [[list(row) for row in table]] if table else []
    else:
        result = ocr.ocr_image(image, psm=6, timeout=job.timeout)
    if not job.examine_ink:
        return {"text": result.text, "tables": tables}
    ink = _read_ink_regions(image, result, timeout=job.timeout, grey_too=True)
    return {
        "text": result.text,
        "tables": tables,
        "image_text": ink.text,
        "marks": [[m.kind, m.value] for m in ink.marks],
        "ink_letters": list(ink.letters) if ink.letters is not None else None,
    }


def _cache_key(page: PagePlan) -> str:
    job = page.job
    assert job is not None
    spec = f"{PIPELINE_VERSION}|{ocr.LANG}|{job.mode}|{job.dpi:.0f}|{page.content_sha256}"
    return hashlib.sha256(spec.encode()).hexdigest()


def _page_text(page: PagePlan, record: OcrRecord | None) -> PageText:
    base = {"ref": page.ref, "content_sha256": page.content_sha256}
    if page.error is not None:
        return PageText(text="", ocr=False, error=page.error, **base)
    if page.job is None:
        return PageText(text=page.layer_text, ocr=False, tables=page.layer_tables, **base)
    record = record or {"error": "halaman tidak dapat dibaca"}
    found = tuple(Mark(kind, value) for kind, value in record.get("marks", []))
    if "error" in record and page.job.mode == "crops":
        reason = "gambar (meterai, stempel atau kode QR) pada halaman tidak dapat dibaca"
        return PageText(text=page.layer_text, ocr=False, error=reason, **base)
    if "error" in record:
        return PageText(text=page.layer_text, ocr=True, error=str(record["error"]), **base)
    if page.job.mode == "crops":
        return PageText(
            text=page.layer_text,
            ocr=False,
            tables=page.layer_tables,
            marks=found,
            image_text=str(record.get("image_text", "")),
            photo_ratio=float(record.get("photo_ratio", 0.0)),
            **base,
        )
    text = str(record.get("text", ""))
    if page.layer_text:
        text = f"{page.layer_text}\n\n{text}".strip()
    confidence = record.get("confidence")
    ink = record.get("ink_letters")
    return PageText(
        text=text,
        ocr=True,
        image_text=str(record.get("image_text", "")),
        rotation=int(record.get("rotation", 0)),
        ocr_confidence=float(confidence) if confidence is not None else None,
        marks=found,
        photo_ratio=float(record.get("photo_ratio", 0.0)),
        ink_letters=tuple(int(n) for n in ink) if isinstance(ink, list) else None,
        **base,
    )


# ---------------------------------------------------------------- planning a file


def plan_file(bundle_file: BundleFile, budget: int, limits: ReadLimits) -> FilePlan:
    if budget <= 0:
        reason = (
            f"batas {limits.max_pages_per_bundle} halaman per permohonan tercapai; "
            "berkas ini tidak diperiksa"
        )
        return FilePlan(rejected=[RejectedFile(bundle_file.name, reason)])
    if bundle_file.kind == "image":
        return _plan_image(bundle_file, limits)
    if bundle_file.kind == "pdf":
        return _plan_pdf(bundle_file, budget, limits)
    return FilePlan(rejected=[RejectedFile(bundle_file.name, "jenis berkas tidak didukung")])


def _plan_image(bundle_file: BundleFile, limits: ReadLimits) -> FilePlan:
    problem = raster.image_header_ok(bundle_file.data)
    if problem is not None:
        return FilePlan(rejected=[RejectedFile(bundle_file.name, problem)])
    ref = PageRef(bundle_file.name, 1)
    job = PageJob(ref=ref, mode="scan", dpi=0, image=bundle_file.data, timeout=limits.page_timeout)
    digest = hashlib.sha256(bundle_file.data).hexdigest()
    return FilePlan(pages=[PagePlan(ref=ref, content_sha256=digest, job=job)])


def _plan_pdf(bundle_file: BundleFile, budget: int, limits: ReadLimits) -> FilePlan:
    name, data = bundle_file.name, bundle_file.data
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
            reason = "PDF terkunci kata sandi; kirim ulang berkas tanpa kata sandi"
            return FilePlan(rejected=[RejectedFile(name, reason)])
        total = len(reader.pages)
    except Exception as exc:  # pypdf raises many types on broken files; all mean the same here
        log.info("PDF %s tidak dapat dibuka: %s", name, type(exc).__name__)
        return FilePlan(rejected=[RejectedFile(name, "berkas PDF rusak dan tidak dapat dibuka")])
    if total == 0:
        return FilePlan(rejected=[RejectedFile(name, "berkas PDF tidak berisi halaman")])

    plan = FilePlan()
    count = min(total, limits.max_pages_per_file, budget)
    if count < total:
        if count < min(total, limits.max_pages_per_file):
            reason = (
                f"batas {limits.max_pages_per_bundle} halaman per permohonan tercapai; "
                f"halaman {count + 1}–{total} berkas ini tidak diperiksa"
            )
        else:
            reason = f"berkas berisi {total} halaman; hanya {count} halaman pertama diperiksa"
        plan.rejected.append(RejectedFile(name, reason))

    file_sha = hashlib.sha256(data).hexdigest()
    try:
        document = pdfplumber.open(io.BytesIO(data), password="")
    except Exception:  # pdfminer cannot parse it: fall back to rendering every page
        document = None
    try:
        for index in range(count):
            plan.pages.append(_plan_pdf_page(name, reader, document, index, file_sha, limits))
    finally:
        if document is not None:
            document.close()
    if any(page.job is not None for page in plan.pages):
        plan.pdf = data
    return plan


def _plan_pdf_page(
    name: str,
    reader: pypdf.PdfReader,
    document: Any,
    index: int,
    file_sha: str,
    limits: ReadLimits,
) -> PagePlan:
    ref = PageRef(name, index + 1)
    digest = _pdf_page_digest(reader, index) or hashlib.sha256(f"{file_sha}:{index}".encode()).hexdigest()
    text, images, page_size, tables = "", [], (0.0, 0.0), ()
    if document is not None:
        try:
            page = document.pages[index]
            text = clean_text_layer(page.extract_text() or "")
            images = list(page.images)
            page_size = (float(page.width), float(page.height))
            tables = _ruled_tables(page) if usable_text(text) else ()
        except Exception:  # a broken page in pdfminer: render it instead
            text, images, tables = "", [], ()
    boxes = _image_boxes(images, page_size, limits)
    large = [b for b in boxes if b.area_share >= 0.5]
    real_letters, _ = real_word_letters(text)
    if usable_text(text) and not (large and real_letters < _FULL_TEXT_LETTERS):
        if not boxes:
            return PagePlan(ref=ref, content_sha256=digest, layer_text=text, layer_tables=tables)
        dpi = float(limits.crop_dpi)
        job = PageJob(ref, "crops", dpi, index=index, boxes=boxes, timeout=limits.page_timeout)
        return PagePlan(ref=ref, content_sha256=digest, layer_text=text, layer_tables=tables, job=job)
    dpi = _scan_dpi(images, limits)
    job = PageJob(ref, "scan", dpi, index=index, timeout=limits.page_timeout)
    return PagePlan(ref=ref, content_sha256=digest, layer_text=text if usable_text(text) else "", job=job)


_MIN_RULES = 6  # drawn lines and boxes on a page before its tables are looked for


def _ruled_tables(page: Any) -> tuple[Table, ...]:
    """The page's tables drawn with rules, cells as single-spaced text (pdfplumber)."""
    if len(page.lines) + len(page.rects) < _MIN_RULES:
        return ()
    tables = []
    for table in page.extract_tables():
        rows = tuple(tuple(" ".join((cell or "").split()) for cell in row) for row in table)
        rows = tuple(row for row in rows if any(row))
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            tables.append(rows)
    return tuple(tables)


def _image_boxes(
    images: list[dict[str, Any]], page_size: tuple[float, float], limits: ReadLimits
) -> tuple[ImageBox, ...]:
    width, height = page_size
    if width <= 0 or height <= 0:
        return ()
    boxes: list[ImageBox] = []
    for image in images:
        x0, x1 = max(0.0, float(image["x0"])), min(width, float(image["x1"]))
        top, bottom = max(0.0, float(image["top"])), min(height, float(image["bottom"]))
        if x1 - x0 < 20 or bottom - top < 20:
            continue  # rules, bullets, logos too small to hold a stamp or a code
        share = (x1 - x0) * (bottom - top) / (width * height)
        boxes.append(ImageBox((x0, top, x1, bottom), round(share, 4), read_text=share < 0.5))
    boxes.sort(key=lambda b: b.area_share, reverse=True)
    return tuple(boxes[: limits.max_images_per_page])


def _scan_dpi(images: list[dict[str, Any]], limits: ReadLimits) -> float:
    """The resolution of the page's main image, so a 200-DPI scan is not blown up to 300."""
    best: float | None = None
    for image in images:
        src = image.get("srcsize") or (0, 0)
        shown_width = float(image["x1"]) - float(image["x0"])
        if shown_width <= 0 or not src[0]:
            continue
        dpi = float(src[0]) / (shown_width / raster.POINTS_PER_INCH)
        best = dpi if best is None else max(best, dpi)
    if best is None:
        return float(limits.max_dpi)
    return float(min(limits.max_dpi, max(limits.min_dpi, round(best))))


def _pdf_page_digest(reader: pypdf.PdfReader, index: int) -> str | None:
    """sha256 of what a page draws: its content stream and every XObject it uses, recursively."""
    try:
        page = reader.pages[index]
        digest = hashlib.sha256()
        digest.update(repr([float(v) for v in page.mediabox]).encode())
        digest.update(str(page.get("/Rotate", 0)).encode())
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        _digest_xobjects(page.get("/Resources"), digest, depth=0, seen=set())
        return digest.hexdigest()
    except Exception:
        return None


def _digest_xobjects(resources: Any, digest: Any, *, depth: int, seen: set[int]) -> None:
    if resources is None or depth > 4:
        return
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return
    xobjects = xobjects.get_object()
    for key in sorted(xobjects):
        reference = xobjects.raw_get(key)
        ident = getattr(reference, "idnum", None)
        obj = xobjects[key].get_object()
        digest.update(str(key).encode())
        if ident is not None and ident in seen:
            continue
        if ident is not None:
            seen.add(ident)
        digest.update(obj.get_data())
        if obj.get("/Subtype") == "/Form":
            _digest_xobjects(obj.get("/Resources"), digest, depth=depth + 1, seen=seen)


# ---------------------------------------------------------------- running jobs

_WORKER_PDFS: dict[str, bytes] = {}
_WORKER_DOCS: dict[str, Any] = {}


def _init_worker(pdfs: dict[str, bytes]) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _WORKER_PDFS.clear()
    _WORKER_DOCS.clear()
    _WORKER_PDFS.update(pdfs)


def run_jobs(
    jobs: Sequence[PageJob], pdfs: dict[str, bytes], *, workers: int, limits: ReadLimits
) -> dict[PageRef, OcrRecord]:
    """Run page jobs, in a process pool when there is more than one; failures become records."""
    if not jobs:
        return {}
    if workers <= 1 or len(jobs) == 1:
        _init_worker(pdfs)
        try:
            return {job.ref: run_job(job) for job in jobs}
        finally:
            _init_worker({})
    return _run_in_pool(jobs, pdfs, workers=min(workers, len(jobs)), limits=limits)


def _pool_context() -> multiprocessing.context.BaseContext:
    # forkserver: safe beside the threads of a flow runner, and cheap after the first pool.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _run_in_pool(
    jobs: Sequence[PageJob], pdfs: dict[str, bytes], *, workers: int, limits: ReadLimits
) -> dict[PageRef, OcrRecord]:
    # OCR, orientation detection and a second OCR at most, per page, plus rendering slack.
    per_page = 3 * limits.page_timeout + 30
    deadline = per_page * math.ceil(len(jobs) / workers) + 30
    outcomes: dict[PageRef, OcrRecord] = {}
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_pool_context(), initializer=_init_worker, initargs=(pdfs,)
    )
    hung = False
    try:
        try:
            futures: dict[Future[OcrRecord], PageJob] = {pool.submit(run_job, job): job for job in jobs}
        except (OSError, RuntimeError) as exc:
            # No worker could start (e.g. a script without a ``__main__`` guard): read here instead.
            log.warning("proses OCR paralel tidak dapat dijalankan (%s); halaman dibaca berurutan", exc)
            return run_jobs(jobs, pdfs, workers=1, limits=limits)
        done, not_done = wait(futures, timeout=deadline)
        for future in done:
            job = futures[future]
            try:
                outcomes[job.ref] = future.result()
            except BrokenProcessPool:
                outcomes[job.ref] = {"error": "pembacaan halaman terhenti karena proses OCR gagal"}
            except Exception:
                outcomes[job.ref] = {"error": "halaman tidak dapat dibaca"}
        for future in not_done:
            hung = True
            future.cancel()
            outcomes[futures[future].ref] = {"error": "waktu pembacaan halaman habis"}
    finally:
        if hung:
            # A stuck worker would block shutdown forever; the pool has no public way to stop it.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=not hung, cancel_futures=True)
    return outcomes


def run_job(job: PageJob) -> OcrRecord:
    """Read one page image; returns a JSON-able record, or ``{"error": reason}``."""
    try:
        if job.mode == "crops":
            return _read_crops(job)
        if job.mode == "block":
            return _read_block(job)
        return _read_scan(job)
    except PageReadError as exc:
        return {"error": exc.reason}
    except Exception as exc:  # one bad page must not sink the bundle
        log.warning("halaman %s/%s gagal dibaca: %s", job.ref.file, job.ref.page, type(exc).__name__)
        return {"error": "halaman tidak dapat dibaca"}


def _page_image(job: PageJob, dpi: float) -> Image.Image:
    if job.index is None:
        return raster.load_image(job.image)
    document = _WORKER_DOCS.get(job.ref.file)
    if document is None:
        data = _WORKER_PDFS.get(job.ref.file)
        if data is None:
            raise PageReadError("isi berkas PDF tidak tersedia untuk dibaca")
        try:
            document = raster.open_pdf(data)
        except Exception as exc:
            raise PageReadError("berkas PDF tidak dapat dibuka untuk dibaca") from exc
        _WORKER_DOCS.clear()  # keep one open document per worker
        _WORKER_DOCS[job.ref.file] = document
    return raster.render_page(document, job.index, dpi)


def _read_scan(job: PageJob) -> OcrRecord:
    image = raster.limit_size(_page_image(job, job.dpi))
    first = ocr.ocr_image(image, timeout=job.timeout)
    result, rotation, upright = first, 0, image
    # Tesseract reads a sideways page as vertical text, well enough by its scores but losing whole
    # blocks (a letter's title, its body): a page read mostly in vertical words is turned too.
    if (not good_enough(first) or _mostly_vertical(first)) and not is_blank(image):
        tried = {0}
        turn = ocr.detect_orientation(image)
        if turn:
            tried.add(turn)
            turned = raster.turn_clockwise(image, turn)
            second = ocr.ocr_image(turned, timeout=job.timeout)
            if ocr_score(second) > ocr_score(first):
                result, rotation, upright = second, turn, turned
        # OSD gives up on sparse or low-resolution pages; a text page still read badly is tried
        # the other ways up (a photo sheet is not: it has no upright to find).
        if not good_enough(result) and marks.photo_ratio(image) < _PHOTO_SHEET:
            for turn in (t for t in (180, 90, 270) if t not in tried):
                turned = raster.turn_clockwise(image, turn)
                other = ocr.ocr_image(turned, timeout=job.timeout)
                if ocr_score(other) > ocr_score(result):
                    result, rotation, upright = other, turn, turned
                if good_enough(result):
                    break
    boxes = [w.box for w in result.words if w.confidence >= 50 and len(w.text) >= 2]
    ink = _read_ink_regions(upright, result, timeout=job.timeout)
    fragments = _read_stamp_fragments(upright, result, timeout=job.timeout)
    return {
        "text": result.text,
        "image_text": "\n\n".join(t for t in (ink.text, fragments) if t),
        "confidence": round(result.mean_confidence, 1) if result.mean_confidence is not None else None,
        "rotation": rotation,
        "marks": [[m.kind, m.value] for m in marks.merge_marks(marks.decode_marks(upright), ink.marks)],
        "photo_ratio": marks.photo_ratio(upright, boxes),
        "ink_letters": list(ink.letters) if ink.letters is not None else None,
    }


# A scanned page needs this many read words before its coloured ink is worth reading apart:
# stamps and meterai sit on letters and diplomas, not on photo sheets.
_MIN_WORDS_FOR_STAMPS = 10
_PHOTO_CROP = 0.5
_MAX_INK_REGIONS = 3
_MAX_GREY_REGIONS = 6
_STAMP_MIN_SIDE = 480  # pixels: a stamp crop smaller than this is enlarged (at most twice) for OCR
_ALREADY_READ = 0.25


def _read_share(region: tuple[int, int, int, int], result: ocr.OcrText) -> float:
    """The share of a region's area covered by words the page's OCR read confidently."""
    x0, y0, x1, y1 = region
    area = max(1, (x1 - x0) * (y1 - y0))
    covered = 0
    for word in result.words:
        if word.confidence < 70 or sum(c.isalnum() for c in word.text) < 2:
            continue
        left, top, width, height = word.box
        dx = min(x1, left + width) - max(x0, left)
        dy = min(y1, top + height) - max(y0, top)
        if dx > 0 and dy > 0:
            covered += dx * dy
    return covered / area


@dataclass(frozen=True)
class InkReading:
    text: str = ""
    marks: tuple[Mark, ...] = ()
    # For each patch of ink read on its own, the letters of words read there that the page's own
    # reading does not hold (a stamp's wording; none for a signature). None when the patches could
    # not all be looked at (a grey scan on the first reading, too many patches, a sparse page):
    # there, the absence of a stamp cannot be told.
    letters: tuple[int, ...] | None = None


def _read_ink_regions(
    page: Image.Image, result: ocr.OcrText, *, timeout: float, grey_too: bool = False
) -> InkReading:
    """OCR and QR-decode the patches of stamp ink of a scanned page apart: the coloured ones, and
    with ``grey_too`` on a grey page the dark ones no read word explains.

    Full-page OCR loses a blue stamp laid over a signature; a crop read on its own keeps it.
    """
    if len(_solid_words(result)) < _MIN_WORDS_FOR_STAMPS:
        return InkReading()
    if marks.has_colour(page):
        most = _MAX_INK_REGIONS
        regions = marks.ink_regions(page, limit=most + 1)
    elif grey_too:
        # Print read with middling confidence is still print; bits of it left over are read as
        # patches too, and give no words the page does not already hold.
        explained = [w.box for w in result.words if w.confidence >= 40 and sum(c.isalnum() for c in w.text) >= 2]
        most = _MAX_GREY_REGIONS
        regions = marks.unexplained_ink(page, explained, limit=most + 1)
    else:
        return InkReading()
    if not regions:
        return InkReading(letters=())
    every_region = len(regions) <= most
    regions = regions[:most]
    turn = ocr.detect_orientation(page) if _mostly_vertical(result) else 0
    page_words = {w.text.strip(".,:;()'\"").upper() for w in result.words}
    texts: list[str] = []
    found: list[Mark] = []
    letters: list[int] = []
    crops: list[Image.Image] = []
    for region in _merge_near(regions, gap=max(page.size) // 60, bounds=page.size):
        crop = page.crop(region)
        found.extend(m for m in marks.decode_marks(crop) if m not in found)
        if marks.photo_ratio(crop) > _PHOTO_CROP:
            continue  # a portrait (the KTP's, a pas foto): no words to read there
        if _read_share(region, result) > _ALREADY_READ:
            continue  # coloured print the page's OCR read well (a letterhead, a title)
        crops.append(crop)
    for text in _read_stamps(crops, first_turn=turn, timeout=timeout):
        new = [t for t in text.split() if t.strip(".,:;()'\"").upper() not in page_words]
        letters.append(_letters_in_words(" ".join(new)))
        if any(sum(c.isalnum() for c in t) >= 2 for t in new):
            texts.append(text)  # print the page's reading already holds is not read twice
    return InkReading("\n\n".join(texts), tuple(found), tuple(letters) if every_region else None)


def _read_stamp_fragments(page: Image.Image, result: ocr.OcrText, *, timeout: float) -> str:
    """A stamp the page's OCR read only in part ("TELAH DILE", a signature across the rest) is read
    again around those words, on its own. Costs nothing on pages without such words."""
    boxes: list[Box] = []
    for word in result.words:
        if evidence.stamp_fragment(word.text):
            left, top, width, height = word.box
            h = max(height, 8)
            boxes.append((max(0, left - 10 * h), max(0, top - 3 * h),
                          min(page.width, left + width + 10 * h), min(page.height, top + 6 * h)))
    if not boxes or evidence.legal_phrase(result.text):
        return ""
    crops = [page.crop(region) for region in _merge_near(boxes[:4], gap=0, bounds=page.size)[:2]]
    return "\n\n".join(t for t in _read_stamps(crops, first_turn=0, timeout=timeout) if t)


def _read_stamps(crops: Sequence[Image.Image], *, first_turn: int, timeout: float) -> list[str]:
    """Stamps and meterai read on their own, enlarged. Those that give few words are read again
    turned a quarter either way (a stamp struck sideways, or a sideways page tesseract read as it
    lies) and with the coloured ink isolated (a signature across a stamp hides it otherwise). The
    crops of a page are read together, stacked in one image: two tesseract runs at most."""
    upright = [raster.turn_clockwise(crop, first_turn) for crop in crops]
    best = _read_stacked([_enlarged(crop) for crop in upright], timeout=timeout)
    retry: list[tuple[int, Image.Image]] = []
    for i, crop in enumerate(upright):
        colour = marks.has_colour(crop)
        if _letters_in_words(best[i]) >= 8:
            if colour and evidence.partial_legal_phrase(best[i]):
                retry.append((i, raster.prepare_stamp_crop(crop)))  # print across the stamp's wording
            continue
        retry += [(i, _enlarged(raster.turn_clockwise(crop, turn))) for turn in (90, 270)]
        if colour:
            retry.append((i, raster.prepare_stamp_crop(crop)))
    for (i, _img), text in zip(retry, _read_stacked([img for _, img in retry], timeout=timeout), strict=True):
        if evidence.legal_phrase(text) and not evidence.legal_phrase(best[i]):
            best[i] = f"{best[i]} {text}"
        elif _letters_in_words(text) > _letters_in_words(best[i]):
            best[i] = text
    return best


def _enlarged(crop: Image.Image) -> Image.Image:
    factor = min(2.0, max(1.0, _STAMP_MIN_SIDE / max(1, min(crop.size))))
    return crop.resize((round(crop.width * factor), round(crop.height * factor)))


_STACK_GAP = 48  # white pixels between stacked crops: tesseract never joins words across it


def _read_stacked(crops: Sequence[Image.Image], *, timeout: float) -> list[str]:
    """The confident words of each crop, from one sparse-text OCR run over the crops stacked."""
    if not crops:
        return []
    width = max(c.width for c in crops) + 2 * _STACK_GAP
    height = sum(c.height for c in crops) + _STACK_GAP * (len(crops) + 1)
    sheet = Image.new("L", (width, height), 255)
    spans: list[tuple[int, int]] = []
    top = _STACK_GAP
    for crop in crops:
        sheet.paste(crop.convert("L"), (_STACK_GAP, top))
        spans.append((top, top + crop.height))
        top += crop.height + _STACK_GAP
    try:
        result = ocr.ocr_image(sheet, psm=11, timeout=timeout)
    except PageReadError:
        return [""] * len(crops)
    texts: list[list[str]] = [[] for _ in crops]
    for word in result.words:
        if not any(c.isalnum() for c in word.text):
            continue
        if word.confidence < 50 and not (word.confidence >= 30 and evidence.legal_word(word.text)):
            continue  # QR modules and seals OCR as noise; a stamp's own odd words ("DILEGALISIR") less sure
        middle = word.box[1] + word.box[3] / 2
        for i, (start, end) in enumerate(spans):
            if start <= middle < end:
                texts[i].append(word.text)
                break
    return [" ".join(words) for words in texts]


Box = tuple[int, int, int, int]


def _merge_near(boxes: Sequence[Box], *, gap: int, bounds: tuple[int, int]) -> list[Box]:
    """One stamp's ink often comes as several regions (letters broken by a signature): boxes
    closer than ``gap`` are read together, with a margin."""
    merged = [tuple(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]:
                    merged[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    width, height, pad = bounds[0], bounds[1], gap // 3
    return [(max(0, x0 - pad), max(0, y0 - pad), min(width, x1 + pad), min(height, y1 + pad))
            for x0, y0, x1, y1 in merged]



def _letters_in_words(text: str) -> int:
    """Letters in word-like tokens: alphabetic, one case pattern, a vowel. Upside-down or mirrored
    text OCRs as tokens like 'VANIIsy' or 'NYON3G', which this does not count."""
    total = 0
    for token in text.split():
        word = token.strip(".,:;()'\"")
        if len(word) < 4 or not word.isalpha() or not any(c in "AEIOUaeiou" for c in word):
            continue
        if word.isupper() or word.islower() or (word[0].isupper() and word[1:].islower()):
            total += len(word)
    return total


def _mostly_vertical(result: ocr.OcrText) -> bool:
    """Tesseract read the page sideways (its words stand taller than wide): crops need turning."""
    words = [w for w in _solid_words(result) if len(w.text) >= 4]
    return bool(words) and sum(w.box[3] > w.box[2] for w in words) > len(words) / 2


def _read_crops(job: PageJob) -> OcrRecord:
    assert job.index is not None
    page = _page_image(job, job.dpi)
    found: list[Mark] = []
    texts: list[str] = []
    photo = 0.0
    for box in job.boxes:
        crop = raster.crop_points(page, box.bbox, job.dpi)
        if crop is None:
            continue
        found.extend(m for m in marks.decode_marks(crop) if m not in found)
        photo = max(photo, marks.photo_ratio(crop) * box.area_share)
        if box.read_text and not is_blank(crop):
            text = _confident_text(ocr.ocr_image(crop, psm=11, timeout=job.timeout))
            if text:
                texts.append(text)
    return {
        "marks": [[m.kind, m.value] for m in found],
        "image_text": "\n\n".join(texts),
        "photo_ratio": round(min(1.0, photo), 3),
    }


# ---------------------------------------------------------------- judging an OCR result


def _confident_text(result: ocr.OcrText, minimum: float = 50.0) -> str:
    """The words of a crop tesseract is fairly sure of: QR modules and seals OCR as noise."""
    kept = (w.text for w in result.words if w.confidence >= minimum and any(c.isalnum() for c in w.text))
    return " ".join(kept)

_GOOD_CONFIDENCE = 70.0
_PHOTO_SHEET = 0.05  # photo_ratio above which a page is photographs, not text to turn upright


def _solid_words(result: ocr.OcrText) -> list[ocr.OcrWord]:
    return [w for w in result.words if sum(ch.isalnum() for ch in w.text) >= 2]


def good_enough(result: ocr.OcrText) -> bool:
    """The cheap upright test: enough confidently read words to skip orientation detection."""
    words = _solid_words(result)
    if len(words) < 3:
        return False
    return sum(w.confidence for w in words) / len(words) >= _GOOD_CONFIDENCE


def ocr_score(result: ocr.OcrText) -> float:
    return sum(w.confidence for w in _solid_words(result) if w.confidence >= 50)


def is_blank(img: Image.Image) -> bool:
    """Almost no ink: nothing for orientation detection or OCR of a crop to work on."""
    pixels = np.asarray(img.convert("L"))  # full size: thumbnails wash thin strokes out to grey
    return float((pixels < 128).mean()) < 0.002
