"""The officers' decisions on a case page: the lifecycle panel (where the case waits, who acts, what the
signed-in user may do now), the decision history, and the two forms' endpoints.

Every form carries a decision id made when the page was drawn (one per form) and the version of
the case the user saw: the same form sent twice takes effect once, and a decision made on a view
another officer has since changed is refused. A role that may not make a decision gets 403 and
nothing is changed or recorded (``flows.decisions.NotPermitted``); a decision the role may make but
the case does not allow yet (a stale view, a missing reason, a document that cannot be issued) is
refused with the reason, recorded, and shown on the case page.

In served mode a recorded decision then resumes the case's suspended Prefect run, after the response
and on a best-effort basis: the decision is in the store whatever happens to the resume, and a resume
that did not arrive is made by `izinflow kasus lanjutkan` or by the case's next decision.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRouter
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from checklists.lifecycle import (
    ACTION_LABEL,
    NEEDS_REASON,
    Action,
    CaseState,
    CaseStatus,
    allowed_actions,
    current_step,
    office_steps,
)
from checklists.load import ChecklistError, load_office, load_service
from checklists.model import OfficeProfile, ServiceChecklist, StageDocument
from flows import case_runs, decisions
from flows.issuance import officer_decision
from izinflow.demo_case import label as document_label
from izinflow.domain import RequirementStatus
from izinflow.privacy import redact
from renderers.document_inputs import Koreksi
from store import accounts, cases, repository
from store.db import session_scope
from web import labels
from web.context import app_context, signed_in
from web.flash import set_flash

router = APIRouter()
SignedIn = Annotated[accounts.SignedIn, Depends(signed_in)]
log = logging.getLogger(__name__)
_DECISION_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
NOT_PERMITTED = "Peran Anda tidak berwenang mengambil tindakan ini pada tahap ini."
# Seconds a resume waits for a case run that read the store just before the decision to suspend.
RESUME_PATIENCE = 15.0
# The buttons that send the bundle away or end the case are drawn apart from the one that moves it on.
_AWAY = frozenset({Action.kembalikan, Action.tolak})


@dataclass(frozen=True)
class ActionForm:
    action: str
    label: str
    needs_reason: bool
    away: bool
    decision_id: str


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: str
    action: str
    from_text: str
    to_text: str
    reason: str
    documents: tuple[str, ...]


@dataclass(frozen=True)
class LifecyclePanel:
    in_office: bool  # the case waits on the office's steps
    note: str  # why not, or what happens meanwhile
    status: str  # the store's status code (labels.STATUS_LABEL)
    version: int = 0
    step_number: int | None = None
    step_text: str = ""
    step_role: str = ""  # the label of the role that acts now
    actions: tuple[ActionForm, ...] = ()
    may_override: bool = False
    override_ids: dict[str, str] = field(default_factory=dict)  # requirement code -> decision id
    koreksi: dict[str, Koreksi] = field(default_factory=dict)  # requirement code -> the officers' decision
    history: tuple[HistoryRow, ...] = ()


def lifecycle_panel(s: Session, application: repository.ApplicationRecord, role: str) -> LifecyclePanel:
    """What the case page shows of the case's lifecycle to a user of ``role``."""
    koreksi = _koreksi(s, application.id)
    try:
        checklist = load_service(application.office, application.service)
    except (ChecklistError, ValueError):
        return LifecyclePanel(False, "Layanan permohonan ini tidak dikenal.", application.status, koreksi=koreksi)
    history = _history(s, application.id, checklist)
    if not decisions.in_lifecycle(s, application, checklist):
        return LifecyclePanel(False, _outside_note(application, checklist), application.status, koreksi=koreksi,
                              history=history)
    state = cases.case_state(s, application.id, checklist)
    step = current_step(checklist, state)
    forms = tuple(
        ActionForm(action.value, ACTION_LABEL[action], action in NEEDS_REASON, action in _AWAY, _new_id())
        for action, who in allowed_actions(checklist, state).items() if who.value == role
    )
    may_override = decisions.may_override(checklist, state, role)
    verdict = repository.latest_verdict(s, application.id) if may_override else None
    return LifecyclePanel(
        in_office=True,
        note=_state_note(state),
        status=_status(state),
        version=state.version,
        step_number=step.number if step and state.status == CaseStatus.diproses else None,
        step_text=" ".join(step.text.split()) if step else "",
        step_role=labels.label(labels.ROLE_LABEL, step.role.value) if step else "",
        actions=forms,
        may_override=may_override,
        override_ids={r.code: _new_id() for r in verdict.requirements} if verdict else {},
        koreksi=koreksi,
        history=history,
    )


@router.post("/permohonan/{application_id}/tindakan")
def take_action(
    request: Request,
    current: SignedIn,
    application_id: int,
    action: Annotated[str, Form()],
    decision_id: Annotated[str, Form()],
    seen_version: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    context = app_context(request)
    try:
        chosen = Action(action)
    except ValueError:
        raise HTTPException(status_code=400, detail="Tindakan tidak dikenal.") from None
    _check_decision_id(decision_id)
    office = _own_office(context.engine, current, application_id)
    tanggal = context.clock().astimezone(ZoneInfo(office.timezone)).date()
    try:
        result = decisions.decide(
            context.engine, application_id, action=chosen, role=current.user.role, actor=current.user.username,
            decision_id=decision_id, seen_version=seen_version, reason=reason[:2000], tanggal=tanggal,
            home=context.home,
        )
    except decisions.NotPermitted:
        log.warning("tindakan %s pada permohonan %d ditolak untuk peran %s", chosen.value, application_id,
                    current.user.role)
        raise HTTPException(status_code=403, detail=NOT_PERMITTED) from None
    response = _back(request, application_id, result)
    if result.accepted and case_runs.served():
        response.background = BackgroundTask(resume_case_run, context.engine, application_id)
    return response


def resume_case_run(engine: Engine, application_id: int) -> None:
    """Resume the case's Prefect run after a recorded decision; a failure is logged, never raised."""
    try:
        case_runs.resume_case(engine, application_id, patience=RESUME_PATIENCE)
    except Exception:
        log.warning("run kasus permohonan %d belum dilanjutkan; izinflow kasus lanjutkan akan melanjutkannya",
                    application_id, exc_info=True)


@router.post("/permohonan/{application_id}/persyaratan")
def override_requirement(
    request: Request,
    current: SignedIn,
    application_id: int,
    code: Annotated[str, Form()],
    status: Annotated[str, Form()],
    decision_id: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    context = app_context(request)
    try:
        chosen = RequirementStatus(status)
    except ValueError:
        raise HTTPException(status_code=400, detail="Status persyaratan tidak dikenal.") from None
    _check_decision_id(decision_id)
    _own_office(context.engine, current, application_id)
    try:
        result = decisions.override_requirement(
            context.engine, application_id, code=code[:64], status=chosen, reason=reason[:2000],
            role=current.user.role, actor=current.user.username, officer_name=current.user.nama,
            decision_id=decision_id,
        )
    except decisions.NotPermitted:
        log.warning("koreksi persyaratan pada permohonan %d ditolak untuk peran %s", application_id,
                    current.user.role)
        raise HTTPException(status_code=403, detail=NOT_PERMITTED) from None
    return _back(request, application_id, result)


# --- helpers -----------------------------------------------------------------------------------------


def _back(request: Request, application_id: int, result: decisions.DecisionResult) -> Response:
    page = f"/permohonan/{application_id}"
    response = RedirectResponse(page, status_code=303)
    set_flash(request, response, page=page, ok=result.accepted, text=result.message)
    return response


def _check_decision_id(decision_id: str) -> None:
    if not _DECISION_ID.match(decision_id):
        raise HTTPException(status_code=400, detail="Formulir tidak lengkap. Muat ulang halaman, lalu coba lagi.")


def _own_office(engine: Engine, current: accounts.SignedIn, application_id: int) -> OfficeProfile:
    """The case's office profile; 404 for a case of another office or none at all."""
    with session_scope(engine) as s:
        application = repository.get_application(s, application_id)
    if application is None or application.office != current.user.office:
        raise HTTPException(status_code=404)
    return load_office(application.office)


def _new_id() -> str:
    return str(uuid.uuid4())


def _koreksi(s: Session, application_id: int) -> dict[str, Koreksi]:
    history = repository.verification_history(s, application_id)
    if not history:
        return {}
    _, koreksi = officer_decision(s, application_id, history[-1].attempt)
    return {k.code: k for k in koreksi}


def _status(state: CaseState) -> str:
    return "terbit" if state.status == CaseStatus.diproses and state.signed else state.status.value


def _state_note(state: CaseState) -> str:
    if state.status == CaseStatus.dikembalikan:
        return "Berkas dikembalikan kepada pemohon; permohonan menunggu berkas perbaikan dari pemohon."
    if state.status == CaseStatus.ditolak:
        return "Permohonan ditolak."
    if state.status == CaseStatus.selesai:
        return "Semua langkah petugas selesai; izin telah diserahkan dan diarsipkan."
    return ""


def _outside_note(application: repository.ApplicationRecord, checklist: ServiceChecklist) -> str:
    if not office_steps(checklist):
        return ("Permohonan layanan ini diproses di OSS: pemeriksaan, persetujuan dan penerbitan izinnya "
                "dilakukan melalui sistem OSS, bukan di aplikasi ini.")
    if application.decision is None:
        return "Berkas belum selesai diverifikasi sistem."
    return "Berkas belum lengkap atau tidak terbaca dan telah dikembalikan kepada pemohon dengan surat pengembalian."


def _history(s: Session, application_id: int, checklist: ServiceChecklist) -> tuple[HistoryRow, ...]:
    names: dict[str, str] = {}
    rows = []
    for entry in cases.history(s, application_id):
        if entry.actor not in names:
            user = accounts.find_user(s, entry.actor)
            names[entry.actor] = (f"{user.nama} ({labels.label(labels.ROLE_LABEL, user.role)})" if user
                                  else entry.actor)
        rows.append(HistoryRow(
            at=entry.at,
            actor=names[entry.actor],
            action=ACTION_LABEL.get(Action(entry.action), entry.action),
            from_text=_where(checklist, entry.from_status, entry.from_step),
            to_text=_where(checklist, entry.to_status, entry.to_step),
            reason=redact(entry.reason),
            documents=tuple(document_label(StageDocument(d), checklist) for d in entry.documents),
        ))
    return tuple(rows)


def _where(checklist: ServiceChecklist, status: str, step_number: int | None) -> str:
    if status == CaseStatus.diproses.value and step_number is not None:
        step = next((s for s in checklist.procedure if s.number == step_number), None)
        who = labels.label(labels.ROLE_LABEL, step.role.value) if step else ""
        return f"langkah {step_number} ({who})" if who else f"langkah {step_number}"
    return labels.label(labels.STATUS_LABEL, status)
