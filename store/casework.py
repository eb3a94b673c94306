"""What the review app reads about an office's cases: the queue, an application's pages and files.

Repository-style read functions over a Session (the caller owns the transaction). The applicant's
name is handed out here for the staff app's pages; the clear NIK never is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from izinflow.domain import Decision
from store import models
from store.cases import TRANSITION, HistoryEntry, history_entry
from store.issuance import IssuedDocumentRecord, documents_of
from store.repository import (
    ApplicationRecord,
    EventRecord,
    VerificationRecord,
    get_application,
    verification_history,
)
from store.resubmissions import checked_by, name_in_bundle


@dataclass(frozen=True)
class OfficeCase:
    application: ApplicationRecord
    nama: str  # the applicant's name, for the staff's eyes only (never in a URL, a log or Prefect)


@dataclass(frozen=True)
class PageRecord:
    """One page the newest verification stands on, as read."""

    id: int
    file_name: str
    file_kind: str | None
    page_number: int
    ocr: bool
    rotation: int
    ocr_confidence: float | None
    doc_type: str | None
    confidence: float | None
    error: str | None


@dataclass(frozen=True)
class PageSource:
    """Where a page's image comes from: the application's original bundle, one file, one page."""

    page_id: int
    application_id: int
    office: str
    original_path: str
    file_name: str
    file_kind: str | None
    page_number: int
    rotation: int
    content_sha256: str


def office_cases(s: Session, office: str, *, status: str | None = None) -> list[OfficeCase]:
    """The applications of ``office`` (optionally only those in ``status``), oldest received first."""
    query = (
        select(models.Application, models.Pemohon.nama)
        .join(models.Pemohon, models.Pemohon.application_id == models.Application.id)
        .where(models.Application.office == office)
        .order_by(models.Application.received_at, models.Application.id)
    )
    if status:
        query = query.where(models.Application.status == status)
    cases = []
    for application, nama in s.execute(query).all():
        record = get_application(s, application.id)  # from the identity map: no second query
        if record is not None:
            cases.append(OfficeCase(record, nama))
    return cases


@dataclass(frozen=True)
class CaseTimeline:
    """What moves a case's deadline clock: its verification attempts and its lifecycle transitions."""

    attempts: tuple[VerificationRecord, ...] = ()
    transitions: tuple[HistoryEntry, ...] = ()


def case_timelines(s: Session, application_ids: Sequence[int]) -> dict[int, CaseTimeline]:
    """The timelines of many cases at once (two queries, whatever their number), by application id."""
    ids = list(application_ids)
    if not ids:
        return {}
    attempts: dict[int, list[VerificationRecord]] = {i: [] for i in ids}
    transitions: dict[int, list[HistoryEntry]] = {i: [] for i in ids}
    for row in s.execute(select(models.DecisionRow).where(models.DecisionRow.application_id.in_(ids))
                         .order_by(models.DecisionRow.application_id, models.DecisionRow.attempt)).scalars():
        attempts[row.application_id].append(VerificationRecord(
            id=row.id, application_id=row.application_id, attempt=row.attempt, decision=Decision(row.decision),
            decided_at=row.decided_at,
        ))
    for event in s.execute(select(models.Event).where(models.Event.application_id.in_(ids),
                                                      models.Event.kind == TRANSITION)
                           .order_by(models.Event.id)).scalars():
        assert event.application_id is not None
        transitions[event.application_id].append(history_entry(EventRecord(
            id=event.id, application_id=event.application_id, at=event.at, kind=event.kind, actor=event.actor,
            detail=event.detail,
        )))
    return {i: CaseTimeline(tuple(attempts[i]), tuple(transitions[i])) for i in ids}


def office_statuses(s: Session, office: str) -> list[str]:
    """The statuses the office's applications are in now, for the queue's filter."""
    return sorted(s.execute(
        select(models.Application.status).where(models.Application.office == office).distinct()
    ).scalars())


def applicant_name(s: Session, application_id: int) -> str | None:
    return s.execute(
        select(models.Pemohon.nama).where(models.Pemohon.application_id == application_id)
    ).scalar_one_or_none()


def latest_pages(s: Session, application_id: int) -> list[PageRecord]:
    """The pages the newest verification stands on, in reading order: those it read, then those of
    earlier attempts its documents and requirements carry (a resubmission reads only its new files);
    empty before the first."""
    history = verification_history(s, application_id)
    if not history:
        return []
    rows = s.execute(
        select(models.Page, models.StoredFile)
        .join(models.StoredFile, models.StoredFile.id == models.Page.file_id)
        .where(models.StoredFile.application_id == application_id)
        .order_by(models.Page.id)
    ).all()
    newest = history[-1].id
    own = [(page, stored) for page, stored in rows if stored.verification_id == newest]
    seen = {(stored.name, page.page_number) for page, stored in own}
    wanted = _refs_of(s, newest) - seen
    attempt_of = {v.id: v.attempt for v in history}
    carried: dict[tuple[str, int], tuple[models.Page, models.StoredFile]] = {}
    for page, stored in sorted(rows, key=lambda row: attempt_of.get(row[1].verification_id, 0), reverse=True):
        ref = (stored.name, page.page_number)
        if ref in wanted and ref not in carried:  # the newest earlier reading of that page
            carried[ref] = (page, stored)
    return [_page_record(page, stored) for page, stored in
            [*own, *sorted(carried.values(), key=lambda row: row[0].id)]]


def _refs_of(s: Session, verification_id: int) -> set[tuple[str, int]]:
    """The pages a verification's documents and requirement results refer to."""
    lists = [*s.execute(select(models.DocumentRow.pages).where(models.DocumentRow.verification_id == verification_id))
             .scalars(),
             *s.execute(select(models.RequirementResultRow.pages)
                        .where(models.RequirementResultRow.verification_id == verification_id)).scalars()]
    return {(str(ref["file"]), int(ref["page"])) for pages in lists for ref in pages}


def _page_record(page: models.Page, stored: models.StoredFile) -> PageRecord:
    return PageRecord(
        id=page.id,
        file_name=stored.name,
        file_kind=stored.kind,
        page_number=page.page_number,
        ocr=page.ocr,
        rotation=page.rotation,
        ocr_confidence=page.ocr_confidence,
        doc_type=page.doc_type,
        confidence=page.confidence,
        error=page.error,
    )


def page_source(s: Session, page_id: int) -> PageSource | None:
    found = s.execute(
        select(models.Page, models.StoredFile, models.Application)
        .join(models.StoredFile, models.StoredFile.id == models.Page.file_id)
        .join(models.Application, models.Application.id == models.StoredFile.application_id)
        .where(models.Page.id == page_id)
    ).one_or_none()
    if found is None:
        return None
    page, stored, application = found
    # A resubmission's page is drawn from the resubmission's bundle, under the file's name there.
    resubmission = checked_by(s, stored.verification_id)
    return PageSource(
        page_id=page.id,
        application_id=application.id,
        office=application.office,
        original_path=resubmission.original_path if resubmission else application.original_path,
        file_name=name_in_bundle(resubmission.sequence, stored.name) if resubmission else stored.name,
        file_kind=stored.kind,
        page_number=page.page_number,
        rotation=page.rotation,
        content_sha256=page.content_sha256,
    )


def issued_document(s: Session, document_id: int) -> IssuedDocumentRecord | None:
    application_id = s.execute(
        select(models.IssuedDocument.application_id).where(models.IssuedDocument.id == document_id)
    ).scalar_one_or_none()
    if application_id is None:
        return None
    return next((d for d in documents_of(s, application_id) if d.id == document_id), None)
