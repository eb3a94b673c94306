"""`make demo`: drop a few generated bundles (and one broken one) into the inbox, run the intake
and verification flows on the embedded defaults, and print the decisions with the PDFs' paths.

Then the documents out: for one complete case of each service with a bundle, the full set of its
documents through issuance (the `terbitkan-dokumen` flow: numbered, QR code, signed with the demo
PKI); each issued PDF, the incomplete bundles' return letters included, is checked as a reader
would: the signature validated with pyHanko, the QR code scanned from a raster and its token looked
up as `izinflow verify` does; and one tampered copy shown to fail validation.

A case the check left to a person (`review`) is accepted by a recorded demo decision of an officer
("keputusan petugas (demo)"), since officials decide those; a service without any accepted case
gets one more generated bundle without defects.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from izinflow.config import quiet_prefect

if TYPE_CHECKING:
    from checklists.model import StageDocument
    from izinflow.report import CheckReport
    from store.inbox import Workspace

DEMO_SEED = 2026
DEMO_BUNDLES = 6
DEMO_SERVICES = (  # one complete case of each service with a bundle gets its full set of documents
    ("rokan-hilir", "sip-perekam-medis"),
    ("bontang", "sip-perekam-medis"),
    ("bekasi", "izin-klinik-utama"),
    ("batang", "sertifikat-standar-fasyankes"),
)
EXTRA_TRIES = 6  # generated bundles tried for a service without an accepted case
DEMO_ACTOR = "petugas-demo"


def main() -> int:
    quiet_prefect()
    from flows import runtime
    from flows.intake import intake_flow
    from izinflow.pki import ensure_demo_pki_for_catalogue
    from izinflow.samples import generate_bad_inputs, generate_samples
    from izinflow.tables import decisions_table

    ws = runtime.workspace().ensure()
    samples_dir = ws.root / "demo-samples"
    if not samples_dir.exists():
        print(f"membuat {DEMO_BUNDLES} berkas contoh di {samples_dir} …", file=sys.stderr)
        generate_samples(samples_dir, DEMO_BUNDLES, DEMO_SEED)
        bad = generate_bad_inputs(samples_dir / "rusak")
        shutil.copy2(bad["corrupt_zip"], samples_dir / "berkas-rusak.zip")
    for entry in sorted(samples_dir.iterdir()):
        if entry.name.endswith(".truth.json") or entry.name == "rusak":
            continue
        target = ws.inbox / entry.name
        if not target.exists():
            (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target)
    print(f"berkas diletakkan di {ws.inbox}; menjalankan intake dan verifikasi …", file=sys.stderr)
    with runtime.embedded_prefect():
        reports = intake_flow()
        decisions_table(reports, details=True)
        print(f"\nBerkas asli: {ws.originals}   karantina: {ws.quarantine}   surat: {ws.outputs}")

        ensure_demo_pki_for_catalogue(ws.root)
        print("\nmenerbitkan dokumen untuk satu permohonan lengkap per layanan …", file=sys.stderr)
        cases, reports = accepted_cases(ws, reports, intake_flow)
        failures = [f for nomor in cases.values() if (f := issue_full_set(nomor))]
    checked = check_documents(ws.root, [r.nomor_permohonan for r in reports if r.nomor_permohonan])
    documents_table(checked)
    tamper_ok = show_tamper_check(ws.root, checked)
    show_verify(checked)
    for failure in failures:
        print(failure)
    missing = [f"{office}/{service}" for office, service in DEMO_SERVICES if (office, service) not in cases]
    if missing:
        print("Tanpa permohonan lengkap, tidak ada dokumen untuk: " + ", ".join(missing))
    all_ok = all(c.signature_ok and c.qr_ok for c in checked) and tamper_ok
    return 0 if all_ok and not failures and not missing else 1


# --- which cases get their documents ----------------------------------------------------------------


Intake = Callable[[], list["CheckReport"]]


def accepted_cases(ws: Workspace, reports: list[CheckReport], intake: Intake
                   ) -> tuple[dict[tuple[str, str], str], list[CheckReport]]:
    """Per service, the nomor permohonan of one accepted case: a `complete` bundle, else a `review`
    accepted by the demo officer's decision, else one more generated bundle without defects."""
    from izinflow.domain import Decision

    cases: dict[tuple[str, str], str] = {}
    for service in DEMO_SERVICES:
        chosen = _best(reports, service)
        if chosen is None:
            extra = _extra_report(ws, service, intake)
            if extra is not None:
                reports = [*reports, extra]
                chosen = _best([extra], service)
        if chosen is None:
            continue
        if chosen.decision == Decision.review:
            _decide_as_officer(chosen)
        cases[service] = chosen.nomor_permohonan or ""
    return cases, reports


def _best(reports: list[CheckReport], service: tuple[str, str]) -> CheckReport | None:
    from izinflow.domain import Decision

    order = {Decision.complete: 0, Decision.review: 1}
    found = [r for r in reports if r.manifest and (r.manifest.office, r.manifest.service) == service
             and r.decision in order and r.nomor_permohonan]
    return min(found, key=lambda r: (order[r.decision], r.nomor_permohonan or ""), default=None)


def _extra_report(ws: Workspace, service: tuple[str, str], intake: Intake) -> CheckReport | None:
    """One more bundle of the service, generated without defects, through the intake."""
    from izinflow.samples.generate import generate_one
    from izinflow.samples.plan import VARIANTS

    office, _ = service
    variants = [v for o, v in VARIANTS if o == office]
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(EXTRA_TRIES):
            info = generate_one(Path(tmp), DEMO_SEED, DEMO_BUNDLES + n, office, variants[n % len(variants)], 0.0)
            if info.decision != "complete":
                continue
            print(f"{office}: belum ada permohonan lengkap; satu berkas contoh lagi ({info.path.name}) …",
                  file=sys.stderr)
            shutil.copytree(info.path, ws.inbox / info.path.name, dirs_exist_ok=True)
            reports = intake()
            return next((r for r in reports if r.manifest and (r.manifest.office, r.manifest.service) == service),
                        None)
    return None


def _decide_as_officer(report: CheckReport) -> None:
    """The demo officer accepts a `review` bundle, once, with the corrections labelled as demo."""
    from checklists.load import load_office
    from flows import runtime
    from flows.issuance import case_facts, record_officer_decision
    from izinflow.demo_case import DEMO_DECISION_NOTE, demo_decision
    from store import repository
    from store.db import session_scope

    with session_scope(runtime.engine()) as s:
        record = repository.get_application(s, report.nomor_permohonan or "")
        if record is None or case_facts(s, record.id).officer_decided:
            return
        verdict = repository.latest_verdict(s, record.id)
        if verdict is None:
            return
        koreksi = demo_decision(verdict, load_office(record.office))
        record_officer_decision(s, record.id, koreksi, DEMO_ACTOR, note=DEMO_DECISION_NOTE)
    print(f"{record.nomor_permohonan}: keputusan petugas (demo): berkas diterima lengkap, "
          f"{len(koreksi)} persyaratan dikoreksi dari 'review' menjadi 'met'")


def issue_full_set(nomor_permohonan: str) -> str | None:
    """The case's documents through the `terbitkan-dokumen` flow, the demo team's field visit recorded
    before the documents that print it; the reason when a document could not be issued."""
    from checklists.load import load_office, load_service
    from flows import runtime
    from flows.issuance import issuance_flow, issuance_parameters, office_today
    from izinflow.demo_case import demo_field_visit, document_set, needs_field_visit
    from renderers.documents import DocumentError
    from store import repository
    from store.db import session_scope

    with session_scope(runtime.engine()) as s:
        record = repository.get_application(s, nomor_permohonan)
    if record is None:
        return f"{nomor_permohonan}: permohonan tidak ditemukan"
    office, checklist = load_office(record.office), load_service(record.office, record.service)
    kinds = document_set(checklist)
    before = [k for k in kinds if not needs_field_visit(k, checklist)]
    after = [k for k in kinds if needs_field_visit(k, checklist)]
    try:
        issuance_flow(**issuance_parameters(record.id, before))
        if after:
            with session_scope(runtime.engine()) as s:
                if repository.latest_field_visit(s, record.id) is None:
                    visit = demo_field_visit(checklist, office, record.id, office_today(office))
                    repository.record_field_visit(s, record.id, visit, "tim-visitasi-demo")
            issuance_flow(**issuance_parameters(record.id, after))
    except (DocumentError, LookupError, ValueError) as exc:
        return f"{nomor_permohonan}: dokumen tidak diterbitkan: {exc}"
    return None


# --- checking every issued document as a reader would -------------------------------------------------


@dataclass(frozen=True)
class CheckedDocument:
    layanan: str
    nomor_permohonan: str
    kind: StageDocument
    dokumen: str
    nomor_surat: str
    path: Path
    verify_url: str
    signature_ok: bool
    signature_reason: str
    qr_ok: bool


def check_documents(home: Path, numbers: list[str]) -> list[CheckedDocument]:
    """Every document issued for these applications: signature (pyHanko, demo roots) and QR code
    (pdftoppm raster, zxing-cpp) leading to a token the register knows and shows in force."""
    from checklists.load import load_office, load_service
    from flows import runtime
    from flows.issuance import office_today
    from izinflow.demo_case import label
    from izinflow.pki import trust_roots
    from renderers.signing import validate_pdf
    from store import repository
    from store.db import session_scope
    from store.issuance import DocumentStatus, documents_of, find_by_token, ticket_for, token_from

    roots = trust_roots(home)
    checked: list[CheckedDocument] = []
    with tempfile.TemporaryDirectory() as tmp, session_scope(runtime.engine()) as s:
        for nomor in sorted(set(numbers)):
            record = repository.get_application(s, nomor)
            if record is None:
                continue
            office, checklist = load_office(record.office), load_service(record.office, record.service)
            for doc in documents_of(s, record.id):
                data = doc.path.read_bytes()
                signature = validate_pdf(data, roots)
                url = ticket_for(office, doc).verify_url
                codes = qr_codes(doc.path, Path(tmp))
                view = find_by_token(s, token_from(codes[0])) if len(codes) == 1 else None
                qr_ok = (codes == [url] and view is not None and view.nomor_surat == doc.nomor_surat
                         and view.status(office_today(office)) is DocumentStatus.berlaku)
                checked.append(CheckedDocument(
                    _layanan(office.regency_name, checklist.product), nomor, doc.kind, label(doc.kind, checklist),
                    doc.nomor_surat, doc.path, url, signature.valid, signature.reason, qr_ok,
                ))
    return checked


def qr_codes(pdf: Path, folder: Path) -> list[str]:
    """The QR codes a scanner reads on the document's pages at 150 dpi."""
    import zxingcpp
    from PIL import Image

    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(prefix)], check=True)
    found: list[str] = []
    for image in sorted(folder.glob(f"{pdf.stem}-*.png")):
        with Image.open(image) as page:
            found += [b.text for b in zxingcpp.read_barcodes(page) if b.format == zxingcpp.BarcodeFormat.QRCode]
        image.unlink()
    return found


def _layanan(regency_name: str, product: str) -> str:
    return f"{regency_name.split(' ', 1)[-1]} · {product.removeprefix('Dokumen ')}"


def documents_table(checked: list[CheckedDocument]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if os.isatty(1) else 160)
    table = Table(title="Dokumen yang diterbitkan: nomor, tanda tangan elektronik, kode QR")
    for column in ("layanan", "permohonan", "dokumen", "nomor surat", "tanda tangan sah", "QR ok"):
        table.add_column(column, overflow="fold")
    for c in checked:
        table.add_row(c.layanan, c.nomor_permohonan, c.dokumen, c.nomor_surat, _yes(c.signature_ok), _yes(c.qr_ok))
    console.print(table)
    if checked:
        print(f"Berkas dokumen: {checked[0].path.parents[2]}")
    for c in checked:
        if not c.signature_ok:
            print(f"{c.nomor_surat}: {c.signature_reason}")


def _yes(ok: bool) -> str:
    return "[green]ya[/]" if ok else "[red]TIDAK[/]"


def tampered(pdf: bytes) -> bytes:
    """A copy with one byte flipped inside the range the (last) signature covers."""
    ranges = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    if not ranges:
        raise ValueError("the document carries no signature")
    covered = int(ranges[-1][1])  # bytes 0 .. covered-1 are signed (the first range)
    data = bytearray(pdf)
    data[covered // 2] ^= 0x01
    return bytes(data)


def show_tamper_check(home: Path, checked: list[CheckedDocument]) -> bool:
    """One permit (else any document) changed by one byte: its signature must no longer validate."""
    from izinflow.pki import trust_roots
    from renderers.signing import validate_pdf

    if not checked:
        return False
    chosen = next((c for c in checked if c.kind == "izin"), checked[0])
    copy = home / "demo-ubah" / f"diubah-{chosen.path.name}"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(tampered(chosen.path.read_bytes()))
    result = validate_pdf(copy.read_bytes(), trust_roots(home))
    verdict = "GAGAL divalidasi, sebagaimana mestinya" if not result.valid else "MASIH SAH (kesalahan!)"
    print(f"\nUji ubah: satu bita diubah pada salinan {chosen.nomor_surat} ({copy}): {verdict}. {result.reason}")
    return not result.valid


def show_verify(checked: list[CheckedDocument]) -> None:
    """`izinflow verify` on the URL one QR code carries, as a citizen's scan would ask it."""
    from izinflow.cli import main as cli

    permit = next((c for c in checked if c.qr_ok and c.kind == "izin"), None)
    if permit is None:
        return
    print(f"\n$ izinflow verify {permit.verify_url}")
    sys.stdout.flush()
    cli(["verify", permit.verify_url])


if __name__ == "__main__":
    raise SystemExit(main())
