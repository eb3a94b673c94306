"""Officers' decisions on a case, one transaction each: a transition of the case's lifecycle
(``store.cases.act``) together with the documents it produces, or nothing at all; and the officers'
own results on single requirements of the bundle's check.

Plain functions over the store (no Prefect): the review app calls them within its request.

A decision's documents are rendered and signed before its transaction commits. A document that
cannot be made (``DocumentError``: the case lacks what the document prints, said in an Indonesian
sentence) or signed (``PkiError``) undoes the transition and its numbers; the refusal is then
recorded with that reason, which the clerk reads. So a case never reaches a step without the
documents its procedure issues on the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from checklists.lifecycle import (
    ACTION_LABEL,
    NEEDS_REASON,
    Action,
    CaseState,
    CaseStatus,
    Transition,
    allowed_actions,
    apply,
    current_step,
    office_steps,
)
from checklists.load import load_service
from checklists.model import Role, ServiceChecklist, Stage, StageDocument, Step
from flows.issuance import (
    case_facts,
    issue_in,
    officer_decision,
    record_officer_decision,
    record_requirement_override,
)
from izinflow.demo_case import content_for, label
from izinflow.domain import Decision, RequirementStatus
from renderers.document_inputs import Content, Koreksi, Penolakan
from renderers.documents import DocumentError
from store import cases, repository
from store.db import session_scope
from store.issuance import IssuedDocumentRecord, documents_of

S = RequirementStatus
# Bundles the check hands to the office; an incomplete or unreadable one goes back to the applicant.
TO_THE_OFFICE = frozenset({Decision.complete, Decision.review})
OVERRIDE_STATUSES = (S.met, S.invalid, S.missing)
# Printed inside the berita acara of the visit, never issued on their own.
_NOT_ISSUED_ALONE = frozenset({StageDocument.lembar_penilaian_kesesuaian, StageDocument.rekap_penilaian})
_OPEN = frozenset({S.review, S.missing, S.invalid})
REPEATED = "Keputusan ini sudah diproses sebelumnya; tidak ada yang diubah."


class NotPermitted(Exception):
    """The user's role may not make this decision on the case now; nothing was changed or recorded."""


@dataclass(frozen=True)
class DecisionResult:
    accepted: bool
    message: str  # for the clerk
    repeated: bool = False
    documents: tuple[IssuedDocumentRecord, ...] = ()


class _Undo(Exception):
    """A document of an accepted transition could not be issued: the transaction must not commit."""


def in_lifecycle(s: Session, record: repository.ApplicationRecord, checklist: ServiceChecklist) -> bool:
    """Whether the case waits on the office's steps: the service has some and the check handed the
    bundle over (or the case has moved already)."""
    if not office_steps(checklist):
        return False
    return record.decision in TO_THE_OFFICE or bool(cases.history(s, record.id))


def issued_with(checklist: ServiceChecklist, transition: Transition) -> tuple[StageDocument, ...]:
    """The documents ``transition`` issues, in order: finishing the first check issues the receipt
    (tanda terima), leaving the check stage the berita acara of the check (every check step's
    corrections printed in it); then the step's own document (return letter, refusal, product...)."""
    kinds: list[StageDocument] = []
    step = current_step(checklist, transition.from_state)
    if transition.action == Action.teruskan and step is not None and step.stage == Stage.pemeriksaan_berkas:
        if step.number == office_steps(checklist)[0].number:
            kinds.append(StageDocument.tanda_terima_berkas)
        following = current_step(checklist, transition.to_state)
        if following is None or following.stage != Stage.pemeriksaan_berkas:
            kinds.append(StageDocument.berita_acara_pemeriksaan_berkas)
    if transition.produces is not None and transition.produces not in _NOT_ISSUED_ALONE:
        kinds.append(transition.produces)
    return tuple(dict.fromkeys(kinds))


def open_requirements(s: Session, application_id: int, checklist: ServiceChecklist) -> list[str]:
    """The requirements still waiting for an officer (review) or failing (missing, invalid), after the
    officers' corrections: their titles."""
    verdict = repository.latest_verdict(s, application_id)
    if verdict is None:
        return ["hasil pemeriksaan berkas"]
    history = repository.verification_history(s, application_id)
    _, koreksi = officer_decision(s, application_id, history[-1].attempt)
    by_code = {k.code: k.status for k in koreksi}
    titles = {r.code: r.title for r in checklist.requirements}
    return [titles.get(r.code, r.code) for r in verdict.requirements if by_code.get(r.code, r.status) in _OPEN]


def decide(
    engine: Engine,
    application_id: int,
    *,
    action: Action,
    role: str,
    actor: str,
    decision_id: str,
    seen_version: int,
    reason: str,
    tanggal: date,
    home: Path,
) -> DecisionResult:
    """Make ``action`` on the case as ``actor`` (a user of ``role``) and issue what it produces, dated
    ``tanggal``; raises NotPermitted (nothing recorded) when the role may not take the action now."""
    from izinflow.pki import PkiError  # pyHanko: loaded only by callers that sign

    reason = reason.strip()
    try:
        with session_scope(engine) as s:
            cases.lock(s, application_id)
            if _taken(s, application_id, decision_id, actor):
                return DecisionResult(True, REPEATED, repeated=True)
            checklist, state = _lifecycle(s, application_id)
            who = _role(role)
            if allowed_actions(checklist, state).get(action) != who:
                raise NotPermitted(action.value)
            if seen_version == state.version and (reason or action not in NEEDS_REASON):
                problem = _precondition(s, application_id, checklist, state, action)
                if problem:
                    cases.record_refusal(s, application_id, action=action, role=who, actor=actor,
                                         decision_id=decision_id, reason=problem, state=state)
                    return DecisionResult(False, problem)
            kinds = issued_with(checklist, apply(checklist, state, action, who))
            outcome = cases.act(s, application_id, checklist, action=action, role=who, actor=actor,
                                decision_id=decision_id, seen_version=seen_version, reason=reason, documents=kinds)
            if not outcome.accepted:
                return DecisionResult(False, _sentence(outcome.reason))
            if _finishes_first_check(checklist, state, action):
                _, koreksi = officer_decision(s, application_id, _attempt(s, application_id))
                record_officer_decision(s, application_id, koreksi, actor,
                                        note=reason or "berkas dinyatakan lengkap dan benar")
            try:
                issued = tuple(_issue(s, application_id, kind, reason, tanggal, home) for kind in kinds)
            except (DocumentError, PkiError) as failed:
                raise _Undo(str(failed)) from failed
    except _Undo as undo:
        with session_scope(engine) as s:
            cases.record_refusal(s, application_id, action=action, role=who, actor=actor, decision_id=decision_id,
                                 reason=str(undo), state=state)
        return DecisionResult(False, _sentence(f"{ACTION_LABEL[action]} dibatalkan: {undo}"))
    done = f"{ACTION_LABEL[action]}: tersimpan."
    if issued:
        done += " Diterbitkan: " + ", ".join(f"{label(d.kind, checklist)} Nomor {d.nomor_surat}" for d in issued) + "."
    return DecisionResult(True, done, documents=issued)


def override_requirement(
    engine: Engine,
    application_id: int,
    *,
    code: str,
    status: RequirementStatus,
    reason: str,
    role: str,
    actor: str,
    officer_name: str,
    decision_id: str,
) -> DecisionResult:
    """Accept or override one requirement of the bundle's check, with the reason; only by the role of
    the check step the case waits at (raises NotPermitted otherwise, nothing recorded)."""
    reason = reason.strip()
    with session_scope(engine) as s:
        cases.lock(s, application_id)
        checklist, state = _lifecycle(s, application_id)
        step = current_step(checklist, state)
        if not may_override(checklist, state, role) or step is None:
            raise NotPermitted("koreksi")
        verdict = repository.latest_verdict(s, application_id)
        found = next((r for r in verdict.requirements if r.code == code), None) if verdict else None
        if found is None or found.status == S.not_required:
            return DecisionResult(False, "Persyaratan itu tidak ada pada hasil pemeriksaan berkas ini.")
        if status not in OVERRIDE_STATUSES:
            return DecisionResult(False, "Pilih status persyaratan: terpenuhi, tidak sesuai atau tidak ada.")
        if not reason:
            return DecisionResult(False, "Alasan wajib diisi.")
        title = next((r.title for r in checklist.requirements if r.code == code), code)
        _, koreksi = officer_decision(s, application_id, _attempt(s, application_id))
        if status == next((k.status for k in koreksi if k.code == code), found.status):
            return DecisionResult(False, f"Status {title} sudah demikian; tidak ada yang diubah.")
        recorded = record_requirement_override(s, application_id, Koreksi(code, status, reason, officer_name), actor,
                                               decision_id=decision_id)
    if not recorded:
        return DecisionResult(True, REPEATED, repeated=True)
    return DecisionResult(True, f"Keputusan atas persyaratan {title} tersimpan.")


def may_override(checklist: ServiceChecklist, state: CaseState, role: str) -> bool:
    """Requirements are decided at a check step, by that step's role."""
    step = current_step(checklist, state)
    return (state.status == CaseStatus.diproses and step is not None and step.stage == Stage.pemeriksaan_berkas
            and step.role.value == role)


def start_case(s: Session, application_id: int) -> bool:
    """The case of a bundle the check handed to the office starts at the procedure's first office step
    (once: a case that moved already keeps its state); False when it does not wait on the office."""
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    checklist = load_service(record.office, record.service)
    if record.decision not in TO_THE_OFFICE or not office_steps(checklist) or cases.history(s, application_id):
        return False
    cases.start(s, application_id, checklist)
    return True


# --- inside a decision ---------------------------------------------------------------------------------


def _lifecycle(s: Session, application_id: int) -> tuple[ServiceChecklist, CaseState]:
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    checklist = load_service(record.office, record.service)
    if not in_lifecycle(s, record, checklist):
        raise NotPermitted("di luar proses petugas")
    return checklist, cases.case_state(s, application_id, checklist)


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise NotPermitted(role) from None


def _taken(s: Session, application_id: int, decision_id: str, actor: str) -> bool:
    """The actor sent this decision before (another's decision id goes through the role check)."""
    return any(e.kind == cases.TRANSITION and e.detail.get("decision_id") == decision_id and e.actor == actor
               for e in repository.events_of(s, application_id))


def _attempt(s: Session, application_id: int) -> int:
    history = repository.verification_history(s, application_id)
    return history[-1].attempt if history else 0


def _first_check(checklist: ServiceChecklist) -> Step | None:
    first = office_steps(checklist)[0]
    return first if first.stage == Stage.pemeriksaan_berkas else None


def _finishes_first_check(checklist: ServiceChecklist, state: CaseState, action: Action) -> bool:
    first = _first_check(checklist)
    return action == Action.teruskan and first is not None and state.step == first.number


def _precondition(s: Session, application_id: int, checklist: ServiceChecklist, state: CaseState,
                  action: Action) -> str:
    """Why the decision cannot be made on the case as it stands ("" when it can)."""
    step = current_step(checklist, state)
    if action == Action.teruskan and step is not None and step.stage == Stage.pemeriksaan_berkas:
        still_open = open_requirements(s, application_id, checklist)
        if still_open:
            return ("Berkas belum dapat diteruskan: putuskan dahulu persyaratan berikut (terima dengan alasan, "
                    "atau kembalikan berkas kepada pemohon): " + "; ".join(still_open) + ".")
    return ""


def _issue(s: Session, application_id: int, kind: StageDocument, reason: str, tanggal: date,
           home: Path) -> IssuedDocumentRecord:
    content: Content
    if kind == StageDocument.surat_penolakan:
        content = Penolakan((reason,))
    else:
        content = content_for(kind, case_facts(s, application_id), tanggal)
    issued_before = sum(1 for d in documents_of(s, application_id) if d.kind == kind)
    return issue_in(s, application_id, kind, content, tanggal=tanggal, home=home, round=issued_before + 1)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."

