"""The office's cases: the work queue, the case page, page images and issued documents.

Every lookup is by numeric id and limited to the signed-in user's office: another office's case,
page or document answers 404, exactly as one that does not exist. Files are read from the paths
the store keeps, never from anything in the request.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRouter
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from checklists.load import ChecklistError, load_service
from checklists.model import ServiceChecklist
from flows.decisions import OVERRIDE_STATUSES
from izinflow.domain import Document, Verdict
from izinflow.privacy import mask_nik, redact
from store import accounts, casework, repository
from store.db import session_scope
from store.issuance import IssuedDocumentRecord, documents_of
from web.actions import lifecycle_panel
from web.auth import FILE_ROLES, may_see_files, require_roles
from web.context import app_context, render, signed_in
from web.flash import forget_flash, take_flash
from web.labels import ROLE_LABEL
from web.queue import DueState, case_due, queue_rows, waiting_for_role
from web.thumbnails import PageImageUnavailable, page_png

router = APIRouter()
SignedIn = Annotated[accounts.SignedIn, Depends(signed_in)]
MayOpenFiles = Annotated[accounts.SignedIn, Depends(require_roles(FILE_ROLES))]
_FILE_HEADERS = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MINE, ALL = "saya", "semua"  # the queue's views: the user's own work, every case of the office
QUEUE_VIEWS = (MINE, ALL)


@dataclass(frozen=True)
class RequirementRow:
    code: str
    title: str
    status: str
    reasons: tuple[str, ...]
    page_ids: tuple[int, ...]


@dataclass(frozen=True)
class DocumentRow:
    doc_type: str
    title: str
    confidence: float
    ocr: bool
    fields: tuple[tuple[str, str], ...]
    rows: tuple[dict[str, str], ...]
    page_ids: tuple[int, ...]


@dataclass(frozen=True)
class CaseView:
    application: repository.ApplicationRecord
    nama: str
    service_name: str
    variant_name: str
    due: DueState
    verdict_reasons: tuple[str, ...]
    requirements: tuple[RequirementRow, ...]
    documents: tuple[DocumentRow, ...]
    pages: tuple[casework.PageRecord, ...]
    events: tuple[repository.EventRecord, ...]
    issued: tuple[IssuedDocumentRecord, ...]
    page_labels: dict[int, str] = field(default_factory=dict)
    type_titles: dict[str, str] = field(default_factory=dict)  # document type -> the service's requirement title


@router.get("/")
def queue(request: Request, current: SignedIn, status: str = "", lihat: str = "") -> Response:
    """The work queue: by default the cases waiting at a step of the user's role ("Menunggu saya");
    ``lihat=semua`` (or a status filter) every case of the office."""
    context = app_context(request)
    view = lihat if lihat in QUEUE_VIEWS else (ALL if status or current.user.role == accounts.OPERATOR else MINE)
    with session_scope(context.engine) as s:
        cases = casework.office_cases(s, current.user.office)
        timelines = casework.case_timelines(s, [c.application.id for c in cases])
        statuses = casework.office_statuses(s, current.user.office)
    rows = queue_rows(cases, context.clock(), timelines)
    mine = waiting_for_role(rows, current.user.role)
    shown = mine if view == MINE else [r for r in rows if not status or r.application.status == status]
    return render(request, "antrian.html", {
        "rows": shown, "statuses": statuses, "status": status if view == ALL else "", "view": view,
        "mine": len(mine), "everything": len(rows), "overdue": sum(r.due.terlambat for r in shown),
        "role_name": ROLE_LABEL.get(current.user.role, current.user.role),
    })


@router.get("/permohonan/{application_id}")
def case_page(request: Request, current: SignedIn, application_id: int) -> Response:
    context = app_context(request)
    with session_scope(context.engine) as s:
        application = _own_application(s, current, application_id)
        view = _case_view(s, application, context.clock())
        panel = lifecycle_panel(s, application, current.user.role)
    response = render(request, "permohonan.html", {
        "case": view, "may_see_files": may_see_files(current), "event_detail": event_detail, "panel": panel,
        "flash": take_flash(request), "action_url": f"/permohonan/{application.id}/tindakan",
        "override_url": f"/permohonan/{application.id}/persyaratan",
        "OVERRIDE_STATUSES": [s.value for s in OVERRIDE_STATUSES],
    })
    forget_flash(request, response)
    return response


@router.get("/berkas/halaman/{page_id}.png")
async def page_image(request: Request, current: MayOpenFiles, page_id: int) -> Response:
    context = app_context(request)

    def load() -> bytes:
        with session_scope(context.engine) as s:
            source = casework.page_source(s, page_id)
        if source is None or source.office != current.user.office:
            raise HTTPException(status_code=404)
        try:
            return page_png(source, context.page_cache)
        except PageImageUnavailable as exc:
            raise HTTPException(status_code=404, detail=f"Gambar halaman tidak tersedia: {exc}.") from exc

    png = await run_in_threadpool(load)
    return Response(png, media_type="image/png", headers=_FILE_HEADERS)


@router.get("/dokumen/{document_id}.pdf")
def issued_pdf(request: Request, current: MayOpenFiles, document_id: int) -> Response:
    context = app_context(request)
    with session_scope(context.engine) as s:
        document = casework.issued_document(s, document_id)
    if document is None or document.office != current.user.office:
        raise HTTPException(status_code=404)
    try:
        data = document.path.read_bytes()
    except OSError as exc:
        raise HTTPException(status_code=404, detail="Berkas dokumen tidak ditemukan di arsip.") from exc
    if hashlib.sha256(data).hexdigest() != document.sha256:
        # The archived file is not the one issued: never hand it out as if it were.
        raise HTTPException(status_code=409, detail="Berkas dokumen di arsip tidak sama dengan yang diterbitkan.")
    name = _UNSAFE_IN_FILE_NAME.sub("-", f"{document.kind.value}_{document.nomor_surat}").strip("-")
    return Response(data, media_type="application/pdf", headers={
        **_FILE_HEADERS, "Content-Disposition": f'attachment; filename="{name}.pdf"',
    })


def _own_application(s: Session, current: accounts.SignedIn, application_id: int) -> repository.ApplicationRecord:
    application = repository.get_application(s, application_id)
    if application is None or application.office != current.user.office:
        raise HTTPException(status_code=404)
    return application


def _case_view(s: Session, application: repository.ApplicationRecord, now: datetime) -> CaseView:
    try:
        service: ServiceChecklist | None = load_service(application.office, application.service)
    except (ChecklistError, ValueError):
        service = None
    titles = {r.code: r.title for r in service.requirements} if service else {}
    pages = casework.latest_pages(s, application.id)
    page_id = {(p.file_name, p.page_number): p.id for p in pages}
    verdict = repository.latest_verdict(s, application.id)
    variant = next((v.name for v in service.variants if v.code == application.variant), None) if service else None
    return CaseView(
        application=application,
        nama=casework.applicant_name(s, application.id) or "-",
        service_name=service.name if service else application.service,
        variant_name=variant or application.variant,
        due=case_due(application, casework.case_timelines(s, [application.id])[application.id], now, service),
        verdict_reasons=tuple(redact(r) for r in verdict.reasons) if verdict else (),
        requirements=_requirements(verdict, titles, page_id),
        documents=tuple(_document(d, titles, page_id) for d in repository.latest_documents(s, application.id)),
        pages=tuple(pages),
        events=tuple(repository.events_of(s, application.id)),
        issued=tuple(documents_of(s, application.id)),
        page_labels={p.id: f"{p.file_name} hlm. {p.page_number}" for p in pages},
        type_titles=titles,
    )


def _requirements(
    verdict: Verdict | None, titles: dict[str, str], page_id: dict[tuple[str, int], int]
) -> tuple[RequirementRow, ...]:
    if verdict is None:
        return ()
    return tuple(
        RequirementRow(
            code=r.code,
            title=titles.get(r.code, r.code.replace("_", " ")),
            status=r.status.value,
            reasons=tuple(redact(reason) for reason in r.reasons),
            page_ids=tuple(page_id[(p.file, p.page)] for p in r.pages if (p.file, p.page) in page_id),
        )
        for r in verdict.requirements
    )


def _document(document: Document, titles: dict[str, str], page_id: dict[tuple[str, int], int]) -> DocumentRow:
    return DocumentRow(
        doc_type=document.doc_type.value,
        title=titles.get(document.doc_type.value, document.doc_type.value.replace("_", " ")),
        confidence=document.confidence,
        ocr=document.ocr,
        fields=tuple((name, shown_field(name, value)) for name, value in document.fields.items()),
        rows=tuple({k: redact(str(v)) for k, v in row.items()} for row in document.rows),
        page_ids=tuple(page_id[(p.file, p.page)] for p in document.pages if (p.file, p.page) in page_id),
    )


def shown_field(name: str, value: str) -> str:
    """A read field as the page shows it: a NIK masked, any other 16-digit number too."""
    return mask_nik(value) if "nik" in name.lower().split("_") else redact(value)


def event_detail(detail: dict[str, Any]) -> str:
    """An event's detail on one line, with any NIK-like number masked."""
    return redact("; ".join(f"{key}: {value}" for key, value in detail.items()))
