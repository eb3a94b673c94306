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
from flows import resubmission, runtime
from izinflow.domain import Bundle, Manifest
from store import cases, repository, resubmissions
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
    resubmission_id: int | None = None  # the bundle completes the application (``resubmission_of``)


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

    if bundle.manifest.resubmission_of:
        return _admit_resubmission(claim, bundle, source)
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


def _admit_resubmission(claim: Claim, bundle: Bundle, source: str) -> Admission:
    """A resubmission is registered to its application, or quarantined with the reason it cannot be
    taken (an unknown application number, another applicant, a case not back with the applicant)."""
    ws = runtime.workspace()
    nomor = bundle.manifest.resubmission_of
    detail = {"berkas": claim.name, "sha256": bundle.sha256}
    with session_scope(runtime.engine()) as s:
        application = repository.get_application(s, nomor)
        if application is not None:
            cases.lock(s, application.id)
        known = resubmissions.find_by_sha256(s, bundle.sha256)
        reason = resubmission.refusal(s, application, bundle.manifest) if known is None else None
        if reason is not None or application is None:
            reason = reason or f"nomor permohonan {nomor} tidak terdaftar"
            repository.append_event(s, application.id if application else None, resubmission.REFUSED, "izinflow",
                                    {**detail, "nomor_permohonan": nomor, "alasan": reason})
        else:
            record, created = resubmissions.register_resubmission(
                s, application.id, bundle_sha256=bundle.sha256, submitted_at=bundle.manifest.submitted_at,
                original_path=str(original_destination(ws, bundle.sha256, claim.name)),
            )
            kind = resubmission.RECEIVED if created else resubmission.RECEIVED_AGAIN
            repository.append_event(s, application.id, kind, "izinflow", {**detail, "perbaikan": record.sequence})
    if reason is not None or application is None:
        folder = quarantine(ws, claim, reason or "")
        return Admission(source=source, reason=reason, quarantine_path=str(folder), manifest=bundle.manifest)
    kept = keep_original(ws, claim, bundle.sha256)
    if str(kept) != record.original_path:
        with session_scope(runtime.engine()) as s:
            resubmissions.set_original_path(s, record.id, str(kept))
    return Admission(
        source=source,
        application_id=application.id,
        nomor_permohonan=application.nomor_permohonan,
        created=created,
        manifest=bundle.manifest,
        resubmission_id=record.id,
    )


def admit_bundle(path: Path, *, move: bool) -> Admission:
    """Admit a bundle given by path: moved when it came through the inbox, else copied."""
    claim = Claim(id=path.parent.name, path=path) if move else copy_into_claim(path)
    return admit_claim(claim, source=str(path))
