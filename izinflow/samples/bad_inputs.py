"""One bundle per kind of bad input: broken archives, hostile zips, unreadable PDFs, broken manifests."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from izinflow.samples.degrade import png
from izinflow.samples.images import pas_foto
from izinflow.samples.plan import plan_sample
from izinflow.samples.render import render_doc

ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def _base() -> tuple[dict[str, object], dict[str, bytes]]:
    """A valid-looking rokan-hilir manifest and a couple of real documents (text PDFs)."""
    rng = random.Random("izinflow-bad-inputs")
    plan = plan_sample(rng, 0, "rokan-hilir", "baru", False)
    docs: dict[str, bytes] = {}
    for d in plan.docs:
        if d.doc_type in ("ktp", "str", "surat_permohonan"):
            d.scanned = False
            rendered = render_doc(rng, d)
            assert rendered.pdf is not None
            docs[f"{d.doc_type}.pdf"] = rendered.pdf
    return plan.application, docs


def _manifest_bytes(manifest: dict[str, object]) -> bytes:
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode()


def _write_dir(path: Path, files: dict[str, bytes]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (path / name).write_bytes(data)
    return path


def _write_zip(path: Path, files: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="rahasia123", owner_password="pemilik456", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _many_pages(n: int) -> bytes:
    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def generate_bad_inputs(outdir: Path) -> dict[str, Path]:
    """Write one bundle per bad input into ``outdir``; keys are stable names such as ``zip_traversal``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    manifest, docs = _base()
    good = _manifest_bytes(manifest)
    valid_zip_entries = [("application.json", good), *sorted(docs.items())]
    out: dict[str, Path] = {}

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in valid_zip_entries:
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    whole = buf.getvalue()
    corrupt = bytearray(whole[: len(whole) // 2])
    corrupt[30:60] = b"\x00" * 30
    out["corrupt_zip"] = outdir / "corrupt_zip.zip"
    out["corrupt_zip"].write_bytes(bytes(corrupt))

    out["zip_traversal"] = _write_zip(
        outdir / "zip_traversal.zip", [*valid_zip_entries, ("../evil.txt", b"owned\n")]
    )
    out["zip_absolute_path"] = _write_zip(
        outdir / "zip_absolute_path.zip", [*valid_zip_entries, ("/tmp/izinflow-evil.txt", b"owned\n")]
    )
    out["zip_bomb"] = _write_zip(
        outdir / "zip_bomb.zip", [*valid_zip_entries, ("lampiran.pdf", bytes(50 * 1024 * 1024))]
    )
    out["zip_many_entries"] = _write_zip(
        outdir / "zip_many_entries.zip",
        [*valid_zip_entries, *((f"hal/{i:05d}.txt", b"x") for i in range(10_000))],
    )

    def bundle(key: str, extra: dict[str, bytes], manifest_bytes: bytes | None = good) -> None:
        files = dict(docs)
        files.update(extra)
        if manifest_bytes is not None:
            files["application.json"] = manifest_bytes
        out[key] = _write_dir(outdir / key, files)

    any_pdf = docs["ktp.pdf"]
    bundle("encrypted_pdf", {"ijazah.pdf": _encrypted(docs["str.pdf"])})
    bundle("truncated_pdf", {"berkas.pdf": any_pdf[: len(any_pdf) // 2]})
    bundle("zero_byte_pdf", {"scan_0001.pdf": b""})
    bundle("png_named_pdf", {"npwp.pdf": png(pas_foto(random.Random(1), "merah", True, width=200))})
    bundle("text_named_pdf", {"sehat.pdf": b"Ini bukan PDF, hanya catatan teks.\n"})
    bundle("pdf_300_pages", {"lampiran.pdf": _many_pages(300)})
    bundle("manifest_missing", {}, None)
    bundle("manifest_not_json", {}, b"{office: rokan-hilir, 'variant': baru,,}")

    def with_changes(**changes: object) -> bytes:
        m = json.loads(good)
        for dotted, value in changes.items():
            target = m
            *parents, leaf = dotted.split("__")
            for part in parents:
                target = target[part]
            target[leaf] = value
        return _manifest_bytes(m)

    bundle("unknown_office", {}, with_changes(office="kota-atlantis"))
    bundle("unknown_service", {}, with_changes(service="izin-apotek"))
    bundle("unknown_variant", {}, with_changes(variant="darurat"))
    nik = str(manifest["applicant"]["nik"])  # type: ignore[index]
    bundle("nik_15_digits", {}, with_changes(applicant__nik=nik[:15]))
    bundle("nik_bad_date", {}, with_changes(applicant__nik=nik[:6] + "751390" + nik[12:]))
    return out
