"""Harvested plans: item keys per source, one row per version, publisher as named.

Revision ID: 9a4c6e1f2b58
Revises: 8e5d2b7c4a19
Create Date: 2026-11-30

An item of a harvested plan took the key its source gave it, first come first served;
it now has a key derived from the source and that key (harvested.national_key), the
source's kept as ``remote_key``. The items already harvested are re-keyed here with
their links and waiting links; a dataset's plan_item field no longer delivers such an
item, so the links that field made on them are dropped. Concurrent imports could write
two rows for one version of a source's series: the newest is kept, and a unique index
makes a second one impossible.
"""

import sqlalchemy as sa
from alembic import op

from ckanext.vndata.plan.harvested import VERSION_INDEX, national_key

revision = "9a4c6e1f2b58"
down_revision = "8e5d2b7c4a19"
branch_labels = None
depends_on = None


def _drop_duplicate_versions(bind) -> None:
    """Of two rows of one version of a source's series, keep the last harvested."""
    bind.execute(
        sa.text(
            """
            DELETE FROM vndata_plan p USING vndata_plan q
            WHERE p.harvest_source_id IS NOT NULL
              AND q.harvest_source_id = p.harvest_source_id
              AND q.remote_series_id = p.remote_series_id
              AND q.version = p.version
              AND (q.harvested_at, q.id) > (p.harvested_at, p.id)
            """
        )
    )


def _rekey(bind) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT DISTINCT p.harvest_source_id, i.key FROM vndata_plan_item i "
            "JOIN vndata_plan p ON p.id = i.plan_id "
            "WHERE p.harvest_source_id IS NOT NULL AND i.remote_key IS NULL"
        )
    ).fetchall()
    for source_id, key in rows:
        new = national_key(source_id, key)
        values = {"old": key, "new": new, "source": source_id}
        bind.execute(
            sa.text(
                "UPDATE vndata_plan_item i SET key = :new, remote_key = :old "
                "FROM vndata_plan p WHERE p.id = i.plan_id "
                "AND p.harvest_source_id = :source AND i.key = :old"
            ),
            values,
        )
        bind.execute(
            sa.text(
                "DELETE FROM vndata_plan_item_dataset "
                "WHERE item_key = :old AND source = 'field'"
            ),
            values,
        )
        bind.execute(
            sa.text(
                "UPDATE vndata_plan_item_dataset SET item_key = :new "
                "WHERE item_key = :old"
            ),
            values,
        )
        bind.execute(
            sa.text(
                "UPDATE vndata_plan_link_waiting SET item_key = :new "
                "WHERE item_key = :old AND source_id = :source"
            ),
            values,
        )


def upgrade():
    op.add_column("vndata_plan_item", sa.Column("remote_key", sa.Text))
    op.add_column("vndata_plan", sa.Column("remote_publisher", sa.Text))
    op.add_column("vndata_plan", sa.Column("remote_publisher_code", sa.Text))
    bind = op.get_bind()
    _drop_duplicate_versions(bind)
    _rekey(bind)
    op.create_index(
        VERSION_INDEX,
        "vndata_plan",
        ["harvest_source_id", "remote_series_id", "version"],
        unique=True,
        postgresql_where=sa.text("harvest_source_id IS NOT NULL"),
    )


def downgrade():
    op.drop_index(VERSION_INDEX, "vndata_plan")
    op.execute(
        "UPDATE vndata_plan_item_dataset d SET item_key = i.remote_key "
        "FROM vndata_plan_item i WHERE i.key = d.item_key AND i.remote_key IS NOT NULL"
    )
    op.execute(
        "UPDATE vndata_plan_link_waiting w SET item_key = i.remote_key "
        "FROM vndata_plan_item i WHERE i.key = w.item_key AND i.remote_key IS NOT NULL"
    )
    op.execute(
        "UPDATE vndata_plan_item SET key = remote_key WHERE remote_key IS NOT NULL"
    )
    op.drop_column("vndata_plan", "remote_publisher_code")
    op.drop_column("vndata_plan", "remote_publisher")
    op.drop_column("vndata_plan_item", "remote_key")
