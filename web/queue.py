"""The work queue: each case's deadline as of now, who it waits for, and the order the staff work in
(oldest deadline first).

Pure functions over the store's records and the checklists; the routes read the store and call these.

The deadline clock follows the case's lifecycle (``checklists.deadlines`` counts it):

- it starts when the bundle is accepted as complete: by the system's check (``complete``; a first
  bundle from its submission, a resubmission from its check), or by the officer who forwards the
  first check of a bundle the check left to a person (``review``);
- it stops while the bundle is back with the applicant (returned by an officer or by the check);
- it runs again when the bundle is accepted as complete once more (a complete resubmission, or the
  first check forwarded again);
- it ends when the case does (every step done, or refused).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from checklists.calendar import MissingCalendarYear, load_calendar
from checklists.deadlines import CaseEvent, Deadline, EventKind, compute_deadline
from checklists.lifecycle import (
    RETURNS,
    Action,
    CaseState,
    CaseStatus,
    IllegalTransition,
    current_step,
    office_steps,
    replay,
)
from checklists.load import ChecklistError, load_office, load_service
from checklists.model import Role, ServiceChecklist
from flows.decisions import TO_THE_OFFICE
from izinflow.domain import Decision
from renderers.dates import format_tanggal
from store.casework import CaseTimeline, OfficeCase
from store.repository import ApplicationRecord

UNIT_LABEL = {"hari_kerja": "hari kerja", "hari": "hari", "jam": "jam"}
RETURNED_TEXT = "berhenti: berkas dikembalikan"
_ENDED = frozenset({CaseStatus.selesai.value, CaseStatus.ditolak.value})


@dataclass(frozen=True)
class DueState:
    """A case's deadline as shown: ``text`` is the due date or why there is none yet."""

    text: str
    due_date: date | None = None
    due_at: datetime | None = None
    terlambat: bool = False
    late_by: int = 0  # in ``unit``, when terlambat
    unit: str = "hari_kerja"

    @property
    def late_text(self) -> str:
        return f"terlambat {self.late_by} {UNIT_LABEL.get(self.unit, self.unit)}" if self.terlambat else ""


@dataclass(frozen=True)
class Waiting:
    """The office step a case waits at and the role that performs it."""

    step: int
    role: Role


@dataclass(frozen=True)
class QueueRow:
    application: ApplicationRecord
    nama: str
    service_name: str
    variant_name: str
    due: DueState
    waiting: Waiting | None = None  # None: the case waits on no office role


def case_state(application: ApplicationRecord, timeline: CaseTimeline, service: ServiceChecklist) -> CaseState | None:
    """The case's lifecycle state, or None while it is not with the office's steps (not checked yet, sent
    back by a check that recorded no return, a service handled in OSS)."""
    if not office_steps(service) or not (application.decision in TO_THE_OFFICE or timeline.transitions):
        return None
    try:
        return replay(service, [(Action(t.action), Role(t.role)) for t in timeline.transitions])
    except (IllegalTransition, ValueError):
        return None


def waiting_at(service: ServiceChecklist, state: CaseState | None) -> Waiting | None:
    """The office step the case waits at (``checklists.lifecycle.current_step``), and its role."""
    step = current_step(service, state) if state is not None else None
    if state is None or state.status != CaseStatus.diproses or step is None or step not in office_steps(service):
        return None
    return Waiting(step.number, step.role)


def clock_events(application: ApplicationRecord, timeline: CaseTimeline,
                 service: ServiceChecklist | None = None) -> list[CaseEvent]:
    """The deadline clock's events of a case, from its checks and its lifecycle transitions (see the
    module's docstring)."""
    first_check = next(iter(office_steps(service)), None) if service else None
    moments: list[tuple[datetime, str]] = []
    for attempt in timeline.attempts:
        if attempt.decision is Decision.complete:
            moments.append((application.submitted_at if attempt.attempt == 1 else attempt.decided_at, "accept"))
    for t in timeline.transitions:
        if t.action in RETURNS:
            moments.append((t.at, "stop"))
        elif (t.action == Action.teruskan.value and first_check is not None and t.from_step == first_check.number
              and t.from_status == CaseStatus.diproses.value):
            moments.append((t.at, "accept"))
        if t.to_status in _ENDED:
            moments.append((t.at, "end"))
    events: list[CaseEvent] = []
    running = False
    for at, what in sorted(moments, key=lambda m: m[0]):
        kind: EventKind | None = None
        if what == "accept" and not running:
            kind, running = ("lengkap" if not events else "diajukan_ulang"), True
        elif what == "stop" and running:
            kind, running = "dikembalikan", False
        elif what == "end" and running:
            kind, running = "selesai", False
        if kind is not None:
            events.append(CaseEvent(kind, at))
        if what == "end":
            break
    return events


def due_state(
    application: ApplicationRecord,
    now: datetime,
    *,
    service: ServiceChecklist | None,
    events: Sequence[CaseEvent],
    returned: bool,
) -> DueState:
    """The deadline of ``application`` as of ``now``, its clock moved by ``events``; ``returned``: the
    bundle is back with the applicant."""
    if not events:
        return DueState(RETURNED_TEXT if returned else "mulai setelah berkas dinyatakan lengkap")
    try:
        service = service or load_service(application.office, application.service)
        office = load_office(application.office)
        deadline = compute_deadline(
            service.sla, [(str(s.stage), s.days) for s in service.stages], events, now=now,
            calendar=load_calendar(application.office), tz=ZoneInfo(office.timezone),
        )
    except (MissingCalendarYear, ChecklistError, ValueError):
        return DueState("-")
    return _shown(deadline)


def case_due(application: ApplicationRecord, timeline: CaseTimeline, now: datetime,
             service: ServiceChecklist | None) -> DueState:
    """The deadline of a case whose checks and transitions are ``timeline``."""
    state = case_state(application, timeline, service) if service else None
    returned = (state.status == CaseStatus.dikembalikan if state is not None
                else application.decision in (Decision.incomplete, Decision.unreadable))
    return due_state(application, now, service=service, events=clock_events(application, timeline, service),
                     returned=returned)


def _shown(deadline: Deadline) -> DueState:
    late_by = max(1, deadline.days_used - deadline.days) if deadline.terlambat else 0
    if deadline.due_at is not None:
        text = deadline.due_at.strftime("%d-%m-%Y %H:%M")
    elif deadline.due_date is not None:
        text = format_tanggal(deadline.due_date)
    elif deadline.returned:
        text = RETURNED_TEXT
    else:
        text = "-"
    if deadline.finished:
        text = f"selesai ({text})"
    return DueState(text, deadline.due_date, deadline.due_at, deadline.terlambat, late_by, deadline.unit)


def queue_rows(cases: Sequence[OfficeCase], now: datetime,
               timelines: Mapping[int, CaseTimeline] | None = None) -> list[QueueRow]:
    """The office's cases with their deadlines and who they wait for, oldest deadline first; cases whose
    clock does not run (waiting for a check, back with the applicant) follow, oldest received first."""
    rows = []
    for case in cases:
        application = case.application
        try:
            service: ServiceChecklist | None = load_service(application.office, application.service)
        except (ChecklistError, ValueError):
            service = None
        variant = next((v.name for v in service.variants if v.code == application.variant), None) if service else None
        timeline = (timelines or {}).get(application.id, CaseTimeline())
        state = case_state(application, timeline, service) if service else None
        rows.append(QueueRow(
            application=application,
            nama=case.nama,
            service_name=service.name if service else application.service,
            variant_name=variant or application.variant,
            due=case_due(application, timeline, now, service),
            waiting=waiting_at(service, state) if service else None,
        ))
    return sorted(rows, key=_order)


def waiting_for_role(rows: Sequence[QueueRow], role: str) -> list[QueueRow]:
    """The cases whose current step is ``role``'s: the user's own work, in the queue's order."""
    return [r for r in rows if r.waiting is not None and r.waiting.role.value == role]


def _order(row: QueueRow) -> tuple[bool, date, datetime, int]:
    due = row.due
    moment = due.due_at or row.application.received_at
    return (due.due_date is None, due.due_date or date.max, moment, row.application.id)
