"""Create the table of catalogue pages read by vndata_dcat harvests.

Revision ID: 7d3e5b2a9c10
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "7d3e5b2a9c10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "vndata_dcat_harvester_page",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("job_id", sa.Text, nullable=False, index=True),
        sa.Column("source_id", sa.Text, nullable=False),
        sa.Column("digest", sa.Text, nullable=False),
        sa.Column("guids", sa.Text, nullable=False),
        sa.Column("skipped", sa.Boolean, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index(
        "vndata_dcat_harvester_page_source_digest",
        "vndata_dcat_harvester_page",
        ["source_id", "digest"],
    )


def downgrade():
    op.drop_table("vndata_dcat_harvester_page")
