"""The synthetic bundle generator: deterministic, contract-shaped bundles whose truth matches the files, for the
SIP services and the two clinic services (Bekasi's Izin Klinik Utama, Batang's Sertifikat Standar)."""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from stdnum.id import nik as stdnum_nik

from izinflow.samples import SampleInfo, generate_bad_inputs, generate_samples
from izinflow.samples.degrade import jpeg_with_orientation
from izinflow.samples.plan import (
    CLINIC_VARIANTS,
    LAYOUTS,
    MIN_PAGES,
    REQUIREMENTS,
    SIP_VARIANTS,
    VARIANTS,
    plan_sample,
)
from izinflow.samples.render import render_doc

N = 6
SEED = 11
CLINIC_TYPES = ("notifikasi_dinkes", "profil_klinik", "daftar_sdm", "daftar_sarana_prasarana", "daftar_peralatan",
                "self_assessment")
ROW_KEYS = {
    "daftar_sdm": {"nama", "profesi", "nomor_str"},
    "daftar_sarana_prasarana": {"nama", "jumlah", "kondisi"},
    "daftar_peralatan": {"nama", "jumlah", "kondisi"},
    "self_assessment": {"nomor", "uraian", "skor"},
}


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
        assert MIN_PAGES[truth["service"]] <= total <= 20
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


def test_all_six_variants_appear_and_four_bundles_are_still_the_four_sip_variants(generated) -> None:
    from izinflow.samples.generate import _variant_order

    _, infos = generated
    assert {(i.office, i.variant) for i in infos} == set(VARIANTS) == set(SIP_VARIANTS) | set(CLINIC_VARIANTS)
    assert {(i.service, i.office, i.variant) for i in infos} >= {
        ("izin-klinik-utama", "bekasi", "baru"), ("sertifikat-standar-fasyankes", "batang", "klinik")}
    for seed in range(5):
        assert set(_variant_order(seed, 4)) == set(SIP_VARIANTS)
        assert set(_variant_order(seed, 12)[6:]) == set(VARIANTS)


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
    for i in range(90):
        office, variant = VARIANTS[i % 6]
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
            "ijazah_not_legalised", "form_nik_malformed", "clinic_name_mismatch"} <= defects
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


def _clinic_plans(n: int = 48) -> list:
    return [plan_sample(random.Random(f"klinik{i}"), i, *CLINIC_VARIANTS[i % 2], False) for i in range(n)]


def test_clinic_documents_come_in_two_layouts_with_their_table_rows() -> None:
    layouts: dict[str, set[str]] = defaultdict(set)
    staff_sizes: set[int] = set()
    for plan in _clinic_plans():
        for doc in plan.docs:
            layouts[doc.doc_type].add(doc.layout)
            if doc.doc_type not in ROW_KEYS:
                assert doc.rows is None
                continue
            assert doc.rows and all(set(r) == ROW_KEYS[doc.doc_type] and all(r.values()) for r in doc.rows)
            if doc.doc_type == "daftar_sdm":
                names = [r["nama"] for r in doc.rows]
                assert 6 <= len(names) <= 18 and doc.fields == {"jumlah_sdm": str(len(names))}
                assert len(set(names)) == len(names)
                assert plan.person.nama_judul in names[0], "the responsible doctor heads the staff list"
                staff_sizes.add(len(names))
            if doc.doc_type == "self_assessment":
                scores = [int(r["skor"]) for r in doc.rows]
                top = int(doc.fields["skor_maksimal"]) // len(scores)
                assert 12 <= len(scores) <= 30 and top in (2, 10) and set(scores) <= {0, top // 2, top}
                assert int(doc.fields["total_skor"]) == sum(scores)
                assert float(doc.fields["persentase"]) == pytest.approx(100 * sum(scores) / (top * len(scores)),
                                                                         abs=0.005)
    for doc_type in CLINIC_TYPES:
        assert layouts[doc_type] == {"a", "b"}, doc_type
    assert layouts["lainnya"] == {"c", "d", "e"}
    assert min(staff_sizes) <= 9 and max(staff_sizes) >= 16


def test_clinic_bundles_miss_a_document_or_name_another_clinic() -> None:
    statuses: set[str] = set()
    for plan in _clinic_plans():
        assert plan.application["service"] == plan.service == {"bekasi": "izin-klinik-utama",
                                                                "batang": "sertifikat-standar-fasyankes"}[plan.office]
        assert plan.bundle_id.startswith({"bekasi": "BKS-", "batang": "BTA-"}[plan.office])
        clinic = plan.application["practice"]["nama"]  # type: ignore[index]
        assert set(plan.requirements) == set(REQUIREMENTS[(plan.office, plan.variant)])
        for code, status in plan.requirements.items():
            docs = [d for d in plan.docs if d.doc_type == code]
            named = {d.fields["nama_klinik"] for d in docs if "nama_klinik" in d.fields}
            if status == "missing":
                assert not docs
            elif status == "invalid":
                assert named and clinic not in named
            else:
                assert status == "met" and docs and named <= {clinic}
            statuses.add(status)
        for doc in plan.docs:
            if doc.doc_type == "profil_klinik":
                assert plan.person.nama_judul in doc.fields["penanggung_jawab"]
                assert doc.fields["penanggung_jawab"].startswith("dr. ")
        bad = any(s != "met" for s in plan.requirements.values())
        assert (plan.decision == "incomplete") == bad == bool(plan.defects)
    assert statuses == {"met", "missing", "invalid"}


# (document type, layout) -> columns of the data rows' cells holding each truth key
TABLE_COLUMNS = {
    ("daftar_sdm", "a"): {"nama": 1, "profesi": 2, "nomor_str": 3},
    ("daftar_sdm", "b"): {"nama": 1, "profesi": 2, "nomor_str": 3},
    ("daftar_sarana_prasarana", "a"): {"nama": 1, "jumlah": 2, "kondisi": 3},
    ("daftar_sarana_prasarana", "b"): {"nama": 1, "jumlah": 2, "kondisi": 4},
    ("daftar_peralatan", "a"): {"nama": 1, "jumlah": 2, "kondisi": 3},
    ("daftar_peralatan", "b"): {"nama": 1, "jumlah": 3, "kondisi": 4},
    ("self_assessment", "a"): {"nomor": 0, "uraian": 1, "skor": 2},
    ("self_assessment", "b"): {"nomor": 0, "uraian": 1, "skor": 5},
}


def _data_rows(pdf: bytes) -> tuple[int, list[list[str]]]:
    """Page count and the numbered rows of every ruled table (a number in the first cell: 7, 7. or B.3)."""
    rows: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                for row in table:
                    cells = [" ".join((c or "").split()) for c in row]
                    first = cells[0].rstrip(".")
                    if first.isdigit() or (first[:2] in {f"{c}." for c in "ABCDEFGH"} and first[2:].isdigit()):
                        rows.append(cells)
        return len(doc.pages), rows


@pytest.mark.parametrize("doc_type, layout", sorted(TABLE_COLUMNS))
def test_list_documents_are_real_tables_whose_rows_are_the_truth(doc_type: str, layout: str) -> None:
    import dataclasses

    docs = [d for p in _clinic_plans() for d in p.docs if (d.doc_type, d.layout) == (doc_type, layout)]
    longest = max(docs, key=lambda d: len(d.rows))
    doc = dataclasses.replace(longest, scanned=False)
    rendered = render_doc(random.Random(0), doc)
    assert rendered.pdf is not None
    pages, rows = _data_rows(rendered.pdf)
    assert len(rows) == len(doc.rows), "one table row per truth row, the header repeated on a second page"
    for cells, truth in zip(rows, doc.rows, strict=True):
        assert {key: cells[col] for key, col in TABLE_COLUMNS[(doc_type, layout)].items()} == truth
    if doc_type == "daftar_sdm" and len(doc.rows) >= 16:
        assert pages == 2, "a long staff list runs over two pages"
