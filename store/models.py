"""The database schema: one declarative model per table.

Personal data (the clear NIK, the applicant's name and contacts) lives only in ``pemohon``;
``applications`` carries the masked NIK, which is all anything outside the store may see.
Every change to this module needs an Alembic revision in ``store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC, read back aware on every backend.

    SQLite keeps no offset, so without this a value would come back naive there and aware on
    PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class SequenceCounter(Base):
    """The last application number given, per office prefix and year."""

    __tablename__ = "sequences"

    office_prefix: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nomor_permohonan: Mapped[str] = mapped_column(String(40), unique=True)
    bundle_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    office: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(64))
    variant: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime]
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(32))
    original_path: Mapped[str] = mapped_column(String(1024))
    nik_masked: Mapped[str] = mapped_column(String(32))
    # The form as typed, without the applicant's personal data (that is in ``pemohon``).
    manifest: Mapped[dict[str, Any]]

    pemohon: Mapped[Pemohon] = relationship(back_populates="application")


class Pemohon(Base):
    """The applicant's personal data; it never leaves the store."""

    __tablename__ = "pemohon"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    nik: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(200))
    telepon: Mapped[str] = mapped_column(String(40))

    application: Mapped[Application] = relationship(back_populates="pemohon")


class DecisionRow(Base):
    """One verification attempt of an application and the decision it reached."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("application_id", "attempt", name="uq_decisions_application_attempt"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[list[Any]]
    decided_at: Mapped[datetime]


class StoredFile(Base):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    verification_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    name: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(16))
    rejected_reason: Mapped[str | None] = mapped_column(Text)


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("file_id", "page_number", name="uq_pages_file_page"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    page_number: Mapped[int] = mapped_column(Integer)
    ocr: Mapped[bool] = mapped_column(Boolean)
    rotation: Mapped[int] = mapped_column(Integer)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    content_sha256: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    marks: Mapped[list[Any]]


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    verification_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    ocr: Mapped[bool] = mapped_column(Boolean)
    pages: Mapped[list[Any]]
    rows: Mapped[list[Any]] = mapped_column(default=list)

    fields: Mapped[list[Field]] = relationship(order_by="Field.id")


class Field(Base):
    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("document_id", "name", name="uq_fields_document_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)


class RequirementResultRow(Base):
    __tablename__ = "requirement_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    verification_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[list[Any]]
    pages: Mapped[list[Any]]


class FieldVisitRow(Base):
    """A field visit as the team recorded it; the team's names are personal data and stay here."""

    __tablename__ = "field_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    team: Mapped[list[Any]]  # [{"nama": ..., "jabatan": ...}]
    scores: Mapped[dict[str, Any]]  # item code -> score
    notes: Mapped[dict[str, Any]]  # item code -> remark
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(128))


class DocumentSequence(Base):
    """The last running number an office gave in one numbering series (archive code) and year."""

    __tablename__ = "document_sequences"

    office: Mapped[str] = mapped_column(String(64), primary_key=True)
    series: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)


class IssuedDocument(Base):
    """A numbered document given out for an application: its file, number and verification token.

    ``holder`` is the name printed on the document (personal data: it stays in the store).
    """

    __tablename__ = "issued_documents"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", "round", name="uq_issued_documents_application_kind_round"),
        UniqueConstraint("office", "nomor_surat", name="uq_issued_documents_office_nomor_surat"),
        UniqueConstraint("office", "series", "year", "sequence", name="uq_issued_documents_office_series_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    office: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column(Integer, default=1)
    nomor_surat: Mapped[str] = mapped_column(String(80))
    series: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    tanggal: Mapped[date] = mapped_column(Date)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(1024))
    issued_at: Mapped[datetime]
    holder: Mapped[str] = mapped_column(String(200))
    valid_until: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    """Append-only history. Database triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Empty for events about a bundle that never became an application (e.g. quarantined).
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]]


class Resubmission(Base):
    """A bundle the applicant sent to complete a returned application (``resubmission_of`` in its form):
    its files, kept under ``original_path``, are read by one verification attempt (``verification_id``,
    empty until then) and checked together with what the earlier attempts accepted."""

    __tablename__ = "resubmissions"
    __table_args__ = (
        UniqueConstraint("application_id", "sequence", name="uq_resubmissions_application_sequence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)  # 1 for the application's first resubmission
    bundle_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_path: Mapped[str] = mapped_column(String(1024))
    submitted_at: Mapped[datetime]
    received_at: Mapped[datetime]
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), unique=True)


class CaseRun(Base):
    """A Prefect flow run that carries a case through the office's steps (``flows/case.py``): the
    review app resumes it by this id. A case has one at a time; a resubmission or a lost run adds
    another, so the newest row is the case's run."""

    __tablename__ = "case_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    flow_run_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime]


class User(Base):
    """A member of an office's staff (or a read-only operator) who signs in to the review app."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(32))
    office: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class WebSession(Base):
    """A signed-in browser. ``id`` is the sha256 of the cookie's token: a copy of the table opens no session."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class LoginFailure(Base):
    """A refused password, kept to throttle guessing; cleared by the next successful sign-in."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]
