"""Field visits (verifikasi lapangan): the team, the date and the scores of the assessment sheet.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("team", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_field_visits_application_id_applications")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_visits")),
    )
    op.create_index(op.f("ix_field_visits_application_id"), "field_visits", ["application_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_field_visits_application_id"), table_name="field_visits")
    op.drop_table("field_visits")
