"""The applicant's side of the loop: a returned bundle comes back with new files (a resubmission).

A resubmission is a bundle whose ``application.json`` names the application it completes
(``resubmission_of``). It is taken only for an application that is back with the applicant, from the
same applicant (NIK) for the same service; its new files alone are read, and checked together with
what the earlier attempts accepted (``checklists.resubmission``). Its check is a new verification
attempt: every earlier attempt (files, pages, verdict, return letter) stays in the store.

In the case's lifecycle the applicant's resubmission is the transition ``ajukan_ulang`` (role pemohon),
which brings the case back to the office's first check; a bundle the check still finds incomplete
goes back at once with a new return letter (``kembalikan_otomatis`` by the system, as a first bundle).

Plain functions over the store, inside the caller's transaction (no Prefect).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from checklists.lifecycle import Action, CaseStatus, IllegalTransition, allowed_actions, office_steps
from checklists.load import load_service
from checklists.model import Role, ServiceChecklist
from checklists.resubmission import EarlierCheck
from flows.issuance import officer_decision
from izinflow.domain import Bundle, Decision, Manifest, RequirementStatus, Verdict
from store import cases, repository, resubmissions
from store.resubmissions import ResubmissionRecord

SYSTEM = "sistem"  # the actor of the online system's transitions
APPLICANT = "pemohon"  # the actor of the applicant's (who has no account in the review app)
RECEIVED = "berkas_perbaikan_diterima"
RECEIVED_AGAIN = "berkas_perbaikan_diterima_ulang"
REFUSED = "berkas_perbaikan_ditolak"
_NOT_MET = {RequirementStatus.missing: "tidak ada", RequirementStatus.invalid: "tidak sesuai"}
_WHERE = {
    CaseStatus.diproses: "sedang diproses petugas",
    CaseStatus.ditolak: "telah ditolak",
    CaseStatus.selesai: "telah selesai",
}


def is_returned(s: Session, record: repository.ApplicationRecord, checklist: ServiceChecklist) -> bool:
    """Whether the application is back with the applicant: its case was returned (by an officer or the
    check), or, outside the office's steps, its newest check found the bundle incomplete."""
    if office_steps(checklist) and cases.history(s, record.id):
        return cases.case_state(s, record.id, checklist).status == CaseStatus.dikembalikan
    return record.decision == Decision.incomplete


def refusal(s: Session, record: repository.ApplicationRecord | None, manifest: Manifest) -> str | None:
    """Why a resubmission of ``manifest.resubmission_of`` cannot be taken (a sentence for the clerk),
    or None when it can. The caller holds the application's lock."""
    nomor = manifest.resubmission_of
    if record is None:
        return f"nomor permohonan {nomor} yang dirujuk berkas perbaikan ini tidak terdaftar"
    if (manifest.office, manifest.service, manifest.variant) != (record.office, record.service, record.variant):
        return (f"berkas perbaikan ini untuk layanan {manifest.office} / {manifest.service} / {manifest.variant}, "
                f"sedangkan permohonan {nomor} untuk {record.office} / {record.service} / {record.variant}")
    if _digits(repository.load_manifest(s, record.id).pemohon.nik) != _digits(manifest.pemohon.nik):
        return f"NIK pemohon pada berkas perbaikan tidak sama dengan NIK pada permohonan {nomor}"
    checklist = load_service(record.office, record.service)
    if not is_returned(s, record, checklist):
        return (f"permohonan {nomor} tidak sedang dikembalikan kepada pemohon ({_where(s, record, checklist)}); "
                "berkas perbaikan hanya diterima untuk permohonan yang dikembalikan")
    if resubmissions.waiting(s, record.id) is not None:
        return (f"berkas perbaikan sebelumnya untuk permohonan {nomor} masih diperiksa; "
                "kirim lagi setelah hasilnya keluar")
    return None


def resubmitted_bundle(bundle: Bundle, resubmission: ResubmissionRecord, manifest: Manifest) -> Bundle:
    """The resubmission's files under the names they are stored by, to be checked against the
    application's own form (``manifest``, as the office received it)."""
    return replace(
        bundle,
        manifest=manifest,
        files=tuple(replace(f, name=resubmission.stored_name(f.name)) for f in bundle.files),
        rejected=tuple(replace(f, name=resubmission.stored_name(f.name)) for f in bundle.rejected),
    )


def earlier_check(s: Session, application_id: int) -> EarlierCheck:
    """The newest attempt's documents and its results as the officers left them."""
    history = repository.verification_history(s, application_id)
    verdict = repository.latest_verdict(s, application_id)
    if not history or verdict is None:
        raise LookupError(f"permohonan {application_id} belum pernah diperiksa")
    _, koreksi = officer_decision(s, application_id, history[-1].attempt)
    decided = {k.code: k.status for k in koreksi}
    return EarlierCheck(
        documents=repository.latest_documents(s, application_id),
        results=[replace(r, status=decided.get(r.code, r.status)) for r in verdict.requirements],
    )


def system_return(s: Session, application_id: int, verdict: Verdict, *, attempt: int,
                  at: datetime | None = None) -> bool:
    """Record that the check sent an incomplete bundle back to the applicant (``kembalikan_otomatis`` by
    the system, the return letter being the check's); False when the check did not, or the case is not
    at its first check. ``attempt``: the verification attempt that found it incomplete."""
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    checklist = load_service(record.office, record.service)
    if verdict.decision != Decision.incomplete or not office_steps(checklist):
        return False
    state = cases.case_state(s, application_id, checklist)
    if allowed_actions(checklist, state).get(Action.kembalikan_otomatis) != Role.sistem:
        return False
    outcome = cases.act(
        s, application_id, checklist, action=Action.kembalikan_otomatis, role=Role.sistem, actor=SYSTEM,
        decision_id=f"sistem-pengembalian-{attempt}", seen_version=state.version,
        reason=return_reason(checklist, verdict), at=at,
    )
    return outcome.accepted


def before_check(s: Session, application_id: int) -> None:
    """Before a resubmission's check is stored: an application the check returned before returns were
    recorded in its lifecycle gets that return recorded now, at the moment it was made."""
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    checklist = load_service(record.office, record.service)
    history = repository.verification_history(s, application_id)
    verdict = repository.latest_verdict(s, application_id)
    if not office_steps(checklist) or cases.history(s, application_id) or not history or verdict is None:
        return
    system_return(s, application_id, verdict, attempt=history[-1].attempt, at=history[-1].decided_at)


def after_check(s: Session, application_id: int, verdict: Verdict, *, resubmission: ResubmissionRecord,
                attempt: int) -> None:
    """The resubmission's check is stored (as ``attempt``): the case comes back to the office's first
    check (``ajukan_ulang`` by the applicant) and, still incomplete, goes back again."""
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    checklist = load_service(record.office, record.service)
    if not office_steps(checklist):
        return
    state = cases.case_state(s, application_id, checklist)
    outcome = cases.act(
        s, application_id, checklist, action=Action.ajukan_ulang, role=Role.pemohon, actor=APPLICANT,
        decision_id=f"pemohon-perbaikan-{resubmission.id}", seen_version=state.version,
        reason=f"berkas perbaikan ke-{resubmission.sequence} diterima",
    )
    if not outcome.accepted:
        raise IllegalTransition(outcome.reason)
    system_return(s, application_id, verdict, attempt=attempt)


def return_reason(checklist: ServiceChecklist, verdict: Verdict) -> str:
    """The requirements that send the bundle back, by title: no personal data."""
    titles = {r.code: r.title for r in checklist.requirements}
    failing = [f"{titles.get(r.code, r.code)} {_NOT_MET[r.status]}" for r in verdict.requirements
               if r.status in _NOT_MET]
    return "Pemeriksaan otomatis: berkas belum lengkap atau belum sesuai (" + "; ".join(failing) + ")."


def _digits(nik: str) -> str:
    return "".join(c for c in nik if c.isdigit())


def _where(s: Session, record: repository.ApplicationRecord, checklist: ServiceChecklist) -> str:
    if office_steps(checklist) and (record.decision in (Decision.complete, Decision.review)
                                    or cases.history(s, record.id)):
        status = cases.case_state(s, record.id, checklist).status
        return _WHERE.get(status, status.value)
    return "belum diperiksa" if record.decision is None else "sedang diproses"
