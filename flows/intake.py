"""The intake flow: take every bundle waiting in the inbox and start one verification per bundle."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.deployments import run_deployment

from flows import runtime
from flows.admission import Admission, admit_claim
from flows.verification import verification_flow
from izinflow.report import CheckReport, unreadable_report
from store import repository, resubmissions
from store.db import session_scope
from store.inbox import Claim, claim_all, outputs_dir, pending_claims

VERIFICATION_DEPLOYMENT = "verifikasi-berkas/verifikasi"
STALE_CLAIM_SECONDS = 15 * 60  # a claim this old was left behind by a worker that died

_quiet = {"cache_policy": NO_CACHE, "persist_result": False}


@task(**_quiet)
def claim_bundles(min_age_seconds: float) -> list[Claim]:
    ws = runtime.workspace().ensure()
    now = time.time()
    stale = [c for c in pending_claims(ws) if now - c.path.stat().st_mtime > STALE_CLAIM_SECONDS]
    return stale + claim_all(ws, min_age_seconds=min_age_seconds)


@task(retries=2, retry_delay_seconds=2, **_quiet)
def admit(claim: Claim) -> Admission:
    return admit_claim(claim)


def stored_report(application_id: int, source: str) -> CheckReport | None:
    """The last verification of an application already received (the same bundle dropped again)."""
    with session_scope(runtime.engine()) as s:
        record = repository.get_application(s, application_id)
        verdict = repository.latest_verdict(s, application_id)
        if record is None or verdict is None:
            return None
        documents = repository.latest_documents(s, application_id)
        manifest = repository.load_manifest(s, application_id)
    folder = outputs_dir(runtime.workspace(), record.nomor_permohonan)
    return CheckReport(
        bundle=source,
        decision=verdict.decision,
        manifest=manifest,
        verdict=verdict,
        documents=documents,
        outputs=[str(p) for p in sorted(folder.glob("*.pdf"))],
        reasons=verdict.reasons,
        nomor_permohonan=record.nomor_permohonan,
    )


def already_checked(admission: Admission) -> bool:
    """A bundle received again was checked before (a resubmission: its own check, not only the application's)."""
    if admission.resubmission_id is None:
        return True
    with session_scope(runtime.engine()) as s:
        found = resubmissions.get_resubmission(s, admission.resubmission_id)
    return found is not None and found.verification_id is not None


def _run_name() -> str:
    return "intake-" + datetime.now().strftime("%Y%m%d-%H%M%S")


@flow(name="intake-berkas", flow_run_name=_run_name, persist_result=False)
def intake_flow(
    dispatch: Literal["subflow", "deployment"] = "subflow", min_age_seconds: float = 0.0
) -> list[CheckReport]:
    """``dispatch="deployment"`` starts each verification as its own run of the `verifikasi`
    deployment (a served setup, scaled by workers); ``"subflow"`` runs it here (embedded use)."""
    log = get_run_logger()
    reports: list[CheckReport] = []
    claims = claim_bundles(min_age_seconds)
    log.info("%d berkas diambil dari inbox", len(claims))
    for claim in claims:
        admission = admit(claim)
        if admission.application_id is None or admission.nomor_permohonan is None:
            log.warning("berkas %s dikarantina: %s", claim.id, admission.reason)
            reports.append(unreadable_report(claim.name, admission.reason or "berkas tidak dapat dibuka"))
            continue
        if not admission.created and already_checked(admission):
            log.info("%s sudah pernah diterima; tidak diverifikasi ulang", admission.nomor_permohonan)
            stored = stored_report(admission.application_id, claim.name)
            if stored is not None:
                reports.append(stored)
                continue
        params: dict[str, int | str] = {
            "application_id": admission.application_id, "nomor_permohonan": admission.nomor_permohonan,
        }
        if admission.resubmission_id is not None:
            params["resubmission_id"] = admission.resubmission_id
        if dispatch == "deployment":
            run_deployment(VERIFICATION_DEPLOYMENT, parameters=params, timeout=0)
        else:
            reports.append(verification_flow(**params))
    return reports
