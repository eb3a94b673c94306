"""Issued documents: numbered once, stored with their hash, verified by token, revoked; `izinflow verify`."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.load import load_office
from checklists.model import StageDocument
from izinflow.cli import main
from izinflow.domain import Manifest, Pemohon, TempatPraktik
from store import models, repository
from store.db import make_engine, migrate, session_scope
from store.issuance import (
    DocumentAlreadyRevoked,
    DocumentStatus,
    IssuedDocumentRecord,
    IssueTicket,
    documents_of,
    find_by_token,
    find_issued,
    issue_document,
    revoke,
    ticket_for,
    token_from,
)

NIK = "1407015203900002"
NAMA = "SITI AMINAH, A.Md.RMIK"
TANGGAL = date(2026, 11, 22)
PREFIX = {"rokan-hilir": "RHL", "bontang": "BTG", "bekasi": "BKS", "batang": "BTA"}


def register(s: Session, label: str, office: str = "rokan-hilir") -> int:
    """A committed-or-not application of ``office``; returns its id."""
    form = Manifest(
        office=office,
        service="sip-perekam-medis",
        variant="baru",
        submitted_at=datetime(2026, 11, 20, 9, 15, tzinfo=timezone(timedelta(hours=7))),
        pemohon=Pemohon(nama=NAMA, nik=NIK, email="siti@example.org", telepon="081234567890"),
        tempat_praktik=TempatPraktik(nama="RSUD Dr. R.M. Pratomo", alamat="Jl. Utama, Bagansiapiapi"),
    )
    record, _ = repository.register_application(
        s,
        bundle_sha256=hashlib.sha256(label.encode()).hexdigest(),
        manifest=form,
        original_path=f"/var/originals/{label}",
        office_prefix=PREFIX[office],
        received_at=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
    )
    return record.id


def pdf_of(ticket: IssueTicket) -> bytes:
    """A one-page PDF carrying the ticket's number and URL (as a renderer would print them)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": ticket.nomor_surat, "/Subject": ticket.verify_url})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def never(_: IssueTicket) -> bytes:
    raise AssertionError("an issued document must not be rendered again")


def issue(
    s: Session,
    application_id: int,
    files_dir: Path,
    kind: StageDocument = StageDocument.izin,
    *,
    office: str = "rokan-hilir",
    tanggal: date = TANGGAL,
    render: Callable[[IssueTicket], bytes] = pdf_of,
    **kwargs: object,
) -> IssuedDocumentRecord:
    return issue_document(
        s, application_id=application_id, office=load_office(office), kind=kind, tanggal=tanggal,
        render=render, files_dir=files_dir, holder=NAMA, **kwargs,  # type: ignore[arg-type]
    )


def pdfs_in(files_dir: Path) -> list[Path]:
    return sorted(p for p in files_dir.rglob("*") if p.is_file())


# --- issuing -----------------------------------------------------------------------------------------


def test_an_issued_permit_has_the_offices_number_a_stored_file_and_a_token(session: Session, tmp_path: Path) -> None:
    app = register(session, "permit")
    record = issue(session, app, tmp_path, valid_until=date(2031, 11, 21))

    assert record.nomor_surat == "503.446/0001/DPMPTSP/XI/2026"
    assert (record.office, record.kind, record.round, record.year, record.sequence) == (
        "rokan-hilir", StageDocument.izin, 1, 2026, 1
    )
    assert len(record.token) >= 32
    data = record.path.read_bytes()
    assert record.path.parent == (tmp_path / "rokan-hilir" / "2026").resolve()
    assert (record.sha256, record.size) == (hashlib.sha256(data).hexdigest(), len(data))
    printed = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert printed.title == record.nomor_surat
    assert printed.subject == f"https://dpmptsp.rokanhilirkab.go.id/verifikasi/{record.token}"
    assert ticket_for(load_office("rokan-hilir"), record) == IssueTicket(
        record.nomor_surat, record.token, printed.subject, TANGGAL
    )
    assert pdfs_in(tmp_path) == [record.path]  # no temporary file left behind
    assert NAMA not in repr(record) and NIK not in repr(record)

    events = [e for e in repository.events_of(session, app) if e.kind == "dokumen_diterbitkan"]
    assert [e.detail["nomor_surat"] for e in events] == [record.nomor_surat]
    assert NAMA not in str(events[0].detail)


def test_issuing_the_same_stage_again_returns_the_first_document(session: Session, tmp_path: Path) -> None:
    app = register(session, "again")
    first = issue(session, app, tmp_path)
    again = issue(session, app, tmp_path, render=never)
    assert again == first
    assert find_issued(session, app, StageDocument.izin) == first

    second_round = issue(session, app, tmp_path, round=2)
    other = issue(session, register(session, "again-other"), tmp_path)
    assert (second_round.sequence, other.sequence) == (2, 3)
    assert [d.nomor_surat for d in documents_of(session, app)] == [
        "503.446/0001/DPMPTSP/XI/2026", "503.446/0002/DPMPTSP/XI/2026"
    ]
    events = [e for e in repository.events_of(session, app) if e.kind == "dokumen_diterbitkan"]
    assert len(events) == 2


def test_numbers_run_per_office_kind_and_year(session: Session, tmp_path: Path) -> None:
    a, b, c = register(session, "series-a"), register(session, "series-b"), register(session, "series-c")
    receipt = issue(session, a, tmp_path, StageDocument.tanda_terima_berkas)
    returned = issue(session, b, tmp_path, StageDocument.surat_pengembalian_berkas)
    second_receipt = issue(session, c, tmp_path, StageDocument.tanda_terima_berkas)
    permit = issue(session, a, tmp_path, StageDocument.izin)
    next_year = issue(session, b, tmp_path, StageDocument.izin, tanggal=date(2027, 1, 4))
    # Each kind has its archive code at Rokan Hilir, and its own running number under it.
    assert receipt.nomor_surat == "503.1/0001/DPMPTSP/XI/2026"
    assert returned.nomor_surat == "503.2/0001/DPMPTSP/XI/2026"
    assert second_receipt.nomor_surat == "503.1/0002/DPMPTSP/XI/2026"
    assert permit.nomor_surat == "503.446/0001/DPMPTSP/XI/2026"
    assert next_year.nomor_surat == "503.446/0001/DPMPTSP/I/2027"

    bontang = issue(session, register(session, "series-bontang", "bontang"), tmp_path, office="bontang")
    assert bontang.nomor_surat == permit.nomor_surat  # the same format, another office's register
    assert bontang.path != permit.path


def test_a_failed_render_takes_its_number_back(session: Session, tmp_path: Path) -> None:
    app = register(session, "fails")

    def broken(_: IssueTicket) -> bytes:
        raise RuntimeError("WeasyPrint crashed")

    with pytest.raises(RuntimeError, match="WeasyPrint crashed"):
        issue(session, app, tmp_path, render=broken)
    with pytest.raises(ValueError, match="did not return a PDF"):
        issue(session, app, tmp_path, render=lambda _: b"<html>not a pdf</html>")
    assert find_issued(session, app, StageDocument.izin) is None
    assert pdfs_in(tmp_path) == []
    assert not [e for e in repository.events_of(session, app) if e.kind == "dokumen_diterbitkan"]

    record = issue(session, app, tmp_path)
    assert record.nomor_surat == "503.446/0001/DPMPTSP/XI/2026"


def test_a_document_is_issued_only_by_the_applications_office(session: Session, tmp_path: Path) -> None:
    app = register(session, "wrong-office")
    with pytest.raises(ValueError, match="belongs to rokan-hilir"):
        issue(session, app, tmp_path, office="bontang")
    with pytest.raises(LookupError):
        issue(session, 10**9, tmp_path)
    with pytest.raises(ValueError):
        issue(session, app, tmp_path, round=0)


# --- verification and revocation -----------------------------------------------------------------


def test_verification_shows_number_holder_and_validity_but_never_the_nik(session: Session, tmp_path: Path) -> None:
    record = issue(session, register(session, "verify"), tmp_path, valid_until=date(2031, 11, 21))
    view = find_by_token(session, record.token)
    assert view is not None
    assert (view.kind, view.nomor_surat, view.office, view.service) == (
        StageDocument.izin, record.nomor_surat, "rokan-hilir", "sip-perekam-medis"
    )
    assert (view.holder, view.tanggal, view.valid_until) == (NAMA, TANGGAL, date(2031, 11, 21))
    assert view.status(date(2026, 12, 1)) is DocumentStatus.berlaku
    assert view.status(date(2031, 11, 22)) is DocumentStatus.kedaluwarsa
    shown = repr(view)
    assert NIK not in shown and NIK[:4] + "*" * 8 + NIK[-4:] not in shown

    assert find_by_token(session, record.token[:-1] + ("A" if record.token[-1] != "A" else "B")) is None
    assert find_by_token(session, "") is None
    assert find_by_token(session, "' OR 1=1 --") is None


def test_a_revoked_document_verifies_as_revoked_with_its_reason(session: Session, tmp_path: Path) -> None:
    app = register(session, "revoke")
    record = issue(session, app, tmp_path)
    at = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    revoked = revoke(session, record.token, "STR pemegang izin dicabut", "petugas:ani", at=at)
    assert (revoked.revoked_at, revoked.revoked_reason) == (at, "STR pemegang izin dicabut")

    view = find_by_token(session, record.token)
    assert view is not None and view.status(date(2026, 12, 4)) is DocumentStatus.dicabut
    assert view.revoked_reason == "STR pemegang izin dicabut"
    events = [e for e in repository.events_of(session, app) if e.kind == "dokumen_dicabut"]
    assert [(e.actor, e.detail["nomor_surat"]) for e in events] == [("petugas:ani", record.nomor_surat)]

    with pytest.raises(DocumentAlreadyRevoked):
        revoke(session, record.token, "lagi", "petugas:ani")
    with pytest.raises(LookupError):
        revoke(session, "x" * 32, "tidak ada", "petugas:ani")
    with pytest.raises(ValueError):
        revoke(session, record.token, "  ", "petugas:ani")
    assert find_by_token(session, record.token).revoked_reason == "STR pemegang izin dicabut"  # type: ignore[union-attr]


def test_the_token_is_read_from_a_full_verification_url() -> None:
    token = "k3Jd_9-aZ" * 4
    assert token_from(token) == token
    assert token_from(f"  https://dpmptsp.bontangkota.go.id/verifikasi/{token}\n") == token
    assert token_from(f"https://dpmptsp.bontangkota.go.id/verifikasi/{token}/?utm=qr#atas") == token


def test_no_token_starts_like_a_command_line_option(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = iter(["-" + "a" * 31, "-" + "b" * 31, "c" * 32])
    monkeypatch.setattr("store.issuance.secrets.token_urlsafe", lambda _: next(drawn))
    record = issue(session, register(session, "dash"), tmp_path)
    assert record.token == "c" * 32


def test_tokens_and_numbers_are_unique_in_the_database(session: Session, tmp_path: Path) -> None:
    records = [issue(session, register(session, f"uniq-{i}"), tmp_path) for i in range(5)]
    assert len({r.token for r in records}) == 5
    count = session.execute(select(func.count()).select_from(models.IssuedDocument)).scalar_one()
    assert count == 5


# --- `izinflow verify` and `izinflow dokumen cabut` -------------------------------------------------


@pytest.fixture
def home_with_a_permit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, IssuedDocumentRecord]:
    home = tmp_path / "home"
    monkeypatch.setenv("IZINFLOW_HOME", str(home))
    monkeypatch.delenv("IZINFLOW_DATABASE_URL", raising=False)
    eng = make_engine(f"sqlite:///{home / 'izinflow.db'}")
    migrate(eng)
    with session_scope(eng) as s:
        record = issue(s, register(s, "cli"), home / "dokumen", valid_until=date(2031, 11, 21))
    eng.dispose()
    return home, record


def test_verify_prints_the_document_in_indonesian_and_exits_0(
    home_with_a_permit: tuple[Path, IssuedDocumentRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    _, record = home_with_a_permit
    office = load_office("rokan-hilir")
    url = f"https://dpmptsp.rokanhilirkab.go.id/verifikasi/{record.token}"
    assert main(["verify", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ASLI dan BERLAKU")
    for text in (record.nomor_surat, NAMA, "Izin Praktik Perekam Medis", office.name, "22 November 2026",
                 "21 November 2031"):
        assert text in out
    assert NIK not in out and NIK[-4:] not in out

    assert main(["verify", record.token, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["status"], shown["nomor_surat"], shown["atas_nama"]) == ("berlaku", record.nomor_surat, NAMA)


def test_verify_says_revoked_or_unknown_and_exits_1(
    home_with_a_permit: tuple[Path, IssuedDocumentRecord], capsys: pytest.CaptureFixture[str]
) -> None:
    _, record = home_with_a_permit
    assert main(["verify", "Zz" * 16]) == 1
    assert capsys.readouterr().out.startswith("TIDAK DIKENAL")

    assert main(["dokumen", "cabut", record.token, "--alasan", "STR tidak berlaku lagi", "--petugas", "ani"]) == 0
    assert record.nomor_surat in capsys.readouterr().out
    assert main(["verify", record.token]) == 1
    out = capsys.readouterr().out
    assert out.startswith("ASLI, tetapi TELAH DICABUT")
    assert "STR tidak berlaku lagi" in out and "Dicabut pada" in out

    assert main(["dokumen", "cabut", record.token, "--alasan", "lagi"]) == 2
    assert "sudah dicabut" in capsys.readouterr().err
    assert main(["dokumen", "cabut", "Zz" * 16, "--alasan", "salah"]) == 2
    assert "tidak ada dokumen" in capsys.readouterr().err
