"""The alembic environment every vndata plugin's migrations share.

Each plugin keeps its own version table and looks only at its own tables (named after
the plugin), so its migrations never touch core's or another plugin's.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, inspect, pool

from ckan.model.meta import metadata

# Plugins that had another name: a site migrated under the old name keeps its version
# table under that name. Without adopting it, `ckan db upgrade -p <new name>` would
# find no version, run the first revision again and fail on the tables it already
# has (or, after a downgrade of the old name, never see them).
FORMER_NAMES = {"vndata_harvester": "vndata_dcat_harvester"}


def run(plugin: str) -> None:
    """Run the migrations of ``plugin`` (called from its migration/<plugin>/env.py)."""
    config = context.config
    fileConfig(config.config_file_name)
    version_table = f"{plugin}_alembic_version"

    def include_object(obj, name, type_, reflected, compare_to):
        """Autogenerate looks at this plugin's tables only."""
        return type_ != "table" or name.startswith(plugin)

    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            version_table=version_table,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.begin() as connection:  # committed before alembic reads its version
        _adopt_former_version_table(connection, plugin, version_table)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


def _adopt_former_version_table(connection, plugin: str, version_table: str) -> None:
    """The version table of the plugin's former name becomes its own, if it has none.

    Its revisions are this plugin's (the migration folder moved with the name), so
    alembic goes on from where the site stood; the revision that renamed the plugin
    renames its tables too.
    """
    former = FORMER_NAMES.get(plugin)
    if former is None:
        return
    tables = set(inspect(connection).get_table_names())
    old_table = f"{former}_alembic_version"
    if old_table not in tables:
        return
    if version_table in tables:
        # Both: the former name was migrated again after the rename (an old deploy
        # still running `db upgrade -p vndata_dcat_harvester`). Which history is true
        # cannot be told here; going on would leave the old tables' rows unseen.
        raise RuntimeError(
            f"Both {old_table} and {version_table} exist: the plugin {former} was "
            f"migrated again after it became {plugin}. Keep the tables whose rows are "
            f"current, drop the others and {old_table}, then upgrade again."
        )
    connection.exec_driver_sql(f'ALTER TABLE "{old_table}" RENAME TO "{version_table}"')
    connection.exec_driver_sql(  # alembic's name for its primary key
        f'ALTER INDEX IF EXISTS "{old_table}_pkc" RENAME TO "{version_table}_pkc"'
    )
