"""The store on SQLite and, when it answers at 127.0.0.1:5432, on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import POSTGRES_URL
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from izinflow.domain import (
    BundleFile,
    Decision,
    DocType,
    Document,
    Manifest,
    Mark,
    PageClass,
    PageRef,
    PageText,
    Pemohon,
    RejectedFile,
    RequirementResult,
    RequirementStatus,
    TempatPraktik,
    Verdict,
)
from store import models, repository
from store.db import alembic_config, make_engine, migrate, session_scope

WITA = timezone(timedelta(hours=8))


def manifest(nik: str = "1407015203900002", nama: str = "SITI AMINAH") -> Manifest:
    return Manifest(
        office="rokan-hilir",
        service="sip-perekam-medis",
        variant="baru",
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=timezone(timedelta(hours=7))),
        pemohon=Pemohon(nama=nama, nik=nik, email="siti@example.org", telepon="081234567890"),
        tempat_praktik=TempatPraktik(nama="RSUD Dr. R.M. Pratomo", alamat="Jl. Utama, Bagansiapiapi"),
    )


def sha(label: str) -> str:
    return (label.encode().hex() + "0" * 64)[:64]


def register(s: Session, label: str, prefix: str = "RHL") -> tuple[repository.ApplicationRecord, bool]:
    return repository.register_application(
        s,
        bundle_sha256=sha(label),
        manifest=manifest(),
        original_path=f"/var/originals/{label}",
        office_prefix=prefix,
        received_at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
    )


# --- migrations -------------------------------------------------------------------------------


def test_migration_reaches_head_and_matches_the_models(engine: Engine) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == head
        assert compare_metadata(context, models.Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
    assert {"applications", "pemohon", "events", "pages", "fields", "sequences"} <= tables


def test_migrate_is_repeatable_and_reversible(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate(eng)
    migrate(eng)
    config = alembic_config()
    with eng.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with eng.connect() as connection:
        assert "applications" not in inspect(connection).get_table_names()
    migrate(eng)
    with eng.connect() as connection:
        assert "applications" in inspect(connection).get_table_names()
    eng.dispose()


def test_default_engine_is_a_sqlite_file_in_izinflow_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IZINFLOW_DATABASE_URL", raising=False)
    monkeypatch.setenv("IZINFLOW_HOME", str(tmp_path / "home"))
    eng = make_engine()
    with eng.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    eng.dispose()
    assert (tmp_path / "home" / "izinflow.db").is_file()


# --- registration -------------------------------------------------------------------------------


def test_same_bundle_registered_twice_is_one_application(session: Session) -> None:
    first, created_first = register(session, "same")
    second, created_second = register(session, "same")
    assert (created_first, created_second) == (True, False)
    assert second == first
    count = session.execute(
        select(func.count())
        .select_from(models.Application)
        .where(models.Application.bundle_sha256 == sha("same"))
    ).scalar_one()
    assert count == 1


def test_application_numbers_follow_office_and_year(session: Session) -> None:
    a, _ = register(session, "n1", prefix="NUM")
    b, _ = register(session, "n2", prefix="NUM")
    other, _ = register(session, "n3", prefix="NUMB")
    assert (a.nomor_permohonan, b.nomor_permohonan) == ("NUM-2026-000001", "NUM-2026-000002")
    assert other.nomor_permohonan == "NUMB-2026-000001"
    assert repository.get_application(session, a.nomor_permohonan) == a
    assert repository.get_application(session, b.id) == b
    assert repository.get_application(session, "NUM-2026-999999") is None


def test_number_year_is_the_offices_local_year(session: Session) -> None:
    # 31 Dec 2026 17:30 UTC is already 1 Jan 2027 in WITA, the offset of the applicant's form.
    form = Manifest(**{**manifest().__dict__, "submitted_at": datetime(2026, 12, 31, 23, 0, tzinfo=WITA)})
    record, _ = repository.register_application(
        session,
        bundle_sha256=sha("newyear"),
        manifest=form,
        original_path="/x",
        office_prefix="BTG",
        received_at=datetime(2026, 12, 31, 17, 30, tzinfo=UTC),
    )
    assert record.nomor_permohonan == "BTG-2027-000001"


def test_personal_data_stays_in_pemohon(session: Session) -> None:
    record, _ = register(session, "pii")
    assert record.nik_masked == "1407********0002"
    assert "1407015203900002" not in repr(record)
    assert "SITI AMINAH" not in repr(record)
    row = session.get(models.Application, record.id)
    assert row is not None
    assert "1407015203900002" not in str(row.manifest)
    assert "SITI AMINAH" not in str(row.manifest)
    assert repository.load_manifest(session, record.id) == manifest()
    assert repository.load_manifest(session, record.id).submitted_at.utcoffset() == timedelta(hours=7)


def test_timestamps_come_back_timezone_aware(session: Session) -> None:
    record, _ = register(session, "tz")
    session.expire_all()
    again = repository.get_application(session, record.id)
    assert again is not None
    assert again.received_at == datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    assert again.submitted_at == datetime(2026, 11, 20, 2, 15, tzinfo=UTC)


def _register_committed(engine: Engine, label: str, prefix: str) -> tuple[str, bool]:
    with session_scope(engine) as s:
        record, created = register(s, label, prefix=prefix)
        return record.nomor_permohonan, created


def test_concurrent_registrations_get_distinct_gapless_numbers(engine: Engine) -> None:
    prefix = "C" + uuid.uuid4().hex[:8].upper()
    labels = [f"{prefix}-{i}" for i in range(80)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda label: _register_committed(engine, label, prefix), labels))
    numbers = sorted(nomor for nomor, _ in results)
    assert all(created for _, created in results)
    assert numbers == [f"{prefix}-2026-{n:06d}" for n in range(1, 81)]


def test_concurrent_registrations_of_one_bundle_make_one_application(engine: Engine) -> None:
    prefix = "D" + uuid.uuid4().hex[:8].upper()
    label = f"dup-{prefix}"
    start = threading.Barrier(8)

    def attempt(_: int) -> tuple[str, bool]:
        start.wait()
        return _register_committed(engine, label, prefix)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(8)))
    assert sum(created for _, created in results) == 1
    assert {nomor for nomor, _ in results} == {f"{prefix}-2026-000001"}
    # The losers' increments were rolled back with them: the next number is 2, not 9.
    nomor, _ = _register_committed(engine, f"after-{prefix}", prefix)
    assert nomor == f"{prefix}-2026-000002"


# --- events ---------------------------------------------------------------------------------------


def test_events_are_appended_and_read_back(session: Session) -> None:
    record, _ = register(session, "ev")
    repository.append_event(session, record.id, "diterima", "sistem", {"file_count": 3})
    repository.append_event(session, record.id, "diverifikasi", "petugas:ani", {"decision": "incomplete"})
    events = repository.events_of(session, record.id)
    assert [(e.kind, e.actor, e.detail) for e in events] == [
        ("diterima", "sistem", {"file_count": 3}),
        ("diverifikasi", "petugas:ani", {"decision": "incomplete"}),
    ]
    assert all(e.at.tzinfo is not None for e in events)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET kind = 'diubah' WHERE id = :id", "DELETE FROM events WHERE id = :id"],
)
def test_events_cannot_be_updated_or_deleted(session: Session, statement: str) -> None:
    record, _ = register(session, "ev-locked")
    event_id = repository.append_event(session, record.id, "diterima", "sistem", {})
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement), {"id": event_id})
    assert [e.kind for e in repository.events_of(session, record.id)] == ["diterima"]


def test_event_without_application_is_allowed(session: Session) -> None:
    event_id = repository.append_event(session, None, "karantina", "sistem", {"alasan": "zip rusak"})
    row = session.get(models.Event, event_id)
    assert row is not None
    assert row.application_id is None


# --- verification ----------------------------------------------------------------------------------


def _pages() -> list[PageText]:
    return [
        PageText(ref=PageRef("berkas.pdf", 1), text="NIK : 1407015203900002", ocr=True, rotation=90,
                 ocr_confidence=88.5, content_sha256="a" * 64, marks=(Mark("qr", "https://x"),)),
        PageText(ref=PageRef("berkas.pdf", 2), text="SURAT TANDA REGISTRASI", ocr=False,
                 content_sha256="b" * 64),
        PageText(ref=PageRef("foto.jpg", 1), text="", ocr=True, error="halaman tidak terbaca",
                 content_sha256="c" * 64),
    ]


def _classes() -> list[PageClass]:
    return [
        PageClass(PageRef("berkas.pdf", 1), DocType.ktp, 0.97),
        PageClass(PageRef("berkas.pdf", 2), DocType.str, 0.91),
        PageClass(PageRef("foto.jpg", 1), DocType.kosong, 0.5),
    ]


def _documents() -> list[Document]:
    return [
        Document(DocType.ktp, [PageRef("berkas.pdf", 1)], 0.97, True,
                 {"nik": "1407015203900002", "nama": "SITI AMINAH"}),
        Document(DocType.str, [PageRef("berkas.pdf", 2)], 0.91, False, {"berlaku_sampai": "seumur hidup"}),
    ]


def _verdict(decision: Decision, npwp: RequirementStatus) -> Verdict:
    npwp_reasons = ("dokumen tidak ditemukan",) if npwp != RequirementStatus.met else ()
    return Verdict(
        decision=decision,
        requirements=(
            RequirementResult("ktp", RequirementStatus.met, (), (PageRef("berkas.pdf", 1),)),
            RequirementResult("npwp", npwp, npwp_reasons),
        ),
        reasons=("NPWP belum dilampirkan",) if decision == Decision.incomplete else (),
    )


def test_save_verification_stores_everything_and_keeps_history(session: Session) -> None:
    record, _ = register(session, "verif")
    assert repository.latest_verdict(session, record.id) is None
    first_verdict = _verdict(Decision.incomplete, RequirementStatus.missing)
    first = repository.save_verification(
        session, record.id, pages=_pages(), classes=_classes(), documents=_documents(), verdict=first_verdict,
        rejected=[RejectedFile("catatan.docx", "format berkas tidak didukung")],
        files=[BundleFile("berkas.pdf", b"%PDF-1.7 data", "pdf")],
    )
    second_verdict = _verdict(Decision.complete, RequirementStatus.met)
    second = repository.save_verification(
        session, record.id, pages=_pages(), classes=_classes(), documents=_documents(),
        verdict=second_verdict, rejected=[],
    )
    assert first != second

    assert repository.latest_verdict(session, record.id) == second_verdict
    assert repository.latest_documents(session, record.id) == _documents()
    history = repository.verification_history(session, record.id)
    assert [(v.attempt, v.decision) for v in history] == [(1, Decision.incomplete), (2, Decision.complete)]
    application = repository.get_application(session, record.id)
    assert application is not None
    assert (application.status, application.decision) == ("verified", Decision.complete)

    first_requirements = session.execute(
        select(models.RequirementResultRow.code, models.RequirementResultRow.status)
        .where(models.RequirementResultRow.verification_id == first)
        .order_by(models.RequirementResultRow.position)
    ).all()
    assert [tuple(r) for r in first_requirements] == [("ktp", "met"), ("npwp", "missing")]

    stored = select(models.StoredFile).where(models.StoredFile.verification_id == first)
    files = {f.name: f for f in session.execute(stored).scalars()}
    assert set(files) == {"berkas.pdf", "foto.jpg", "catatan.docx"}
    assert files["catatan.docx"].rejected_reason == "format berkas tidak didukung"
    assert (files["berkas.pdf"].size, files["berkas.pdf"].kind) == (13, "pdf")
    assert files["foto.jpg"].sha256 is None

    pages = session.execute(
        select(models.Page).join(models.StoredFile).where(models.StoredFile.verification_id == first)
        .order_by(models.StoredFile.name, models.Page.page_number)
    ).scalars().all()
    assert [(p.page_number, p.doc_type, p.rotation, p.ocr) for p in pages] == [
        (1, "ktp", 90, True), (2, "str", 0, False), (1, "kosong", 0, True),
    ]
    assert pages[0].marks == [{"kind": "qr", "value": "https://x"}]
    assert pages[2].error == "halaman tidak terbaca"

    fields_of_second = session.execute(
        select(models.Field.name, models.Field.value).join(models.DocumentRow)
        .where(models.DocumentRow.verification_id == second).order_by(models.Field.id)
    ).all()
    assert [tuple(f) for f in fields_of_second] == [
        ("nik", "1407015203900002"), ("nama", "SITI AMINAH"), ("berlaku_sampai", "seumur hidup"),
    ]


def test_save_verification_for_unknown_application_fails(session: Session) -> None:
    with pytest.raises(LookupError):
        repository.save_verification(
            session, 987654, pages=[], classes=[], documents=[],
            verdict=_verdict(Decision.review, RequirementStatus.review), rejected=[],
        )


def _engine_in_schema(url: str, schema: str | None) -> Engine:
    if schema is None:
        return make_engine(url)
    return make_engine(url, connect_args={"options": f"-csearch_path={schema}"})


def _migrate_in_child(url: str, schema: str | None) -> None:
    eng = _engine_in_schema(url, schema)
    migrate(eng)
    eng.dispose()


def test_processes_starting_together_migrate_an_empty_database_once(engine: Engine, tmp_path: Path) -> None:
    schema = None
    if engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        url, schema = POSTGRES_URL, f"izinflow_test_{uuid.uuid4().hex[:12]}"
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    context = multiprocessing.get_context("fork")
    try:
        children = [context.Process(target=_migrate_in_child, args=(url, schema)) for _ in range(3)]
        for child in children:
            child.start()
        for child in children:
            child.join(timeout=120)
        assert [child.exitcode for child in children] == [0, 0, 0]
        fresh = _engine_in_schema(url, schema)
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        with fresh.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head
        fresh.dispose()
    finally:
        if schema:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
