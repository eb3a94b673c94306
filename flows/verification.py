"""The verification flow of one application, read top to bottom like the job itself:

load the stored bundle → read pages → classify → extract fields → check → save → render → report.

Tasks are call sites: the work is done by plain functions in extractors/, checklists/,
renderers/ and store/. Parameters, run names, logs and artifacts carry the application number
and masked values only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from checklists.evaluate import evaluate, one_digit_apart
from checklists.load import is_known_service, load_office, load_service
from checklists.model import StageDocument, fields_needed
from checklists.names import looks_like_name
from checklists.resubmission import EarlierCheck, check_resubmission
from extractors.bundle import open_bundle
from extractors.classify import classify_page, doubtful_pages, group_documents
from extractors.fields.clinic import extract_rows
from extractors.fields.documents import EXTRACTORS, extract_fields
from extractors.reading import ReadResult, read_bundle_pages, reread_as_block
from flows import case_runs, resubmission, runtime
from flows.decisions import start_case
from flows.issuance import issue, office_today
from izinflow.domain import Bundle, Decision, DocType, Document, PageClass, PageText, Verdict
from izinflow.privacy import redact
from izinflow.report import CheckReport
from renderers.document_inputs import Pengembalian
from store import repository, resubmissions
from store.db import session_scope
from store.inbox import outputs_dir

RETURN_LETTER = "surat-pengembalian-berkas.pdf"

_quiet = {"cache_policy": NO_CACHE, "persist_result": False}


@task(retries=2, retry_delay_seconds=2, **_quiet)
def load_bundle(
    application_id: int, resubmission_id: int | None = None
) -> tuple[repository.ApplicationRecord, Bundle, str]:
    """The application's bundle, or the resubmission's (its files alone, with the application's form),
    and where it is kept."""
    with session_scope(runtime.engine()) as s:
        record = repository.get_application(s, application_id)
        found = resubmissions.get_resubmission(s, resubmission_id) if resubmission_id is not None else None
        manifest = repository.load_manifest(s, application_id) if found is not None else None
    if record is None:
        raise LookupError(f"permohonan {application_id} tidak ada di basis data")
    if resubmission_id is None:
        return record, open_bundle(Path(record.original_path), is_known_service=is_known_service), record.original_path
    if found is None or manifest is None or found.application_id != application_id:
        raise LookupError(f"berkas perbaikan {resubmission_id} permohonan {application_id} tidak ada di basis data")
    bundle = open_bundle(Path(found.original_path), is_known_service=is_known_service)
    return record, resubmission.resubmitted_bundle(bundle, found, manifest), found.original_path


@task(retries=2, retry_delay_seconds=2, **_quiet)
def load_earlier_check(application_id: int) -> EarlierCheck:
    with session_scope(runtime.engine()) as s:
        return resubmission.earlier_check(s, application_id)


@task(retries=2, retry_delay_seconds=2, **_quiet)
def read_pages(bundle: Bundle) -> ReadResult:
    cfg = runtime.settings()
    return read_bundle_pages(bundle.files, ocr_cache=runtime.ocr_cache(), workers=cfg.ocr_workers)


@task(**_quiet)
def classify(pages: Sequence[PageText]) -> list[PageClass]:
    return [classify_page(p) for p in pages]


@task(retries=1, **_quiet)
def reclassify_doubtful(
    bundle: Bundle, read: ReadResult, classes: list[PageClass], accepted: frozenset[str] = frozenset()
) -> tuple[ReadResult, list[PageClass]]:
    """Scanned pages the classifier could not place get a second reading as one block (page
    segmentation sometimes drops the title block) and are classified again; when a required
    document is not found (nor ``accepted`` by an earlier attempt), so do the scanned pages it placed
    as ``lainnya``, however surely: a low-resolution scan can lose its title and body to page
    segmentation and still read as a letter."""
    doubtful = {p.ref for p in doubtful_pages(read.pages, classes)}
    m = bundle.manifest
    found = {str(c.doc_type) for c in classes} | accepted
    if is_known_service(m.office, m.service, m.variant):
        wanted = {str(r.code) for r in load_service(m.office, m.service).requirements_for(m.variant)}
        if wanted - found:
            doubtful |= {c.ref for c in classes if c.doc_type == DocType.lainnya}
    scans = [p for p in read.pages if p.ref in doubtful and p.ocr and not p.error]
    if not scans:
        return read, classes
    cfg = runtime.settings()
    again = {
        p.ref: p
        for p in reread_as_block(
            bundle.files, scans, ocr_cache=runtime.ocr_cache(), workers=cfg.ocr_workers
        )
    }
    pages, new_classes = list(read.pages), list(classes)
    for i, page in enumerate(pages):
        if page.ref in again:
            second = classify_page(again[page.ref])
            if second.confidence > new_classes[i].confidence:
                pages[i], new_classes[i] = again[page.ref], second
    return replace(read, pages=pages), new_classes


@task(**_quiet)
def extract_documents(pages: Sequence[PageText], classes: Sequence[PageClass]) -> list[Document]:
    by_ref = {p.ref: p for p in pages}
    documents = group_documents(pages, classes)
    for doc in documents:
        pages_of_doc = [by_ref[r] for r in doc.pages]
        doc.fields = extract_fields(doc.doc_type, pages_of_doc)
        doc.rows = extract_rows(doc.doc_type, pages_of_doc)
    return documents


@task(retries=1, **_quiet)
def second_look(bundle: Bundle, pages: Sequence[PageText], documents: list[Document]) -> list[Document]:
    """Scanned documents get a second reading as one block where the first left a doubt: a field
    their rules need or the person's name is missing, the NIK is one digit off the form's (one OCR
    slip, or a wrong KTP: the second reading tells which), or the document is a list (page
    segmentation splits a table into columns; one block keeps a row on one line)."""
    m = bundle.manifest
    needed = fields_needed(load_service(m.office, m.service), m.variant)
    by_ref = {p.ref: p for p in pages}
    scanned = [d for d in documents if any(by_ref[r].ocr for r in d.pages)]
    missing = {id(d): missing_fields(d, fields_sought(d.doc_type, needed.get(str(d.doc_type), frozenset())))
               for d in scanned}
    lacking = [d for d in scanned if missing[id(d)] - {"rows"}]
    listed = [d for d in scanned if "rows" in missing[id(d)]]
    # Where a stamp was not told, every patch of ink on the page is read on its own as well.
    examine = {r for d in lacking if missing[id(d)] & _MARK_FIELDS for r in d.pages}
    doubted = [d for d in scanned if one_digit_apart(d.fields.get("nik", ""), m.pemohon.nik)]
    if not lacking and not doubted and not listed:
        return documents
    cfg = runtime.settings()
    cache = runtime.ocr_cache()
    wanted = [by_ref[r] for d in [*lacking, *doubted, *listed] for r in d.pages]
    if lacking:
        again = reread_as_block(bundle.files, wanted, ocr_cache=cache, workers=cfg.ocr_workers, examine_ink=examine)
        reread = {p.ref: p for p in again}
        for doc in lacking:
            fields = extract_fields(doc.doc_type, [reread[r] for r in doc.pages])
            doc.fields = merge_readings(doc.fields, fields, missing[id(doc)] & _MARK_FIELDS)
    if doubted or listed:
        alone = reread_as_block(
            bundle.files, wanted, ocr_cache=cache, workers=cfg.ocr_workers, alone=True, examine_ink=examine,
            level={r for d in listed for r in d.pages},
        )
        second = {p.ref: p for p in alone}
        for doc in doubted:
            fields = extract_fields(doc.doc_type, [second[r] for r in doc.pages])
            doc.confirmed = doc.confirmed | confirmed_fields(doc.fields, fields, ("nik",))
        for doc in listed:
            block_pages = [second[r] for r in doc.pages]
            rows = extract_rows(doc.doc_type, block_pages)
            if len(rows) > len(doc.rows):  # the reading that found more rows read the table
                doc.rows = rows
                doc.fields = {**doc.fields, **extract_fields(doc.doc_type, block_pages)}
    return documents


def fields_sought(doc_type: DocType, needed: frozenset[str]) -> frozenset[str]:
    """What a scanned document's reading must find: the fields its rules need and, on a document about
    a person, the person's name even where no rule compares it (the clerk reads it there)."""
    return needed | {"nama"} if doc_type in EXTRACTORS else needed


def confirmed_fields(first: dict[str, str], second: dict[str, str], names: Sequence[str]) -> frozenset[str]:
    """The fields two independent readings read identically."""
    return frozenset(n for n in names if first.get(n) and first.get(n) == second.get(n))


_MARK_FIELDS = frozenset({"legalisasi", "meterai"})


def merge_readings(
    first: dict[str, str], second: dict[str, str], absent_proven: Collection[str] = ()
) -> dict[str, str]:
    """The first reading's values stand; the second fills what the first lacked or could not tell.
    Its "tidak ada" is taken only for ``absent_proven`` fields the first could not tell at all
    (the second reading looked at every patch of ink for them): one more plain reading that misses
    a stamp proves nothing."""
    merged = dict(first)
    for key, value in second.items():
        current = merged.get(key, "")
        if value == "tidak ada":
            if not current and key in absent_proven:
                merged[key] = value
            continue
        if key == "nama":
            if not looks_like_name(current) and looks_like_name(value):
                merged[key] = value
        elif not current or current == "tidak ada":
            merged[key] = value
    return merged


def missing_fields(doc: Document, needed: frozenset[str]) -> set[str]:
    """The needed fields a scanned document's first reading left unread; "rows" for every scanned
    list, since a table OCR'd as a page loses rows without a sign."""
    missing = {f for f in needed - {"rows"} if not doc.fields.get(f) or (doc.fields.get(f) == "tidak ada" and doc.ocr)}
    if "rows" in needed and doc.ocr:
        missing.add("rows")
    if "nama" in needed and not looks_like_name(doc.fields.get("nama", "")):
        missing.add("nama")
    return missing


@task(**_quiet)
def check_requirements(
    bundle: Bundle, classes: Sequence[PageClass], documents: Sequence[Document], read: ReadResult
) -> Verdict:
    m = bundle.manifest
    checklist = load_service(m.office, m.service)
    errors = [p for p in read.pages if p.error] + doubtful_pages(read.pages, classes)
    rejected = [*bundle.rejected, *read.rejected]
    return evaluate(checklist, m.variant, m, documents, unread=rejected, page_errors=errors)


@task(**_quiet)
def check_resubmitted(
    bundle: Bundle, classes: Sequence[PageClass], documents: Sequence[Document], read: ReadResult,
    earlier: EarlierCheck,
) -> tuple[list[Document], Verdict]:
    """A resubmission's new documents checked with those the earlier attempts accepted; the documents
    the attempt holds (new and carried) and its verdict."""
    m = bundle.manifest
    errors = [p for p in read.pages if p.error] + doubtful_pages(read.pages, classes)
    return check_resubmission(load_service(m.office, m.service), m.variant, m, earlier, documents,
                              unread=[*bundle.rejected, *read.rejected], page_errors=errors)


@task(retries=3, retry_delay_seconds=1, **_quiet)
def save_results(
    application_id: int,
    read: ReadResult,
    bundle: Bundle,
    classes: Sequence[PageClass],
    documents: Sequence[Document],
    verdict: Verdict,
    resubmission_id: int | None = None,
) -> int:
    """Store the verification and move the case: a bundle handed to the office waits at its first step,
    an incomplete one goes back to the applicant, a resubmission comes back to the first check (and
    goes back again while incomplete). Returns the verification's attempt number (1 for the bundle's
    first check); a resubmission is stored once."""
    with session_scope(runtime.engine()) as s:
        found = resubmissions.get_resubmission(s, resubmission_id) if resubmission_id is not None else None
        if found is not None and found.verification_id is not None:
            return next(v.attempt for v in repository.verification_history(s, application_id)
                        if v.id == found.verification_id)
        if found is not None:
            resubmission.before_check(s, application_id)
        verification_id = repository.save_verification(
            s,
            application_id,
            pages=read.pages,
            classes=classes,
            documents=documents,
            verdict=verdict,
            rejected=[*bundle.rejected, *read.rejected],
        )
        detail = {"decision": str(verdict.decision)} | ({"perbaikan": found.sequence} if found else {})
        repository.append_event(s, application_id, "verifikasi", "izinflow", detail)
        attempt = repository.verification_history(s, application_id)[-1].attempt
        if found is not None:
            resubmissions.mark_checked(s, found.id, verification_id)
            resubmission.after_check(s, application_id, verdict, resubmission=found, attempt=attempt)
        else:
            start_case(s, application_id)  # a bundle handed to the office waits at its first step
            resubmission.system_return(s, application_id, verdict, attempt=attempt)
        return attempt


@task(**_quiet)
def open_case_run(application_id: int) -> None:
    """Start the case's run (`kasus-perizinan`), which waits, suspended, for the officers' decisions;
    when it cannot be started now, `izinflow kasus lanjutkan` starts it later."""
    try:
        case_runs.start_case_run(runtime.engine(), application_id)
    except Exception:
        get_run_logger().warning("run kasus permohonan %d belum dapat dibuat", application_id, exc_info=True)


@task(retries=1, **_quiet)
def render_outputs(record: repository.ApplicationRecord, verdict: Verdict, attempt: int) -> list[str]:
    """An incomplete bundle's return letter, issued (numbered, QR code, signed) once per attempt and
    copied into the application's outputs folder."""
    if verdict.decision != Decision.incomplete:
        return []
    office = load_office(record.office)
    issued = issue(
        runtime.engine(), record.id, StageDocument.surat_pengembalian_berkas, Pengembalian(verdict),
        tanggal=office_today(office), home=runtime.settings().home, round=attempt,
    )
    target = outputs_dir(runtime.workspace(), record.nomor_permohonan) / RETURN_LETTER
    tmp = target.with_suffix(".pdf.tmp")
    tmp.write_bytes(issued.path.read_bytes())
    tmp.replace(target)
    return [str(target)]


@task(**_quiet)
def publish_artifact(nomor_permohonan: str, bundle: Bundle, documents: Sequence[Document],
                     verdict: Verdict) -> None:
    """The operator's window in the Prefect UI: requirement, status, reason; personal data masked."""
    names = [bundle.manifest.pemohon.nama, *(d.fields.get("nama", "") for d in documents)]
    rows = [
        {
            "persyaratan": r.code,
            "status": str(r.status),
            "alasan": redact("; ".join(r.reasons), names),
            "halaman": ", ".join(f"{p.file}#{p.page}" for p in r.pages),
        }
        for r in verdict.requirements
    ]
    key = "verifikasi-" + nomor_permohonan.lower().replace("/", "-")
    create_table_artifact(
        rows, key=key, description=f"Hasil verifikasi {nomor_permohonan}: **{verdict.decision}**"
    )


def _from_deployment() -> bool:
    """Served mode: this run came from the `verifikasi` deployment, so the case deployment is there too
    (embedded runs, as in `izinflow check` and the tests, start no case runs)."""
    context = FlowRunContext.get()
    return context is not None and context.flow_run is not None and context.flow_run.deployment_id is not None


def _run_name() -> str:
    from prefect.runtime import flow_run

    return f"verifikasi-{flow_run.parameters['nomor_permohonan']}"


@flow(name="verifikasi-berkas", flow_run_name=_run_name, persist_result=False, log_prints=False)
def verification_flow(application_id: int, nomor_permohonan: str, resubmission_id: int | None = None) -> CheckReport:
    """``resubmission_id``: check the applicant's new files for a returned application (only those are
    read), merged with what the earlier attempts accepted."""
    log = get_run_logger()
    record, bundle, kept_at = load_bundle(application_id, resubmission_id)
    earlier = load_earlier_check(application_id) if resubmission_id is not None else None
    read = read_pages(bundle)
    read, classes = reclassify_doubtful(bundle, read, classify(read.pages), earlier.met() if earlier else frozenset())
    documents = second_look(bundle, read.pages, extract_documents(read.pages, classes))
    if earlier is None:
        verdict = check_requirements(bundle, classes, documents, read)
    else:
        documents, verdict = check_resubmitted(bundle, classes, documents, read, earlier)
    attempt = save_results(application_id, read, bundle, classes, documents, verdict, resubmission_id)
    if case_runs.served() and _from_deployment():
        open_case_run(application_id)
    outputs = render_outputs(record, verdict, attempt)
    publish_artifact(nomor_permohonan, bundle, documents, verdict)
    ocr_pages = sum(1 for p in read.pages if p.ocr)
    log.info(
        "%s: %d halaman (%d OCR), %d dokumen, keputusan %s",
        nomor_permohonan, len(read.pages), ocr_pages, len(documents), verdict.decision,
    )
    return CheckReport(
        bundle=kept_at,
        decision=verdict.decision,
        manifest=bundle.manifest,
        verdict=verdict,
        documents=documents,
        outputs=outputs,
        reasons=verdict.reasons,
        nomor_permohonan=nomor_permohonan,
    )
