"""The work queue: each case's deadline as of now, and the order the staff work in (oldest deadline first).

Pure functions over the store's records and the checklists; the routes read the store and call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from checklists.calendar import MissingCalendarYear, load_calendar
from checklists.deadlines import CaseEvent, Deadline, compute_deadline
from checklists.load import ChecklistError, load_office, load_service
from checklists.model import ServiceChecklist
from izinflow.domain import Decision
from renderers.dates import format_tanggal
from store.casework import OfficeCase
from store.repository import ApplicationRecord

UNIT_LABEL = {"hari_kerja": "hari kerja", "hari": "hari", "jam": "jam"}


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
class QueueRow:
    application: ApplicationRecord
    nama: str
    service_name: str
    variant_name: str
    due: DueState


def clock_events(application: ApplicationRecord) -> list[CaseEvent]:
    """The clock's events of a case, as ``izinflow.tables.due_text`` reads them today: a bundle
    verified complete runs from its submission; one sent back (incomplete, unreadable) or waiting for
    a person's check has no running clock yet."""
    if application.decision is Decision.complete:
        return [CaseEvent("lengkap", application.submitted_at)]
    return []


def due_state(
    application: ApplicationRecord,
    now: datetime,
    *,
    service: ServiceChecklist | None = None,
    events: Sequence[CaseEvent] | None = None,
) -> DueState:
    """The deadline of ``application`` as of ``now`` (``events`` default to :func:`clock_events`)."""
    events = clock_events(application) if events is None else events
    if not events:
        if application.decision in (Decision.incomplete, Decision.unreadable):
            return DueState("berhenti: berkas dikembalikan")
        return DueState("mulai setelah berkas dinyatakan lengkap")
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


def _shown(deadline: Deadline) -> DueState:
    late_by = max(1, deadline.days_used - deadline.days) if deadline.terlambat else 0
    if deadline.due_at is not None:
        text = deadline.due_at.strftime("%d-%m-%Y %H:%M")
    elif deadline.due_date is not None:
        text = format_tanggal(deadline.due_date)
    elif deadline.returned:
        text = "berhenti: berkas dikembalikan"
    else:
        text = "-"
    if deadline.finished:
        text = f"selesai ({text})"
    return DueState(text, deadline.due_date, deadline.due_at, deadline.terlambat, late_by, deadline.unit)


def queue_rows(cases: Sequence[OfficeCase], now: datetime) -> list[QueueRow]:
    """The office's cases with their deadlines, oldest deadline first; cases whose clock does not run
    (waiting for a check, back with the applicant) follow, oldest received first."""
    rows = []
    for case in cases:
        application = case.application
        try:
            service = load_service(application.office, application.service)
        except (ChecklistError, ValueError):
            service = None
        variant = next((v.name for v in service.variants if v.code == application.variant), None) if service else None
        rows.append(QueueRow(
            application=application,
            nama=case.nama,
            service_name=service.name if service else application.service,
            variant_name=variant or application.variant,
            due=due_state(application, now, service=service),
        ))
    return sorted(rows, key=_order)


def _order(row: QueueRow) -> tuple[bool, date, datetime, int]:
    due = row.due
    moment = due.due_at or row.application.received_at
    return (due.due_date is None, due.due_date or date.max, moment, row.application.id)
