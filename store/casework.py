"""What the review app reads about an office's cases: the queue, an application's pages and files.

Repository-style read functions over a Session (the caller owns the transaction). The applicant's
name is handed out here for the staff app's pages; the clear NIK never is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import models
from store.issuance import IssuedDocumentRecord, documents_of
from store.repository import ApplicationRecord, get_application, verification_history


@dataclass(frozen=True)
class OfficeCase:
    application: ApplicationRecord
    nama: str  # the applicant's name, for the staff's eyes only (never in a URL, a log or Prefect)


@dataclass(frozen=True)
class PageRecord:
    """One page of the newest verification, as read."""

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
    """The pages read by the newest verification, in reading order; empty before the first."""
    history = verification_history(s, application_id)
    if not history:
        return []
    rows = s.execute(
        select(models.Page, models.StoredFile)
        .join(models.StoredFile, models.StoredFile.id == models.Page.file_id)
        .where(models.StoredFile.verification_id == history[-1].id)
        .order_by(models.Page.id)
    ).all()
    return [
        PageRecord(
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
        for page, stored in rows
    ]


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
    return PageSource(
        page_id=page.id,
        application_id=application.id,
        office=application.office,
        original_path=application.original_path,
        file_name=stored.name,
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
