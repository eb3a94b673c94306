"""Which Prefect flow run carries each case, and the last decision on it: what the review app needs
to resume a case's run. Ids only (Prefect's run id, the decision's id), never personal data."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import models, repository
from store.cases import TRANSITION


def record_run(s: Session, application_id: int, flow_run_id: UUID, *, at: datetime | None = None) -> bool:
    """Remember ``flow_run_id`` as the case's run; False when it was recorded already (the same run
    returned again by Prefect for the same idempotency key)."""
    if s.execute(select(models.CaseRun.id).where(models.CaseRun.flow_run_id == str(flow_run_id))).first():
        return False
    try:
        with s.begin_nested():
            s.add(models.CaseRun(application_id=application_id, flow_run_id=str(flow_run_id),
                                 created_at=at or datetime.now(UTC)))
    except IntegrityError:  # recorded meanwhile by another process
        return False
    return True


def latest_run(s: Session, application_id: int) -> UUID | None:
    """The case's newest run, or None when it never had one."""
    found = s.execute(
        select(models.CaseRun.flow_run_id).where(models.CaseRun.application_id == application_id)
        .order_by(models.CaseRun.id.desc()).limit(1)
    ).scalar_one_or_none()
    return UUID(found) if found else None


def runs_recorded(s: Session, application_id: int) -> int:
    return s.execute(
        select(func.count()).select_from(models.CaseRun).where(models.CaseRun.application_id == application_id)
    ).scalar_one()


def application_of(s: Session, flow_run_id: UUID) -> int | None:
    return s.execute(
        select(models.CaseRun.application_id).where(models.CaseRun.flow_run_id == str(flow_run_id))
    ).scalar_one_or_none()


def in_process(s: Session) -> list[int]:
    """The applications whose case is with the office (waiting at a step, the permit signed or not)."""
    return list(s.execute(
        select(models.Application.id).where(models.Application.status.in_(("diproses", "terbit")))
        .order_by(models.Application.id)
    ).scalars())


def last_decision_id(s: Session, application_id: int) -> str | None:
    """The id of the last decision that moved the case (None before the first)."""
    ids = [e.detail.get("decision_id") for e in repository.events_of(s, application_id) if e.kind == TRANSITION]
    return ids[-1] if ids else None
