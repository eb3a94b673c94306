"""The case flow (`kasus-perizinan`): one run per case, suspended while the case waits for an officer.

A run reads the case's state from the store and, when the case waits at a step of an office role,
suspends (no worker is held while it waits) with a pause key of the case's version. The decision
is made and recorded by the review app (``flows.decisions.decide``), which then resumes the run
(``flows.case_runs``); the resumed run starts again from the top, reads the store again and either
suspends at the case's next step (a new version, so a new key) or completes: the case is finished,
refused or back with the applicant (a resubmission starts a new run). The store is the only source
of truth: a run never decides, and its run input (``CaseDecision``: two ids) is only for the record.

Run names, tags, logs and the pause description carry the application number and the role waited
for, never personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from pydantic import Field
from sqlalchemy.orm import Session

from checklists.lifecycle import CaseState, CaseStatus, current_step, office_steps
from checklists.load import load_service
from checklists.model import Role, ServiceChecklist
from flows import runtime
from flows.decisions import in_lifecycle
from renderers.catalogue import ROLE_LABEL
from store import case_runs, cases, repository
from store.db import session_scope

CASE_FLOW = "kasus-perizinan"
# How long a run waits at one step; a run that waited longer fails, and `izinflow kasus lanjutkan`
# starts a new one for the case (which is unchanged in the store).
WAIT_LIMIT = timedelta(days=30)
WAITING_TAG = "menunggu:"
_KEY = re.compile(r"^langkah-(\d+)(?:-(\d+))?$")


class CaseDecision(RunInput):
    """What the review app gives a suspended case run when it resumes it: the recorded decision that
    moved the case and the case's version after it. Ids only: Prefect keeps run input in its own
    database, so nothing else (no reason, no name) may go into it."""

    decision_id: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$")
    version: int = Field(ge=0)


@dataclass(frozen=True)
class Waiting:
    """The office step a case waits at, who performs it, and the case's version there."""

    step: int
    role: Role
    version: int


@dataclass(frozen=True)
class CaseView:
    """What a case run needs to know of its case; no personal data."""

    nomor_permohonan: str
    status: str  # the case's status (CaseStatus), or OUTSIDE
    version: int
    waiting: Waiting | None
    last_decision_id: str | None


# The check did not hand the bundle to the office, or the service has no office steps.
OUTSIDE = "di_luar_proses_petugas"


def waiting_for(checklist: ServiceChecklist, state: CaseState) -> Waiting | None:
    """The office step the case waits at; None when it waits on no office role (finished, refused, back
    with the applicant)."""
    step = current_step(checklist, state)
    if state.status != CaseStatus.diproses or step is None or step not in office_steps(checklist):
        return None
    return Waiting(step.number, step.role, state.version)


def waiting_text(waiting: Waiting) -> str:
    return f"menunggu {ROLE_LABEL[waiting.role]} (langkah {waiting.step})"


def resume_note(waiting: Waiting) -> str:
    """The description Prefect shows beside the run's resume form."""
    return (f"Kasus ini {waiting_text(waiting)}. Keputusan diambil di aplikasi petugas, yang melanjutkan run ini "
            "sendiri; melanjutkan dari sini tidak mengubah kasus.")


def waiting_tag(role: Role) -> str:
    return WAITING_TAG + role.value


def run_tags(tags: Sequence[str], waiting: Waiting | None) -> list[str]:
    """The run's tags with the role it waits for (the Prefect UI lists and filters runs by tag)."""
    kept = [t for t in tags if not t.startswith(WAITING_TAG)]
    return [*kept, waiting_tag(waiting.role)] if waiting else kept


def pause_key(version: int, attempt: int = 1) -> str:
    """The key of a suspension at the case's ``version``. Prefect refuses to suspend twice with one key:
    a run resumed while its case had not moved suspends again with a further ``attempt``."""
    return f"langkah-{version}" if attempt == 1 else f"langkah-{version}-{attempt}"


def key_version(key: str | None) -> int | None:
    """The case version a pause key was made at (None for a key not made by ``pause_key``)."""
    found = _KEY.match(key or "")
    return int(found.group(1)) if found else None


def run_name(nomor_permohonan: str) -> str:
    return f"kasus-{nomor_permohonan}"


def case_view(s: Session, application_id: int) -> CaseView:
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    checklist = load_service(record.office, record.service)
    if not in_lifecycle(s, record, checklist):
        return CaseView(record.nomor_permohonan, OUTSIDE, 0, None, None)
    state = cases.case_state(s, application_id, checklist)
    return CaseView(record.nomor_permohonan, state.status.value, state.version, waiting_for(checklist, state),
                    case_runs.last_decision_id(s, application_id))


@task(cache_policy=NO_CACHE, persist_result=False)
def read_case(application_id: int) -> CaseView:
    """Read again on every run: a resumed run starts from the top and must see the latest decision."""
    with session_scope(runtime.engine()) as s:
        return case_view(s, application_id)


def _show_waiting(waiting: Waiting | None) -> None:
    """Side effect on the run's record in Prefect: its tags name the role it waits for."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return
    tags = run_tags(context.flow_run.tags, waiting)
    if tags != list(context.flow_run.tags):
        with get_client(sync_client=True) as client:
            client.update_flow_run(context.flow_run.id, tags=tags)
        context.flow_run.tags = tags


def _run_name() -> str:
    from prefect.runtime import flow_run

    with session_scope(runtime.engine()) as s:
        record = repository.get_application(s, int(flow_run.parameters["application_id"]))
    return run_name(record.nomor_permohonan if record else str(flow_run.parameters["application_id"]))


@flow(name=CASE_FLOW, flow_run_name=_run_name, persist_result=False, log_prints=False)
def case_flow(application_id: int) -> str:
    """Wait, suspended, for each officer's decision on the case until it waits on no one; returns the
    case's status then. Runs from its deployment only: Prefect reschedules a resumed run through it."""
    log = get_run_logger()
    view = read_case(application_id)
    attempt = 1
    while view.waiting is not None:
        waiting = view.waiting
        _show_waiting(waiting)
        log.info("%s %s", view.nomor_permohonan, waiting_text(waiting))
        decision = suspend_flow_run(
            wait_for_input=CaseDecision.with_initial_data(description=resume_note(waiting)),
            key=pause_key(waiting.version, attempt),
            timeout=int(WAIT_LIMIT.total_seconds()),
        )
        # Only a run resumed at this very key gets here (a new key suspends and ends the process): it
        # was resumed while the case had not moved, or it moved since; the store says which.
        log.info("%s dilanjutkan (keputusan %s, versi %d)", view.nomor_permohonan, decision.decision_id,
                 decision.version)
        view = read_case(application_id)
        attempt = attempt + 1 if view.waiting is not None and view.waiting.version == waiting.version else 1
    _show_waiting(None)
    log.info("%s tidak menunggu petugas lagi: %s", view.nomor_permohonan, view.status)
    return view.status
