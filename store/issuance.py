"""Issuing documents: the running letter number, the stored file and the verification token.

Repository-style functions over a Session; the caller owns the transaction (``store.db.session_scope``).
A document is issued at most once per (application, kind, round): asking again returns the one
already issued, without rendering or numbering. Its number comes from a counter row incremented in
the issuing transaction, so a failed issuance takes its increment back and numbers never skip; the
counter row's lock serialises issuers of one series until their transactions end, so numbers never
repeat either.

A number series is the office's archive code of the kind (``OfficeProfile.letter_code``): kinds that
share a code share its running number, since their printed numbers would otherwise be the same.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from checklists.model import OfficeProfile, StageDocument
from renderers.numbering import letter_number, verify_url
from store import counters, models
from store.repository import append_event

TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters, 192 random bits
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9.-]+")


@dataclass(frozen=True)
class IssueTicket:
    """What the renderer prints: the letter number, its date and the QR code's URL."""

    nomor_surat: str
    token: str
    verify_url: str
    tanggal: date


@dataclass(frozen=True)
class IssuedDocumentRecord:
    """An issued document without the holder's name (personal data stays in the store)."""

    id: int
    application_id: int
    office: str
    kind: StageDocument
    round: int
    nomor_surat: str
    series: str
    year: int
    sequence: int
    tanggal: date
    token: str
    sha256: str
    size: int
    path: Path
    issued_at: datetime
    valid_until: date | None
    revoked_at: datetime | None
    revoked_reason: str | None


class DocumentStatus(StrEnum):
    berlaku = "berlaku"
    kedaluwarsa = "kedaluwarsa"
    dicabut = "dicabut"


@dataclass(frozen=True)
class VerificationView:
    """What a verification shows: the document, its number, holder and validity; never the NIK."""

    kind: StageDocument
    nomor_surat: str
    office: str
    service: str
    holder: str
    tanggal: date
    issued_at: datetime
    valid_until: date | None
    revoked_at: datetime | None
    revoked_reason: str | None

    def status(self, today: date) -> DocumentStatus:
        if self.revoked_at is not None:
            return DocumentStatus.dicabut
        if self.valid_until is not None and today > self.valid_until:
            return DocumentStatus.kedaluwarsa
        return DocumentStatus.berlaku


class DocumentAlreadyRevoked(ValueError):
    """The document was revoked before; a revocation is never overwritten."""


def numbering_series(office: OfficeProfile, kind: StageDocument) -> str:
    """The running-number series of ``kind`` at ``office``: its archive code. The offices' data give
    every kind they issue a code of its own (tests/test_numbering.py), so each kind runs its own
    sequence; kinds left on a shared code share one, which keeps printed numbers unique."""
    return office.letter_code(kind)


def issue_document(
    s: Session,
    *,
    application_id: int,
    office: OfficeProfile,
    kind: StageDocument,
    tanggal: date,
    render: Callable[[IssueTicket], bytes],
    files_dir: Path,
    holder: str,
    valid_until: date | None = None,
    round: int = 1,  # the n-th issuance of this kind for the application
) -> IssuedDocumentRecord:
    """Issue ``kind`` for the application, or return the one already issued for this round.

    In one savepoint of the caller's transaction: the series' next number, ``render(ticket)`` (the
    finished PDF), the file written under ``files_dir/<office>/<year>/`` (temporary name, then
    renamed), the row and a ``dokumen_diterbitkan`` event. Anything failing there (the render
    included) undoes the number. Issue the documents of one application per transaction: the
    application's row stays locked until it ends.
    """
    if round < 1:
        raise ValueError(f"round must be positive, not {round}")
    if not holder.strip():
        raise ValueError("an issued document needs the holder's name as printed")
    application = _lock_application(s, application_id)
    if application.office != office.code:
        raise ValueError(f"application {application_id} belongs to {application.office}, not {office.code}")
    existing = _issued(s, application_id, kind, round)
    if existing is not None:
        return _record(existing)

    written: Path | None = None
    try:
        with s.begin_nested():
            series = numbering_series(office, kind)
            sequence = _next_sequence(s, office.code, series, tanggal.year)
            nomor_surat = letter_number(office, kind, sequence, tanggal)
            _refuse_number_in_use(s, office.code, nomor_surat)
            token = _new_token()
            pdf = render(IssueTicket(nomor_surat, token, verify_url(office, token), tanggal))
            if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF-"):
                raise ValueError(f"the renderer of {kind.value} did not return a PDF")
            target = files_dir / office.code / str(tanggal.year) / f"{kind.value}_{_file_stem(nomor_surat)}.pdf"
            written = _write_atomically(target, pdf)
            row = models.IssuedDocument(
                application_id=application_id,
                office=office.code,
                kind=kind.value,
                round=round,
                nomor_surat=nomor_surat,
                series=series,
                year=tanggal.year,
                sequence=sequence,
                tanggal=tanggal,
                token=token,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                path=str(written),
                issued_at=datetime.now(UTC),
                holder=holder,
                valid_until=valid_until,
            )
            s.add(row)
            s.flush()
            append_event(
                s,
                application_id,
                "dokumen_diterbitkan",
                "izinflow",
                {"document_id": row.id, "kind": kind.value, "round": round, "nomor_surat": nomor_surat},
                at=row.issued_at,
            )
    except IntegrityError:
        # Another transaction issued this round first (without the application lock, e.g. a caller
        # that read before locking); its row is now visible and ours, number included, is undone.
        _remove(written)
        existing = _issued(s, application_id, kind, round)
        if existing is None:
            raise
        return _record(existing)
    except BaseException:
        _remove(written)
        raise
    return _record(row)


def find_issued(s: Session, application_id: int, kind: StageDocument, round: int = 1) -> IssuedDocumentRecord | None:
    row = _issued(s, application_id, kind, round)
    return None if row is None else _record(row)


def documents_of(s: Session, application_id: int) -> list[IssuedDocumentRecord]:
    """The application's issued documents, oldest first."""
    rows = s.execute(
        select(models.IssuedDocument)
        .where(models.IssuedDocument.application_id == application_id)
        .order_by(models.IssuedDocument.id)
    ).scalars()
    return [_record(row) for row in rows]


def ticket_for(office: OfficeProfile, record: IssuedDocumentRecord) -> IssueTicket:
    """The ticket an issued document was printed with, to render it again (same number, same QR)."""
    return IssueTicket(record.nomor_surat, record.token, verify_url(office, record.token), record.tanggal)


def token_from(text: str) -> str:
    """The token in a verification URL (what follows the last "/") or the token itself."""
    text = text.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return text.rsplit("/", 1)[-1]


def find_by_token(s: Session, token: str) -> VerificationView | None:
    """What the verification of ``token`` shows, or None when no document carries it."""
    if not _TOKEN.match(token):
        return None
    found = s.execute(
        select(models.IssuedDocument, models.Application.service)
        .join(models.Application, models.Application.id == models.IssuedDocument.application_id)
        .where(models.IssuedDocument.token == token)
    ).one_or_none()
    if found is None:
        return None
    row, service = found
    return VerificationView(
        kind=StageDocument(row.kind),
        nomor_surat=row.nomor_surat,
        office=row.office,
        service=service,
        holder=row.holder,
        tanggal=row.tanggal,
        issued_at=row.issued_at,
        valid_until=row.valid_until,
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
    )


def revoke(s: Session, token: str, reason: str, actor: str, *, at: datetime | None = None) -> IssuedDocumentRecord:
    """Mark the document carrying ``token`` revoked and append a ``dokumen_dicabut`` event.

    Raises LookupError for an unknown token and DocumentAlreadyRevoked for a revoked document.
    """
    if not reason.strip():
        raise ValueError("a revocation needs a reason")
    row = None
    if _TOKEN.match(token):
        row = s.execute(
            select(models.IssuedDocument).where(models.IssuedDocument.token == token).with_for_update()
        ).scalar_one_or_none()
    if row is None:
        raise LookupError("no issued document carries this token")
    if row.revoked_at is not None:
        raise DocumentAlreadyRevoked(f"document {row.id} was revoked at {row.revoked_at.isoformat()}")
    row.revoked_at = at or datetime.now(UTC)
    row.revoked_reason = reason.strip()
    s.flush()
    # The reason is free text a clerk typed: it stays in the document's row, out of the history.
    append_event(
        s,
        row.application_id,
        "dokumen_dicabut",
        actor,
        {"document_id": row.id, "kind": row.kind, "nomor_surat": row.nomor_surat},
        at=row.revoked_at,
    )
    return _record(row)


def _lock_application(s: Session, application_id: int) -> models.Application:
    # FOR NO KEY UPDATE on PostgreSQL (nothing on SQLite, whose writers are serialised already):
    # issuers of one application wait here, while rows that merely reference it (events) do not.
    application = s.execute(
        select(models.Application).where(models.Application.id == application_id).with_for_update(key_share=True)
    ).scalar_one_or_none()
    if application is None:
        raise LookupError(f"no application with id {application_id}")
    return application


def _issued(s: Session, application_id: int, kind: StageDocument, round: int) -> models.IssuedDocument | None:
    return s.execute(
        select(models.IssuedDocument).where(
            models.IssuedDocument.application_id == application_id,
            models.IssuedDocument.kind == kind.value,
            models.IssuedDocument.round == round,
        )
    ).scalar_one_or_none()


def _next_sequence(s: Session, office: str, series: str, year: int) -> int:
    return counters.next_value(s, models.DocumentSequence.__table__, {"office": office, "series": series, "year": year})


def _refuse_number_in_use(s: Session, office: str, nomor_surat: str) -> None:
    # Only a counter set back by hand gets here; refusing keeps the archived file from being overwritten.
    taken = s.execute(
        select(models.IssuedDocument.id).where(
            models.IssuedDocument.office == office, models.IssuedDocument.nomor_surat == nomor_surat
        )
    ).first()
    if taken is not None:
        raise RuntimeError(f"counter of {office} is behind its issued documents: {nomor_surat} exists")


def _new_token() -> str:
    # A token starting with "-" would read as an option on the command line (`izinflow verify -x...`).
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


def _file_stem(nomor_surat: str) -> str:
    return _UNSAFE_IN_FILE_NAME.sub("-", nomor_surat).strip("-")


def _write_atomically(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename it.

    A file left there by a transaction that never committed has a number no row holds; it is replaced.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _remove(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _record(row: models.IssuedDocument) -> IssuedDocumentRecord:
    return IssuedDocumentRecord(
        id=row.id,
        application_id=row.application_id,
        office=row.office,
        kind=StageDocument(row.kind),
        round=row.round,
        nomor_surat=row.nomor_surat,
        series=row.series,
        year=row.year,
        sequence=row.sequence,
        tanggal=row.tanggal,
        token=row.token,
        sha256=row.sha256,
        size=row.size,
        path=Path(row.path),
        issued_at=row.issued_at,
        valid_until=row.valid_until,
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
    )
