"""The store adapter: plain functions over a Session, taking and returning izinflow's types.

Callers open the session (``store.db.session_scope``) and own the transaction. Nothing here
returns ORM objects; the records are small frozen dataclasses safe to use after the session.
Events are append-only: this module has no function to change or remove one, and the database
refuses it too (triggers from migration 0001).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checklists.visit import FieldVisit, VisitTeamMember
from izinflow.domain import (
    BundleFile,
    Decision,
    DocType,
    Document,
    Manifest,
    PageClass,
    PageRef,
    PageText,
    Pemohon,
    RejectedFile,
    RequirementResult,
    RequirementStatus,
    TempatPraktik,
    Verdict,
)
from izinflow.privacy import mask_nik
from store import counters, models

STATUS_RECEIVED = "received"
STATUS_VERIFIED = "verified"
# Application numbers take their year from the office's clock; WIB when the form gave no offset.
WIB = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as the rest of izinflow may see it: no clear personal data."""

    id: int
    nomor_permohonan: str
    bundle_sha256: str
    office: str
    service: str
    variant: str
    submitted_at: datetime
    received_at: datetime
    status: str
    decision: Decision | None
    original_path: str
    nik_masked: str


@dataclass(frozen=True)
class VerificationRecord:
    id: int
    application_id: int
    attempt: int
    decision: Decision
    decided_at: datetime


@dataclass(frozen=True)
class EventRecord:
    id: int
    application_id: int | None
    at: datetime
    kind: str
    actor: str
    detail: dict[str, Any]


def register_application(
    s: Session,
    *,
    bundle_sha256: str,
    manifest: Manifest,
    original_path: str,
    office_prefix: str,
    received_at: datetime | None = None,
) -> tuple[ApplicationRecord, bool]:
    """Record a received bundle, or find the one already recorded with the same hash.

    Returns the application and whether it was created now. The application number
    (``<PREFIX>-<year>-<six digits>``) comes from a counter incremented in this transaction, so
    numbers are never repeated and, since a rolled-back registration takes its increment with it,
    never skipped.
    """
    existing = _application_by_sha(s, bundle_sha256)
    if existing is not None:
        return _record(existing), False

    received_at = received_at or datetime.now(UTC)
    local_tz = manifest.submitted_at.tzinfo or WIB
    year = received_at.astimezone(local_tz).year
    try:
        with s.begin_nested():
            number = _next_number(s, office_prefix, year)
            application = models.Application(
                nomor_permohonan=f"{office_prefix}-{year}-{number:06d}",
                bundle_sha256=bundle_sha256,
                office=manifest.office,
                service=manifest.service,
                variant=manifest.variant,
                submitted_at=manifest.submitted_at,
                received_at=received_at,
                status=STATUS_RECEIVED,
                decision=None,
                original_path=original_path,
                nik_masked=mask_nik(manifest.pemohon.nik),
                manifest=_manifest_without_pemohon(manifest),
            )
            application.pemohon = models.Pemohon(
                nama=manifest.pemohon.nama,
                nik=manifest.pemohon.nik,
                email=manifest.pemohon.email,
                telepon=manifest.pemohon.telepon,
            )
            s.add(application)
            s.flush()
    except IntegrityError:
        # Another transaction registered the same bundle first; its row is now visible.
        existing = _application_by_sha(s, bundle_sha256)
        if existing is None:
            raise
        return _record(existing), False
    return _record(application), True


def _next_number(s: Session, office_prefix: str, year: int) -> int:
    return counters.next_value(s, models.SequenceCounter.__table__, {"office_prefix": office_prefix, "year": year})


def set_original_path(s: Session, application_id: int, original_path: str) -> None:
    _application(s, application_id).original_path = original_path


def get_application(s: Session, key: int | str) -> ApplicationRecord | None:
    """The application with this id (int) or nomor permohonan (str)."""
    if isinstance(key, int):
        application = s.get(models.Application, key)
    else:
        application = s.execute(
            select(models.Application).where(models.Application.nomor_permohonan == key)
        ).scalar_one_or_none()
    return None if application is None else _record(application)


def find_by_sha256(s: Session, bundle_sha256: str) -> ApplicationRecord | None:
    application = _application_by_sha(s, bundle_sha256)
    return None if application is None else _record(application)


def load_manifest(s: Session, application_id: int) -> Manifest:
    """The form as the applicant typed it, personal data included: for use inside the store's callers
    that need it (checking names), never to be passed to Prefect."""
    application = _application(s, application_id)
    data = application.manifest
    pemohon = application.pemohon
    return Manifest(
        office=data["office"],
        service=data["service"],
        variant=data["variant"],
        submitted_at=datetime.fromisoformat(data["submitted_at"]),
        pemohon=Pemohon(nama=pemohon.nama, nik=pemohon.nik, email=pemohon.email, telepon=pemohon.telepon),
        tempat_praktik=TempatPraktik(**data.get("tempat_praktik", {})),
    )


def save_verification(
    s: Session,
    application_id: int,
    *,
    pages: Sequence[PageText],
    classes: Sequence[PageClass],
    documents: Sequence[Document],
    verdict: Verdict,
    rejected: Sequence[RejectedFile],
    files: Sequence[BundleFile] = (),
    decided_at: datetime | None = None,
) -> int:
    """Store one verification attempt and return its id; earlier attempts are kept.

    ``files`` (optional) gives each file's hash, size and kind; files known only from their
    pages are stored without them.
    """
    application = _application(s, application_id)
    attempt = 1 + (
        s.execute(
            select(func.max(models.DecisionRow.attempt)).where(
                models.DecisionRow.application_id == application_id
            )
        ).scalar_one_or_none()
        or 0
    )
    decided_at = decided_at or datetime.now(UTC)
    verification = models.DecisionRow(
        application_id=application_id,
        attempt=attempt,
        decision=verdict.decision.value,
        reasons=list(verdict.reasons),
        decided_at=decided_at,
    )
    s.add(verification)
    s.flush()

    stored_files = _save_files(s, application_id, verification.id, pages, rejected, files)
    class_of = {c.ref: c for c in classes}
    for page in pages:
        page_class = class_of.get(page.ref)
        s.add(
            models.Page(
                file_id=stored_files[page.ref.file].id,
                page_number=page.ref.page,
                ocr=page.ocr,
                rotation=page.rotation,
                ocr_confidence=page.ocr_confidence,
                content_sha256=page.content_sha256,
                doc_type=page_class.doc_type.value if page_class else None,
                confidence=page_class.confidence if page_class else None,
                error=page.error,
                text=page.text,
                marks=[{"kind": m.kind, "value": m.value} for m in page.marks],
            )
        )
    for position, document in enumerate(documents):
        s.add(
            models.DocumentRow(
                application_id=application_id,
                verification_id=verification.id,
                position=position,
                doc_type=document.doc_type.value,
                confidence=document.confidence,
                ocr=document.ocr,
                pages=[ref.as_dict() for ref in document.pages],
                fields=[models.Field(name=k, value=v) for k, v in document.fields.items()],
                rows=[dict(row) for row in document.rows],
            )
        )
    for position, result in enumerate(verdict.requirements):
        s.add(
            models.RequirementResultRow(
                application_id=application_id,
                verification_id=verification.id,
                position=position,
                code=result.code,
                status=result.status.value,
                reasons=list(result.reasons),
                pages=[ref.as_dict() for ref in result.pages],
            )
        )
    application.status = STATUS_VERIFIED
    application.decision = verdict.decision.value
    s.flush()
    return verification.id


def _save_files(
    s: Session,
    application_id: int,
    verification_id: int,
    pages: Sequence[PageText],
    rejected: Sequence[RejectedFile],
    files: Sequence[BundleFile],
) -> dict[str, models.StoredFile]:
    stored: dict[str, models.StoredFile] = {}

    def row(name: str) -> models.StoredFile:
        if name not in stored:
            stored[name] = models.StoredFile(
                application_id=application_id, verification_id=verification_id, name=name
            )
            s.add(stored[name])
        return stored[name]

    for bundle_file in files:
        file_row = row(bundle_file.name)
        file_row.sha256 = hashlib.sha256(bundle_file.data).hexdigest()
        file_row.size = len(bundle_file.data)
        file_row.kind = bundle_file.kind
    for page in pages:
        row(page.ref.file)
    for rejected_file in rejected:
        row(rejected_file.name).rejected_reason = rejected_file.reason
    s.flush()
    return stored


def verification_history(s: Session, application_id: int) -> list[VerificationRecord]:
    rows = s.execute(
        select(models.DecisionRow)
        .where(models.DecisionRow.application_id == application_id)
        .order_by(models.DecisionRow.attempt)
    ).scalars()
    return [
        VerificationRecord(
            id=r.id,
            application_id=r.application_id,
            attempt=r.attempt,
            decision=Decision(r.decision),
            decided_at=r.decided_at,
        )
        for r in rows
    ]


def latest_verdict(s: Session, application_id: int) -> Verdict | None:
    """The verdict of the newest verification attempt, or None before the first."""
    verification = _latest_verification(s, application_id)
    if verification is None:
        return None
    results = s.execute(
        select(models.RequirementResultRow)
        .where(models.RequirementResultRow.verification_id == verification.id)
        .order_by(models.RequirementResultRow.position)
    ).scalars()
    return Verdict(
        decision=Decision(verification.decision),
        requirements=tuple(
            RequirementResult(
                code=r.code,
                status=RequirementStatus(r.status),
                reasons=tuple(r.reasons),
                pages=tuple(_page_ref(p) for p in r.pages),
            )
            for r in results
        ),
        reasons=tuple(verification.reasons),
    )


def latest_documents(s: Session, application_id: int) -> list[Document]:
    """The documents found by the newest verification attempt, fields included."""
    verification = _latest_verification(s, application_id)
    if verification is None:
        return []
    rows = s.execute(
        select(models.DocumentRow)
        .where(models.DocumentRow.verification_id == verification.id)
        .order_by(models.DocumentRow.position)
    ).scalars()
    return [
        Document(
            doc_type=DocType(r.doc_type),
            pages=[_page_ref(p) for p in r.pages],
            confidence=r.confidence,
            ocr=r.ocr,
            fields={f.name: f.value for f in r.fields},
            rows=[dict(row) for row in r.rows],
        )
        for r in rows
    ]


def append_event(
    s: Session,
    application_id: int | None,
    kind: str,
    actor: str,
    detail: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> int:
    """Add one event to the history and return its id. ``detail`` must be JSON-serialisable."""
    event = models.Event(
        application_id=application_id,
        at=at or datetime.now(UTC),
        kind=kind,
        actor=actor,
        detail=dict(detail or {}),
    )
    s.add(event)
    s.flush()
    return event.id


def events_of(s: Session, application_id: int) -> list[EventRecord]:
    rows = s.execute(
        select(models.Event).where(models.Event.application_id == application_id).order_by(models.Event.id)
    ).scalars()
    return [
        EventRecord(
            id=e.id, application_id=e.application_id, at=e.at, kind=e.kind, actor=e.actor, detail=e.detail
        )
        for e in rows
    ]


@dataclass(frozen=True)
class FieldVisitRecord:
    """A recorded field visit. ``visit.team`` holds personal data: never hand it to Prefect."""

    id: int
    visit: FieldVisit
    recorded_at: datetime
    recorded_by: str


def record_field_visit(
    s: Session, application_id: int, visit: FieldVisit, actor: str, *, at: datetime | None = None
) -> FieldVisitRecord:
    """Store a field visit (a correction is recorded as a new visit; the newest counts) and append
    the event ``kunjungan_lapangan_dicatat``, whose detail holds ids and counts only."""
    if visit.application_id != application_id:
        raise ValueError(f"visit of application {visit.application_id} given for application {application_id}")
    _application(s, application_id)
    row = models.FieldVisitRow(
        application_id=application_id,
        visited_on=visit.visited_on,
        team=[{"nama": m.nama, "jabatan": m.jabatan} for m in visit.team],
        scores=dict(visit.scores),
        notes=dict(visit.notes),
        recorded_at=at or datetime.now(UTC),
        recorded_by=actor,
    )
    s.add(row)
    s.flush()
    append_event(
        s,
        application_id,
        "kunjungan_lapangan_dicatat",
        actor,
        {"field_visit_id": row.id, "team_size": len(visit.team), "scored_items": len(visit.scores),
         "noted_items": len(visit.notes)},
        at=row.recorded_at,
    )
    return _field_visit_record(row)


def latest_field_visit(s: Session, application_id: int) -> FieldVisitRecord | None:
    row = s.execute(
        select(models.FieldVisitRow)
        .where(models.FieldVisitRow.application_id == application_id)
        .order_by(models.FieldVisitRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return None if row is None else _field_visit_record(row)


def _field_visit_record(row: models.FieldVisitRow) -> FieldVisitRecord:
    return FieldVisitRecord(
        id=row.id,
        visit=FieldVisit(
            application_id=row.application_id,
            visited_on=row.visited_on,
            team=tuple(VisitTeamMember(nama=m["nama"], jabatan=m["jabatan"]) for m in row.team),
            scores={str(k): int(v) for k, v in row.scores.items()},
            notes={str(k): str(v) for k, v in row.notes.items()},
        ),
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def _application(s: Session, application_id: int) -> models.Application:
    application = s.get(models.Application, application_id)
    if application is None:
        raise LookupError(f"no application with id {application_id}")
    return application


def _application_by_sha(s: Session, bundle_sha256: str) -> models.Application | None:
    return s.execute(
        select(models.Application).where(models.Application.bundle_sha256 == bundle_sha256)
    ).scalar_one_or_none()


def _latest_verification(s: Session, application_id: int) -> models.DecisionRow | None:
    return s.execute(
        select(models.DecisionRow)
        .where(models.DecisionRow.application_id == application_id)
        .order_by(models.DecisionRow.attempt.desc())
        .limit(1)
    ).scalar_one_or_none()


def _manifest_without_pemohon(manifest: Manifest) -> dict[str, Any]:
    return {
        "office": manifest.office,
        "service": manifest.service,
        "variant": manifest.variant,
        "submitted_at": manifest.submitted_at.isoformat(),
        "tempat_praktik": {
            "nama": manifest.tempat_praktik.nama,
            "alamat": manifest.tempat_praktik.alamat,
        },
    }


def _page_ref(data: Mapping[str, Any]) -> PageRef:
    return PageRef(file=str(data["file"]), page=int(data["page"]))


def _record(application: models.Application) -> ApplicationRecord:
    return ApplicationRecord(
        id=application.id,
        nomor_permohonan=application.nomor_permohonan,
        bundle_sha256=application.bundle_sha256,
        office=application.office,
        service=application.service,
        variant=application.variant,
        submitted_at=application.submitted_at,
        received_at=application.received_at,
        status=application.status,
        decision=Decision(application.decision) if application.decision else None,
        original_path=application.original_path,
        nik_masked=application.nik_masked,
    )
