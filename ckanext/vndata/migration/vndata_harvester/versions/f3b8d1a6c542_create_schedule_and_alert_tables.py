"""Harvest sources' schedules at a fixed local time (harvester/schedule.py) and the
alerts sent about their jobs (harvester/alerts.py), each in a table of its own, and
when the scheduler last started its periodic prune (harvester/retention.py).

Revision ID: f3b8d1a6c542
Revises: e2a7c9d4b813
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "f3b8d1a6c542"
down_revision = "e2a7c9d4b813"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "vndata_harvester_source_schedule",
        sa.Column("source_id", sa.Text, primary_key=True),
        sa.Column("time_of_day", sa.Text, nullable=False),
        sa.Column("weekdays", sa.Text, nullable=False, server_default=""),
        sa.Column("last_slot", sa.DateTime, nullable=True),
    )
    op.create_table(
        "vndata_harvester_alert",
        sa.Column("job_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("source_id", sa.Text, nullable=False),
        sa.Column("sent", sa.DateTime, nullable=False),
        sa.Column("streak_since", sa.DateTime, nullable=True),
    )
    op.create_table(
        "vndata_harvester_chore_run",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("started", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("vndata_harvester_chore_run")
    op.drop_table("vndata_harvester_alert")
    op.drop_table("vndata_harvester_source_schedule")
