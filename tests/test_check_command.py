"""`izinflow check BUNDLE... --json`: the contract's section 5, on generated bundles of all four
variants, zipped and unreadable ones, run as a user runs it (a separate process, embedded defaults)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

SCHEMA_PATHS = [
    Path(__file__).resolve().parents[2] / "shared" / "check-output.schema.json",
    Path(__file__).resolve().parents[1] / "tests" / "data" / "check-output.schema.json",
]
BAD_FOR_CHECK = ("corrupt_zip", "zip_traversal", "manifest_missing", "unknown_variant", "encrypted_pdf",
                 "nik_15_digits")


@pytest.fixture(scope="module")
def schema() -> dict:
    for path in SCHEMA_PATHS:
        if path.exists():
            return json.loads(path.read_text())
    pytest.fail("check-output.schema.json not found")


@pytest.fixture(scope="module")
def checked(tmp_path_factory, sample_bundles, bad_bundles, env_for):
    home = tmp_path_factory.mktemp("check-home")
    paths = [str(s.path) for s in sample_bundles] + [str(bad_bundles[k]) for k in BAD_FOR_CHECK]
    proc = subprocess.run(
        [sys.executable, "-m", "izinflow.cli", "check", *paths, "--json"],
        env=env_for(home), capture_output=True, text=True, timeout=900,
    )
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc, paths, lines, home


def test_exits_zero_with_one_line_per_bundle_in_input_order(checked):
    proc, paths, lines, _ = checked
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [line["bundle"] for line in lines] == paths


def test_every_line_validates_against_the_contract_schema(checked, schema):
    _, _, lines, _ = checked
    for line in lines:
        jsonschema.validate(line, schema)


def test_all_four_variants_and_zips_are_decided(checked, sample_bundles):
    _, _, lines, _ = checked
    by_bundle = {line["bundle"]: line for line in lines}
    seen = set()
    for info in sample_bundles:
        line = by_bundle[str(info.path)]
        assert line["decision"] in {"complete", "incomplete", "review"}
        assert (line["office"], line["service"], line["variant"]) == (info.office, info.service, info.variant)
        assert line["documents"], "a readable bundle has documents"
        seen.add((info.office, info.variant))
    assert seen == {("rokan-hilir", "baru"), ("rokan-hilir", "perpanjangan"),
                    ("bontang", "fasyankes"), ("bontang", "mandiri")}
    assert any(str(i.path).endswith(".zip") for i in sample_bundles)


def test_incomplete_bundles_are_never_complete_and_get_a_return_letter(checked, sample_bundles):
    _, _, lines, _ = checked
    by_bundle = {line["bundle"]: line for line in lines}
    for info in sample_bundles:
        line = by_bundle[str(info.path)]
        if info.decision == "incomplete":
            assert line["decision"] != "complete"
        if line["decision"] == "incomplete":
            letters = [o for o in line["outputs"] if o.endswith("surat-pengembalian-berkas.pdf")]
            assert letters and Path(letters[0]).read_bytes()[:5] == b"%PDF-"
            bad = [r for r in line["requirements"] if r["status"] in ("missing", "invalid")]
            assert bad and all(r["reasons"] for r in bad)


def test_unreadable_bundles_get_a_reason_and_are_kept_in_quarantine(checked, bad_bundles):
    _, _, lines, home = checked
    by_bundle = {line["bundle"]: line for line in lines}
    for key in ("corrupt_zip", "zip_traversal", "manifest_missing", "unknown_variant"):
        line = by_bundle[str(bad_bundles[key])]
        assert line["decision"] == "unreadable"
        assert line["reasons"] and all(isinstance(r, str) and r for r in line["reasons"])
        assert line["requirements"] == [] and line["outputs"] == []
    reasons = sorted((home / "quarantine").glob("*/reason.txt"))
    assert len(reasons) == 4
    assert Path(bad_bundles["corrupt_zip"]).exists(), "check never moves the operator's own files"


def test_bad_files_inside_a_readable_bundle_do_not_lose_the_bundle(checked, bad_bundles):
    _, _, lines, _ = checked
    by_bundle = {line["bundle"]: line for line in lines}
    encrypted = by_bundle[str(bad_bundles["encrypted_pdf"])]
    assert encrypted["decision"] in {"incomplete", "review"}
    assert any("sandi" in r or "terkunci" in r for r in encrypted["reasons"])
    malformed = by_bundle[str(bad_bundles["nik_15_digits"])]
    ktp = next(r for r in malformed["requirements"] if r["code"] == "ktp")
    assert ktp["status"] == "invalid" and any("NIK" in r for r in ktp["reasons"])
    assert malformed["decision"] == "incomplete"


def test_missing_path_is_a_command_error(tmp_path, env_for):
    proc = subprocess.run(
        [sys.executable, "-m", "izinflow.cli", "check", str(tmp_path / "tidak-ada"), "--json"],
        env=env_for(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0 and "tidak ditemukan" in proc.stderr
