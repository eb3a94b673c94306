"""The initial schema: applications, their verification history and the append-only events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "events are append-only"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _fk(column: str, table: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}")
    )


def upgrade() -> None:
    op.create_table(
        "sequences",
        sa.Column("office_prefix", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("office_prefix", "year", name=op.f("pk_sequences")),
    )
    op.create_table(
        "applications",
        _id(),
        sa.Column("nomor_permohonan", sa.String(length=40), nullable=False),
        sa.Column("bundle_sha256", sa.String(length=64), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("variant", sa.String(length=64), nullable=False),
        _timestamp("submitted_at"),
        _timestamp("received_at"),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("original_path", sa.String(length=1024), nullable=False),
        sa.Column("nik_masked", sa.String(length=32), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("bundle_sha256", name=op.f("uq_applications_bundle_sha256")),
        sa.UniqueConstraint("nomor_permohonan", name=op.f("uq_applications_nomor_permohonan")),
    )
    op.create_table(
        "pemohon",
        _id(),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("nama", sa.String(length=200), nullable=False),
        sa.Column("nik", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("telepon", sa.String(length=40), nullable=False),
        _fk("application_id", "pemohon", "applications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pemohon")),
        sa.UniqueConstraint("application_id", name=op.f("uq_pemohon_application_id")),
    )
    op.create_table(
        "decisions",
        _id(),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        _timestamp("decided_at"),
        _fk("application_id", "decisions", "applications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("application_id", "attempt", name="uq_decisions_application_attempt"),
    )
    op.create_index(op.f("ix_decisions_application_id"), "decisions", ["application_id"])
    op.create_table(
        "events",
        _id(),
        sa.Column("application_id", sa.Integer(), nullable=True),
        _timestamp("at"),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _fk("application_id", "events", "applications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_application_id"), "events", ["application_id"])
    op.create_table(
        "files",
        _id(),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("verification_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("rejected_reason", sa.Text(), nullable=True),
        _fk("application_id", "files", "applications"),
        _fk("verification_id", "files", "decisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
    )
    op.create_index(op.f("ix_files_application_id"), "files", ["application_id"])
    op.create_index(op.f("ix_files_verification_id"), "files", ["verification_id"])
    op.create_table(
        "pages",
        _id(),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("ocr", sa.Boolean(), nullable=False),
        sa.Column("rotation", sa.Integer(), nullable=False),
        sa.Column("ocr_confidence", sa.Float(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        _fk("file_id", "pages", "files"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint("file_id", "page_number", name="uq_pages_file_page"),
    )
    op.create_index(op.f("ix_pages_file_id"), "pages", ["file_id"])
    op.create_table(
        "documents",
        _id(),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("verification_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("ocr", sa.Boolean(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        _fk("application_id", "documents", "applications"),
        _fk("verification_id", "documents", "decisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(op.f("ix_documents_application_id"), "documents", ["application_id"])
    op.create_index(op.f("ix_documents_verification_id"), "documents", ["verification_id"])
    op.create_table(
        "fields",
        _id(),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _fk("document_id", "fields", "documents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fields")),
        sa.UniqueConstraint("document_id", "name", name="uq_fields_document_name"),
    )
    op.create_index(op.f("ix_fields_document_id"), "fields", ["document_id"])
    op.create_table(
        "requirement_results",
        _id(),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("verification_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        _fk("application_id", "requirement_results", "applications"),
        _fk("verification_id", "requirement_results", "decisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requirement_results")),
    )
    op.create_index(op.f("ix_requirement_results_application_id"), "requirement_results", ["application_id"])
    op.create_index(
        op.f("ix_requirement_results_verification_id"), "requirement_results", ["verification_id"]
    )
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION izinflow_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE} (% refused)', TG_OP; END $$"
        )
        op.execute(
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
            "FOR EACH ROW EXECUTE FUNCTION izinflow_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION izinflow_events_append_only()"
        )
        return
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER events_no_{operation.lower()} BEFORE {operation} ON events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({operation} refused)'); END"
        )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_no_truncate ON events")
        op.execute("DROP TRIGGER IF EXISTS events_append_only ON events")
        op.execute("DROP FUNCTION IF EXISTS izinflow_events_append_only()")
        return
    op.execute("DROP TRIGGER IF EXISTS events_no_update")
    op.execute("DROP TRIGGER IF EXISTS events_no_delete")


def downgrade() -> None:
    _drop_append_only_triggers()
    for table in (
        "requirement_results",
        "fields",
        "documents",
        "pages",
        "files",
        "events",
        "decisions",
        "pemohon",
        "applications",
        "sequences",
    ):
        op.drop_table(table)
