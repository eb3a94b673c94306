"""The synthetic bundle generator: deterministic, contract-shaped bundles whose truth matches the files."""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from stdnum.id import nik as stdnum_nik

from izinflow.samples import SampleInfo, generate_bad_inputs, generate_samples
from izinflow.samples.degrade import jpeg_with_orientation
from izinflow.samples.plan import LAYOUTS, REQUIREMENTS, VARIANTS, plan_sample

N = 4
SEED = 11


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SampleInfo]]:
    out = tmp_path_factory.mktemp("samples")
    return out, generate_samples(out, N, SEED, zip_share=0.5)


def _bundle_files(path: Path) -> dict[str, bytes]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            return {name: zf.read(name) for name in zf.namelist()}
    return {p.name: p.read_bytes() for p in path.iterdir()}


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _page_count(name: str, data: bytes) -> int:
    if name.lower().endswith(".pdf"):
        return len(PdfReader(io.BytesIO(data)).pages)
    Image.open(io.BytesIO(data)).verify()
    return 1


def test_same_seed_gives_the_same_bundles_byte_for_byte(generated, tmp_path: Path) -> None:
    out, _ = generated
    generate_samples(tmp_path, N, SEED, zip_share=0.5)
    assert _digest(tmp_path) == _digest(out)
    other = tmp_path / "other"
    generate_samples(other, 1, SEED + 1, zip_share=0.5)
    first = next(p for p in other.glob("*.truth.json"))
    assert _digest(other)[first.name] != _digest(out).get(first.name)


def test_every_bundle_has_a_contract_manifest_and_truth_beside_it(generated) -> None:
    out, infos = generated
    assert len(infos) == N
    for info in infos:
        assert info.truth_path.parent == out and info.truth_path.name.endswith(".truth.json")
        files = _bundle_files(info.path)
        assert not any(name.endswith(".truth.json") for name in files), "truth must not be inside the bundle"
        manifest = json.loads(files["application.json"])
        assert set(manifest) == {"office", "service", "variant", "submitted_at", "applicant", "practice"}
        assert (manifest["office"], manifest["service"], manifest["variant"]) == (info.office, info.service,
                                                                                   info.variant)
        assert datetime.fromisoformat(manifest["submitted_at"]).tzinfo is not None
        assert set(manifest["applicant"]) == {"nama", "nik", "email", "telepon"}
        assert set(manifest["practice"]) == {"nama", "alamat"}
        doc_files = [n for n in files if n != "application.json"]
        assert doc_files and all(n.lower().endswith((".pdf", ".jpg", ".jpeg", ".png")) for n in doc_files)


def test_truth_pages_match_the_real_files(generated) -> None:
    _, infos = generated
    for info in infos:
        truth = json.loads(info.truth_path.read_text())
        assert truth["bundle"] == info.path.name and truth["decision"] == info.decision
        files = {n: d for n, d in _bundle_files(info.path).items() if n != "application.json"}
        pages: dict[str, list[int]] = defaultdict(list)
        for page in truth["pages"]:
            pages[page["file"]].append(page["page"])
            assert page["layout"] and isinstance(page["scanned"], bool)
        assert set(pages) == set(files)
        for name, data in files.items():
            assert sorted(pages[name]) == list(range(1, _page_count(name, data) + 1)), name
        total = len(truth["pages"])
        assert 8 <= total <= 20
        listed = sorted((r["file"], r["page"]) for d in truth["documents"] for r in d["pages"])
        assert listed == sorted((p["file"], p["page"]) for p in truth["pages"])


def test_decision_follows_requirements_and_defects(generated) -> None:
    _, infos = generated
    for info in infos:
        truth = json.loads(info.truth_path.read_text())
        required = REQUIREMENTS[(truth["office"], truth["variant"])]
        assert set(truth["requirements"]) == set(required)
        bad = [c for c, s in truth["requirements"].items() if s in ("missing", "invalid")]
        if truth["decision"] == "complete":
            assert not truth["defects"] and not bad
        else:
            assert truth["defects"] and bad
        present = {d["type"] for d in truth["documents"]}
        for code, status in truth["requirements"].items():
            if status == "met" and code != "meterai":
                assert code in present


def test_all_four_variants_appear() -> None:
    assert N >= 4
    from izinflow.samples.generate import _variant_order

    assert set(_variant_order(SEED, N)) == set(VARIANTS)


def test_application_letters_carry_the_meterai_only_as_an_image(generated) -> None:
    _, infos = generated
    seen = 0
    for info in infos:
        truth = json.loads(info.truth_path.read_text())
        files = _bundle_files(info.path)
        for doc in truth["documents"]:
            if doc["type"] != "surat_permohonan":
                continue
            for ref in doc["pages"]:
                if not ref["file"].lower().endswith(".pdf"):
                    continue
                page = PdfReader(io.BytesIO(files[ref["file"]])).pages[ref["page"] - 1]
                text = page.extract_text().lower()
                assert "meterai" not in text and "materai" not in text
                if text.strip() and doc["fields"]["meterai"] != "none":
                    assert len(page.images) >= 2  # the signature and the meterai
                    seen += 1
    assert seen >= 1


def test_plans_cover_layouts_defects_and_valid_niks() -> None:
    layouts: dict[str, set[str]] = defaultdict(set)
    defects: set[str] = set()
    decisions: list[str] = []
    for i in range(60):
        office, variant = VARIANTS[i % 4]
        plan = plan_sample(random.Random(f"t{i}"), i, office, variant, False)
        decisions.append(plan.decision)
        defects.update(plan.defects)
        for doc in plan.docs:
            layouts[doc.doc_type].add(doc.layout)
        form_nik = plan.application["applicant"]["nik"]  # type: ignore[index]
        assert stdnum_nik.is_valid(plan.person.nik)
        assert stdnum_nik.is_valid(form_nik) == ("form_nik_malformed" not in plan.defects)
    for doc_type, count in LAYOUTS.items():
        if doc_type != "kosong":
            assert count >= 2 and len(layouts[doc_type]) >= 2, doc_type
    assert {"missing_document", "str_expired", "name_mismatch", "ktp_nik_mismatch", "no_meterai",
            "ijazah_not_legalised", "form_nik_malformed"} <= defects
    assert 0.25 <= decisions.count("complete") / len(decisions) <= 0.55


def test_phone_photos_are_upright_after_exif_transpose() -> None:
    upright = Image.new("RGB", (60, 90), "white")
    upright.paste((255, 0, 0), (0, 0, 10, 10))
    for orientation in (3, 6, 8):
        stored = Image.open(io.BytesIO(jpeg_with_orientation(upright, orientation, 95)))
        shown = ImageOps.exif_transpose(stored)
        assert shown.size == (60, 90)
        assert shown.getpixel((3, 3))[0] > 200 and shown.getpixel((3, 3))[1] < 80


def test_bad_inputs_are_each_broken_in_their_own_way(tmp_path: Path) -> None:
    bad = generate_bad_inputs(tmp_path)
    assert set(bad) >= {
        "corrupt_zip", "zip_traversal", "zip_absolute_path", "zip_bomb", "zip_many_entries", "encrypted_pdf",
        "truncated_pdf", "zero_byte_pdf", "png_named_pdf", "text_named_pdf", "pdf_300_pages",
        "manifest_missing", "manifest_not_json", "unknown_office", "unknown_service", "unknown_variant",
        "nik_15_digits", "nik_bad_date"}
    assert all(p.exists() for p in bad.values())
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(bad["corrupt_zip"]).testzip()
    assert "../evil.txt" in zipfile.ZipFile(bad["zip_traversal"]).namelist()
    assert any(n.startswith("/") for n in zipfile.ZipFile(bad["zip_absolute_path"]).namelist())
    bomb = zipfile.ZipFile(bad["zip_bomb"])
    assert sum(i.file_size for i in bomb.infolist()) >= 50 * 1024 * 1024
    assert bad["zip_bomb"].stat().st_size < 1024 * 1024
    assert len(zipfile.ZipFile(bad["zip_many_entries"]).namelist()) > 10_000
    assert PdfReader(bad["encrypted_pdf"] / "ijazah.pdf").is_encrypted
    assert b"%%EOF" not in (bad["truncated_pdf"] / "berkas.pdf").read_bytes()[-1024:]
    assert (bad["zero_byte_pdf"] / "scan_0001.pdf").stat().st_size == 0
    assert (bad["png_named_pdf"] / "npwp.pdf").read_bytes().startswith(b"\x89PNG")
    assert not (bad["text_named_pdf"] / "sehat.pdf").read_bytes().startswith(b"%PDF")
    assert len(PdfReader(bad["pdf_300_pages"] / "lampiran.pdf").pages) == 300
    assert not (bad["manifest_missing"] / "application.json").exists()
    with pytest.raises(json.JSONDecodeError):
        json.loads((bad["manifest_not_json"] / "application.json").read_text())
    keys = ("unknown_office", "unknown_service", "unknown_variant", "nik_15_digits", "nik_bad_date",
            "encrypted_pdf")
    manifests = {k: json.loads((bad[k] / "application.json").read_text()) for k in keys}
    assert manifests["unknown_office"]["office"] not in {o for o, _ in VARIANTS}
    assert manifests["unknown_service"]["service"] != "sip-perekam-medis"
    assert manifests["unknown_variant"]["variant"] not in {v for _, v in VARIANTS}
    assert len(manifests["nik_15_digits"]["applicant"]["nik"]) == 15
    assert not stdnum_nik.is_valid(manifests["nik_bad_date"]["applicant"]["nik"])
    assert stdnum_nik.is_valid(manifests["encrypted_pdf"]["applicant"]["nik"])
    assert any(p.suffix == ".pdf" and p.name != "ijazah.pdf" for p in bad["encrypted_pdf"].iterdir())


def test_command_line_prints_one_line_per_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from izinflow.samples.__main__ import main

    assert main([str(tmp_path), "--n", "1", "--seed", "5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[0] in {str(p) for p in tmp_path.iterdir()}
