"""The Prefect flow run of each case (the review app resumes it when a decision is recorded).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("flow_run_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_case_runs_application_id_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_runs")),
        sa.UniqueConstraint("flow_run_id", name=op.f("uq_case_runs_flow_run_id")),
    )
    op.create_index(op.f("ix_case_runs_application_id"), "case_runs", ["application_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_runs_application_id"), table_name="case_runs")
    op.drop_table("case_runs")
