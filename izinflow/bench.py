"""`make bench`: accuracy and speed on a generated corpus whose seed the tests never use.

Prints decision accuracy, incomplete bundles judged complete, page-type accuracy, field accuracy
(nik, nama, nomor_str), automation rate, pages per second, and the ratio of pipeline time to
plain tesseract on the same scanned pages, all measured in this one run.

First, without the corpus, the documents out: every document of a complete case of each service
and a return letter, rendered (HTML, PDF/A) and signed (PAdES, demo PKI) a few times over; documents
per second and the median and slowest seconds per document.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from izinflow.config import quiet_prefect

if TYPE_CHECKING:
    from izinflow.demo_case import CaseFacts
    from renderers.document_inputs import DocumentInput

BENCH_SEED = 7919  # never used by the tests
FIELDS = ("nik", "nama", "nomor_str")
DOCUMENT_ROUNDS = 3  # each document of the four cases (and a return letter) rendered and signed this often
# Synthetic applicants of the documents bench (office, service, variant, name, place, fields read from the bundle).
BENCH_CASES = (
    ("rokan-hilir", "sip-perekam-medis", "baru", "SITI AMINAH, A.Md.RMIK", "RSUD Dr. R.M. Pratomo",
     {"str": {"nomor_str": "PM00001452360817", "berlaku_sampai": "seumur hidup"}}),
    ("bontang", "sip-perekam-medis", "fasyankes", "Dewi Lestari, A.Md.RMIK", "RSUD Taman Husada Bontang",
     {"str": {"nomor_str": "PM00002276410955", "berlaku_sampai": "2030-05-31"}}),
    ("bekasi", "izin-klinik-utama", "baru", "dr. Andi Pratama, Sp.PD", "Klinik Utama Sehat Sentosa",
     {"notifikasi_dinkes": {"nomor_surat": "445/1234/Yankes/XI/2026", "tanggal_surat": "2026-11-05"}}),
    ("batang", "sertifikat-standar-fasyankes", "klinik", "dr. Rahmat Hidayat", "Klinik Pratama Medika Utama", {}),
)


@dataclass
class Tally:
    bundles: int = 0
    decisions_right: int = 0
    incomplete_as_complete: int = 0
    automated: int = 0
    pages: int = 0
    pages_right: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    fields_right: Counter[str] = field(default_factory=Counter)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)


def _norm(name: str, value: str) -> str:
    value = " ".join(str(value).split()).upper()
    return value.replace(" ", "") if name in ("nik", "nomor_str") else value


def score(tally: Tally, truth: dict[str, Any], result: dict[str, Any]) -> None:
    tally.bundles += 1
    tally.decisions_right += truth["decision"] == result["decision"]
    tally.incomplete_as_complete += truth["decision"] != "complete" and result["decision"] == "complete"
    tally.automated += result["decision"] != "review"
    predicted = {(p["file"], p["page"]): d["type"] for d in result["documents"] for p in d["pages"]}
    for page in truth["pages"]:
        got = predicted.get((page["file"], page["page"]), "-")
        tally.pages += 1
        tally.pages_right += got == page["type"]
        if got != page["type"]:
            tally.confusion[(page["type"], got)] += 1
    for doc in truth["documents"]:
        refs = {(p["file"], p["page"]) for p in doc["pages"]}
        found = [
            d for d in result["documents"]
            if d["type"] == doc["type"] and refs & {(p["file"], p["page"]) for p in d["pages"]}
        ]
        for name in FIELDS:
            if name not in doc["fields"]:
                continue
            tally.fields[name] += 1
            want = _norm(name, doc["fields"][name])
            tally.fields_right[name] += any(_norm(name, d["fields"].get(name, "")) == want for d in found)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "-"


def print_tally(title: str, t: Tally) -> None:
    print(f"\n== {title}")
    print(f"  bundles                          {t.bundles}")
    print(f"  decision accuracy                {_ratio(t.decisions_right, t.bundles)}")
    print(f"  incomplete judged complete       {t.incomplete_as_complete}")
    print(f"  page-type accuracy               {_ratio(t.pages_right, t.pages)}")
    for name in FIELDS:
        print(f"  field {name:<26} {_ratio(t.fields_right[name], t.fields[name])}")
    print(f"  automation (decided w/o review)  {_ratio(t.automated, t.bundles)}")


def _scanned_only(samples: Sequence[Any], target: Path) -> list[Path]:
    """Bundles holding only the files whose every page is scanned (same form, fewer files)."""
    bundles = []
    for info in samples:
        if not info.path.is_dir():
            continue
        truth = json.loads(info.truth_path.read_text())
        by_file: dict[str, list[bool]] = defaultdict(list)
        for page in truth["pages"]:
            by_file[page["file"]].append(bool(page.get("scanned")))
        scanned = [name for name, flags in by_file.items() if all(flags)]
        if not scanned:
            continue
        out = target / info.path.name
        out.mkdir(parents=True)
        shutil.copy2(info.path / "application.json", out / "application.json")
        for name in scanned:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(info.path / name, out / name)
        bundles.append(out)
    return bundles


def _page_images(bundles: Sequence[Path], target: Path) -> list[Path]:
    """The scanned pages as the image files a person would hand to tesseract."""
    from pypdf import PdfReader

    images: list[Path] = []
    target.mkdir(parents=True, exist_ok=True)
    for bundle in bundles:
        for f in sorted(bundle.rglob("*")):
            if f.name == "application.json" or not f.is_file():
                continue
            if f.read_bytes()[:5] == b"%PDF-":
                for i, page in enumerate(PdfReader(f).pages):
                    for j, img in enumerate(page.images):
                        out = target / f"{bundle.name}-{f.stem}-{i + 1}-{j}{Path(img.name).suffix or '.png'}"
                        out.write_bytes(img.data)
                        images.append(out)
            else:
                out = target / f"{bundle.name}-{f.name}"
                shutil.copy2(f, out)
                images.append(out)
    return images


def _tesseract(images: Sequence[Path], env: dict[str, str], parallel: int) -> float:
    start = time.perf_counter()
    pending = list(images)
    running: list[subprocess.Popen[bytes]] = []
    while pending or running:
        while pending and len(running) < parallel:
            cmd = ["tesseract", str(pending.pop(0)), "stdout", "-l", "ind+eng"]
            running.append(subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        running[0].wait()
        running.pop(0)
    return time.perf_counter() - start


# --- documents out ------------------------------------------------------------------------------------


def _bench_cases(tanggal: date) -> Iterator[CaseFacts]:
    from checklists.load import load_office, load_service
    from izinflow.demo_case import CaseFacts
    from izinflow.domain import Decision, RequirementResult, RequirementStatus, Verdict
    from renderers.document_inputs import Permohonan

    received = datetime.combine(tanggal, datetime.min.time(), UTC) + timedelta(hours=2)
    for number, (office, service, variant, nama, tempat, read) in enumerate(BENCH_CASES, start=1):
        checklist = load_service(office, service)
        met = tuple(RequirementResult(r.code, RequirementStatus.met) for r in checklist.requirements_for(variant))
        yield CaseFacts(
            office=load_office(office), checklist=checklist, application_id=number,
            permohonan=Permohonan(f"BENCH-{tanggal.year}-{number:06d}", tanggal, variant, nama, tempat,
                                  "Jl. Contoh No. 1"),
            received_at=received, verdict=Verdict(Decision.complete, met), checked_at=received, fields=read,
        )


def bench_inputs(tanggal: date) -> list[DocumentInput]:
    """Every document of a complete case of each service, in procedure order, and one return letter."""
    import secrets

    from izinflow.demo_case import content_for, demo_field_visit, document_set
    from izinflow.domain import Decision, RequirementStatus
    from renderers.document_inputs import KINDS, Content, DocumentInput, Pengembalian, Rujukan
    from renderers.numbering import letter_number, verify_url

    inputs: list[DocumentInput] = []
    for case in _bench_cases(tanggal):
        if case.checklist.field_visit is not None:
            visit = demo_field_visit(case.checklist, case.office, case.application_id, tanggal)
            case = replace(case, field_visit=visit)
        contents: list[Content] = []
        for kind in document_set(case.checklist):
            content = content_for(kind, case, tanggal)
            contents.append(content)
            nomor = letter_number(case.office, kind, case.application_id, tanggal)
            case = replace(case, issued={**case.issued, kind: Rujukan(nomor, tanggal)})
        if case.verdict is not None and case.office.code == "rokan-hilir":
            first = case.verdict.requirements[0]
            missing = replace(first, status=RequirementStatus.missing, reasons=("dokumen tidak ditemukan",))
            contents.append(Pengembalian(replace(case.verdict, decision=Decision.incomplete,
                                                 requirements=(missing, *case.verdict.requirements[1:]))))
        for content in contents:
            kind = KINDS[type(content)]
            inputs.append(DocumentInput(
                office=case.office, checklist=case.checklist, permohonan=case.permohonan,
                nomor_surat=letter_number(case.office, kind, case.application_id, tanggal), tanggal=tanggal,
                verify_url=verify_url(case.office, secrets.token_urlsafe(24)), content=content,
            ))
    return inputs


def bench_documents(home: Path, rounds: int = DOCUMENT_ROUNDS) -> None:
    """Render (HTML, PDF/A) and sign (PAdES) each bench document ``rounds`` times; print the rates."""
    from izinflow.pki import ensure_demo_pki_for_catalogue
    from renderers.document_inputs import RekomendasiDinkes
    from renderers.documents import document_html, render_pdf
    from renderers.signing import sign_pdf

    signers = {code: m.signer for code, m in ensure_demo_pki_for_catalogue(home).items()}
    inputs = bench_inputs(date.today())
    render_pdf(document_html(inputs[0]))  # loads fonts and WeasyPrint's styles once: not a document's time
    rendering: list[float] = []
    signed: list[float] = []
    start = time.perf_counter()
    for _ in range(rounds):
        for doc in inputs:
            t0 = time.perf_counter()
            pdf = render_pdf(document_html(doc))
            t1 = time.perf_counter()
            code = f"{doc.office.code}-dinkes" if isinstance(doc.content, RekomendasiDinkes) else doc.office.code
            sign_pdf(pdf, signers[code], reason=f"Penerbitan {doc.nomor_surat}", location=doc.office.city)
            t2 = time.perf_counter()
            rendering.append(t1 - t0)
            signed.append(t2 - t0)
    elapsed = time.perf_counter() - start
    print(f"\n== documents out ({len(inputs)} documents x {rounds} rounds, one process)")
    print(f"  documents per second (HTML+PDF+sign) {len(signed) / elapsed:.2f} ({len(signed)} in {elapsed:.1f} s)")
    for what, times in (("HTML+PDF", rendering), ("HTML+PDF+sign", signed)):
        print(f"  seconds per document, {what:<14} median {statistics.median(times):.3f}   slowest {max(times):.3f}")


# --- the corpus ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="izinflow-bench")
    parser.add_argument("--n", type=int, default=int(os.environ.get("IZINFLOW_BENCH_N", "60")))
    parser.add_argument("--seed", type=int, default=BENCH_SEED)
    parser.add_argument("--keep", help="keep the corpus and workspace in this folder")
    parser.add_argument("--documents-only", action="store_true", help="only the documents-out section")
    parser.add_argument("--document-rounds", type=int, default=DOCUMENT_ROUNDS)
    args = parser.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="izinflow-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench_documents(work / "documents", args.document_rounds)
    if args.documents_only:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    os.environ["IZINFLOW_HOME"] = str(work / "var")
    os.environ.pop("IZINFLOW_DATABASE_URL", None)
    quiet_prefect()

    from izinflow.checking import check_bundles
    from izinflow.samples import generate_samples

    print(f"izinflow bench: {args.n} bundles, seed {args.seed}, {os.cpu_count()} cores, in {work}")
    t0 = time.perf_counter()
    samples = generate_samples(work / "corpus", args.n, args.seed)
    print(f"corpus generated in {time.perf_counter() - t0:.1f} s")

    check_bundles([str(samples[0].path)])  # starts the embedded Prefect server: not pipeline time
    shutil.rmtree(work / "var" / "cache", ignore_errors=True)

    t0 = time.perf_counter()
    reports = check_bundles([str(s.path) for s in samples])
    elapsed = time.perf_counter() - t0

    with (work / "results.jsonl").open("w") as out:
        for report in reports:
            out.write(json.dumps(report.as_contract(), ensure_ascii=False) + "\n")
    overall = Tally()
    per_variant: dict[str, Tally] = defaultdict(Tally)
    per_service: dict[str, Tally] = defaultdict(Tally)
    for info, report in zip(samples, reports, strict=True):
        truth = json.loads(info.truth_path.read_text())
        result = report.as_contract()
        score(overall, truth, result)
        score(per_variant[f"{info.office}/{info.service}/{info.variant}"], truth, result)
        score(per_service[f"{info.office}/{info.service}"], truth, result)
    print("\n== per variant: bundles, decisions right, automated")
    for name, tally in sorted(per_variant.items()):
        print(f"  {name:<52} {tally.bundles:3d}  {tally.decisions_right:3d}  {tally.automated:3d}")
    for name, tally in sorted(per_service.items()):
        print_tally(f"service {name}", tally)
    print_tally("all services", overall)
    print(f"  pages per second                 {overall.pages / elapsed:.2f} ({overall.pages} pages, {elapsed:.1f} s)")
    if overall.confusion:
        worst = ", ".join(f"{a}->{b} x{n}" for (a, b), n in overall.confusion.most_common(8))
        print(f"  page-type confusions             {worst}")

    scanned = _scanned_only(samples, work / "scanned")
    images = _page_images(scanned, work / "scanned-images")
    shutil.rmtree(work / "var" / "cache", ignore_errors=True)
    t0 = time.perf_counter()
    check_bundles([str(b) for b in scanned])
    pipeline = time.perf_counter() - t0
    plain = _tesseract(images, dict(os.environ), parallel=1)
    single = _tesseract(images, {**os.environ, "OMP_THREAD_LIMIT": "1"}, parallel=1)
    best = _tesseract(images, {**os.environ, "OMP_THREAD_LIMIT": "1"}, parallel=os.cpu_count() or 1)
    print(f"\n== scanned pages only ({len(images)} page images in {len(scanned)} bundles)")
    print(f"  pipeline (check, cold OCR cache) {pipeline:.1f} s")
    cores = os.cpu_count()
    for label, seconds in (
        ("plain tesseract, default threads", plain),
        ("tesseract, OMP_THREAD_LIMIT=1", single),
        (f"tesseract, 1 thread x {cores} processes", best),
    ):
        print(f"  {label:<36} {seconds:6.1f} s   pipeline/this = {pipeline / seconds:.2f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
