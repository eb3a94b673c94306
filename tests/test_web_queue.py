"""The work queues per role: "Menunggu saya" (the cases at a step of the user's role, the default) and
"Semua", oldest deadline first, the overdue marked; the deadline clock follows the case's lifecycle
(it starts when the bundle is accepted as complete, stops while it is back with the applicant, runs
again on a resubmission, ends with the case)."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from web_support import QUICK_HASHER, Clock, login, make_user

from checklists.calendar import load_calendar
from checklists.deadlines import CaseEvent
from checklists.lifecycle import Action, allowed_actions
from checklists.load import load_service
from checklists.model import Role
from flows.decisions import start_case
from izinflow.domain import (
    Decision,
    Manifest,
    Pemohon,
    RequirementResult,
    RequirementStatus,
    TempatPraktik,
    Verdict,
)
from store import accounts, cases, repository
from store.casework import CaseTimeline
from store.db import session_scope
from store.repository import VerificationRecord
from web import create_app
from web.queue import clock_events

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=WIB)  # a Thursday
RHL = load_service("rokan-hilir", "sip-perekam-medis")
CALENDAR = load_calendar("rokan-hilir")
NAMA = "SITI AMINAH"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", QUICK_HASHER)


def wib(day: int, month: int = 12, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WIB)


def due_after(day0: date, working_days: int) -> date:
    """The ``working_days``-th working day after day 0."""
    day, left = day0, working_days
    while left:
        day += timedelta(days=1)
        left -= CALENDAR.is_working_day(day)
    return day


def register(engine: Engine, label: str, decision: Decision, submitted: datetime, *,
             office: str = "rokan-hilir") -> int:
    """A received application checked with ``decision`` when it was submitted, its case started."""
    manifest = Manifest(office=office, service="sip-perekam-medis", variant="baru" if office == "rokan-hilir"
                        else "fasyankes", submitted_at=submitted, pemohon=Pemohon(nama=NAMA, nik="1407015203900002"),
                        tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"))
    status = {Decision.complete: RequirementStatus.met, Decision.review: RequirementStatus.review,
              Decision.incomplete: RequirementStatus.missing}[decision]
    with session_scope(engine) as s:
        record, _ = repository.register_application(
            s, bundle_sha256=hashlib.sha256(f"antrian-{label}-{uuid.uuid4()}".encode()).hexdigest(),
            manifest=manifest, original_path=f"/var/originals/{label}", office_prefix="ANT",
            received_at=submitted.astimezone(UTC),
        )
        repository.save_verification(s, record.id, pages=[], classes=[], documents=[], rejected=[],
                                     verdict=Verdict(decision, (RequirementResult("ktp", status),)),
                                     decided_at=submitted + timedelta(minutes=5))
        start_case(s, record.id)
    return record.id


def act(engine: Engine, application: int, action: Action, at: datetime, role: Role | None = None) -> None:
    """``action`` on the case at ``at``, by the role that may take it."""
    with session_scope(engine) as s:
        state = cases.case_state(s, application, RHL)
        who = role or allowed_actions(RHL, state)[action]
        outcome = cases.act(s, application, RHL, action=action, role=who, actor=f"{who.value}.uji",
                            decision_id=str(uuid.uuid4()), seen_version=state.version, reason="uji antrian", at=at)
    assert outcome.accepted, outcome.reason


def resubmit_complete(engine: Engine, application: int, at: datetime) -> None:
    """The applicant's new files were checked complete at ``at`` and the case came back to the first check."""
    with session_scope(engine) as s:
        repository.save_verification(s, application, pages=[], classes=[], documents=[], rejected=[],
                                     verdict=Verdict(Decision.complete, (RequirementResult("ktp",
                                                                                           RequirementStatus.met),)),
                                     decided_at=at)
    act(engine, application, Action.ajukan_ulang, at, Role.pemohon)


@dataclass(frozen=True)
class Office:
    engine: Engine
    home: Path
    late: int  # complete on 23 November, waiting for the back office: overdue
    fresh: int  # complete on 9 December, waiting for the back office
    resubmitted: int  # complete 16 November, returned the next day, complete again on 8 December
    forwarded: int  # left to a person; the back office forwarded it on 1 December: at the Ahli Muda
    returned: int  # complete 24 November, returned the next day: with the applicant
    finished: int  # complete 30 November, handed over on 2 December
    unchecked: int  # received, not checked yet
    other_office: int  # Bontang


@pytest.fixture(scope="module")
def office(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Office:
    late = register(engine, "late", Decision.complete, wib(23, 11, 9))
    fresh = register(engine, "fresh", Decision.complete, wib(9, 12, 9))
    resubmitted = register(engine, "resubmitted", Decision.complete, wib(16, 11, 9))
    act(engine, resubmitted, Action.kembalikan, wib(17, 11))
    resubmit_complete(engine, resubmitted, wib(8))
    forwarded = register(engine, "forwarded", Decision.review, wib(20, 11, 9))
    act(engine, forwarded, Action.teruskan, wib(1))
    returned = register(engine, "returned", Decision.complete, wib(24, 11, 9))
    act(engine, returned, Action.kembalikan, wib(25, 11))
    finished = register(engine, "finished", Decision.complete, wib(30, 11, 9))
    while True:
        with session_scope(engine) as s:
            state = cases.case_state(s, finished, RHL)
        moves = [a for a in allowed_actions(RHL, state) if a not in (Action.kembalikan, Action.tolak)]
        if not moves:
            break
        act(engine, finished, moves[0], wib(2))
    with session_scope(engine) as s:
        unchecked, _ = repository.register_application(
            s, bundle_sha256=hashlib.sha256(f"antrian-unchecked-{uuid.uuid4()}".encode()).hexdigest(),
            manifest=Manifest(office="rokan-hilir", service="sip-perekam-medis", variant="baru",
                              submitted_at=wib(10, 12, 8), pemohon=Pemohon(nama=NAMA, nik="1407015203900002")),
            original_path="/var/originals/unchecked", office_prefix="ANT", received_at=wib(10, 12, 8),
        )
    other = register(engine, "other", Decision.complete, wib(20, 11, 9), office="bontang")
    return Office(engine, tmp_path_factory.mktemp("antrian-home"), late, fresh, resubmitted, forwarded, returned,
                  finished, unchecked.id, other)


def client_for(office: Office, role: str, where: str = "rokan-hilir") -> Iterator[TestClient]:
    with TestClient(create_app(office.engine, office.home, clock=Clock(NOW.astimezone(UTC)))) as client:
        assert login(client, make_user(office.engine, role, where)).status_code == 303
        yield client


@pytest.fixture
def back_office(office: Office) -> Iterator[TestClient]:
    yield from client_for(office, "back_office")


@pytest.fixture
def ahli_muda(office: Office) -> Iterator[TestClient]:
    yield from client_for(office, "penata_perizinan_ahli_muda")


def listed(engine: Engine, html: str) -> list[int]:
    """The applications of the queue's rows, in order."""
    with session_scope(engine) as s:
        ids = {}
        for number in re.findall(r"ANT-\d{4}-\d{6}", html):
            record = repository.get_application(s, number)
            assert record is not None
            ids.setdefault(number, record.id)
    return list(ids.values())


def row_of(html: str, engine: Engine, application: int) -> str:
    with session_scope(engine) as s:
        record = repository.get_application(s, application)
    assert record is not None
    return next(r for r in re.findall(r"<tr.*?</tr>", html, flags=re.S) if record.nomor_permohonan in r)


def test_my_queue_is_the_default_and_holds_the_cases_at_my_roles_step(office: Office, back_office: TestClient) -> None:
    page = back_office.get("/")
    assert page.status_code == 200 and 'class="chip on">Menunggu saya (3)' in page.text
    # Oldest deadline first: due 27 November (overdue), 11 December (its clock paused), 15 December.
    assert listed(office.engine, page.text) == [office.late, office.resubmitted, office.fresh]
    late = row_of(page.text, office.engine, office.late)
    assert 'class="is-late"' in late and "terlambat" in late and "27 November 2026" in late
    assert "1 terlambat" in page.text


def test_each_role_sees_its_own_work(office: Office, ahli_muda: TestClient) -> None:
    page = ahli_muda.get("/").text
    assert listed(office.engine, page) == [office.forwarded]
    assert "langkah 5" in page


def test_a_role_with_nothing_waiting_is_told_so(office: Office) -> None:
    for client in client_for(office, "kepala_dinas"):
        page = client.get("/").text
        assert listed(office.engine, page) == [] and "Tidak ada permohonan yang menunggu tindakan" in page
        assert "/?lihat=semua" in page


def test_everything_lists_every_case_of_the_office_by_deadline(office: Office, back_office: TestClient) -> None:
    page = back_office.get("/?lihat=semua").text
    shown = listed(office.engine, page)
    assert set(shown) == {office.late, office.fresh, office.resubmitted, office.forwarded, office.returned,
                          office.finished, office.unchecked}
    assert office.other_office not in shown
    # The running and finished clocks by due date, then those without one (the returned case came in first).
    assert shown == [office.late, office.finished, office.forwarded, office.resubmitted, office.fresh,
                     office.returned, office.unchecked]
    filtered = listed(office.engine, back_office.get("/?status=dikembalikan").text)
    assert filtered == [office.returned]


def test_the_operator_watches_everything_by_default(office: Office) -> None:
    for client in client_for(office, "operator"):
        assert len(listed(office.engine, client.get("/").text)) == 7


def test_the_clock_starts_when_an_officer_accepts_a_bundle_left_to_a_person(office: Office,
                                                                           back_office: TestClient) -> None:
    row = row_of(back_office.get("/?lihat=semua").text, office.engine, office.forwarded)
    due = due_after(date(2026, 12, 1), 4)  # from the forwarding, not from the submission on 20 November
    assert f"{due.day} Desember 2026" in row and 'class="is-late"' in row


def test_the_clock_stops_while_returned_and_runs_again_on_resubmission(office: Office,
                                                                      back_office: TestClient) -> None:
    page = back_office.get("/?lihat=semua").text
    returned = row_of(page, office.engine, office.returned)
    assert "berhenti: berkas dikembalikan" in returned and "is-late" not in returned
    # Day 0 was 16 November; 17 November (the return) counted; 8 December is day 0 again: 3 days to go.
    resubmitted = row_of(page, office.engine, office.resubmitted)
    due = due_after(date(2026, 12, 8), 3)
    assert f"{due.day} Desember 2026" in resubmitted and "is-late" not in resubmitted
    case_page = back_office.get(f"/permohonan/{office.resubmitted}").text
    assert f"{due.day} Desember 2026" in case_page


def test_the_clock_stops_when_the_case_is_done(office: Office, back_office: TestClient) -> None:
    row = row_of(back_office.get("/?lihat=semua").text, office.engine, office.finished)
    due = due_after(date(2026, 11, 30), 4)
    assert f"selesai ({due.day} Desember 2026)" in row and "is-late" not in row


# --- the clock's events (pure) ---------------------------------------------------------------------------


def _attempt(n: int, decision: Decision, at: datetime) -> VerificationRecord:
    return VerificationRecord(id=n, application_id=1, attempt=n, decision=decision, decided_at=at)


def _move(action: Action, at: datetime, from_step: int | None = 4, to_status: str = "diproses") -> cases.HistoryEntry:
    return cases.HistoryEntry(at=at, actor="x", action=action.value, role="back_office", from_status="diproses",
                              to_status=to_status, from_step=from_step, to_step=None, reason="", documents=())


def test_clock_events_follow_the_lifecycle(office: Office) -> None:
    with session_scope(office.engine) as s:
        application = repository.get_application(s, office.late)
    assert application is not None
    submitted = application.submitted_at
    # Incomplete at first, returned by the check, complete on resubmission: the clock starts then.
    timeline = CaseTimeline((_attempt(1, Decision.incomplete, wib(1)), _attempt(2, Decision.complete, wib(3))),
                            (_move(Action.kembalikan_otomatis, wib(1)), _move(Action.ajukan_ulang, wib(3))))
    assert clock_events(application, timeline, RHL) == [CaseEvent("lengkap", wib(3))]
    # Complete, returned by an officer, complete again, then refused.
    timeline = CaseTimeline(
        (_attempt(1, Decision.complete, submitted), _attempt(2, Decision.complete, wib(4))),
        (_move(Action.kembalikan, wib(2)), _move(Action.ajukan_ulang, wib(4)), _move(Action.teruskan, wib(5)),
         _move(Action.tolak, wib(7), 5, "ditolak")),
    )
    assert clock_events(application, timeline, RHL) == [
        CaseEvent("lengkap", submitted), CaseEvent("dikembalikan", wib(2)), CaseEvent("diajukan_ulang", wib(4)),
        CaseEvent("selesai", wib(7)),
    ]
    # Left to a person: the officer's forwarding of the first check starts it, a later step's does not.
    timeline = CaseTimeline((_attempt(1, Decision.review, submitted),),
                            (_move(Action.teruskan, wib(2)), _move(Action.teruskan, wib(3), 5)))
    assert clock_events(application, timeline, RHL) == [CaseEvent("lengkap", wib(2))]
