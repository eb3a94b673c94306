"""A Rokan Hilir case walked in a real browser (Playwright driving Debian's chromium, headless), from
the counter's upload to the signed permit, by four officers; screenshots of the upload page, the queue
and the case page (before and after) are kept in ``test-artifacts/`` at the repository's root. A second
case comes without the applicant's KTP: the check sends it back with its return letter, and the KTP,
brought to the counter as a resubmission, brings it back to the back office (``permohonan-perbaikan.png``).

The app runs under uvicorn in a thread against a temporary workspace and SQLite store; the intake
that `make serve` runs every minute is run here, in-process, right after the upload.
"""

from __future__ import annotations

import contextvars
import hashlib
import io
import json
import random
import re
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from pypdf import PdfReader
from sqlalchemy import Engine
from web_support import PASSWORD, QUICK_HASHER, make_user

from checklists.lifecycle import ACTION_LABEL, Action
from checklists.load import load_service
from checklists.model import StageDocument
from flows.decisions import start_case
from izinflow.demo_case import label as document_label
from izinflow.domain import Decision, Manifest, Pemohon, RequirementResult, RequirementStatus, TempatPraktik, Verdict
from izinflow.report import CheckReport
from izinflow.samples.people import random_person
from store import accounts, repository
from store.db import session_scope
from store.issuance import IssuedDocumentRecord, documents_of
from web import create_app
from web.labels import DECISION_LABEL, DOCUMENT_LABEL, EVENT_LABEL, REQUIREMENT_STATUS_LABEL, ROLE_LABEL, STATUS_LABEL
from web.upload import RECEIVED

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
VIEWPORT = {"width": 1366, "height": 768}
# A Rokan Hilir `baru` bundle without defects whose documents are all born digital (read without OCR).
SEED, INDEX = 115, 10
RHL = load_service("rokan-hilir", "sip-perekam-medis")
# The file that holds the pas foto alone arrives cut short: the pas foto may be in it, so the check
# leaves that requirement to a person instead of calling the bundle incomplete.
DAMAGED_FILE = "CamScanner"
LEFT_TO_A_PERSON = "pas_foto"
OVERRIDE_REASON = "Pas foto 4x6 asli diserahkan pemohon di loket; berkas pindaiannya rusak"
OFFICERS = {
    "back_office": "Rina Kartika",
    "penata_perizinan_ahli_muda": "Dedi Saputra, S.Sos.",
    "penata_perizinan_ahli_madya": "Nurhayati, S.H., M.H.",
    "kepala_dinas": "H. Ahmad Fauzi, S.STP., M.Si.",
}
# The second case: the applicant leaves the KTP out, the check sends the bundle back, the KTP follows.
LEFT_OUT = "ktp"
WALK = [
    ("back_office", Action.teruskan, StageDocument.tanda_terima_berkas),
    ("penata_perizinan_ahli_muda", Action.teruskan, StageDocument.berita_acara_pemeriksaan_berkas),
    ("penata_perizinan_ahli_madya", Action.setujui, None),
    ("back_office", Action.beri_nomor, None),
    ("kepala_dinas", Action.tandatangani, StageDocument.izin),
]


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return found


@dataclass
class Office:
    url: str
    home: Path
    engine: Engine
    usernames: dict[str, str]  # role -> an officer of that role


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """The review app served by uvicorn on a free port, over a fresh workspace with the demo PKI."""
    from flows import runtime
    from izinflow.pki import ensure_demo_pki_for_catalogue

    home = tmp_path_factory.mktemp("browser-home")
    patch = pytest.MonkeyPatch()
    patch.setenv("IZINFLOW_HOME", str(home))
    patch.delenv("IZINFLOW_DATABASE_URL", raising=False)
    patch.delenv("IZINFLOW_SIGNING_DIR", raising=False)
    patch.setattr(accounts, "HASHER", QUICK_HASHER)
    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    try:
        engine = runtime.engine()  # the store the intake writes to, migrated
        ensure_demo_pki_for_catalogue(home)
        usernames = {role: make_user(engine, role, nama=nama) for role, nama in OFFICERS.items()}
        other_applications(engine)
        listening = socket.create_server(("127.0.0.1", 0))
        port = listening.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(engine, home), log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
            time.sleep(0.05)
        yield Office(f"http://127.0.0.1:{port}", home, engine, usernames)
    finally:
        if server is not None and thread is not None:
            server.should_exit = True
            thread.join(timeout=10)
        patch.undo()
        for cached in (runtime.settings, runtime.engine, runtime.workspace):
            cached.cache_clear()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The applicant's .zip as it reaches the counter, under the applicant's own file name."""
    from izinflow.samples.generate import generate_one

    folder = tmp_path_factory.mktemp("browser-bundle")
    generated = generate_one(folder, SEED, INDEX, "rokan-hilir", "baru", zip_share=1.0)
    assert generated.decision == "complete" and generated.path.suffix == ".zip"
    target = folder / "Berkas SIP Perekam Medis (final).zip"
    damaged = 0
    with zipfile.ZipFile(generated.path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.startswith(DAMAGED_FILE):
                data, damaged = data[: len(data) // 3], damaged + 1
            out.writestr(entry.filename, data)
    assert damaged == 1
    return target


@dataclass(frozen=True)
class Papers:
    application: dict[str, object]  # the portal's form (application.json)
    files: dict[str, bytes]  # file name -> a born-digital PDF, one for each paper the applicant holds


@pytest.fixture(scope="module")
def papers() -> Papers:
    """Another Rokan Hilir applicant (from the regency: no domicile letter needed) whose every paper is in
    order, each in a PDF of its own as a computer makes it (read without OCR)."""
    from izinflow.samples.plan import plan_sample
    from izinflow.samples.render import render_doc

    a_day_ago = datetime.now(UTC) - timedelta(days=1)
    for seed in range(200):
        rng = random.Random(f"browser-perbaikan-{seed}")
        plan = plan_sample(rng, 0, "rokan-hilir", "baru", False)
        if not plan.defects and plan.person.kode_wilayah == "1407" and plan.submitted_at < a_day_ago:
            break
    else:
        pytest.fail("no sample applicant without defects from Rokan Hilir")
    files = {}
    for doc in plan.docs:
        if doc.doc_type in ("lainnya", "kosong"):
            continue
        doc.scanned = False
        rendered = render_doc(rng, doc)
        assert rendered.pdf is not None, doc.doc_type
        files[f"{doc.doc_type}.pdf"] = rendered.pdf
    assert f"{LEFT_OUT}.pdf" in files
    return Papers(plan.application, files)


def zipped(path: Path, application: dict[str, object], files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("application.json", json.dumps(application, ensure_ascii=False))
        for name, data in files.items():
            out.writestr(name, data)
    return path


def other_applications(engine: Engine) -> None:
    """Other applications of the office, registered straight into the store, so that the queue looks as
    on a working day: one past its deadline, one on time, one sent back, one renewal left to a person."""
    now = datetime.now(UTC)
    rng = random.Random(INDEX)
    for number, (variant, decision, age_days) in enumerate([
        ("baru", Decision.complete, 12), ("perpanjangan", Decision.review, 3), ("baru", Decision.incomplete, 6),
        ("baru", Decision.complete, 1),
    ]):
        person = random_person(rng, "1407")
        submitted = now - timedelta(days=age_days, hours=rng.randint(1, 6))
        manifest = Manifest(office="rokan-hilir", service=RHL.code, variant=variant, submitted_at=submitted,
                            pemohon=Pemohon(nama=person.nama, nik=person.nik),
                            tempat_praktik=TempatPraktik("RSUD Dr. R.M. Pratomo", "Jl. Utama No. 1, Bagansiapiapi"))
        codes = [r.code for r in RHL.requirements_for(variant)]
        last = {Decision.complete: RequirementStatus.met, Decision.review: RequirementStatus.review,
                Decision.incomplete: RequirementStatus.missing}[decision]
        verdict = Verdict(decision, (*(RequirementResult(c, RequirementStatus.met) for c in codes[:-1]),
                                     RequirementResult(codes[-1], last)))
        with session_scope(engine) as s:
            record, _ = repository.register_application(
                s, bundle_sha256=hashlib.sha256(f"lain-{number}".encode()).hexdigest(), manifest=manifest,
                original_path=f"/tidak-ada/lain-{number}.zip", office_prefix="RHL", received_at=submitted,
            )
            repository.save_verification(s, record.id, pages=[], classes=[], documents=[], verdict=verdict,
                                         rejected=[])
            start_case(s, record.id)


@contextmanager
def intake_runs() -> Iterator[Callable[[], list[CheckReport]]]:
    """What the `intake` deployment does every minute under `make serve`: the function yielded runs it
    here and now, as often as called, on one temporary Prefect server."""
    from prefect.testing.utilities import prefect_test_harness

    from flows import runtime
    from flows.intake import intake_flow

    def intake() -> list[CheckReport]:
        # In a thread of its own, as the deployment runs in a process of its own: the browser's event loop
        # (Playwright's sync API) is not the flow's, and signing a letter runs one of its own.
        with ThreadPoolExecutor(max_workers=1) as worker:
            return worker.submit(contextvars.copy_context().run, intake_flow).result()

    with prefect_test_harness(server_startup_timeout=60), runtime.embedded_prefect():
        yield intake


def run_intake() -> list[CheckReport]:
    """One run of the intake, now."""
    with intake_runs() as intake:
        return intake()


def shoot(page: sync_api.Page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/, every page image loaded first."""
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)",
                           timeout=20_000)
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def issued_now(engine: Engine, nomor: str) -> dict[StageDocument, IssuedDocumentRecord]:
    with session_scope(engine) as s:
        record = repository.get_application(s, nomor)
        assert record is not None
        return {d.kind: d for d in documents_of(s, record.id)}


def flash(page: sync_api.Page) -> sync_api.Locator:
    return page.locator("p.flash")


def sign_in(browser: sync_api.Browser, office: Office, role: str) -> sync_api.Page:
    """The role's officer, signed in through the login form in a browser context of their own."""
    expect = sync_api.expect
    context = browser.new_context(viewport=VIEWPORT, base_url=office.url, accept_downloads=True,
                                  locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", office.usernames[role])
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Antrian kerja")).to_be_visible()
    expect(page.locator("header .name")).to_have_text(OFFICERS[role])
    return page


def open_case(page: sync_api.Page, nomor: str) -> None:
    """The case, opened from the officer's own work queue (the cases waiting for the officer's role)."""
    page.locator("nav.side").get_by_role("link", name="Antrian kerja").click()
    page.get_by_role("link", name=nomor).click()
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text(nomor)


def upload(page: sync_api.Page, bundle: Path) -> str:
    """The counter's upload of one .zip, through the upload page; the upload's code the page gives back."""
    page.get_by_role("link", name="Unggah berkas").click()
    page.set_input_files("#berkas", bundle)
    page.get_by_role("button", name="Unggah", exact=True).click()
    sync_api.expect(flash(page)).to_contain_text(RECEIVED)
    code = re.search(r"Kode unggahan: (unggah-[0-9T]+-[0-9a-f]+)", flash(page).inner_text())
    assert code is not None, flash(page).inner_text()
    return code.group(1)


def test_a_rokan_hilir_case_goes_from_the_counters_upload_to_its_signed_permit(office: Office, bundle: Path) -> None:
    expect = sync_api.expect
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True)
        pages: dict[str, sync_api.Page] = {}

        def officer(role: str) -> sync_api.Page:
            """The role's officer, signed in through the login form in a browser of their own."""
            if role not in pages:
                pages[role] = sign_in(browser, office, role)
            return pages[role]

        try:
            # The counter: the applicant's .zip, uploaded; the inbox holds it under the app's own name.
            back_office = officer("back_office")
            upload(back_office, bundle)
            expect(back_office.get_by_role("link", name="Buka antrian kerja")).to_be_visible()
            shots = [shoot(back_office, "unggah.png")]
            inbox = sorted(p.name for p in (office.home / "inbox").iterdir())
            assert len(inbox) == 1 and re.fullmatch(r"unggah-\d{8}T\d{6}-[0-9a-f]{12}\.zip", inbox[0]), inbox
            assert inbox[0].removesuffix(".zip") in flash(back_office).inner_text()

            [report] = run_intake()
            assert report.decision == Decision.review, report.reasons
            assert {r.code: r.status for r in report.verdict.requirements}[LEFT_TO_A_PERSON] == RequirementStatus.review
            nomor = report.nomor_permohonan
            assert nomor is not None

            # The queue, then the case as the system left it: the pas foto waits for a person.
            back_office.get_by_role("link", name="Buka antrian kerja").click()
            row = back_office.locator("table.queue tbody tr", has_text=nomor)
            expect(row).to_contain_text("perlu diperiksa petugas")
            expect(back_office.locator("table.queue tr.is-late")).to_have_count(1)
            shots.append(shoot(back_office, "antrian.png"))
            row.get_by_role("link", name=nomor).click()
            expect(back_office.locator("#tahap")).to_contain_text("Langkah 4")
            expect(back_office.locator(f"#req-{LEFT_TO_A_PERSON}")).to_contain_text("perlu diperiksa")
            expect(back_office.locator(".case-head")).to_contain_text(DAMAGED_FILE)
            assert back_office.locator("article.doc img").count() >= 5  # each page image beside its reading
            shots.append(shoot(back_office, "permohonan-sebelum.png"))

            # The verifier accepts the pas foto, with the reason; then the walk of the procedure.
            requirement = back_office.locator(f"#req-{LEFT_TO_A_PERSON}")
            requirement.locator("select[name=status]").select_option(RequirementStatus.met.value)
            requirement.locator("input[name=reason]").fill(OVERRIDE_REASON)
            requirement.get_by_role("button", name="Simpan").click()
            expect(flash(back_office)).to_have_class(re.compile(r"\bflash-ok\b"))
            expect(back_office.locator(f"#req-{LEFT_TO_A_PERSON} .override")).to_contain_text(OVERRIDE_REASON)
            expect(back_office.locator(f"#req-{LEFT_TO_A_PERSON} .override")).to_contain_text(OFFICERS["back_office"])

            for role, action, produced in WALK:
                page = officer(role)
                open_case(page, nomor)
                form = page.locator(f"form.action:has(input[name=action][value={action.value}])")
                form.get_by_role("button", name=ACTION_LABEL[action]).click()
                expect(flash(page)).to_have_class(re.compile(r"\bflash-ok\b"))
                if produced is not None:
                    expect(flash(page)).to_contain_text(issued_now(office.engine, nomor)[produced].nomor_surat)

            # The permit: downloadable by the back office, a PDF bearing its number.
            page = officer("back_office")
            open_case(page, nomor)
            expect(page.locator(".case-head")).to_contain_text("izin terbit")
            issued = issued_now(office.engine, nomor)
            permit = issued[StageDocument.izin]
            permit_row = page.locator("#dokumen-terbit tr", has_text=permit.nomor_surat)
            expect(permit_row).to_contain_text(RHL.product)
            with page.expect_download() as download:
                permit_row.get_by_role("link", name="Unduh PDF").click()
            data = Path(download.value.path()).read_bytes()
            assert data.startswith(b"%PDF-")
            text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split())
            assert permit.nomor_surat in text

            # The audit trail: every officer's step with its actor, the system's steps before them.
            history = page.locator("#riwayat-keputusan tbody tr")
            expect(history).to_have_count(len(WALK))
            for number, (role, action, produced) in enumerate(WALK):
                step = history.nth(number)
                expect(step).to_contain_text(OFFICERS[role])
                expect(step).to_contain_text(ACTION_LABEL[action])
                if produced is not None:
                    expect(step).to_contain_text(document_label(produced, RHL))
            events = page.locator("#catatan-peristiwa tbody").inner_text()
            for kind in ("berkas_diterima", "verifikasi", "koreksi_persyaratan", "transisi", "dokumen_diterbitkan"):
                assert EVENT_LABEL[kind] in events, kind
            assert inbox[0] in events  # the upload's name links the case to the counter's reference
            shots.append(shoot(page, "permohonan-sesudah.png"))
        finally:
            browser.close()
    assert all(p.stat().st_size > 20_000 for p in shots)


def test_an_incomplete_case_is_returned_with_its_letter_and_completed_by_a_resubmission(
    office: Office, papers: Papers, tmp_path: Path
) -> None:
    expect = sync_api.expect
    missing = RHL.requirement(LEFT_OUT).title
    first_bundle = zipped(tmp_path / "Berkas SIP tanpa KTP.zip", papers.application,
                          {name: data for name, data in papers.files.items() if name != f"{LEFT_OUT}.pdf"})
    with sync_api.sync_playwright() as playwright, intake_runs() as intake:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True)
        try:
            page = sign_in(browser, office, "back_office")
            first_upload = upload(page, first_bundle)
            [report] = intake()
            assert report.decision == Decision.incomplete, report.reasons
            statuses = {r.code: r.status for r in report.verdict.requirements}
            settled = (RequirementStatus.met, RequirementStatus.not_required)
            assert [code for code, status in statuses.items() if status not in settled] == [LEFT_OUT], statuses
            nomor = report.nomor_permohonan
            assert nomor is not None

            # Sent back by the check: with the applicant, not in the back office's own queue.
            page.locator("nav.side").get_by_role("link", name="Antrian kerja").click()
            expect(page.get_by_role("link", name=nomor)).to_have_count(0)
            page.get_by_role("link", name=re.compile(r"^Semua")).click()
            row = page.locator("table.queue tbody tr", has_text=nomor)
            expect(row).to_contain_text(STATUS_LABEL["dikembalikan"])
            expect(row).to_contain_text("berkas perbaikan")
            row.get_by_role("link", name=nomor).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(nomor)
            expect(page.locator(".case-head")).to_contain_text(STATUS_LABEL["dikembalikan"])
            expect(page.locator("#tahap")).to_contain_text("menunggu berkas perbaikan")
            expect(page.locator("#tahap form.action")).to_have_count(0)
            expect(page.locator(f"#req-{LEFT_OUT}")).to_contain_text(REQUIREMENT_STATUS_LABEL["missing"])

            # The return letter: downloadable, numbered, naming the missing requirement.
            letter = issued_now(office.engine, nomor)[StageDocument.surat_pengembalian_berkas]
            letter_row = page.locator("#dokumen-terbit tr", has_text=letter.nomor_surat)
            expect(letter_row).to_contain_text(DOCUMENT_LABEL[StageDocument.surat_pengembalian_berkas.value])
            with page.expect_download() as download:
                letter_row.get_by_role("link", name="Unduh PDF").click()
            data = Path(download.value.path()).read_bytes()
            assert data.startswith(b"%PDF-")
            text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split())
            assert letter.nomor_surat in text and missing in text, text

            # The applicant brings the KTP to the counter: a resubmission of this application, the KTP alone.
            now = datetime.now(UTC).isoformat()
            resubmission = zipped(tmp_path / "Perbaikan KTP.zip",
                                  {**papers.application, "submitted_at": now, "resubmission_of": nomor},
                                  {f"{LEFT_OUT}.pdf": papers.files[f"{LEFT_OUT}.pdf"]})
            second_upload = upload(page, resubmission)
            [again] = intake()
            assert again.nomor_permohonan == nomor
            assert again.decision == Decision.complete, again.reasons
            assert {r.code: r.status for r in again.verdict.requirements}[LEFT_OUT] == RequirementStatus.met

            # Back at the office's first check, in the back office's own queue, the KTP now met.
            open_case(page, nomor)
            expect(page.locator("#tahap")).to_contain_text("Langkah 4")
            expect(page.locator("#tahap")).to_contain_text(ROLE_LABEL["back_office"])
            expect(page.locator(f"#tahap form.action:has(input[name=action][value={Action.teruskan.value}])")) \
                .to_be_visible()
            expect(page.locator(f"#req-{LEFT_OUT}")).to_contain_text(REQUIREMENT_STATUS_LABEL["met"])
            expect(page.locator(f"#req-{LEFT_OUT}")).to_contain_text(f"perbaikan-1/{LEFT_OUT}.pdf")
            expect(page.locator("#persyaratan tbody tr:not(.req-met):not(.req-not_required)")).to_have_count(0)

            # The history: the check's return, the applicant's resubmission; both checks in the event log.
            history = page.locator("#riwayat-keputusan tbody tr")
            expect(history).to_have_count(2)
            expect(history.nth(0)).to_contain_text(ACTION_LABEL[Action.kembalikan_otomatis])
            expect(history.nth(0)).to_contain_text(missing)
            expect(history.nth(1)).to_contain_text(ACTION_LABEL[Action.ajukan_ulang])
            expect(history.nth(1)).to_contain_text("langkah 4")
            checks = page.locator("#catatan-peristiwa tbody tr", has_text=EVENT_LABEL["verifikasi"])
            expect(checks).to_have_count(2)
            expect(checks.nth(0)).to_contain_text(DECISION_LABEL["incomplete"])
            expect(checks.nth(1)).to_contain_text(DECISION_LABEL["complete"])
            expect(checks.nth(1)).to_contain_text("perbaikan ke-1")
            events = page.locator("#catatan-peristiwa tbody tr")
            expect(events.filter(has_text=EVENT_LABEL["berkas_diterima"])).to_contain_text(first_upload)
            resubmitted = events.filter(has_text=EVENT_LABEL["berkas_perbaikan_diterima"])
            expect(resubmitted).to_contain_text(second_upload)
            expect(resubmitted).to_contain_text("perbaikan ke-1")
            shot = shoot(page, "permohonan-perbaikan.png")
        finally:
            browser.close()
    assert shot.stat().st_size > 20_000
