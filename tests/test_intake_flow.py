"""The intake and verification flows inside Prefect: every bad input gets its outcome, nothing is
lost, the same bundle twice is one application, and Prefect sees no personal data."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

BAD_KEYS = (
    "corrupt_zip", "zip_traversal", "zip_absolute_path", "zip_bomb", "zip_many_entries", "encrypted_pdf",
    "truncated_pdf", "zero_byte_pdf", "png_named_pdf", "text_named_pdf", "pdf_300_pages",
    "manifest_missing", "manifest_not_json", "unknown_office", "unknown_service", "unknown_variant",
    "nik_15_digits", "nik_bad_date",
)
UNREADABLE = {"corrupt_zip", "zip_traversal", "zip_absolute_path", "zip_bomb", "zip_many_entries",
              "manifest_missing", "manifest_not_json", "unknown_office", "unknown_service", "unknown_variant",
              "lepas"}


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        h.update(f.relative_to(path).as_posix().encode() if path.is_dir() else b"")
        h.update(f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def intake_run(tmp_path_factory, sample_bundles, bad_bundles):
    from prefect.testing.utilities import prefect_test_harness

    home = tmp_path_factory.mktemp("intake-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("IZINFLOW_HOME", str(home))
    mp.delenv("IZINFLOW_DATABASE_URL", raising=False)
    from flows import runtime

    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    dropped: dict[str, str] = {}
    for key in BAD_KEYS:
        src = bad_bundles[key]
        target = inbox / f"{key}{src.suffix}"
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target)
        dropped[key] = _digest(target)
    (inbox / "lepas.pdf").write_bytes(b"%PDF-1.4 a loose file, not a bundle")
    dropped["lepas"] = _digest(inbox / "lepas.pdf")
    good = sample_bundles[0].path
    (shutil.copytree if good.is_dir() else shutil.copy2)(good, inbox / good.name)
    with prefect_test_harness():
        from flows.intake import intake_flow

        first = intake_flow()
        (shutil.copytree if good.is_dir() else shutil.copy2)(good, inbox / ("lagi-" + good.name))
        second = intake_flow()
        prefect_seen = asyncio.run(_prefect_records())
    yield home, dropped, first, second, prefect_seen, sample_bundles[0]
    mp.undo()
    for cached in (runtime.settings, runtime.engine, runtime.workspace):
        cached.cache_clear()


async def _prefect_records() -> str:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        http = client._client  # the plain REST API: the whole record, as the UI reads it
        runs = (await http.post("/flow_runs/filter", json={"limit": 200, "sort": "ID_DESC"})).json()
        artifacts = (await http.post("/artifacts/filter", json={"limit": 200, "sort": "ID_DESC"})).json()
        logs = (await http.post("/logs/filter", json={"limit": 200, "sort": "TIMESTAMP_ASC"})).json()
    assert runs and artifacts and logs
    return json.dumps([runs, artifacts, logs], default=str)


def test_the_inbox_is_emptied_and_nothing_is_lost(intake_run):
    home, dropped, *_ = intake_run
    assert list((home / "inbox").iterdir()) == []
    kept = {p.name: p for p in (home / "originals").glob("*/*")}
    kept |= {p.name: p for p in (home / "quarantine").glob("*/*") if p.name != "reason.txt"}
    for key, digest in dropped.items():
        name = next(n for n in kept if n.split(".")[0] == key)
        assert _digest(kept[name]) == digest, f"{key} was changed"


def test_each_unreadable_bundle_is_quarantined_with_a_reason(intake_run):
    home, *_ = intake_run
    reasons = {p.parent: p.read_text() for p in (home / "quarantine").glob("*/reason.txt")}
    quarantined = {next(x.name for x in folder.iterdir() if x.name != "reason.txt").split(".")[0]: text
                   for folder, text in reasons.items()}
    assert set(quarantined) == UNREADABLE
    assert all("Alasan:" in text and len(text.splitlines()[0]) > 10 for text in quarantined.values())


def test_readable_bundles_with_bad_files_get_a_decision_with_the_reason(intake_run):
    _, _, first, *_ = intake_run
    decided = {Path(r.bundle).name.split(".")[0]: r for r in first if r.decision != "unreadable"}
    for key in set(BAD_KEYS) - UNREADABLE:
        assert key in decided, key
    capped = decided["pdf_300_pages"]
    assert any("300" in reason for reason in capped.reasons)
    for key in ("encrypted_pdf", "truncated_pdf", "zero_byte_pdf", "text_named_pdf"):
        assert decided[key].decision != "complete" and decided[key].reasons, key
    # Content decides, not the name: a PNG called .pdf is read as the image it is.
    png = decided["png_named_pdf"]
    assert any(p.file.endswith(".pdf") and d.doc_type != "kosong" for d in png.documents for p in d.pages)
    for key in ("nik_15_digits", "nik_bad_date"):
        ktp = next(r for r in decided[key].verdict.requirements if r.code == "ktp")
        assert ktp.status == "invalid", key


def test_the_same_bundle_dropped_twice_is_one_application(intake_run):
    home, _, first, second, *_ = intake_run
    numbers_first = {r.nomor_permohonan for r in first if r.nomor_permohonan}
    assert len(second) == 1 and second[0].nomor_permohonan in numbers_first
    assert list((home / "originals").glob("*/.duplikat/daftar.txt"))


def test_prefect_holds_no_personal_data(intake_run):
    *_, prefect_seen, sample = intake_run
    truth = json.loads(sample.truth_path.read_text())
    assert "verifikasi-" in prefect_seen
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", prefect_seen), "a clear NIK reached Prefect"
    names = {d["fields"]["nama"].split(",")[0] for d in truth["documents"] if d["fields"].get("nama")}
    for nama in names:
        assert nama.upper() not in prefect_seen.upper(), "a personal name reached Prefect"
