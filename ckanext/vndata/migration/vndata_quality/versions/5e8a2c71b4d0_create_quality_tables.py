"""Create the quality tables: dataset scores, link checks, daily snapshots.

Revision ID: 5e8a2c71b4d0
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "5e8a2c71b4d0"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "vndata_quality_score",
        sa.Column("package_id", sa.Text, primary_key=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("rating", sa.Text, nullable=False, index=True),
        sa.Column("tally", sa.Text, nullable=False),
        sa.Column("conformant", sa.Boolean),
        sa.Column("conformance_digest", sa.Text),
        sa.Column("violations", sa.Text),
        sa.Column("computed", sa.DateTime, nullable=False),
    )
    op.create_table(
        "vndata_quality_link",
        sa.Column("resource_id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("ok", sa.Boolean),
        sa.Column("error", sa.Text),
        sa.Column("checked", sa.DateTime),
        sa.Column("last_ok", sa.DateTime),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_check", sa.DateTime, index=True),
    )
    op.create_table(
        "vndata_quality_snapshot",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("day", sa.Date, nullable=False, index=True),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("scope_id", sa.Text, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("rating", sa.Text, nullable=False),
        sa.Column("tally", sa.Text, nullable=False),
        sa.UniqueConstraint("day", "scope", "scope_id"),
    )


def downgrade():
    op.drop_table("vndata_quality_snapshot")
    op.drop_table("vndata_quality_link")
    op.drop_table("vndata_quality_score")
