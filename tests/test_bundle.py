"""Opening bundles: folders and zips, bad inputs each with their Indonesian reason."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from extractors.bundle import BundleLimits, open_bundle
from extractors.errors import BundleError, IzinflowError

KNOWN = {("rokan-hilir", "sip-perekam-medis", "baru"), ("bontang", "sip-perekam-medis", "mandiri")}


def known(office: str, service: str, variant: str) -> bool:
    return (office, service, variant) in KNOWN


MANIFEST = {
    "office": "rokan-hilir",
    "service": "sip-perekam-medis",
    "variant": "baru",
    "submitted_at": "2026-11-20T09:15:00+07:00",
    "applicant": {
        "nama": "SITI AMINAH",
        "nik": "1407015203900002",
        "email": "siti@example.org",
        "telepon": "081234567890",
    },
    "practice": {"nama": "RSUD Dr. R.M. Pratomo", "alamat": "Jl. Utama, Bagansiapiapi"},
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(out, "PNG")
    return out.getvalue()


def bundle_entries(manifest: object = MANIFEST) -> dict[str, bytes]:
    raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    return {
        "application.json": raw,
        "berkas.pdf": PDF,
        "foto/pas-foto.png": png_bytes(),
    }


def write_folder(root: Path, entries: dict[str, bytes]) -> Path:
    for name, data in entries.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def write_zip(path: Path, entries: dict[str, bytes], *, prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries, reverse=True):
            archive.writestr(prefix + name, entries[name])
    return path


def reason_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(BundleError) as caught:
        open_bundle(path, is_known_service=known, **kwargs)  # type: ignore[arg-type]
    assert isinstance(caught.value, IzinflowError)
    return caught.value.reason


def test_folder_is_read_with_manifest_and_relative_names(tmp_path: Path) -> None:
    bundle = open_bundle(write_folder(tmp_path / "b", bundle_entries()), is_known_service=known)
    manifest = bundle.manifest
    assert (manifest.office, manifest.service) == ("rokan-hilir", "sip-perekam-medis")
    assert manifest.variant == "baru"
    assert manifest.pemohon.nama == "SITI AMINAH"
    assert manifest.pemohon.nik == "1407015203900002"
    assert manifest.pemohon.telepon == "081234567890"
    assert manifest.tempat_praktik.nama == "RSUD Dr. R.M. Pratomo"
    assert manifest.submitted_at.utcoffset() == timedelta(hours=7)
    assert [(f.name, f.kind) for f in bundle.files] == [("berkas.pdf", "pdf"), ("foto/pas-foto.png", "image")]
    assert bundle.rejected == ()


def test_same_content_as_folder_or_zip_hashes_the_same(tmp_path: Path) -> None:
    entries = bundle_entries()
    folder = open_bundle(write_folder(tmp_path / "b", entries), is_known_service=known)
    zipped = open_bundle(write_zip(tmp_path / "b.zip", entries), is_known_service=known)
    wrapped_zip = write_zip(tmp_path / "c.zip", entries, prefix="berkas-siti/")
    wrapped = open_bundle(wrapped_zip, is_known_service=known)
    assert folder.sha256 == zipped.sha256 == wrapped.sha256
    assert [f.name for f in wrapped.files] == [f.name for f in folder.files]

    changed = dict(entries, **{"berkas.pdf": PDF + b"%"})
    other = open_bundle(write_zip(tmp_path / "d.zip", changed), is_known_service=known)
    assert other.sha256 != folder.sha256


def test_hidden_files_and_macosx_are_ignored(tmp_path: Path) -> None:
    entries = dict(bundle_entries(), **{".DS_Store": b"junk", "__MACOSX/._berkas.pdf": b"junk"})
    bundle = open_bundle(write_zip(tmp_path / "b.zip", entries), is_known_service=known)
    assert [f.name for f in bundle.files] == ["berkas.pdf", "foto/pas-foto.png"]
    assert bundle.rejected == ()


def test_kinds_come_from_bytes_not_names(tmp_path: Path) -> None:
    entries = dict(
        bundle_entries(),
        **{
            "ktp.pdf": png_bytes(),  # a PNG named .pdf is still an image
            "ijazah.pdf": b"ini bukan PDF, hanya teks biasa",
            "kosong.pdf": b"",
            "catatan.docx": b"PK\x03\x04 not a document we read",
        },
    )
    bundle = open_bundle(write_folder(tmp_path / "b", entries), is_known_service=known)
    kinds = {f.name: f.kind for f in bundle.files}
    assert kinds["ktp.pdf"] == "image"
    rejected = {r.name: r.reason for r in bundle.rejected}
    assert rejected["ijazah.pdf"] == "berkas bernama .pdf tetapi isinya bukan PDF"
    assert rejected["kosong.pdf"] == "berkas kosong (0 bita)"
    assert "tidak didukung" in rejected["catatan.docx"]


def test_corrupt_and_truncated_zip(tmp_path: Path) -> None:
    garbage = tmp_path / "rusak.zip"
    garbage.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    assert reason_of(garbage) == "berkas zip rusak dan tidak dapat dibuka"

    whole = write_zip(tmp_path / "utuh.zip", bundle_entries()).read_bytes()
    cut = tmp_path / "terpotong.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    assert reason_of(cut) == "berkas zip rusak dan tidak dapat dibuka"


@pytest.mark.parametrize("evil", ["../../etc/cron.d/evil", "/tmp/evil.pdf", "dokumen/../../evil.pdf"])
def test_zip_with_escaping_path_is_rejected_whole(tmp_path: Path, evil: str) -> None:
    work = tmp_path / "in"
    work.mkdir()
    entries = dict(bundle_entries(), **{evil: PDF})
    path = write_zip(work / "b.zip", entries)
    assert "tidak aman" in reason_of(path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["b.zip", "in"]


def test_zip_with_too_many_entries(tmp_path: Path) -> None:
    entries = dict(bundle_entries(), **{f"lampiran/{i}.txt": b"x" for i in range(500)})
    assert "lebih dari 500 file" in reason_of(write_zip(tmp_path / "b.zip", entries))


def test_zip_bomb_by_compression_ratio(tmp_path: Path) -> None:
    entries = dict(bundle_entries(), **{"berkas-besar.pdf": b"%PDF-" + bytes(8 * 1024 * 1024)})
    assert "rasio pemampatan" in reason_of(write_zip(tmp_path / "b.zip", entries))


def test_zip_total_size_cap(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.zip", bundle_entries())
    assert "melebihi batas" in reason_of(path, limits=BundleLimits(max_total_bytes=300))


def test_zip_that_lies_about_its_sizes_is_not_inflated(tmp_path: Path) -> None:
    entries = dict(bundle_entries(), **{"besar.pdf": b"%PDF-" + bytes(4 * 1024 * 1024)})
    data = bytearray(write_zip(tmp_path / "asli.zip", entries).read_bytes())
    # Declare 1000 bytes for the 4 MB entry in both headers: the declared ratio looks harmless.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_len_at = 26 if signature == b"PK\x03\x04" else 28
            name_len = struct.unpack_from("<H", data, start + name_len_at)[0]
            header = 30 if signature == b"PK\x03\x04" else 46
            if data[start + header : start + header + name_len] == b"besar.pdf":
                struct.pack_into("<I", data, start + offset, 1000)
            start += 4
    liar = tmp_path / "bohong.zip"
    liar.write_bytes(bytes(data))
    with zipfile.ZipFile(liar) as archive:
        assert archive.getinfo("besar.pdf").file_size == 1000
    assert reason_of(liar) in {
        "berkas zip rusak dan tidak dapat dibuka",
        "berkas zip tidak wajar (rasio pemampatan terlalu tinggi) dan tidak dibuka",
    }


def test_missing_manifest(tmp_path: Path) -> None:
    entries = bundle_entries()
    del entries["application.json"]
    assert "application.json" in reason_of(write_zip(tmp_path / "b.zip", entries))


def test_manifest_not_json(tmp_path: Path) -> None:
    path = write_folder(tmp_path / "b", bundle_entries(b"{office: rokan-hilir"))
    assert reason_of(path) == "application.json bukan JSON yang sah"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"applicant": {"nik": "1407015203900002"}}, "applicant.nama"),
        ({"applicant": {"nama": "SITI AMINAH"}}, "NIK"),
        ({"office": None}, "office"),
        ({"submitted_at": "20-11-2026"}, "submitted_at"),
        ({"submitted_at": "2026-11-20T09:15:00"}, "zona waktu"),
    ],
)
def test_manifest_missing_or_bad_fields(tmp_path: Path, change: dict[str, object], expected: str) -> None:
    manifest = {k: v for k, v in {**MANIFEST, **change}.items() if v is not None}
    assert expected in reason_of(write_folder(tmp_path / "b", bundle_entries(manifest)))


@pytest.mark.parametrize(
    "change",
    [{"office": "pekanbaru"}, {"service": "izin-apotek"}, {"variant": "lama"}],
)
def test_unknown_office_service_or_variant(tmp_path: Path, change: dict[str, str]) -> None:
    reason = reason_of(write_folder(tmp_path / "b", bundle_entries({**MANIFEST, **change})))
    assert reason.startswith("kantor, layanan atau varian permohonan tidak dikenal")
    assert next(iter(change.values())) in reason


def test_malformed_nik_is_kept_for_the_rules(tmp_path: Path) -> None:
    manifest = {**MANIFEST, "applicant": {"nama": "SITI AMINAH", "nik": "14070152-039"}}
    bundle = open_bundle(write_folder(tmp_path / "b", bundle_entries(manifest)), is_known_service=known)
    assert bundle.manifest.pemohon.nik == "14070152-039"


def test_no_readable_document(tmp_path: Path) -> None:
    entries = {"application.json": json.dumps(MANIFEST).encode(), "surat.pdf": b"bukan pdf", "x.txt": b""}
    assert reason_of(write_zip(tmp_path / "b.zip", entries)).startswith("tidak ada berkas dokumen")


def test_missing_path(tmp_path: Path) -> None:
    assert reason_of(tmp_path / "tidak-ada.zip") == "berkas permohonan tidak ditemukan"
