"""Reading a batch's pages ahead of its verification flows (`izinflow check` on several bundles).

One bundle's few scans leave a core idle while the other finishes the last page, and the flow's own
steps (classification, rules, the store, letters) use one core. A background thread reads the next
few bundles' pages into the OCR cache meanwhile, so each flow finds its first reading done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from checklists.load import is_known_service
from extractors.bundle import open_bundle
from extractors.reading import read_ahead
from flows import runtime
from izinflow.domain import BundleFile

log = logging.getLogger(__name__)

# Bundles read per pool: enough pages to keep the workers busy, few enough to start checking soon.
BUNDLES_PER_ROUND = 4


def _files_of(source: str) -> Sequence[BundleFile] | None:
    try:
        bundle = open_bundle(Path(source), is_known_service=is_known_service)
    except Exception:  # the flow's own admission quarantines it with its reason
        return None
    if bundle.manifest.resubmission_of:
        return None  # only its new files are read, against the earlier attempt
    return bundle.files


def _read_rounds(sources: Sequence[str], ready: dict[str, threading.Event], stop: threading.Event) -> None:
    try:
        for start in range(0, len(sources), BUNDLES_PER_ROUND):
            if stop.is_set():
                return
            batch = sources[start:start + BUNDLES_PER_ROUND]
            bundles = [files for files in map(_files_of, batch) if files]
            try:
                read_ahead(bundles, ocr_cache=runtime.ocr_cache(), workers=runtime.settings().ocr_workers)
            except Exception as exc:  # the flows read what is missing themselves
                log.warning("pembacaan awal halaman gagal (%s); halaman dibaca saat diperiksa", type(exc).__name__)
            for source in batch:
                ready[source].set()
    finally:
        for event in ready.values():
            event.set()


@contextmanager
def reading_ahead(sources: Sequence[str]) -> Iterator[Callable[[str], None]]:
    """Yields ``wait(source)``: returns once that bundle's pages are read (or could not be)."""
    if len(sources) < 2:
        yield lambda _source: None
        return
    ready = {source: threading.Event() for source in sources}
    stop = threading.Event()
    thread = threading.Thread(target=_read_rounds, args=(list(sources), ready, stop),
                              name="izinflow-read-ahead", daemon=True)
    thread.start()
    try:
        yield lambda source: ready[source].wait()
    except BaseException:
        stop.set()  # the daemon thread finishes its round alone; nothing waits for it
        raise
    stop.set()
    thread.join()
