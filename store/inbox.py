"""The file-system edge: where bundles arrive, wait, are kept and are set aside.

Layout under the workspace root (``IZINFLOW_HOME``, default ``./var``)::

    inbox/                      bundles dropped by the portal or an operator (folder or .zip)
    claimed/<claim-id>/<name>   taken by one worker, being processed
    originals/<sha256>/<name>   the bundle as received, never modified afterwards
    quarantine/<id>/<name>      bundles that could not be processed, with reason.txt
    outputs/<nomor>/            letters and reports of one application
    cache/                      anything that can be rebuilt

A bundle moves only by ``os.rename`` inside the workspace, so it is always in exactly one place
and nothing is ever deleted. The order that loses nothing after a crash is: claim, process,
commit the result to the database, then ``keep_original``. A claim left in ``claimed/`` by a
crash is found again by ``pending_claims`` and processed again; registration is idempotent by
the bundle's hash.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

IGNORED_PREFIXES = (".",)
IGNORED_SUFFIXES = (".part", ".tmp")
DUPLICATES = ".duplikat"
REASON_FILE = "reason.txt"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def from_env(cls) -> Workspace:
        """The workspace at ``IZINFLOW_HOME`` (default ``./var``), folders created."""
        workspace = cls(Path(os.environ.get("IZINFLOW_HOME") or "var").resolve())
        workspace.ensure()
        return workspace

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def claimed(self) -> Path:
        return self.root / "claimed"

    @property
    def originals(self) -> Path:
        return self.root / "originals"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def ensure(self) -> Workspace:
        for folder in (self.inbox, self.claimed, self.originals, self.quarantine, self.outputs, self.cache):
            folder.mkdir(parents=True, exist_ok=True)
        return self


@dataclass(frozen=True)
class Claim:
    """One bundle taken from the inbox by this worker; ``path`` is the bundle itself."""

    id: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


def _new_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:12]


def is_candidate(path: Path) -> bool:
    """A folder or file that is not hidden and not still being written.

    Any file is taken, not only a .zip: a stray PDF dropped into the inbox must reach quarantine
    with its reason rather than wait there unseen.
    """
    name = path.name
    if name.startswith(IGNORED_PREFIXES) or name.lower().endswith(IGNORED_SUFFIXES):
        return False
    return path.is_dir() or path.is_file()


def _newest_mtime(path: Path) -> float:
    newest = path.stat().st_mtime
    if path.is_dir():
        for child in path.rglob("*"):
            try:
                newest = max(newest, child.stat().st_mtime)
            except FileNotFoundError:
                continue
    return newest


def _try_claim(ws: Workspace, entry: Path) -> Claim | None:
    claim_id = _new_id()
    folder = ws.claimed / claim_id
    folder.mkdir(parents=True)
    target = folder / entry.name
    try:
        # Atomic: when two workers race for one entry, exactly one rename succeeds.
        os.rename(entry, target)
    except FileNotFoundError:
        folder.rmdir()
        return None
    return Claim(id=claim_id, path=target)


def _candidates(ws: Workspace, min_age_seconds: float) -> list[Path]:
    if not ws.inbox.is_dir():
        return []
    now = time.time()
    entries = []
    for entry in sorted(ws.inbox.iterdir()):
        try:
            if not is_candidate(entry):
                continue
            if min_age_seconds > 0 and now - _newest_mtime(entry) < min_age_seconds:
                continue
        except FileNotFoundError:
            continue  # claimed by someone else meanwhile
        entries.append(entry)
    return entries


def claim_next(ws: Workspace, *, min_age_seconds: float = 0.0) -> Claim | None:
    """Take the first waiting bundle (by name), or None when the inbox has nothing to take.

    ``min_age_seconds`` leaves alone entries changed more recently than that (a folder still
    being copied in).
    """
    ws.ensure()
    for entry in _candidates(ws, min_age_seconds):
        claim = _try_claim(ws, entry)
        if claim is not None:
            return claim
    return None


def claim_all(ws: Workspace, *, min_age_seconds: float = 0.0) -> list[Claim]:
    """Take every waiting bundle that no other worker takes first."""
    ws.ensure()
    claims = []
    for entry in _candidates(ws, min_age_seconds):
        claim = _try_claim(ws, entry)
        if claim is not None:
            claims.append(claim)
    return claims


def pending_claims(ws: Workspace) -> list[Claim]:
    """Claims still in ``claimed/``: taken but not yet kept or quarantined (e.g. after a crash).

    Only call this when no other worker is running, or it returns their claims too.
    """
    if not ws.claimed.is_dir():
        return []
    claims = []
    for folder in sorted(ws.claimed.iterdir()):
        entries = [p for p in folder.iterdir()] if folder.is_dir() else []
        if len(entries) == 1:
            claims.append(Claim(id=folder.name, path=entries[0]))
    return claims


def original_destination(ws: Workspace, sha256: str, name: str) -> Path:
    """Where ``keep_original`` puts a bundle first received with this hash and name."""
    return ws.originals / _safe_component(sha256) / name


def find_original(ws: Workspace, sha256: str) -> Path | None:
    folder = ws.originals / _safe_component(sha256)
    if not folder.is_dir():
        return None
    kept = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    return kept[0] if kept else None


def keep_original(ws: Workspace, claim: Claim, sha256: str) -> Path:
    """Move the claimed bundle, unchanged, to ``originals/<sha256>/`` and return where the original is.

    When a bundle with this hash was kept before (the same bundle dropped twice), the first stays
    the original; this copy goes to ``originals/<sha256>/.duplikat/<claim-id>/`` with a line in
    ``.duplikat/daftar.txt``, and the first one's path is returned.
    """
    ws.ensure()
    folder = ws.originals / _safe_component(sha256)
    try:
        folder.mkdir()
    except FileExistsError:
        existing = find_original(ws, sha256)
        if existing is not None:
            _keep_duplicate(folder, claim)
            return existing
    target = folder / claim.name
    os.rename(claim.path, target)
    _remove_empty_claim_folder(claim)
    return target


def _keep_duplicate(folder: Path, claim: Claim) -> None:
    duplicates = folder / DUPLICATES
    target = duplicates / claim.id / claim.name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(claim.path, target)
    with (duplicates / "daftar.txt").open("a", encoding="utf-8") as log:
        log.write(f"{_timestamp()}\t{claim.id}\t{claim.name}\n")
    _remove_empty_claim_folder(claim)


def quarantine(ws: Workspace, claim_or_path: Claim | Path, reason: str) -> Path:
    """Set a bundle aside in ``quarantine/<id>/`` with ``reason.txt``; returns that folder.

    ``reason`` is the Indonesian sentence a clerk reads; the file also records when and what.
    """
    ws.ensure()
    if isinstance(claim_or_path, Claim):
        quarantine_id, source = claim_or_path.id, claim_or_path.path
    else:
        quarantine_id, source = _new_id(), Path(claim_or_path)
    folder = ws.quarantine / quarantine_id
    while folder.exists():
        folder = ws.quarantine / _new_id()
    folder.mkdir(parents=True)
    (folder / REASON_FILE).write_text(
        f"Alasan: {reason}\nWaktu: {_timestamp()}\nBerkas: {source.name}\n", encoding="utf-8"
    )
    os.rename(source, folder / source.name)
    if isinstance(claim_or_path, Claim):
        _remove_empty_claim_folder(claim_or_path)
    return folder


def outputs_dir(ws: Workspace, nomor_permohonan: str) -> Path:
    """The folder of the letters and reports of one application, created when missing."""
    folder = ws.outputs / _safe_component(nomor_permohonan)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_empty_claim_folder(claim: Claim) -> None:
    with contextlib.suppress(OSError):
        claim.path.parent.rmdir()


def _safe_component(value: str) -> str:
    if not value or value in {".", ".."} or "/" in value or "\\" in value or "\0" in value:
        raise ValueError(f"not usable as a folder name: {value!r}")
    return value


def _timestamp() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")
