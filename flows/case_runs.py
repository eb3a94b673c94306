"""The case runs of `kasus-perizinan` handled from outside: created after verification, resumed by the
review app after a decision, repaired by `izinflow kasus lanjutkan` (and its scheduled deployment).

Only in served mode (a Prefect API server configured: ``PREFECT_API_URL``); embedded use (`izinflow
check`, the demo, the tests) creates no case runs. Every function here is safe to call again: a run
is resumed only while it waits at a version of its case older than the store's, and a case gets a
new run only when it waits on the office and its last run has ended.
"""

from __future__ import annotations

import time
from enum import StrEnum
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.deployments import run_deployment
from prefect.exceptions import FlowPauseTimeout, NotPausedError, ObjectNotFound
from prefect.flow_runs import resume_flow_run
from prefect.settings import get_current_settings
from sqlalchemy import Engine

from flows import runtime
from flows.case import CASE_FLOW, CaseDecision, CaseView, case_view, key_version, run_name
from store import case_runs
from store.db import session_scope

CASE_DEPLOYMENT = f"{CASE_FLOW}/kasus"
_LIVE = [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING, StateType.PAUSED]
_PAGE = 200
NO_DECISION = "belum-ada-keputusan"


class RunAction(StrEnum):
    started = "run baru"
    resumed = "dilanjutkan"
    current = "sesuai"  # waits at the case's step, or has yet to read the store
    none = "tanpa run"  # the case waits on no one and has no run to finish


def served() -> bool:
    """Whether a Prefect API server is configured (``make serve``), as opposed to the embedded one."""
    return bool(get_current_settings().api.url)


def start_case_run(engine: Engine, application_id: int) -> UUID | None:
    """Create the case's run when the case waits on the office and has no run in progress; the new
    run's id (recorded in the store), or None when none was needed."""
    with session_scope(engine) as s:
        view = case_view(s, application_id)
        latest = case_runs.latest_run(s, application_id)
        recorded = case_runs.runs_recorded(s, application_id)
    if view.waiting is None:
        return None
    with get_client(sync_client=True) as client:
        if latest is not None and _is_live(_read(client, latest)):
            return None
    # The same key for two callers racing (verification, the app, the repair command): one run.
    run = run_deployment(
        CASE_DEPLOYMENT, parameters={"application_id": application_id}, timeout=0, as_subflow=False,
        flow_run_name=run_name(view.nomor_permohonan), idempotency_key=f"kasus-{view.nomor_permohonan}-{recorded + 1}",
    )
    with session_scope(engine) as s:
        case_runs.record_run(s, application_id, run.id)
    return run.id


def resume_case(engine: Engine, application_id: int, *, patience: float = 0.0, poll: float = 1.0) -> RunAction:
    """Bring the case's run up to the store after a decision: resume it when it waits at an older
    version of the case; start a new run when the last one ended while the case still waits.

    ``patience``: seconds to wait for a running run to suspend (it may have read the store just
    before the decision and be about to suspend at the old step)."""
    deadline = time.monotonic() + patience
    while True:
        with session_scope(engine) as s:
            view = case_view(s, application_id)
            run_id = case_runs.latest_run(s, application_id)
        with get_client(sync_client=True) as client:
            run = _read(client, run_id) if run_id else None
        if run is None or run.state is None or run.state.is_final():
            return RunAction.started if start_case_run(engine, application_id) else RunAction.none
        if run.state.is_paused():
            return _resume_if_moved(engine, run, view)
        if not run.state.is_running() or time.monotonic() >= deadline:
            return RunAction.current
        time.sleep(poll)


def resume_moved_cases(engine: Engine) -> list[tuple[str, RunAction]]:
    """Every suspended case run whose case has moved on is resumed, and every case waiting on the
    office without a run in progress gets one; (nomor permohonan, what was done) for each."""
    done: list[tuple[str, RunAction]] = []
    with get_client(sync_client=True) as client:
        live = _live_runs(client)
    with_run: set[int] = set()
    for run in live:
        application_id = _application_of(engine, run)
        if application_id is None:
            continue
        with_run.add(application_id)
        if run.state is None or not run.state.is_paused():
            continue
        try:
            with session_scope(engine) as s:
                view = case_view(s, application_id)
        except LookupError:
            continue
        if _resume_if_moved(engine, run, view) == RunAction.resumed:
            done.append((view.nomor_permohonan, RunAction.resumed))
    with session_scope(engine) as s:
        waiting = [a for a in case_runs.in_process(s) if a not in with_run]
    for application_id in waiting:
        if start_case_run(engine, application_id):
            with session_scope(engine) as s:
                done.append((case_view(s, application_id).nomor_permohonan, RunAction.started))
    return done


@flow(name="lanjutkan-kasus", persist_result=False)
def resume_cases_flow() -> int:
    """The scheduled repair: a resume the review app could not deliver, a case run that ended early."""
    log = get_run_logger()
    done = resume_moved_cases(runtime.engine())
    for nomor, action in done:
        log.info("%s: %s", nomor, action)
    return len(done)


def _resume_if_moved(engine: Engine, run: FlowRun, view: CaseView) -> RunAction:
    assert run.state is not None
    if key_version(run.state.state_details.pause_key) == view.version:
        return RunAction.current
    decision = CaseDecision(decision_id=view.last_decision_id or NO_DECISION, version=view.version)
    try:
        resume_flow_run(run.id, run_input=decision.model_dump())
    except NotPausedError:  # resumed meanwhile by another caller: it reads the store itself
        return RunAction.current
    except FlowPauseTimeout:  # waited past WAIT_LIMIT: the run has failed; the case gets another
        return RunAction.started if start_case_run(engine, _application_id(run)) else RunAction.none
    return RunAction.resumed


def _read(client: SyncPrefectClient, run_id: UUID) -> FlowRun | None:
    try:
        return client.read_flow_run(run_id)
    except ObjectNotFound:  # Prefect's database was reset: the case gets a new run
        return None


def _is_live(run: FlowRun | None) -> bool:
    return run is not None and run.state is not None and run.state.type in _LIVE


def _live_runs(client: SyncPrefectClient) -> list[FlowRun]:
    runs: list[FlowRun] = []
    while True:
        page = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[CASE_FLOW])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=_LIVE))),
            limit=_PAGE, offset=len(runs),
        )
        runs.extend(page)
        if len(page) < _PAGE:
            return runs


def _application_id(run: FlowRun) -> int:
    return int(run.parameters["application_id"])


def _application_of(engine: Engine, run: FlowRun) -> int | None:
    """The case a run carries: the store's record of it, else its parameter (a run started by hand)."""
    with session_scope(engine) as s:
        recorded = case_runs.application_of(s, run.id)
    if recorded is not None:
        return recorded
    try:
        return _application_id(run)
    except (KeyError, TypeError, ValueError):
        return None
