"""A case's documents issued end to end: numbered by the store, signed with the office's key, a QR code
that leads to `izinflow verify`, stored with their hash; asked again, the same document."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import Engine

from checklists.load import load_office, load_service
from checklists.model import StageDocument
from flows.issuance import (
    case_facts,
    documents_dir,
    holder_of,
    issuance_parameters,
    issue,
    record_officer_decision,
    run_name,
)
from izinflow.demo import qr_codes
from izinflow.demo_case import DEMO_PEMERIKSA, content_for, demo_decision, document_set
from izinflow.domain import (
    Decision,
    DocType,
    Document,
    Manifest,
    PageRef,
    Pemohon,
    RequirementResult,
    RequirementStatus,
    TempatPraktik,
    Verdict,
)
from izinflow.pki import trust_roots
from renderers.document_inputs import BeritaAcaraPemeriksaan, IzinPraktik, Pengembalian, TandaTerima
from renderers.documents import DocumentError
from renderers.numbering import letter_number
from renderers.signing import validate_pdf
from store import repository
from store.db import session_scope
from store.issuance import documents_of, find_by_token, token_from

S = RequirementStatus
WIB = timezone(timedelta(hours=7))
NIK = "1407015203900002"
NAMA = "SITI AMINAH, A.Md.RMIK"
NOMOR_STR = "PM00001452360817"
TANGGAL = date(2026, 11, 24)
RHL = load_office("rokan-hilir")
RHL_SIP = load_service("rokan-hilir", "sip-perekam-medis")


def register(engine: Engine, label: str, decision: Decision = Decision.complete) -> int:
    """A received and checked Rokan Hilir SIP application; its STR read as valid for life."""
    manifest = Manifest(
        office="rokan-hilir", service="sip-perekam-medis", variant="baru",
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=WIB),
        pemohon=Pemohon(nama=NAMA, nik=NIK, email="siti@example.org"),
        tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"),
    )
    requirements = tuple(RequirementResult(r.code, S.met) for r in RHL_SIP.requirements_for("baru"))
    if decision == Decision.review:
        requirements = (*requirements[:-1], RequirementResult(requirements[-1].code, S.review, ("kurang jelas",)))
    str_document = Document(DocType.str, [PageRef("str.pdf", 1)], 0.95, False,
                            fields={"nama": NAMA, "nomor_str": NOMOR_STR, "berlaku_sampai": "seumur hidup"})
    with session_scope(engine) as s:
        record, _ = repository.register_application(
            s, bundle_sha256=hashlib.sha256(label.encode()).hexdigest(), manifest=manifest,
            original_path=f"/var/originals/{label}", office_prefix="RHL",
            received_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        )
        repository.save_verification(
            s, record.id, pages=[], classes=[], documents=[str_document],
            verdict=Verdict(decision, requirements), rejected=[],
        )
    return record.id


def issue_stage(engine: Engine, application_id: int, kind: StageDocument, home: Path):
    with session_scope(engine) as s:
        case = case_facts(s, application_id)
    return issue(engine, application_id, kind, content_for(kind, case, TANGGAL), tanggal=TANGGAL, home=home)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("issuance-home")


@pytest.fixture(scope="module")
def full_set(engine: Engine, home: Path) -> tuple[int, list]:
    app = register(engine, "full-set")
    return app, [issue_stage(engine, app, kind, home) for kind in document_set(RHL_SIP)]


def test_a_complete_case_gets_its_full_set_in_procedure_order(full_set) -> None:
    _, records = full_set
    assert document_set(RHL_SIP) == (
        StageDocument.tanda_terima_berkas, StageDocument.berita_acara_pemeriksaan_berkas, StageDocument.izin
    )
    assert [r.kind for r in records] == list(document_set(RHL_SIP))


def test_each_document_is_numbered_stored_with_its_hash_signed_and_carries_its_qr_code(
    engine: Engine, home: Path, full_set, tmp_path: Path
) -> None:
    app, records = full_set
    roots = trust_roots(home)
    for record in records:
        assert record.nomor_surat == letter_number(RHL, record.kind, record.sequence, TANGGAL)
        assert record.path.parent == (documents_dir(home) / "rokan-hilir" / "2026").resolve()
        data = record.path.read_bytes()
        assert (record.sha256, record.size) == (hashlib.sha256(data).hexdigest(), len(data))
        check = validate_pdf(data, roots)
        assert check.valid and check.signer == RHL.signatory.nama, check.reason
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = " ".join(page.extract_text() for page in pdf.pages)
        assert record.nomor_surat in text and NAMA in text and NIK not in text

        [url] = qr_codes(record.path, tmp_path)
        with session_scope(engine) as s:
            view = find_by_token(s, token_from(url))
        assert view is not None and view.nomor_surat == record.nomor_surat and view.holder == NAMA
    with session_scope(engine) as s:
        assert documents_of(s, app) == records


def test_the_permit_runs_five_years_on_a_lifetime_str_and_the_verification_shows_it(engine: Engine, full_set) -> None:
    _, records = full_set
    izin = records[-1]
    assert izin.valid_until == date(2031, 11, 24)
    with session_scope(engine) as s:
        view = find_by_token(s, izin.token)
    assert view is not None and view.valid_until == date(2031, 11, 24)
    with pdfplumber.open(izin.path) as pdf:
        text = pdf.pages[0].extract_text()
    assert NOMOR_STR in text and "seumur hidup" in text


def test_issuing_a_stage_again_returns_the_same_number_and_file(engine: Engine, home: Path, full_set) -> None:
    app, records = full_set
    files = sorted(documents_dir(home).rglob("*.pdf"))
    again = [issue_stage(engine, app, kind, home) for kind in document_set(RHL_SIP)]
    assert again == records
    assert sorted(documents_dir(home).rglob("*.pdf")) == files
    with session_scope(engine) as s:
        issued = case_facts(s, app).issued
    assert {k: r.nomor for k, r in issued.items()} == {r.kind: r.nomor_surat for r in records}


def test_a_bundle_left_to_a_person_gets_its_receipt_only_after_an_officers_decision(engine: Engine) -> None:
    app = register(engine, "review", Decision.review)
    with session_scope(engine) as s:
        case = case_facts(s, app)
    with pytest.raises(DocumentError, match="menunggu keputusan petugas"):
        content_for(StageDocument.tanda_terima_berkas, case, TANGGAL)
    with pytest.raises(DocumentError, match="menunggu keputusan petugas"):
        content_for(StageDocument.izin, case, TANGGAL)
    assert case.verdict is not None
    koreksi = demo_decision(case.verdict, case.office)
    assert [k.code for k in koreksi] == [RHL_SIP.requirements_for("baru")[-1].code]
    with session_scope(engine) as s:
        record_officer_decision(s, app, koreksi, "petugas-demo", note="keputusan petugas (demo)")
        decided = case_facts(s, app)
    receipt = content_for(StageDocument.tanda_terima_berkas, decided, TANGGAL)
    assert isinstance(receipt, TandaTerima) and all(r.status == S.met for r in receipt.verdict.requirements)
    berita_acara = content_for(StageDocument.berita_acara_pemeriksaan_berkas, decided, TANGGAL)
    assert isinstance(berita_acara, BeritaAcaraPemeriksaan) and berita_acara.koreksi == koreksi
    # No officer acted in the review app (the demo's and the CLI's way): the demo's examiners are named.
    assert berita_acara.pemeriksa == DEMO_PEMERIKSA["rokan-hilir"]
    assert isinstance(content_for(StageDocument.izin, decided, TANGGAL), IzinPraktik)


def test_an_incomplete_bundle_gets_no_receipt_and_a_facility_document_stands_in_the_facilitys_name(
    engine: Engine,
) -> None:
    app = register(engine, "incomplete", Decision.incomplete)
    with session_scope(engine) as s:
        case = case_facts(s, app)
    with pytest.raises(DocumentError, match="surat pengembalian berkas"):
        content_for(StageDocument.tanda_terima_berkas, case, TANGGAL)
    assert holder_of(case.permohonan, content_for(StageDocument.surat_pengembalian_berkas, case, TANGGAL)) == NAMA


def test_the_flow_is_given_ids_and_kinds_only(engine: Engine, full_set) -> None:
    app, _ = full_set
    params = issuance_parameters(app, document_set(RHL_SIP))
    assert params == {"application_id": app,
                      "kinds": ["tanda_terima_berkas", "berita_acara_pemeriksaan_berkas", "izin"]}
    with session_scope(engine) as s:
        nomor = repository.get_application(s, app).nomor_permohonan  # type: ignore[union-attr]
    name = run_name(engine, app)
    assert name == f"terbitkan-{nomor}"
    seen = json.dumps(params) + name
    assert "SITI" not in seen.upper() and NIK not in seen and NIK[:4] not in seen


def test_the_prefect_flow_issues_the_set_under_the_application_number(tmp_path: Path, monkeypatch) -> None:
    from prefect.client.orchestration import get_client
    from prefect.testing.utilities import prefect_test_harness

    from flows import runtime
    from flows.issuance import issuance_flow

    monkeypatch.setenv("IZINFLOW_HOME", str(tmp_path))
    monkeypatch.delenv("IZINFLOW_DATABASE_URL", raising=False)
    monkeypatch.delenv("IZINFLOW_SIGNING_DIR", raising=False)
    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()
    try:
        app = register(runtime.engine(), "flow")
        with prefect_test_harness(), runtime.embedded_prefect():
            state = issuance_flow(**issuance_parameters(app, document_set(RHL_SIP)), return_state=True)
            with get_client(sync_client=True) as client:
                run = client.read_flow_run(state.state_details.flow_run_id)
        records = state.result()
        assert run.name == run_name(runtime.engine(), app) and run.name.startswith("terbitkan-RHL-")
        assert run.parameters == issuance_parameters(app, document_set(RHL_SIP))
        assert [r.kind for r in records] == list(document_set(RHL_SIP))
        assert all(validate_pdf(r.path.read_bytes(), trust_roots(tmp_path)).valid for r in records)
    finally:
        for cached in (runtime.settings, runtime.engine, runtime.workspace):
            cached.cache_clear()


def test_a_return_letter_is_issued_once_per_verification_attempt(engine: Engine, home: Path) -> None:
    app = register(engine, "return", Decision.incomplete)
    with session_scope(engine) as s:
        verdict = case_facts(s, app).verdict
    assert verdict is not None
    verdict = replace(verdict, requirements=(RequirementResult("ktp", S.missing, ("KTP tidak ditemukan",)),))
    kind = StageDocument.surat_pengembalian_berkas
    first = issue(engine, app, kind, Pengembalian(verdict), tanggal=TANGGAL, home=home, round=1)
    again = issue(engine, app, kind, Pengembalian(verdict), tanggal=TANGGAL, home=home, round=1)
    second = issue(engine, app, kind, Pengembalian(verdict), tanggal=TANGGAL, home=home, round=2)
    assert again == first and second.sequence == first.sequence + 1
    assert validate_pdf(second.path.read_bytes(), trust_roots(home)).valid
