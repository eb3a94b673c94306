"""Issuing a case's documents: numbered by the store, rendered, signed, stored with their hash.

``issue`` is the plain call (no Prefect): the document's input from the store, then
``store.issuance.issue_document`` with a render callback that prints the ticket's number, date and
QR code and signs the PDF with the office's key. ``issuance_flow`` (`terbitkan-dokumen`) issues
several documents of one application, one task each, in the order given.

Prefect sees the application id, the kinds, the application number (run name) and letter numbers;
the applicant's name and what was read from the bundle stay inside the tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from checklists.lifecycle import Action, CaseStatus
from checklists.load import load_office, load_service
from checklists.model import OfficeProfile, Role, StageDocument
from flows import runtime
from izinflow.demo_case import FACILITY_CONTENT, CaseFacts, content_for, label
from izinflow.domain import Decision, RequirementStatus
from izinflow.petugas import CaseAct, pemeriksaan_berkas, petugas_of
from renderers.document_inputs import (
    KINDS,
    Content,
    DocumentInput,
    IzinKlinik,
    IzinPraktik,
    Koreksi,
    Permohonan,
    Petugas,
    RekomendasiDinkes,
    Rujukan,
    SertifikatStandar,
    permohonan_of,
)
from store import accounts, cases, repository
from store.db import session_scope
from store.issuance import IssuedDocumentRecord, IssueTicket, documents_of, find_issued, issue_document

DOCUMENTS_DIR = "dokumen"  # under the workspace: <office>/<year>/<kind>_<number>.pdf
OFFICER_DECISION = "keputusan_petugas"  # event: an officer decided a case the check left to a person
REQUIREMENT_OVERRIDE = "koreksi_persyaratan"  # event: an officer accepted or overrode one requirement

_quiet = {"cache_policy": NO_CACHE, "persist_result": False}


def documents_dir(home: Path) -> Path:
    return home / DOCUMENTS_DIR


def office_today(office: OfficeProfile) -> date:
    """Today at the office (a letter is dated in the office's time zone)."""
    return datetime.now(ZoneInfo(office.timezone)).date()


def issue(
    engine: Engine,
    application_id: int,
    kind: StageDocument,
    content: Content,
    *,
    tanggal: date,
    home: Path,
    round: int = 1,
) -> IssuedDocumentRecord:
    """Issue ``kind`` of the application with ``content`` (or return the one issued for ``round``).

    Rendered and signed inside the issuing transaction, so a failure takes the number back; the
    signing key is the office's (the Dinas Kesehatan's for its recommendation): ``IZINFLOW_SIGNING_DIR``,
    else the demo PKI under ``home/pki``.
    """
    with session_scope(engine) as s:
        return issue_in(s, application_id, kind, content, tanggal=tanggal, home=home, round=round)


def issue_in(
    s: Session,
    application_id: int,
    kind: StageDocument,
    content: Content,
    *,
    tanggal: date,
    home: Path,
    round: int = 1,
) -> IssuedDocumentRecord:
    """``issue`` inside the caller's transaction (a decision and the documents it produces commit together)."""
    from izinflow.pki import signing_material  # pyHanko and friends: paid by callers that sign
    from renderers.documents import document_html, render_pdf
    from renderers.signing import sign_pdf

    if KINDS[type(content)] is not kind:
        raise ValueError(f"{type(content).__name__} is the content of {KINDS[type(content)].value}, not {kind.value}")
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    permohonan = permohonan_of(repository.load_manifest(s, application_id), record.nomor_permohonan)
    office, checklist = load_office(record.office), load_service(record.office, record.service)
    signer = signing_material(office, home=home, dinas_kesehatan=isinstance(content, RekomendasiDinkes)).signer
    what = label(kind, checklist)

    def render(ticket: IssueTicket) -> bytes:
        html = document_html(DocumentInput(
            office=office, checklist=checklist, permohonan=permohonan, nomor_surat=ticket.nomor_surat,
            tanggal=ticket.tanggal, verify_url=ticket.verify_url, content=content,
        ))
        return sign_pdf(render_pdf(html), signer, reason=f"Penerbitan {what} Nomor {ticket.nomor_surat}",
                        location=office.city)

    return issue_document(
        s, application_id=application_id, office=office, kind=kind, tanggal=tanggal, render=render,
        files_dir=documents_dir(home), holder=holder_of(permohonan, content), valid_until=valid_until_of(content),
        round=round,
    )


def holder_of(permohonan: Permohonan, content: Content) -> str:
    """In whose name the document stands (as `izinflow verify` shows it): the facility for a
    facility's documents, else the applicant."""
    if isinstance(content, FACILITY_CONTENT) and permohonan.tempat_praktik.strip():
        return " ".join(permohonan.tempat_praktik.split())
    return " ".join(permohonan.pemohon_nama.split())


def valid_until_of(content: Content) -> date | None:
    if isinstance(content, IzinPraktik | IzinKlinik | SertifikatStandar):
        return content.berlaku_sampai
    return None


# --- what the store knows of a case ------------------------------------------------------------------


def case_facts(s: Session, application_id: int) -> CaseFacts:
    """The application as its documents need it (personal data included: keep inside tasks)."""
    record = repository.get_application(s, application_id)
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    history = repository.verification_history(s, application_id)
    fields: dict[str, dict[str, str]] = {}
    for document in repository.latest_documents(s, application_id):
        read = fields.setdefault(str(document.doc_type), {})
        for name, value in document.fields.items():
            read.setdefault(name, value)  # the first document of a type that gave the field
    decided, koreksi = officer_decision(s, application_id, history[-1].attempt if history else 0)
    visit = repository.latest_field_visit(s, application_id)
    in_force = [d for d in documents_of(s, application_id) if d.revoked_at is None]
    checklist = load_service(record.office, record.service)
    acts = case_acts(s, application_id)
    checked = pemeriksaan_berkas(checklist, acts, officers(s, {a.actor for a in acts}))
    return CaseFacts(
        office=load_office(record.office),
        checklist=checklist,
        application_id=application_id,
        permohonan=permohonan_of(repository.load_manifest(s, application_id), record.nomor_permohonan),
        received_at=record.received_at,
        verdict=repository.latest_verdict(s, application_id),
        checked_at=history[-1].decided_at if history else None,
        fields=fields,
        officer_decided=decided,
        koreksi=koreksi,
        pemeriksa=checked.pemeriksa,
        diperiksa_pada=checked.diperiksa_pada,
        field_visit=visit.visit if visit else None,
        issued={d.kind: Rujukan(d.nomor_surat, d.tanggal) for d in in_force},
    )


def case_acts(s: Session, application_id: int) -> list[CaseAct]:
    """The case's transitions and the officers' decisions on single requirements, in recorded order."""
    acts: list[CaseAct] = []
    for e in repository.events_of(s, application_id):
        if e.kind == cases.TRANSITION:
            entry = cases.history_entry(e)
            waited = entry.from_step if entry.from_status == CaseStatus.diproses else None
            acts.append(CaseAct(entry.at, entry.actor, Action(entry.action), Role(entry.role), waited))
        elif e.kind == REQUIREMENT_OVERRIDE:
            acts.append(CaseAct(e.at, e.actor))
    return acts


def officers(s: Session, usernames: Iterable[str]) -> dict[str, Petugas]:
    """The accounts among ``usernames``, as documents name them (a name with no account is left out)."""
    found: dict[str, Petugas] = {}
    for username in usernames:
        user = accounts.find_user(s, username)
        if user is not None:
            found[username] = petugas_of(user.nama, user.role, user.nip)
    return found


def record_officer_decision(s: Session, application_id: int, koreksi: Sequence[Koreksi], actor: str,
                            *, note: str) -> None:
    """An officer accepts the bundle after the automatic check (a `review`), with corrections of its
    results; recorded as an event of the check's newest attempt."""
    history = repository.verification_history(s, application_id)
    if not history:
        raise ValueError(f"application {application_id} has not been checked yet")
    repository.append_event(s, application_id, OFFICER_DECISION, actor, {
        "attempt": history[-1].attempt,
        "decision": Decision.complete.value,
        "catatan": note,
        "koreksi": [_koreksi_json(k) for k in koreksi],
    })


def record_requirement_override(s: Session, application_id: int, koreksi: Koreksi, actor: str,
                                *, decision_id: str = "") -> bool:
    """An officer accepts or overrides one requirement of the check's newest attempt (the reason in
    ``koreksi.alasan``); recorded as an event. False, and nothing recorded, when the decision
    ``decision_id`` was recorded already (the same form sent twice)."""
    history = repository.verification_history(s, application_id)
    if not history:
        raise ValueError(f"application {application_id} has not been checked yet")
    if not koreksi.alasan.strip():
        raise ValueError("a requirement override needs its reason")
    events = repository.events_of(s, application_id)
    if decision_id and any(e.kind == REQUIREMENT_OVERRIDE and e.detail.get("decision_id") == decision_id
                           for e in events):
        return False
    repository.append_event(s, application_id, REQUIREMENT_OVERRIDE, actor, {
        "attempt": history[-1].attempt,
        "decision_id": decision_id,
        "koreksi": _koreksi_json(koreksi),
    })
    return True


def officer_decision(s: Session, application_id: int, attempt: int) -> tuple[bool, tuple[Koreksi, ...]]:
    """Whether an officer decided the check's ``attempt``, and the corrections in force: a decision's
    set replaces what came before it, a single override then replaces that requirement's correction."""
    decided = False
    koreksi: dict[str, Koreksi] = {}
    for e in repository.events_of(s, application_id):
        if e.detail.get("attempt") != attempt:
            continue
        if e.kind == OFFICER_DECISION:
            decided = True
            koreksi = {k.code: k for k in map(_koreksi_of, e.detail["koreksi"])}
        elif e.kind == REQUIREMENT_OVERRIDE:
            one = _koreksi_of(e.detail["koreksi"])
            koreksi.pop(one.code, None)  # the newest correction of a requirement comes last
            koreksi[one.code] = one
    return decided, tuple(koreksi.values())


def _koreksi_json(k: Koreksi) -> dict[str, str]:
    return {"code": k.code, "status": k.status.value, "alasan": k.alasan, "oleh": k.oleh}


def _koreksi_of(data: dict[str, str]) -> Koreksi:
    return Koreksi(data["code"], RequirementStatus(data["status"]), data["alasan"], data["oleh"])


# --- Prefect -----------------------------------------------------------------------------------------


@task(**_quiet)
def issue_stage(application_id: int, kind: StageDocument) -> IssuedDocumentRecord:
    """One document of the case: the one already issued, or a new one from the case as it stands."""
    engine, home = runtime.engine(), runtime.settings().home
    with session_scope(engine) as s:
        existing = find_issued(s, application_id, kind)
        if existing is not None:
            return existing
        case = case_facts(s, application_id)
    tanggal = office_today(case.office)
    return issue(engine, application_id, kind, content_for(kind, case, tanggal), tanggal=tanggal, home=home)


def issuance_parameters(application_id: int, kinds: Sequence[StageDocument | str]) -> dict[str, Any]:
    """The flow's parameters: ids and document kinds, nothing personal."""
    return {"application_id": int(application_id), "kinds": [StageDocument(k).value for k in kinds]}


def run_name(engine: Engine, application_id: int) -> str:
    with session_scope(engine) as s:
        record = repository.get_application(s, application_id)
    return f"terbitkan-{record.nomor_permohonan if record else application_id}"


def _run_name() -> str:
    from prefect.runtime import flow_run

    return run_name(runtime.engine(), int(flow_run.parameters["application_id"]))


@flow(name="terbitkan-dokumen", flow_run_name=_run_name, persist_result=False, log_prints=False)
def issuance_flow(application_id: int, kinds: list[str]) -> list[IssuedDocumentRecord]:
    """Issue ``kinds`` (StageDocument values) of the application, in this order."""
    log = get_run_logger()
    wanted = [StageDocument(k) for k in kinds]
    issued: list[IssuedDocumentRecord] = []
    for kind in wanted:
        record = issue_stage(application_id, kind)
        log.info("%s: nomor %s (sha256 %s…)", kind.value, record.nomor_surat, record.sha256[:12])
        issued.append(record)
    return issued
