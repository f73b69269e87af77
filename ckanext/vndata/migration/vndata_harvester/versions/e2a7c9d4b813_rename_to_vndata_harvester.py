"""Rename the harvester's tables and indexes after the plugin, now vndata_harvester.

The plugin was vndata_dcat_harvester, and its tables were named so; the index on
harvest_object_extra was vndata_harvest_*. Renaming keeps every row (the pages read,
the sources' secrets); alembic_env.py adopts the old version table first.

Revision ID: e2a7c9d4b813
Revises: c4e8a1f3b605
Create Date: 2026-11-30
"""

from alembic import op

revision = "e2a7c9d4b813"
down_revision = "c4e8a1f3b605"
branch_labels = None
depends_on = None

# (old name, new name), in the order they are renamed
TABLES = (
    ("vndata_dcat_harvester_page", "vndata_harvester_page"),
    ("vndata_dcat_harvester_source_secret", "vndata_harvester_source_secret"),
)
INDEXES = (
    ("vndata_dcat_harvester_page_pkey", "vndata_harvester_page_pkey"),
    ("ix_vndata_dcat_harvester_page_job_id", "ix_vndata_harvester_page_job_id"),
    (
        "vndata_dcat_harvester_page_source_digest",
        "vndata_harvester_page_source_digest",
    ),
    (
        "vndata_dcat_harvester_source_secret_pkey",
        "vndata_harvester_source_secret_pkey",
    ),
    ("vndata_harvest_object_extra_same_as", "vndata_harvester_object_extra_same_as"),
)


def _rename(tables, indexes) -> None:
    for old, new in tables:
        op.rename_table(old, new)
    for old, new in indexes:
        # A primary key's index is renamed with its constraint (PostgreSQL). No
        # IF EXISTS: a name that is not there is an error, not a silent skip.
        op.execute(f'ALTER INDEX "{old}" RENAME TO "{new}"')


def upgrade():
    _rename(TABLES, INDEXES)


def downgrade():
    _rename([(new, old) for old, new in TABLES], [(new, old) for old, new in INDEXES])
