"""Opening a bundle (berkas): a directory or a ``.zip`` read safely into memory.

Nothing is extracted to disk. File kinds come from magic bytes, never from names.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from extractors.errors import BundleError
from izinflow.domain import Bundle, BundleFile, Manifest, Pemohon, RejectedFile, TempatPraktik

MANIFEST_NAME = "application.json"
_CHUNK = 1 << 16
# Below this size a high compression ratio costs nothing; the total cap still applies.
_RATIO_FLOOR = 1024 * 1024

KnownService = Callable[[str, str, str], bool]


@dataclass(frozen=True)
class BundleLimits:
    max_entries: int = 500
    max_total_bytes: int = 300 * 1024 * 1024
    max_ratio: float = 200.0


def open_bundle(
    path: Path, *, is_known_service: KnownService, limits: BundleLimits = BundleLimits()
) -> Bundle:
    """Read the bundle at ``path`` into memory, or raise ``BundleError`` with a reason."""
    path = Path(path)
    if path.is_dir():
        entries = _read_directory(path, limits)
    elif path.is_file() and not zipfile.is_zipfile(path) and path.suffix.lower() != ".zip":
        raise BundleError(
            "yang dikirim bukan berkas permohonan (folder atau .zip berisi application.json), "
            "melainkan satu berkas lepas"
        )
    elif path.is_file():
        entries = _read_zip(path, limits)
    else:
        raise BundleError("berkas permohonan tidak ditemukan")
    entries = _strip_common_folder(entries)

    manifest_bytes = entries.pop(MANIFEST_NAME, None)
    if manifest_bytes is None:
        raise BundleError("application.json (data formulir permohonan) tidak ada di dalam berkas")
    manifest = parse_manifest(manifest_bytes, is_known_service)

    files: list[BundleFile] = []
    rejected: list[RejectedFile] = []
    for name in sorted(entries):
        data = entries[name]
        kind = sniff_kind(data)
        if kind is None:
            rejected.append(RejectedFile(name, _unsupported_reason(name, data)))
        else:
            files.append(BundleFile(name=name, data=data, kind=kind))
    if not files:
        raise BundleError("tidak ada berkas dokumen yang dapat dibaca (PDF, JPEG atau PNG)")

    digest = content_sha256({**entries, MANIFEST_NAME: manifest_bytes})
    return Bundle(manifest=manifest, files=tuple(files), sha256=digest, rejected=tuple(rejected))


def content_sha256(entries: dict[str, bytes]) -> str:
    """sha256 over the sorted (relative name, bytes) pairs: a folder and its zip hash the same."""
    outer = hashlib.sha256()
    for name in sorted(entries):
        encoded = name.encode("utf-8")
        outer.update(len(encoded).to_bytes(4, "big"))
        outer.update(encoded)
        outer.update(hashlib.sha256(entries[name]).digest())
    return outer.hexdigest()


def sniff_kind(data: bytes) -> str | None:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    return None


def _unsupported_reason(name: str, data: bytes) -> str:
    if not data:
        return "berkas kosong (0 bita)"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".pdf":
        return "berkas bernama .pdf tetapi isinya bukan PDF"
    if suffix in (".jpg", ".jpeg", ".png"):
        return f"berkas bernama {suffix} tetapi isinya bukan gambar JPEG atau PNG"
    return "jenis berkas tidak didukung; kirim PDF, JPEG atau PNG"


def _ignored(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _read_directory(root: Path, limits: BundleLimits) -> dict[str, bytes]:
    entries: dict[str, bytes] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _ignored([d]))
        for filename in sorted(filenames):
            if _ignored([filename]):
                continue
            full = Path(dirpath) / filename
            info = full.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue  # symlinks and devices are not part of an upload
            if len(entries) >= limits.max_entries:
                raise BundleError(f"berkas berisi lebih dari {limits.max_entries} file")
            total += info.st_size
            if total > limits.max_total_bytes:
                raise BundleError(_too_big(limits))
            entries[full.relative_to(root).as_posix()] = full.read_bytes()
    return entries


def _too_big(limits: BundleLimits) -> str:
    return f"ukuran isi berkas melebihi batas {limits.max_total_bytes // (1024 * 1024)} MB"


def _unsafe_name(name: str) -> bool:
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return True
    return ".." in normal.split("/")


def _read_zip(path: Path, limits: BundleLimits) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            members = _check_zip_members(infos, limits)
            return _inflate(archive, members, limits)
    except BundleError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise BundleError("berkas zip rusak dan tidak dapat dibuka") from exc


def _check_zip_members(infos: list[zipfile.ZipInfo], limits: BundleLimits) -> list[zipfile.ZipInfo]:
    if len(infos) > limits.max_entries:
        raise BundleError(f"berkas zip berisi lebih dari {limits.max_entries} file")
    for info in infos:
        if _unsafe_name(info.filename):
            raise BundleError("berkas zip berisi nama file yang tidak aman (jalur absolut atau '..')")
    members = [
        info
        for info in infos
        if not info.is_dir() and not _ignored(PurePosixPath(info.filename.replace("\\", "/")).parts)
    ]
    declared = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise BundleError("berkas zip terkunci kata sandi")
        if info.file_size > max(_RATIO_FLOOR, limits.max_ratio * max(info.compress_size, 1)):
            raise BundleError(_bomb_reason())
        declared += info.file_size
        if declared > limits.max_total_bytes:
            raise BundleError(_too_big(limits))
    return members


def _bomb_reason() -> str:
    return "berkas zip tidak wajar (rasio pemampatan terlalu tinggi) dan tidak dibuka"


def _inflate(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: BundleLimits
) -> dict[str, bytes]:
    entries: dict[str, bytes] = {}
    total = 0
    for info in members:
        # Declared sizes can lie; count what actually comes out.
        allowed = min(info.file_size, limits.max_total_bytes - total)
        ratio_cap = max(_RATIO_FLOOR, int(limits.max_ratio * max(info.compress_size, 1)))
        chunks: list[bytes] = []
        size = 0
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > ratio_cap:
                    raise BundleError(_bomb_reason())
                if size > allowed:
                    raise BundleError(_too_big(limits))
                chunks.append(chunk)
        total += size
        name = info.filename.replace("\\", "/")
        entries[name] = b"".join(chunks)
    return entries


def _strip_common_folder(entries: dict[str, bytes]) -> dict[str, bytes]:
    """A zip made by zipping a folder holds ``folder/application.json``: read it as the root."""
    if MANIFEST_NAME in entries or not entries:
        return entries
    tops = {name.split("/", 1)[0] for name in entries}
    if len(tops) != 1 or any("/" not in name for name in entries):
        return entries
    prefix = tops.pop() + "/"
    return {name[len(prefix) :]: data for name, data in entries.items()}


def parse_manifest(data: bytes, is_known_service: KnownService) -> Manifest:
    """``application.json`` → ``Manifest``; a malformed NIK is kept as typed, for the rules."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError("application.json bukan JSON yang sah") from exc
    if not isinstance(raw, dict):
        raise BundleError("application.json harus berisi satu objek JSON")

    office = _text(raw, "office")
    service = _text(raw, "service")
    variant = _text(raw, "variant", required=False)
    submitted_at = _timestamp(raw.get("submitted_at"))
    applicant = raw.get("applicant")
    if not isinstance(applicant, dict):
        raise BundleError("application.json tidak memuat data pemohon (applicant)")
    nama = _text(applicant, "nama", where="applicant.")
    nik_raw = applicant.get("nik")
    if nik_raw is None or isinstance(nik_raw, bool | dict | list) or not str(nik_raw).strip():
        raise BundleError("application.json tidak memuat NIK pemohon (applicant.nik)")
    practice = raw.get("practice") if isinstance(raw.get("practice"), dict) else {}
    resubmission_of = raw.get("resubmission_of")
    if resubmission_of is not None and not isinstance(resubmission_of, str):
        raise BundleError("isian 'resubmission_of' pada application.json harus berupa nomor permohonan")

    if not is_known_service(office, service, variant):
        shown = " / ".join(v for v in (office, service, variant) if v)
        raise BundleError(f"kantor, layanan atau varian permohonan tidak dikenal: {shown}")
    return Manifest(
        office=office,
        service=service,
        variant=variant,
        submitted_at=submitted_at,
        pemohon=Pemohon(
            nama=nama,
            nik=str(nik_raw).strip(),
            email=_optional(applicant, "email"),
            telepon=_optional(applicant, "telepon"),
        ),
        tempat_praktik=TempatPraktik(nama=_optional(practice, "nama"), alamat=_optional(practice, "alamat")),
        resubmission_of=(resubmission_of or "").strip(),
    )


def _text(raw: dict[str, Any], key: str, *, where: str = "", required: bool = True) -> str:
    value = raw.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if value is None and not required:
        return ""
    raise BundleError(f"application.json tidak memuat isian '{where}{key}' yang sah")


def _optional(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise BundleError("application.json tidak memuat tanggal pengajuan (submitted_at)")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise BundleError("tanggal pengajuan (submitted_at) pada application.json tidak sah") from exc
    if parsed.tzinfo is None:
        raise BundleError("tanggal pengajuan (submitted_at) pada application.json tidak memuat zona waktu")
    return parsed
