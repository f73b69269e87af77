"""Create the roster of bodies obliged to issue a plan, filled with the shipped list.

Revision ID: 8e5d2b7c4a19
Revises: 7d3e5b2a9c14
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from ckanext.vndata.plan import shipped_roster

revision = "8e5d2b7c4a19"
down_revision = "7d3e5b2a9c14"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "vndata_plan_body",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("province_code", sa.Text, index=True),
        sa.Column("agency_code", sa.Text, index=True),
        sa.Column("organizations", sa.JSON, nullable=False),
        sa.Column("merged_into", sa.Text),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    # The roster is filled here, once per database, rather than on first read: reads
    # stay side-effect free (vndata_roster_list, the report), every database is made by
    # migrations, and a sysadmin's later edits are never overwritten. A later change of
    # the shipped list comes with its own revision calling seed() again (it only adds
    # the bodies that are missing).
    shipped_roster.seed(op.get_bind())


def downgrade():
    op.drop_table("vndata_plan_body")
