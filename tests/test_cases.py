"""Decisions on a case in the store: taken once, refused (and recorded) when not allowed, serialised."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from checklists.lifecycle import Action, CaseStatus
from checklists.load import load_service
from checklists.model import Role
from store import cases, models, repository
from store.db import session_scope
from tests.test_issuance import register

RHL = load_service("rokan-hilir", "sip-perekam-medis")


def decide(s: Session, app: int, action: Action, role: Role, *, reason: str = "", decision: str | None = None,
           seen: int | None = None) -> cases.Outcome:
    version = cases.case_state(s, app, RHL).version if seen is None else seen
    return cases.act(s, app, RHL, action=action, role=role, actor=f"{role.value}-1", reason=reason,
                     decision_id=decision or uuid.uuid4().hex, seen_version=version)


def test_a_case_walks_to_issued_and_its_history_says_who_did_what(session: Session) -> None:
    app = register(session, "walk")
    cases.start(session, app, RHL)
    for action, role in [(Action.teruskan, Role.back_office), (Action.teruskan, Role.penata_perizinan_ahli_muda),
                         (Action.setujui, Role.penata_perizinan_ahli_madya), (Action.beri_nomor, Role.back_office),
                         (Action.tandatangani, Role.kepala_dinas)]:
        assert decide(session, app, action, role).accepted
    assert session.get(models.Application, app).status == "terbit"
    steps = cases.history(session, app)
    assert [(h.actor, h.action, h.from_step, h.to_step) for h in steps] == [
        ("back_office-1", "teruskan", 4, 5), ("penata_perizinan_ahli_muda-1", "teruskan", 5, 6),
        ("penata_perizinan_ahli_madya-1", "setujui", 6, 7), ("back_office-1", "beri_nomor", 7, 8),
        ("kepala_dinas-1", "tandatangani", 8, 9)]
    assert steps[-1].documents == ("izin",)


def test_the_same_decision_sent_twice_takes_effect_once(session: Session) -> None:
    app = register(session, "twice")
    first = decide(session, app, Action.teruskan, Role.back_office, decision="klik-1", seen=0)
    again = decide(session, app, Action.teruskan, Role.back_office, decision="klik-1", seen=0)
    assert first.accepted and again.accepted and again.repeated and again.event_id == first.event_id
    assert cases.case_state(session, app, RHL).version == 1 and len(cases.history(session, app)) == 1


def test_a_decision_on_an_older_view_is_refused_and_recorded(session: Session) -> None:
    app = register(session, "stale")
    assert decide(session, app, Action.teruskan, Role.back_office, seen=0).accepted
    late = decide(session, app, Action.kembalikan, Role.back_office, reason="KTP buram", seen=0)
    assert not late.accepted and "petugas lain" in late.reason
    refused = [e for e in repository.events_of(session, app) if e.kind == cases.REFUSED]
    assert len(refused) == 1 and refused[0].detail["action"] == "kembalikan"
    assert cases.case_state(session, app, RHL).step == 5


def test_a_role_the_step_does_not_name_is_refused_and_nothing_changes(session: Session) -> None:
    app = register(session, "role")
    outcome = decide(session, app, Action.teruskan, Role.kepala_dinas)
    assert not outcome.accepted and "Back Office" in outcome.reason
    assert cases.case_state(session, app, RHL).version == 0 and cases.history(session, app) == []
    assert [e.kind for e in repository.events_of(session, app)][-1] == cases.REFUSED


def test_returning_or_refusing_needs_a_reason(session: Session) -> None:
    app = register(session, "reason")
    assert decide(session, app, Action.kembalikan, Role.back_office).reason == "alasan wajib diisi"
    back = decide(session, app, Action.kembalikan, Role.back_office, reason="STR sudah tidak berlaku")
    assert back.accepted and back.state.status == CaseStatus.dikembalikan
    assert session.get(models.Application, app).status == "dikembalikan"


def test_two_clerks_deciding_at_once_give_one_decision(engine: Engine) -> None:
    with session_scope(engine) as s:
        app = register(s, f"race-{uuid.uuid4().hex}")
    barrier = threading.Barrier(4)
    outcomes: list[cases.Outcome] = []

    def clerk(n: int) -> None:
        barrier.wait()
        with session_scope(engine) as s:
            outcomes.append(cases.act(s, app, RHL, action=Action.teruskan, role=Role.back_office, actor=f"bo-{n}",
                                      decision_id=f"clerk-{n}", seen_version=0))

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.accepted for o in outcomes) == [False, False, False, True]
    with session_scope(engine) as s:
        assert cases.case_state(s, app, RHL).version == 1
        assert len([e for e in repository.events_of(s, app) if e.kind == cases.REFUSED]) == 3

