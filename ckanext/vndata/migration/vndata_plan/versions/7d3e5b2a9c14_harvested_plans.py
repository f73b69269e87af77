"""Harvested plans: provenance on each plan, and links waiting for their dataset.

Revision ID: 7d3e5b2a9c14
Revises: 4c2a1f0d9b31
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "7d3e5b2a9c14"
down_revision = "4c2a1f0d9b31"
branch_labels = None
depends_on = None

PROVENANCE = ("remote_id", "remote_series_id", "remote_url", "fingerprint")


def upgrade():
    op.add_column("vndata_plan", sa.Column("harvest_source_id", sa.Text))
    for name in PROVENANCE:
        op.add_column("vndata_plan", sa.Column(name, sa.Text))
    op.add_column("vndata_plan", sa.Column("harvested_at", sa.DateTime))
    op.create_index(
        "ix_vndata_plan_harvest_source_id", "vndata_plan", ["harvest_source_id"]
    )
    op.create_table(
        "vndata_plan_link_waiting",
        sa.Column("source_id", sa.Text, primary_key=True),
        sa.Column("item_key", sa.Text, primary_key=True),
        sa.Column("ref", sa.Text, primary_key=True),
        sa.Column("remote_id", sa.Text, index=True),
        sa.Column("remote_name", sa.Text, index=True),
        sa.Column("remote_uri", sa.Text, index=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("vndata_plan_link_waiting")
    op.drop_index("ix_vndata_plan_harvest_source_id", "vndata_plan")
    op.drop_column("vndata_plan", "harvested_at")
    for name in reversed(PROVENANCE):
        op.drop_column("vndata_plan", name)
    op.drop_column("vndata_plan", "harvest_source_id")
