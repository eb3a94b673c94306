"""The applicant's side of the loop: a returned application is completed by a resubmission (the same
application number, new files). Only the new files are read, what was accepted stays accepted with its
pages, the case comes back to the office's first check, and every attempt and return letter stays."""

from __future__ import annotations

import asyncio
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import QUICK_HASHER, Clock, login, make_user

from checklists.lifecycle import Action, CaseStatus, IllegalTransition, apply, initial_state
from checklists.load import load_service
from checklists.model import Role, StageDocument
from checklists.resubmission import EarlierCheck, check_resubmission
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
)
from izinflow.report import CheckReport

S = RequirementStatus
RHL = load_service("rokan-hilir", "sip-perekam-medis")
FIRST_CHECK = 4  # Rokan Hilir: the back office checks the bundle


# --- a born-digital Rokan Hilir bundle ----------------------------------------------------------------


@dataclass(frozen=True)
class Papers:
    application: dict[str, object]
    files: dict[str, bytes]  # document type -> file (text PDF), every required one


@pytest.fixture(scope="module")
def papers() -> Papers:
    """An applicant from Rokan Hilir (no domicile letter needed) whose every paper is in order."""
    from izinflow.samples.plan import plan_sample
    from izinflow.samples.render import render_doc

    for seed in range(200):
        rng = random.Random(f"perbaikan-{seed}")
        plan = plan_sample(rng, 0, "rokan-hilir", "baru", False)
        if not plan.defects and plan.person.kode_wilayah == "1407":
            break
    files = {}
    for doc in plan.docs:
        if doc.doc_type in ("lainnya", "kosong"):
            continue
        doc.scanned = False
        rendered = render_doc(rng, doc)
        if rendered.pdf is not None:
            files[doc.doc_type] = rendered.pdf
    assert {"ktp", "npwp", "str", "surat_permohonan"} <= set(files)
    return Papers(plan.application, files)


def write_bundle(folder: Path, application: dict[str, object], files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    (folder / "application.json").write_text(json.dumps(application), encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def resubmission_of(papers: Papers, nomor: str, **changes: object) -> dict[str, object]:
    later = datetime.fromisoformat(str(papers.application["submitted_at"])) + timedelta(days=3)
    return {**papers.application, "submitted_at": later.isoformat(), "resubmission_of": nomor, **changes}


# --- the story, through the intake as the office runs it ----------------------------------------------


@dataclass
class Story:
    home: Path
    first: CheckReport
    unknown: CheckReport
    still_incomplete: CheckReport
    complete: CheckReport
    not_returned: CheckReport
    again: CheckReport
    prefect_seen: str  # every run, artifact and log Prefect keeps, as JSON
    read: list[list[str]]  # the files each reading was given, in order
    reread: list[tuple[int, list[str]]]  # (readings before it, the files of the pages read again)


@pytest.fixture(scope="module")
def story(papers: Papers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    from prefect.testing.utilities import prefect_test_harness

    from flows import runtime, verification

    home = tmp_path_factory.mktemp("perbaikan-home")
    bundles = tmp_path_factory.mktemp("perbaikan-bundles")
    mp = pytest.MonkeyPatch()
    mp.setenv("IZINFLOW_HOME", str(home))
    mp.delenv("IZINFLOW_DATABASE_URL", raising=False)
    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()
    read: list[list[str]] = []
    reread: list[tuple[int, list[str]]] = []
    reading, block_reading = verification.read_bundle_pages, verification.reread_as_block

    def counted_reading(files, **kwargs):  # type: ignore[no-untyped-def]
        read.append([f.name for f in files])
        return reading(files, **kwargs)

    def counted_block_reading(files, pages, **kwargs):  # type: ignore[no-untyped-def]
        reread.append((len(read), sorted({p.ref.file for p in pages})))
        return block_reading(files, pages, **kwargs)

    mp.setattr(verification, "read_bundle_pages", counted_reading)
    mp.setattr(verification, "reread_as_block", counted_block_reading)
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    without_ktp = {f"{kind}.pdf": data for kind, data in papers.files.items() if kind != "ktp"}

    def drop(name: str, application: dict[str, object], files: dict[str, bytes]) -> CheckReport:
        source = write_bundle(bundles / name, application, files)
        shutil.copytree(source, inbox / name)
        from flows.intake import intake_flow

        [report] = intake_flow()
        return report

    with prefect_test_harness():
        first = drop("berkas", papers.application, without_ktp)
        nomor = first.nomor_permohonan
        assert nomor is not None
        unknown = drop("salah-nomor", resubmission_of(papers, nomor[:-3] + "999"), {"ktp.pdf": papers.files["ktp"]})
        still = drop("perbaikan-1", resubmission_of(papers, nomor), {"npwp.pdf": papers.files["npwp"]})
        complete = drop("perbaikan-2", resubmission_of(papers, nomor), {"ktp.pdf": papers.files["ktp"]})
        late = drop("perbaikan-3", resubmission_of(papers, nomor), {"ktp-lagi.pdf": papers.files["ktp"]})
        again = drop("perbaikan-2-lagi", resubmission_of(papers, nomor), {"ktp.pdf": papers.files["ktp"]})
        prefect_seen = asyncio.run(_prefect_records())
    yield Story(home, first, unknown, still, complete, late, again, prefect_seen, read, reread)
    mp.undo()
    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()


async def _prefect_records() -> str:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        http = client._client  # the plain REST API: the whole record, as the UI reads it
        found = [(await http.post(f"/{kind}/filter", json={"limit": 200})).json()
                 for kind in ("flow_runs", "task_runs", "artifacts", "logs")]
    return json.dumps(found, default=str)


def status_of(report: CheckReport, code: str) -> str:
    return next(str(r.status) for r in report.verdict.requirements if r.code == code)  # type: ignore[union-attr]


def quarantine_reasons(home: Path) -> dict[str, str]:
    """Quarantined bundle name -> its reason file."""
    found = {}
    for reason in home.glob("quarantine/*/reason.txt"):
        [bundle] = [p.name for p in reason.parent.iterdir() if p.name != "reason.txt"]
        found[bundle] = reason.read_text(encoding="utf-8")
    return found


def test_the_missing_ktp_sends_the_bundle_back_with_a_letter(story: Story, papers: Papers) -> None:
    assert story.first.decision == Decision.incomplete and status_of(story.first, "ktp") == "missing"
    assert status_of(story.first, "npwp") == "met" and status_of(story.first, "str") == "met"
    assert sorted(story.read[0]) == sorted(f"{kind}.pdf" for kind in papers.files if kind != "ktp")


def test_the_resubmitted_ktp_alone_is_read_and_completes_the_bundle(story: Story, papers: Papers) -> None:
    # One reading per bundle checked: the first bundle, then each accepted resubmission with its one new file.
    assert story.read[1:] == [["perbaikan-1/npwp.pdf"], ["perbaikan-2/ktp.pdf"]]
    assert all(f.startswith("perbaikan-") for before, files in story.reread if before > 1 for f in files)
    report = story.complete
    assert report.decision == Decision.complete, report.verdict
    assert status_of(report, "ktp") == "met" and status_of(report, "surat_keterangan_domisili") == "not_required"
    ktp = next(r for r in report.verdict.requirements if r.code == "ktp")  # type: ignore[union-attr]
    assert ktp.pages == (PageRef("perbaikan-2/ktp.pdf", 1),)
    # What the first bundle proved stays, with its pages in the first bundle's files.
    first_npwp = next(r for r in story.first.verdict.requirements if r.code == "npwp")  # type: ignore[union-attr]
    npwp = next(r for r in report.verdict.requirements if r.code == "npwp")  # type: ignore[union-attr]
    assert npwp == first_npwp and npwp.pages[0].file == "npwp.pdf"
    kinds = sorted(str(d.doc_type) for d in report.documents)
    assert kinds.count("ktp") == 1 and kinds.count("npwp") == 1 and len(kinds) == len(papers.files)


def test_a_resubmission_still_incomplete_goes_back_with_a_new_letter(story: Story) -> None:
    report = story.still_incomplete
    assert report.decision == Decision.incomplete and status_of(report, "ktp") == "missing"
    assert any(o.endswith("surat-pengembalian-berkas.pdf") for o in report.outputs)


def test_the_case_is_back_at_the_first_check_with_its_history(story: Story) -> None:
    from sqlalchemy import select

    from flows import runtime
    from store import cases, models, repository, resubmissions
    from store.db import session_scope
    from store.issuance import documents_of

    with session_scope(runtime.engine()) as s:
        record = repository.get_application(s, story.complete.nomor_permohonan or "")
        assert record is not None
        state = cases.case_state(s, record.id, RHL)
        history = cases.history(s, record.id)
        attempts = repository.verification_history(s, record.id)
        letters = [d for d in documents_of(s, record.id) if d.kind == StageDocument.surat_pengembalian_berkas]
        kept = resubmissions.resubmissions_of(s, record.id)
        files = {a.attempt: sorted(s.execute(select(models.StoredFile.name)
                                             .where(models.StoredFile.verification_id == a.id)).scalars())
                 for a in attempts}
    assert (state.status, state.step) == (CaseStatus.diproses, FIRST_CHECK) and record.status == "diproses"
    assert [(h.action, h.role, h.actor) for h in history] == [
        ("kembalikan_otomatis", "sistem", "sistem"), ("ajukan_ulang", "pemohon", "pemohon"),
        ("kembalikan_otomatis", "sistem", "sistem"), ("ajukan_ulang", "pemohon", "pemohon"),
    ]
    assert history[0].documents == ("surat_pengembalian_berkas",) and "KTP" in history[0].reason
    # Every attempt is kept with its own files and verdict; each return has its letter.
    assert [a.decision for a in attempts] == [Decision.incomplete, Decision.incomplete, Decision.complete]
    assert files[2] == ["perbaikan-1/npwp.pdf"] and files[3] == ["perbaikan-2/ktp.pdf"]
    assert "npwp.pdf" in files[1] and "ktp.pdf" not in files[1]
    assert [d.round for d in letters] == [1, 2] and all(d.path.is_file() for d in letters)
    assert [(k.sequence, k.verification_id) for k in kept] == [(1, attempts[1].id), (2, attempts[2].id)]


def test_an_unknown_application_number_is_quarantined_with_its_reason(story: Story) -> None:
    assert story.unknown.decision == Decision.unreadable
    assert "tidak terdaftar" in story.unknown.reasons[0]
    assert "tidak terdaftar" in quarantine_reasons(story.home)["salah-nomor"]


def test_a_resubmission_for_a_case_not_returned_is_refused(story: Story) -> None:
    assert story.not_returned.decision == Decision.unreadable
    reason = story.not_returned.reasons[0]
    assert "tidak sedang dikembalikan kepada pemohon" in reason and "sedang diproses petugas" in reason
    assert reason in quarantine_reasons(story.home)["perbaikan-3"]


def test_prefect_sees_ids_and_no_personal_data(story: Story, papers: Papers) -> None:
    assert "resubmission_id" in story.prefect_seen
    applicant = papers.application["applicant"]
    assert isinstance(applicant, dict)
    assert applicant["nik"] not in story.prefect_seen
    for word in str(applicant["nama"]).split():
        assert word.upper() not in story.prefect_seen.upper(), word


def test_the_same_resubmission_twice_is_checked_once(story: Story) -> None:
    assert story.again.decision == Decision.complete and len(story.read) == 3
    assert (story.home / "originals").is_dir() and "perbaikan-2-lagi" not in quarantine_reasons(story.home)


def test_the_case_page_shows_the_new_and_the_carried_pages(story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import runtime
    from store import accounts, casework, repository
    from store.db import session_scope
    from web import create_app

    monkeypatch.setattr(accounts, "HASHER", QUICK_HASHER)
    engine = runtime.engine()
    with session_scope(engine) as s:
        record = repository.get_application(s, story.complete.nomor_permohonan or "")
        assert record is not None
        pages = {p.file_name: p.id for p in casework.latest_pages(s, record.id)}
    assert "perbaikan-2/ktp.pdf" in pages and "npwp.pdf" in pages and "perbaikan-1/npwp.pdf" not in pages
    with TestClient(create_app(engine, story.home, clock=Clock(datetime.now(UTC)))) as client:
        assert login(client, make_user(engine, "back_office")).status_code == 303
        page = client.get(f"/permohonan/{record.id}").text
        assert f"/berkas/halaman/{pages['perbaikan-2/ktp.pdf']}.png" in page
        for name in ("perbaikan-2/ktp.pdf", "npwp.pdf"):  # drawn from the resubmission's bundle and the first
            image = client.get(f"/berkas/halaman/{pages[name]}.png")
            assert image.status_code == 200 and image.content.startswith(b"\x89PNG"), name


# --- the merge itself (pure) ----------------------------------------------------------------------------


NIK = "1407015203900002"
NAMA = "SITI AMINAH"
FORM = Manifest(office="rokan-hilir", service="sip-perekam-medis", variant="baru",
                submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=UTC), pemohon=Pemohon(nama=NAMA, nik=NIK),
                tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"))


def _document(kind: DocType, file: str, page: int = 1, **fields: str) -> Document:
    return Document(kind, [PageRef(file, page)], 0.95, False, fields={"nama": NAMA, **fields})


def test_what_was_met_stays_met_and_a_finding_nothing_new_answers_stands() -> None:
    str_page, ijazah_page = PageRef("berkas.pdf", 1), PageRef("berkas.pdf", 2)
    earlier = EarlierCheck(
        documents=[Document(DocType.str, [str_page], 0.4, True, fields={"nama": NAMA}),
                   _document(DocType.ijazah, "berkas.pdf", 2), _document(DocType.npwp, "npwp.pdf")],
        results=[
            RequirementResult("str", S.met, ("STR kurang jelas terbaca",), (str_page,)),  # accepted by an officer
            RequirementResult("ijazah", S.invalid, ("ijazah belum dilegalisasi",), (ijazah_page,)),
            RequirementResult("npwp", S.invalid, ("nama pada NPWP tidak sesuai",), (PageRef("npwp.pdf", 1),)),
            RequirementResult("ktp", S.missing, ("dokumen tidak ditemukan",)),
        ],
    )
    new = [_document(DocType.ktp, "perbaikan-1/ktp.pdf", nik=NIK)]
    documents, verdict = check_resubmission(RHL, "baru", FORM, earlier, new)
    by_code = {r.code: r for r in verdict.requirements}
    assert by_code["str"] == RequirementResult("str", S.met, (), (str_page,))  # the officer's word stands
    assert by_code["ijazah"] == earlier.results[1] and by_code["npwp"] == earlier.results[2]
    assert by_code["ktp"].status == S.met and by_code["ktp"].pages == (PageRef("perbaikan-1/ktp.pdf", 1),)
    assert by_code["surat_keterangan_domisili"].status == S.not_required  # the new KTP is from Rokan Hilir
    assert verdict.decision == Decision.incomplete  # the ijazah, the NPWP and the rest are still wanting
    assert [str(d.doc_type) for d in documents] == ["ktp", "str", "ijazah", "npwp"]


def test_a_new_document_replaces_a_rejected_one() -> None:
    npwp_page = PageRef("npwp.pdf", 1)
    earlier = EarlierCheck(
        documents=[_document(DocType.npwp, "npwp.pdf", npwp="09.254.294.3-407.000")],
        results=[RequirementResult("npwp", S.invalid, ("nama pada NPWP tidak sesuai",), (npwp_page,))],
    )
    new = [_document(DocType.npwp, "perbaikan-1/npwp.pdf", npwp="09.254.294.3-407.000")]
    documents, verdict = check_resubmission(RHL, "baru", FORM, earlier, new)
    npwp = next(r for r in verdict.requirements if r.code == "npwp")
    assert npwp.status == S.met and npwp.pages == (PageRef("perbaikan-1/npwp.pdf", 1),)
    assert documents == new  # the rejected one is not carried


def test_the_system_returns_a_bundle_only_at_the_first_check_and_only_the_system() -> None:
    start = initial_state(RHL)
    returned = apply(RHL, start, Action.kembalikan_otomatis, Role.sistem)
    assert returned.to_state.status == CaseStatus.dikembalikan
    assert returned.produces == StageDocument.surat_pengembalian_berkas
    back = apply(RHL, returned.to_state, Action.ajukan_ulang, Role.pemohon).to_state
    assert (back.status, back.step) == (CaseStatus.diproses, FIRST_CHECK)
    later = apply(RHL, back, Action.teruskan, Role.back_office).to_state
    with pytest.raises(IllegalTransition):
        apply(RHL, later, Action.kembalikan_otomatis, Role.sistem)
    with pytest.raises(IllegalTransition):
        apply(RHL, back, Action.kembalikan_otomatis, Role.back_office)
    with pytest.raises(IllegalTransition):
        apply(RHL, start, Action.kembalikan, Role.sistem)


def test_the_form_names_the_application_it_completes_in_an_optional_field(papers: Papers) -> None:
    from checklists.load import is_known_service
    from extractors.bundle import parse_manifest
    from extractors.errors import BundleError

    def parsed(**changes: object) -> Manifest:
        return parse_manifest(json.dumps({**papers.application, **changes}).encode(), is_known_service)

    assert parse_manifest(json.dumps(papers.application).encode(), is_known_service).resubmission_of == ""
    assert parsed(resubmission_of=" RHL-2026-000007 ").resubmission_of == "RHL-2026-000007"
    assert parsed(resubmission_of="").resubmission_of == ""
    with pytest.raises(BundleError, match="resubmission_of"):
        parsed(resubmission_of=7)
