"""The case flow: a run per case, suspended at each officer's step (who it waits for shown in Prefect,
no personal data), resumed by the app after a recorded decision, done when the case is."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from checklists.lifecycle import Action, CaseState, CaseStatus, allowed_actions, apply, initial_state, office_steps
from checklists.load import load_catalogue, load_service
from checklists.model import Role, ServiceChecklist
from flows.case import (
    OUTSIDE,
    CaseDecision,
    Waiting,
    case_view,
    key_version,
    pause_key,
    resume_note,
    run_name,
    run_tags,
    waiting_for,
    waiting_text,
)
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
from store import case_runs, cases, repository
from store.db import make_engine, migrate, session_scope

WIB = timezone(timedelta(hours=7))
NAMA = "SITI AMINAH, A.Md.RMIK"
NIK = "1407015203900002"
RHL = load_service("rokan-hilir", "sip-perekam-medis")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('case-db') / 'izinflow.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


def register(engine: Engine, label: str, decision: Decision = Decision.complete) -> int:
    """A received Rokan Hilir SIP application, checked with ``decision``, its case started."""
    manifest = Manifest(
        office="rokan-hilir", service="sip-perekam-medis", variant="baru",
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=WIB), pemohon=Pemohon(nama=NAMA, nik=NIK),
        tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"),
    )
    status = RequirementStatus.missing if decision == Decision.incomplete else RequirementStatus.met
    requirements = tuple(RequirementResult(r.code, status) for r in RHL.requirements_for("baru"))
    with session_scope(engine) as s:
        record, _ = repository.register_application(
            s, bundle_sha256=hashlib.sha256(label.encode()).hexdigest(), manifest=manifest,
            original_path=f"/var/originals/{label}", office_prefix="KAS",
            received_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        )
        repository.save_verification(s, record.id, pages=[], classes=[], documents=[],
                                     verdict=Verdict(decision, requirements), rejected=[])
        start_case(s, record.id)
    return record.id


def _finish(checklist: ServiceChecklist, state: CaseState) -> tuple[Action, Role]:
    """The action that completes the step the case waits at, and its role."""
    return next((a, r) for a, r in allowed_actions(checklist, state).items()
                if a not in (Action.kembalikan, Action.tolak))


# --- what a run waits for -------------------------------------------------------------------------------


def test_a_case_waits_for_each_office_step_in_procedure_order_and_then_for_no_one() -> None:
    for service in (s for office in load_catalogue().services.values() for s in office.values()):
        steps = office_steps(service)
        if not steps:
            continue
        state, seen = initial_state(service), []
        while (waiting := waiting_for(service, state)) is not None:
            assert waiting.version == state.version
            seen.append((waiting.step, waiting.role))
            state = apply(service, state, *_finish(service, state)).to_state
        assert seen == [(s.number, s.role) for s in steps], service.name
        assert state.status == CaseStatus.selesai


def test_a_returned_or_refused_case_waits_for_no_office_role() -> None:
    start = initial_state(RHL)
    returned = apply(RHL, start, Action.kembalikan, allowed_actions(RHL, start)[Action.kembalikan]).to_state
    refused = apply(RHL, start, Action.tolak, allowed_actions(RHL, start)[Action.tolak]).to_state
    assert waiting_for(RHL, returned) is None and waiting_for(RHL, refused) is None
    resubmitted = apply(RHL, returned, Action.ajukan_ulang, allowed_actions(RHL, returned)[Action.ajukan_ulang])
    assert waiting_for(RHL, resubmitted.to_state) == Waiting(4, RHL.procedure[3].role, 2)


def test_the_prefect_ui_text_names_the_role_and_step() -> None:
    ahli_muda = next(s for s in RHL.procedure if s.number == 5)
    waiting = Waiting(5, ahli_muda.role, 1)
    assert waiting_text(waiting) == "menunggu Penata Perizinan Ahli Muda (langkah 5)"
    assert waiting_text(waiting) in resume_note(waiting)
    assert run_tags(["izinflow", "kasus", "menunggu:back_office"], waiting) == [
        "izinflow", "kasus", "menunggu:penata_perizinan_ahli_muda"]
    assert run_tags(["izinflow", "menunggu:back_office"], None) == ["izinflow"]


def test_a_registered_case_shows_prefect_its_number_and_role_and_nothing_personal(engine: Engine) -> None:
    application = register(engine, "tampil")
    with session_scope(engine) as s:
        view = case_view(s, application)
    assert view.waiting == Waiting(4, RHL.procedure[3].role, 0) and view.last_decision_id is None
    shown = " ".join([run_name(view.nomor_permohonan), resume_note(view.waiting),
                      *run_tags([], view.waiting), json.dumps(CaseDecision(decision_id=str(uuid.uuid4()),
                                                                           version=view.version).model_dump())])
    assert view.nomor_permohonan in shown and "Petugas Back Office" in shown
    for word in [NIK, NIK[:6], NIK[-4:], *NAMA.replace(",", " ").split()]:
        assert word.upper() not in shown.upper(), word


def test_a_case_the_check_sent_back_waits_for_no_one(engine: Engine) -> None:
    application = register(engine, "kembali", Decision.incomplete)
    with session_scope(engine) as s:
        view = case_view(s, application)
    assert view.waiting is None and view.status == OUTSIDE


# --- run input and pause keys ----------------------------------------------------------------------------


def test_the_run_input_carries_two_ids_and_nothing_else() -> None:
    assert set(CaseDecision.model_json_schema()["properties"]) == {"decision_id", "version"}
    assert CaseDecision.model_json_schema()["additionalProperties"] is False
    decision_id = str(uuid.uuid4())
    assert CaseDecision(decision_id=decision_id, version=3).model_dump() == {"decision_id": decision_id, "version": 3}
    with pytest.raises(ValidationError):
        CaseDecision(decision_id=decision_id, version=3, alasan="cap legalisasi kurang jelas")
    with pytest.raises(ValidationError):  # free text (a name) is not an id
        CaseDecision(decision_id=NAMA, version=3)
    with pytest.raises(ValidationError):
        CaseDecision(decision_id=decision_id, version=-1)


def test_each_step_and_each_further_wait_at_one_step_has_its_own_pause_key() -> None:
    keys = [pause_key(v, a) for v in range(4) for a in (1, 2, 3)]
    assert len(set(keys)) == len(keys) and pause_key(2) == "langkah-2"
    assert [key_version(k) for k in keys] == [v for v in range(4) for _ in (1, 2, 3)]
    assert key_version(None) is None and key_version("1") is None and key_version("langkah-x") is None


def test_the_store_keeps_each_case_run_once_and_the_last_decision(engine: Engine) -> None:
    application = register(engine, "run-tercatat")
    first, second = uuid.uuid4(), uuid.uuid4()
    with session_scope(engine) as s:
        assert case_runs.latest_run(s, application) is None
        assert case_runs.record_run(s, application, first)
        assert not case_runs.record_run(s, application, first)
        assert case_runs.record_run(s, application, second)
    with session_scope(engine) as s:
        assert case_runs.latest_run(s, application) == second and case_runs.runs_recorded(s, application) == 2
        assert case_runs.application_of(s, first) == application
        assert application in case_runs.in_process(s)
        outcome = cases.act(s, application, RHL, action=Action.teruskan, role=RHL.procedure[3].role, actor="bo",
                            decision_id="keputusan-1", seen_version=0)
        assert outcome.accepted
    with session_scope(engine) as s:
        assert case_runs.last_decision_id(s, application) == "keputusan-1"
        assert case_view(s, application).waiting == Waiting(5, RHL.procedure[4].role, 1)


# --- end to end through a Prefect server ------------------------------------------------------------------


_FORM = re.compile(r'<form method="post" action="/permohonan/\d+/tindakan"[^>]*>(.*?)</form>', re.S)
_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def _decide_in_app(engine: Engine, home: Path, application: int, role: str, action: Action) -> None:
    """An officer of ``role`` sends the case page's ``action`` form in the review app."""
    from fastapi.testclient import TestClient
    from web_support import QUICK_HASHER, login, make_user

    from store import accounts
    from web import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "HASHER", QUICK_HASHER)
        client = TestClient(create_app(engine, home))
        assert login(client, make_user(engine, role)).status_code == 303
        page = client.get(f"/permohonan/{application}").text
        forms = [dict(_FIELD.findall(body)) for body in _FORM.findall(page)]
        fields = next(f for f in forms if f.get("action") == action.value)
        response = client.post(f"/permohonan/{application}/tindakan", data=fields, follow_redirects=False)
        assert response.status_code == 303


def _serve_once() -> None:
    """Serve the case deployment until every run due has suspended or finished (one poll)."""
    from prefect.runner import Runner

    from flows.case import case_flow

    async def once() -> None:
        runner = Runner(pause_on_shutdown=False)
        await runner.aadd_flow(case_flow, name="kasus")
        await runner.start(run_once=True)

    asyncio.run(once())


@pytest.mark.slow
def test_a_case_run_waits_suspended_for_each_officer_and_resumes_from_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.flow_runs import resume_flow_run
    from prefect.testing.utilities import prefect_test_harness

    from flows import case_runs as shell
    from flows import runtime
    from flows.decisions import decide

    home = tmp_path / "home"
    url = f"sqlite:///{tmp_path / 'izinflow.db'}"
    monkeypatch.setenv("IZINFLOW_HOME", str(home))  # the flow runs in its own process: it reads these
    monkeypatch.setenv("IZINFLOW_DATABASE_URL", url)
    monkeypatch.delenv("IZINFLOW_SIGNING_DIR", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()
    engine = make_engine(url)
    migrate(engine)
    application = register(engine, "e2e")
    tanggal = date(2026, 11, 24)
    try:
        with prefect_test_harness(server_startup_timeout=60), get_client(sync_client=True) as client:
            assert shell.served()
            _serve_once()  # the deployment exists before the verification would start the run
            run_id = shell.start_case_run(engine, application)
            assert run_id is not None and shell.start_case_run(engine, application) is None

            _serve_once()
            run = client.read_flow_run(run_id)
            with session_scope(engine) as s:
                nomor = repository.get_application(s, application).nomor_permohonan
            assert run.name == f"kasus-{nomor}" and run.parameters == {"application_id": application}
            assert run.state.type == StateType.PAUSED and run.state.name == "Suspended"
            assert run.state.state_details.pause_key == "langkah-0" and "menunggu:back_office" in run.tags
            waiting_list = FlowRunFilter(tags=FlowRunFilterTags(all_=["menunggu:back_office"]),
                                         state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])))
            assert [r.id for r in client.read_flow_runs(flow_run_filter=waiting_list)] == [run_id]  # as the UI lists
            note = client.read_flow_run_input(run_id, "suspended-langkah-0-description")
            assert "menunggu Petugas Back Office (langkah 4)" in note

            _decide_in_app(engine, home, application, "back_office", Action.teruskan)  # resumes after answering
            with session_scope(engine) as s:
                assert case_view(s, application).version == 1
            assert client.read_flow_run(run_id).state.name == "Resuming"
            assert shell.resume_case(engine, application) == shell.RunAction.current  # a second resume: nothing

            _serve_once()
            run = client.read_flow_run(run_id)
            assert run.state.type == StateType.PAUSED and run.state.state_details.pause_key == "langkah-1"
            assert [t for t in run.tags if t.startswith("menunggu:")] == ["menunggu:penata_perizinan_ahli_muda"]
            assert "Penata Perizinan Ahli Muda" in client.read_flow_run_input(run_id, "suspended-langkah-1-description")

            # Resumed with nothing new (from the Prefect UI, or a late duplicate): it waits at the same step.
            with session_scope(engine) as s:
                last = case_runs.last_decision_id(s, application)
            resume_flow_run(run_id, run_input={"decision_id": last, "version": 1})
            _serve_once()
            run = client.read_flow_run(run_id)
            assert run.state.type == StateType.PAUSED and run.state.state_details.pause_key == "langkah-1-2"
            assert shell.resume_moved_cases(engine) == []

            refused = decide(engine, application, action=Action.tolak, role="penata_perizinan_ahli_muda",
                             actor="muda", decision_id=str(uuid.uuid4()), seen_version=1,
                             reason="STR tidak sesuai dengan tempat praktik", tanggal=tanggal, home=home)
            assert refused.accepted
            # The app's resume is lost: the repair command finds the run behind the store.
            assert shell.resume_moved_cases(engine) == [(nomor, shell.RunAction.resumed)]
            _serve_once()
            run = client.read_flow_run(run_id)
            assert run.state.type == StateType.COMPLETED
            assert not [t for t in run.tags if t.startswith("menunggu:")]
            assert shell.resume_case(engine, application) == shell.RunAction.none
            assert shell.resume_moved_cases(engine) == []

            inputs = client.filter_flow_run_input(run_id, key_prefix="suspended", limit=100, exclude_keys=set())
            http = client._client  # the plain REST API, as the UI reads it
            logs = http.post("/logs/filter", json={"limit": 200, "sort": "TIMESTAMP_ASC"}).json()
            seen = json.dumps([run.model_dump(mode="json"), [i.value for i in inputs], logs])
        assert "kasus" in seen and NIK not in seen and NIK[-4:] not in seen
        assert not re.search(r"\b(SITI|AMINAH)\b", seen.upper())
    finally:
        engine.dispose()
        for cached in (runtime.settings, runtime.engine, runtime.workspace):
            cached.cache_clear()
