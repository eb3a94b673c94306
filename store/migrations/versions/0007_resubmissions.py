"""Resubmissions: the applicant's new files for a returned application, one verification attempt each.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resubmissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("bundle_sha256", sa.String(length=64), nullable=False),
        sa.Column("original_path", sa.String(length=1024), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verification_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_resubmissions_application_id_applications")),
        sa.ForeignKeyConstraint(["verification_id"], ["decisions.id"],
                                name=op.f("fk_resubmissions_verification_id_decisions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resubmissions")),
        sa.UniqueConstraint("application_id", "sequence", name="uq_resubmissions_application_sequence"),
        sa.UniqueConstraint("bundle_sha256", name=op.f("uq_resubmissions_bundle_sha256")),
        sa.UniqueConstraint("verification_id", name=op.f("uq_resubmissions_verification_id")),
    )
    op.create_index(op.f("ix_resubmissions_application_id"), "resubmissions", ["application_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_resubmissions_application_id"), table_name="resubmissions")
    op.drop_table("resubmissions")
