"""Admitting one bundle: open it, register it, keep its original; or quarantine it with a reason.

The order keeps every bundle somewhere safe at every moment (STYLE.md): claim (rename into
``claimed/``) → open and hash → register (commit) → move the original into ``originals/``.
A crash between two steps leaves the bundle in ``claimed/``, where the next intake finds it.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from checklists.load import is_known_service, load_office
from extractors.bundle import open_bundle
from extractors.errors import BundleError
from flows import runtime
from izinflow.domain import Manifest
from store import repository
from store.db import session_scope
from store.inbox import Claim, keep_original, original_destination, quarantine


@dataclass(frozen=True)
class Admission:
    source: str
    application_id: int | None = None
    nomor_permohonan: str | None = None
    created: bool = False
    manifest: Manifest | None = None
    reason: str | None = None  # why the bundle was quarantined
    quarantine_path: str | None = None


def copy_into_claim(source: Path) -> Claim:
    """A claim holding a copy of ``source``: `izinflow check` never moves the operator's files."""
    ws = runtime.workspace().ensure()
    claim_id = "periksa-" + uuid.uuid4().hex[:12]
    folder = ws.claimed / claim_id
    folder.mkdir(parents=True)
    target = folder / source.name
    if source.is_dir():
        shutil.copytree(source, target, symlinks=False)
    else:
        shutil.copy2(source, target)
    return Claim(id=claim_id, path=target)


def admit_claim(claim: Claim, *, source: str | None = None) -> Admission:
    ws = runtime.workspace()
    source = source or claim.name
    try:
        bundle = open_bundle(claim.path, is_known_service=is_known_service)
    except BundleError as exc:
        folder = quarantine(ws, claim, exc.reason)
        return Admission(source=source, reason=exc.reason, quarantine_path=str(folder))

    prefix = load_office(bundle.manifest.office).application_prefix
    with session_scope(runtime.engine()) as s:
        record, created = repository.register_application(
            s,
            bundle_sha256=bundle.sha256,
            manifest=bundle.manifest,
            original_path=str(original_destination(ws, bundle.sha256, claim.name)),
            office_prefix=prefix,
        )
        repository.append_event(
            s, record.id, "berkas_diterima" if created else "berkas_diterima_ulang", "izinflow",
            {"berkas": claim.name, "sha256": bundle.sha256},
        )
    kept = keep_original(ws, claim, bundle.sha256)
    if str(kept) != record.original_path:
        with session_scope(runtime.engine()) as s:
            repository.set_original_path(s, record.id, str(kept))
    return Admission(
        source=source,
        application_id=record.id,
        nomor_permohonan=record.nomor_permohonan,
        created=created,
        manifest=bundle.manifest,
    )


def admit_bundle(path: Path, *, move: bool) -> Admission:
    """Admit a bundle given by path: moved when it came through the inbox, else copied."""
    claim = Claim(id=path.parent.name, path=path) if move else copy_into_claim(path)
    return admit_claim(claim, source=str(path))
