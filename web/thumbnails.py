"""Page images for the case page, drawn on demand from the application's original bundle.

Side effects: reads the original bundle (its path comes from the store, never from a request) and
keeps the drawn PNG in the workspace's cache, keyed by the page's content hash, so a page is drawn once.
"""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import pypdfium2 as pdfium

from checklists.load import is_known_service
from extractors import raster
from extractors.bundle import open_bundle
from extractors.errors import BundleError, PageReadError
from store.casework import PageSource

DPI = 100  # A4 at 827 x 1169 pixels: legible beside the read fields, small enough to send
MAX_SIDE = 1400


class PageImageUnavailable(Exception):
    """The page cannot be drawn (the original is gone or unreadable)."""


def page_png(source: PageSource, cache_dir: Path | None) -> bytes:
    """The page upright (as the reader turned it), as PNG."""
    cached = cache_dir / f"{source.content_sha256}-{source.rotation}.png" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    png = _draw(source)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{cached.name}.{uuid.uuid4().hex}.tmp")
        temporary.write_bytes(png)
        os.replace(temporary, cached)
    return png


def _draw(source: PageSource) -> bytes:
    try:
        bundle = open_bundle(Path(source.original_path), is_known_service=is_known_service)
    except (BundleError, OSError) as exc:
        raise PageImageUnavailable("berkas asli tidak dapat dibuka") from exc
    data = next((f for f in bundle.files if f.name == source.file_name), None)
    if data is None:
        raise PageImageUnavailable("berkas halaman ini tidak ada lagi di berkas asli")
    try:
        if data.kind == "pdf":
            document = raster.open_pdf(data.data)
            try:
                image = raster.render_page(document, source.page_number - 1, DPI)
            finally:
                document.close()
        else:
            image = raster.load_image(data.data)
    except (PageReadError, pdfium.PdfiumError, OSError, ValueError) as exc:
        raise PageImageUnavailable("halaman tidak dapat digambar") from exc
    image = raster.limit_size(raster.turn_clockwise(image, source.rotation), MAX_SIDE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
