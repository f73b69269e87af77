"""Index the addresses that name harvested records, by which duplicates are found.

Every import looks up the other sources' objects that carry one of its record's
addresses (duplicates.py). Without an index that lookup reads the whole
harvest_object_extra table, which grows with every harvest. A hash index: an address
may be longer than a btree entry allows.

Revision ID: 9b1f4c6e2d75
Revises: 7d3e5b2a9c10
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "9b1f4c6e2d75"
down_revision = "7d3e5b2a9c10"
branch_labels = None
depends_on = None

INDEX = "vndata_harvest_object_extra_same_as"


def upgrade():
    op.create_index(
        INDEX,
        "harvest_object_extra",
        ["value"],
        postgresql_using="hash",
        postgresql_where=sa.text("key = 'vndata_same_as'"),
    )


def downgrade():
    op.drop_index(INDEX, table_name="harvest_object_extra")
