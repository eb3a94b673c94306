"""The file-system intake: claiming, keeping originals, quarantine."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import zipfile
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from store.inbox import (
    Claim,
    Workspace,
    claim_all,
    claim_next,
    find_original,
    keep_original,
    original_destination,
    outputs_dir,
    pending_claims,
    quarantine,
)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "var").ensure()


def drop_zip(ws: Workspace, name: str, payload: bytes = b"%PDF-1.7 isi berkas") -> Path:
    path = ws.inbox / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("application.json", '{"office": "rokan-hilir"}')
        archive.writestr("berkas.pdf", payload)
    return path


def drop_folder(ws: Workspace, name: str) -> Path:
    folder = ws.inbox / name
    folder.mkdir()
    (folder / "application.json").write_text('{"office": "bontang"}', encoding="utf-8")
    (folder / "ktp.jpg").write_bytes(bytes(range(256)) * 4)
    return folder


def tree_digest(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _claim_until_empty(root: str, start: Barrier, results: Queue[list[str]]) -> None:
    workspace = Workspace(Path(root))
    start.wait()
    names = []
    while (claim := claim_next(workspace)) is not None:
        names.append(claim.name)
    results.put(names)
    results.close()
    results.join_thread()
    # A forked child also inherits the test process's exit handlers (Prefect's, a server thread's):
    # leave without them, so the exit code says only whether claiming worked.
    os._exit(0)


def test_two_claimers_in_parallel_take_each_bundle_exactly_once(ws: Workspace) -> None:
    expected = set()
    for i in range(10):
        expected.add(drop_zip(ws, f"berkas-{i:02d}.zip").name)
        expected.add(drop_folder(ws, f"folder-{i:02d}").name)

    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    results: Queue[list[str]] = context.Queue()
    args = (str(ws.root), start, results)
    workers = [context.Process(target=_claim_until_empty, args=args) for _ in range(2)]
    for worker in workers:
        worker.start()
    claimed = results.get(timeout=60) + results.get(timeout=60)
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0, 0]
    assert sorted(claimed) == sorted(expected)
    assert list(ws.inbox.iterdir()) == []
    claim_folders = list(ws.claimed.iterdir())
    assert len(claim_folders) == 20
    assert all(len(list(folder.iterdir())) == 1 for folder in claim_folders)


def test_claim_all_skips_hidden_and_partial_files_but_takes_loose_ones(ws: Workspace) -> None:
    drop_zip(ws, "siap.zip")
    drop_folder(ws, "siap-folder")
    drop_zip(ws, "masih-diunggah.zip.part")
    drop_zip(ws, ".tersembunyi.zip")
    (ws.inbox / "sementara.tmp").write_bytes(b"x")
    (ws.inbox / "lepas.pdf").write_bytes(b"%PDF")

    claims = claim_all(ws)

    # A loose PDF is claimed too, so that the intake quarantines it with a reason.
    assert sorted(c.name for c in claims) == ["lepas.pdf", "siap-folder", "siap.zip"]
    assert sorted(p.name for p in ws.inbox.iterdir()) == [
        ".tersembunyi.zip", "masih-diunggah.zip.part", "sementara.tmp",
    ]
    assert all(c.path.exists() and c.path.parent.parent == ws.claimed for c in claims)


def test_fresh_entries_wait_for_min_age(ws: Workspace) -> None:
    drop_folder(ws, "baru-disalin")
    assert claim_next(ws, min_age_seconds=3600) is None
    claim = claim_next(ws)
    assert claim is not None
    assert claim.name == "baru-disalin"


def test_empty_inbox_claims_nothing(ws: Workspace) -> None:
    assert claim_next(ws) is None
    assert claim_all(ws) == []


def test_keep_original_keeps_bytes_unchanged(ws: Workspace) -> None:
    before_zip = tree_digest(drop_zip(ws, "a.zip"))
    before_folder = tree_digest(drop_folder(ws, "b"))
    claims = {c.name: c for c in claim_all(ws)}

    kept_zip = keep_original(ws, claims["a.zip"], "1" * 64)
    kept_folder = keep_original(ws, claims["b"], "2" * 64)

    assert kept_zip == original_destination(ws, "1" * 64, "a.zip")
    assert tree_digest(kept_zip) == before_zip
    assert tree_digest(kept_folder) == before_folder
    assert not claims["a.zip"].path.exists()
    assert pending_claims(ws) == []


def test_same_bundle_twice_keeps_the_first_and_records_the_duplicate(ws: Workspace) -> None:
    drop_zip(ws, "pertama.zip", b"sama")
    first = claim_next(ws)
    assert first is not None
    kept = keep_original(ws, first, "f" * 64)
    first_digest = tree_digest(kept)

    drop_zip(ws, "kedua.zip", b"sama")
    second = claim_next(ws)
    assert second is not None
    second_digest = tree_digest(second.path)
    again = keep_original(ws, second, "f" * 64)

    assert again == kept
    assert find_original(ws, "f" * 64) == kept
    assert tree_digest(kept) == first_digest
    duplicate = ws.originals / ("f" * 64) / ".duplikat" / second.id / "kedua.zip"
    assert tree_digest(duplicate) == second_digest
    assert second.id in (ws.originals / ("f" * 64) / ".duplikat" / "daftar.txt").read_text(encoding="utf-8")


def test_quarantine_keeps_the_bundle_and_writes_the_reason(ws: Workspace) -> None:
    before = tree_digest(drop_zip(ws, "rusak.zip"))
    claim = claim_next(ws)
    assert claim is not None

    folder = quarantine(ws, claim, "Berkas zip tidak dapat dibuka.")

    assert folder.parent == ws.quarantine
    assert tree_digest(folder / "rusak.zip") == before
    reason = (folder / "reason.txt").read_text(encoding="utf-8")
    assert "Berkas zip tidak dapat dibuka." in reason
    assert "Waktu:" in reason
    assert not claim.path.exists()
    assert pending_claims(ws) == []


def test_quarantine_a_loose_path(ws: Workspace) -> None:
    loose = ws.inbox / "lepas.pdf"
    loose.write_bytes(b"%PDF-1.4")
    folder = quarantine(ws, loose, "Bukan berkas permohonan.")
    assert (folder / "lepas.pdf").read_bytes() == b"%PDF-1.4"
    assert "Bukan berkas permohonan." in (folder / "reason.txt").read_text(encoding="utf-8")


def test_a_claim_left_by_a_crash_is_found_again(ws: Workspace) -> None:
    drop_zip(ws, "terputus.zip")
    claim = claim_next(ws)
    assert claim is not None
    assert pending_claims(ws) == [Claim(id=claim.id, path=claim.path)]


def test_outputs_dir_is_one_folder_per_application(ws: Workspace) -> None:
    folder = outputs_dir(ws, "RHL-2026-000001")
    assert folder == ws.outputs / "RHL-2026-000001"
    assert folder.is_dir()
    with pytest.raises(ValueError):
        outputs_dir(ws, "../luar")


def test_workspace_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IZINFLOW_HOME", str(tmp_path / "rumah"))
    workspace = Workspace.from_env()
    assert workspace.root == (tmp_path / "rumah").resolve()
    assert all((workspace.root / name).is_dir() for name in
               ("inbox", "claimed", "originals", "quarantine", "outputs", "cache"))
