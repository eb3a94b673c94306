"""A case's lifecycle in the store: every transition (and every refused attempt) is an append-only
event; the case's state is the replay of its accepted transitions (``checklists.lifecycle``).

A decision carries an id made when the form was shown: the same decision sent twice (a double
click, a retry) takes effect once, and a decision made on an older view of the case (another clerk
acted meanwhile) is refused instead of applied to a case its maker did not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.lifecycle import (
    NEEDS_REASON,
    Action,
    CaseState,
    CaseStatus,
    IllegalTransition,
    apply,
    initial_state,
    replay,
)
from checklists.model import Role, ServiceChecklist, StageDocument
from store import models, repository

TRANSITION = "transisi"
REFUSED = "transisi_ditolak"


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    state: CaseState
    reason: str = ""  # why it was refused, for the clerk
    event_id: int | None = None
    repeated: bool = False  # the same decision was already taken: nothing new happened


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    role: str
    from_status: str
    to_status: str
    from_step: int | None
    to_step: int | None
    reason: str
    documents: tuple[str, ...]


def case_state(s: Session, application_id: int, checklist: ServiceChecklist) -> CaseState:
    return replay(checklist, [(Action(d["action"]), Role(d["role"])) for d in _accepted(s, application_id)])


def history(s: Session, application_id: int) -> list[HistoryEntry]:
    return [history_entry(e) for e in repository.events_of(s, application_id) if e.kind == TRANSITION]


def history_entry(e: repository.EventRecord) -> HistoryEntry:
    """A transition event as the case's history shows it."""
    return HistoryEntry(
        at=e.at, actor=e.actor, action=e.detail["action"], role=e.detail["role"],
        from_status=e.detail["from"]["status"], to_status=e.detail["to"]["status"],
        from_step=e.detail["from"]["step"], to_step=e.detail["to"]["step"],
        reason=e.detail.get("reason", ""), documents=tuple(e.detail.get("documents", ())),
    )


def act(
    s: Session,
    application_id: int,
    checklist: ServiceChecklist,
    *,
    action: Action,
    role: Role,
    actor: str,
    decision_id: str,
    seen_version: int,
    reason: str = "",
    documents: Sequence[StageDocument] = (),
    at: datetime | None = None,
) -> Outcome:
    """Make the transition if the case allows it for ``role``; record it, or record the refusal.
    ``documents``: those issued with the transition besides the step's own (the receipt of a check);
    ``at``: when it happened, when recorded afterwards (default: now)."""
    lock(s, application_id)
    accepted = _accepted_events(s, application_id)
    for event_id, detail in accepted:
        if detail.get("decision_id") == decision_id:
            return Outcome(True, case_state(s, application_id, checklist), event_id=event_id, repeated=True)
    state = replay(checklist, [(Action(d["action"]), Role(d["role"])) for _, d in accepted])
    try:
        if seen_version != state.version:
            raise IllegalTransition("permohonan ini telah diproses petugas lain; muat ulang halaman lalu putuskan lagi")
        if action in NEEDS_REASON and not reason.strip():
            raise IllegalTransition("alasan wajib diisi")
        transition = apply(checklist, state, action, role)
    except IllegalTransition as refused:
        record_refusal(s, application_id, action=action, role=role, actor=actor, decision_id=decision_id,
                       reason=str(refused), state=state)
        return Outcome(False, state, str(refused))
    produced = [transition.produces] if transition.produces else []
    detail = {
        "action": action.value, "role": role.value, "decision_id": decision_id, "reason": reason.strip(),
        "from": _state_json(transition.from_state), "to": _state_json(transition.to_state),
        "documents": [d.value for d in dict.fromkeys([*produced, *documents])],
    }
    event_id = repository.append_event(s, application_id, TRANSITION, actor, detail, at=at)
    _application(s, application_id).status = _status_of(transition.to_state)
    return Outcome(True, transition.to_state, event_id=event_id)


def record_refusal(s: Session, application_id: int, *, action: Action, role: Role, actor: str, decision_id: str,
                   reason: str, state: CaseState) -> None:
    """Record a refused decision (``reason``: why, for the clerk); the case does not change."""
    detail = {"action": action.value, "role": role.value, "decision_id": decision_id, "reason": reason,
              "state": _state_json(state)}
    repository.append_event(s, application_id, REFUSED, actor, detail)


def start(s: Session, application_id: int, checklist: ServiceChecklist) -> CaseState:
    """The state of a case that just passed intake; marks the application as with the office."""
    state = initial_state(checklist)
    _application(s, application_id).status = _status_of(state)
    return state


def _status_of(state: CaseState) -> str:
    if state.status == CaseStatus.diproses and state.signed:
        return "terbit"
    return state.status.value


def _state_json(state: CaseState) -> dict[str, Any]:
    return {"status": state.status.value, "step": state.step, "signed": state.signed, "version": state.version}


def _accepted(s: Session, application_id: int) -> list[dict[str, Any]]:
    return [d for _, d in _accepted_events(s, application_id)]


def _accepted_events(s: Session, application_id: int) -> list[tuple[int, dict[str, Any]]]:
    return [(e.id, e.detail) for e in repository.events_of(s, application_id) if e.kind == TRANSITION]


def _application(s: Session, application_id: int) -> models.Application:
    application = s.get(models.Application, application_id)
    if application is None:
        raise LookupError(f"permohonan {application_id} tidak ada")
    return application


def lock(s: Session, application_id: int) -> None:
    """Serialise decisions on one case (PostgreSQL row lock; SQLite's BEGIN IMMEDIATE already does)."""
    found = s.execute(
        select(models.Application.id).where(models.Application.id == application_id).with_for_update()
    ).scalar_one_or_none()
    if found is None:
        raise LookupError(f"permohonan {application_id} tidak ada")
