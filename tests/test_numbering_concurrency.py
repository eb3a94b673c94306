"""Letter numbers under concurrent issuers: every worker has its own connection and transaction.

Runs on SQLite and, the case that matters for a multi-worker office, on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from test_issuance import pdf_of, register

from checklists.load import load_office
from checklists.model import StageDocument
from store import models
from store.db import session_scope
from store.issuance import IssuedDocumentRecord, IssueTicket, issue_document

WORKERS = 8
PER_WORKER = 5


def _register_committed(engine: Engine, labels: list[str]) -> list[int]:
    with session_scope(engine) as s:
        return [register(s, label) for label in labels]


def _issue_committed(
    engine: Engine, application_id: int, tanggal: date, files_dir: Path, render
) -> IssuedDocumentRecord:
    with session_scope(engine) as s:
        return issue_document(
            s, application_id=application_id, office=load_office("rokan-hilir"), kind=StageDocument.izin,
            tanggal=tanggal, render=render, files_dir=files_dir, holder="SITI AMINAH",
        )


def _slow_pdf(ticket: IssueTicket) -> bytes:
    time.sleep(0.005)  # a render takes time: transactions overlap while a number is held
    return pdf_of(ticket)


def test_concurrent_issuers_get_every_number_once_and_none_skipped(engine: Engine, tmp_path: Path) -> None:
    tanggal = date(2031, 3, 5)  # a year no other test of this module numbers in
    apps = _register_committed(engine, [f"burst-{i}" for i in range(WORKERS * PER_WORKER)])
    failing = set(apps[3::9])  # some renders fail mid-burst: their numbers must go back to the pool
    start = threading.Barrier(WORKERS)

    def render_for(application_id: int):
        def render(ticket: IssueTicket) -> bytes:
            if application_id in failing:
                raise RuntimeError("render failed")
            return _slow_pdf(ticket)
        return render

    def worker(w: int) -> tuple[list[IssuedDocumentRecord], int]:
        done, failed = [], 0
        start.wait()
        for application_id in apps[w * PER_WORKER:(w + 1) * PER_WORKER]:
            try:
                done.append(_issue_committed(engine, application_id, tanggal, tmp_path, render_for(application_id)))
            except RuntimeError:
                failed += 1
        return done, failed

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(worker, range(WORKERS)))

    records = [r for done, _ in results for r in done]
    issued = WORKERS * PER_WORKER - len(failing)
    assert sum(failed for _, failed in results) == len(failing)
    assert sorted(r.sequence for r in records) == list(range(1, issued + 1))
    assert len({r.nomor_surat for r in records}) == issued
    assert {r.application_id for r in records} == set(apps) - failing

    with session_scope(engine) as s:
        stored = s.execute(
            select(models.IssuedDocument.sequence, models.IssuedDocument.path)
            .where(models.IssuedDocument.year == tanggal.year)
        ).all()
        counter = s.get(models.DocumentSequence, ("rokan-hilir", "503.446", tanggal.year))
        assert counter is not None and counter.last_value == issued
    assert sorted(seq for seq, _ in stored) == list(range(1, issued + 1))
    assert sorted(Path(p) for _, p in stored) == sorted(p for p in tmp_path.rglob("*") if p.is_file())

    # The next issuance continues the sequence: no gap where the failed renders were.
    late = _issue_committed(engine, _register_committed(engine, ["burst-late"])[0], tanggal, tmp_path, pdf_of)
    assert late.sequence == issued + 1


def test_racing_issuers_of_one_stage_make_one_document(engine: Engine, tmp_path: Path) -> None:
    tanggal = date(2032, 6, 1)
    (app,) = _register_committed(engine, ["race"])
    start = threading.Barrier(WORKERS)
    renders: list[str] = []
    lock = threading.Lock()

    def render(ticket: IssueTicket) -> bytes:
        with lock:
            renders.append(ticket.nomor_surat)
        time.sleep(0.05)
        return pdf_of(ticket)

    def attempt(_: int) -> IssuedDocumentRecord:
        start.wait()
        return _issue_committed(engine, app, tanggal, tmp_path, render)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        records = list(pool.map(attempt, range(WORKERS)))

    assert len(set(records)) == 1
    assert records[0].nomor_surat == "503.446/0001/DPMPTSP/VI/2032"
    assert renders == [records[0].nomor_surat]
    with session_scope(engine) as s:
        rows = s.execute(select(models.IssuedDocument.id).where(models.IssuedDocument.application_id == app)).all()
        counter = s.get(models.DocumentSequence, ("rokan-hilir", "503.446", tanggal.year))
    assert len(rows) == 1
    assert counter is not None and counter.last_value == 1

